"""The project pipeline 招商 → 签约 → 开工 → 投产 → 达产 (MODEL.md §3.2).

Linear in signed amounts, so every stage is a convolution of a monthly series with a
kernel; kernels may differ by draw, so convolutions run by FFT along the month axis.
Amounts are contract value (合同引资额, 亿元) unless a name says ``spending`` (realised
fixed investment) or ``output`` (gross output).

Shapes: ``D`` draws, ``C = 3`` size classes (small < 10亿, medium 10-50亿, large ≥ 50亿),
``T`` months of the extended axis (history first).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

SIZE_CLASSES = ("small", "medium", "large")


def convolve(signal: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Causal convolution along the last axis, truncated to the signal length.

    ``out[..., t] = Σ_{s ≤ t} signal[..., s] · kernel[..., t − s]``; shapes broadcast.
    """
    T = signal.shape[-1]
    n = 1 << int(np.ceil(np.log2(2 * T)))
    out = np.fft.irfft(np.fft.rfft(signal, n) * np.fft.rfft(kernel, n), n)
    return out[..., :T]


def start_lag_cdf(start_share, median_months, sigma, lags: np.ndarray) -> np.ndarray:
    """Share of a signed yuan started within ``lags`` months: ``ρ · F(lags)``."""
    with np.errstate(divide="ignore"):
        z = (
            np.log(np.asarray(lags, dtype=float)) - np.log(np.asarray(median_months, dtype=float))
        ) / np.asarray(sigma)
    return np.atleast_2d(np.asarray(start_share) * ndtr(z))


def backlog_scale(ref: tuple, lever: tuple, ages: np.ndarray) -> np.ndarray:
    """Rescale history cohorts' future starts when levers change from the plan year on.

    A cohort signed ``age`` months before the first plan month has started
    ``A = ρ_ref · F_ref(age)`` under the reference (structural) parameters. From the plan
    year on it starts the rest of the lever start share, ``max(ρ_lev − A, 0)``, with the
    lever timing; the lever pmf has ``ρ_lev · (1 − F_lev(age))`` left, so future starts
    are the lever pmf scaled by the ratio of the two.

    Parameters
    ----------
    ref, lever : tuple of (start_share, median_months, sigma)
    ages : ndarray, shape (S,)
        Months from each history cohort's signing to the first plan month.

    Returns
    -------
    ndarray, shape (D, S)
    """
    return backlog_scale_from_cdf(start_lag_cdf(*ref, ages), start_lag_cdf(*lever, ages), lever[0])


def backlog_scale_from_cdf(
    done_ref: np.ndarray, done_lever: np.ndarray, lever_share: np.ndarray | float
) -> np.ndarray:
    """:func:`backlog_scale` from the two CDFs at the cohorts' ages, each (D, S)."""
    rho_lev = np.asarray(lever_share, dtype=float)
    left = rho_lev - done_lever
    rem = np.maximum(rho_lev - done_ref, 0.0)
    return np.where(left > 1e-12, rem / np.where(left > 1e-12, left, 1.0), 0.0)


def start_lag_pmf(
    start_share: np.ndarray | float,
    median_months: np.ndarray | float,
    sigma: np.ndarray | float,
    n: int,
) -> np.ndarray:
    """Share of a signed yuan that starts ``L`` months after signing, ``L = 0..n-1``.

    ``ρ · [F(L + 1) − F(L)]`` with ``F`` a lognormal CDF of given median and log-sd: a
    project signed in month ``s`` that starts in month ``s + L`` started within ``L + 1``
    months.

    Returns
    -------
    ndarray, shape (D, n)
    """
    return np.diff(start_lag_cdf(start_share, median_months, sigma, np.arange(n + 1)), axis=-1)


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def build_kernels(
    build_months: np.ndarray,
    ramp_start_share: np.ndarray | float,
    ramp_months: np.ndarray | float,
    n: int,
) -> dict[str, np.ndarray]:
    """Per started yuan: spending share and capacity share by month, and stage months.

    Spending follows an S-curve (smoothstep) over the build period ``d``; production
    starts when construction ends and ramps linearly from ``ramp_start_share`` to 1 over
    ``ramp_months``. Month ``j`` after start is evaluated at its middle ``j + 0.5``.

    Parameters
    ----------
    build_months : ndarray, shape (D, C, 1)
    ramp_start_share, ramp_months : float or ndarray (D, 1, 1)
    n : int
        Kernel length in months.

    Returns
    -------
    dict of ndarray
        ``spending`` (sums to 1 once built) and ``capacity`` (share of design output),
        each (D, C, n); ``producing_from`` and ``full_from`` (D, C, 1), whole months after
        the start from which the project produces / is at full capacity (stage
        indicators are ``j >= producing_from`` and ``j >= full_from``).
    """
    j = np.arange(n, dtype=float)
    d = np.asarray(build_months, dtype=float)
    spending = np.diff(_smoothstep(np.arange(n + 1, dtype=float) / d), axis=-1)
    since = j + 0.5 - d
    a = np.asarray(ramp_start_share, dtype=float)
    R = np.asarray(ramp_months, dtype=float)
    capacity = np.where(since >= 0, np.minimum(1.0, a + (1.0 - a) * since / R), 0.0)
    return {
        "spending": spending,
        "capacity": capacity,
        "producing_from": np.ceil(d - 0.5).astype(int),  # first j with since >= 0
        "full_from": np.ceil(d - 0.5 + R).astype(int),
    }


def starts_with_concentrated_event(
    history_starts: np.ndarray,
    event_amount_100m_cny: np.ndarray | float,
    event_pos: int,
    first_plan_pos: int,
    backlog_total_100m_cny: np.ndarray | float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Add a concentrated start (集中开工), pulling it forward from the signed backlog.

    The event starts ``A`` in month ``event_pos``. Up to the backlog ``B`` (every history
    start due from the first plan month on, within the horizon or after it), it is the
    same projects starting earlier, so future history starts shrink by ``min(A, B) / B``;
    the rest (``A − min(A, B)``) are projects signed before the history window, recorded
    as extra signed value. Because ``B`` counts starts beyond the horizon too, the
    plan-year result does not depend on the horizon.

    Parameters
    ----------
    backlog_total_100m_cny : float or ndarray (D, 1), optional
        The whole backlog ``B``; by default the history starts inside the array.

    Returns
    -------
    starts : ndarray, shape (D, T)
    extra_signed : ndarray, shape (D, 1)
        Contract value the event adds beyond the history backlog.
    """
    hs = np.atleast_2d(history_starts)
    future = hs[:, first_plan_pos:]
    if backlog_total_100m_cny is None:
        backlog = future.sum(axis=-1, keepdims=True)
    else:
        backlog = np.broadcast_to(
            np.asarray(backlog_total_100m_cny, dtype=float).reshape(-1, 1), (hs.shape[0], 1)
        )
    A = np.broadcast_to(
        np.asarray(event_amount_100m_cny, dtype=float).reshape(-1, 1), backlog.shape
    )
    pulled = np.minimum(A, backlog)
    scale = np.where(backlog > 0, 1.0 - pulled / np.where(backlog > 0, backlog, 1.0), 1.0)
    out = hs.copy()
    out[:, first_plan_pos:] = future * scale
    out[:, event_pos] += A[:, 0]
    return out, A - pulled


def flows(
    starts: np.ndarray,
    class_shares: np.ndarray,
    kernels: dict[str, np.ndarray],
    realised_share: np.ndarray | float,
    output_to_investment: np.ndarray | float,
    industrial_share: np.ndarray | float,
    with_output: bool = True,
    report_from: int = 0,
) -> dict[str, np.ndarray]:
    """Spending, output and stage stocks from a series of starts.

    Parameters
    ----------
    starts : ndarray, shape (D, T)
        Contract value starting each month.
    class_shares : ndarray, shape (D, C, 1)
        Shares of small, medium and large projects (sum 1).
    kernels : dict
        From :func:`build_kernels`, each (D, C, T).
    realised_share, output_to_investment : float or ndarray (D, 1)
    industrial_share : float or ndarray (D, 1)
        Share of started value whose output counts as (additional) industrial output.
    with_output : bool
        Compute the design-output series (a second convolution); without it
        ``output_real_100m_cny`` is zero.
    report_from : int
        Stage stocks are computed from this month index on (zero before): the model
        reports them from the base year only.

    Returns
    -------
    dict of ndarray, each shape (D, T)
        ``spending_100m_cny`` (realised investment per month), ``output_real_100m_cny``
        (industrial output per month at base-year prices), ``producing_cum_100m_cny`` and
        ``full_cum_100m_cny`` (contract value whose construction has finished / that has
        reached full capacity, cumulative).
    """
    s = np.atleast_2d(starts)
    T = s.shape[-1]
    n = 1 << int(np.ceil(np.log2(2 * T)))
    # Σ_c conv(share_c · starts, k_c) = conv(starts, Σ_c share_c · k_c): mix the class
    # kernels first, so that one transform per kernel serves every size class
    names = ("spending", "capacity") if with_output else ("spending",)
    mixed = np.stack(np.broadcast_arrays(*((class_shares * kernels[k]).sum(axis=1) for k in names)))
    conv = np.fft.irfft(np.fft.rfft(s, n) * np.fft.rfft(mixed, n), n)[..., :T]
    # stage stocks: a step kernel turns the convolution into a shifted running sum
    t = np.arange(report_from, T)
    cum_s = np.cumsum(s, axis=-1)
    stages = {}
    for stage in ("producing", "full"):
        start = kernels[f"{stage}_from"]  # (D or 1, C, 1)
        rows = max(s.shape[0], start.shape[0], np.shape(class_shares)[0])
        cum = np.broadcast_to(cum_s, (rows, T))
        total = np.zeros((rows, T))
        for c in range(start.shape[1]):
            idx = t - start[:, c]  # (D or 1, T − report_from)
            got = np.take_along_axis(
                cum, np.broadcast_to(np.clip(idx, 0, T - 1), (rows, t.size)), -1
            )
            total[:, report_from:] += class_shares[:, c] * np.where(idx >= 0, got, 0.0)
        stages[stage] = total
    r = np.asarray(realised_share)
    output = (
        r * np.asarray(industrial_share) * np.asarray(output_to_investment) / 12.0 * conv[1]
        if with_output
        else np.zeros_like(conv[0])
    )
    return {
        "spending_100m_cny": r * conv[0],
        "output_real_100m_cny": output,
        "producing_cum_100m_cny": stages["producing"],
        "full_cum_100m_cny": stages["full"],
    }


def flows_by_class(
    starts: np.ndarray,
    starts_output: np.ndarray,
    kernels: dict[str, np.ndarray],
    realised_share: np.ndarray | float,
    output_to_investment: np.ndarray | float,
    output_share: np.ndarray | float,
) -> dict[str, np.ndarray]:
    """:func:`flows` of starts known by size class (a project register).

    Parameters
    ----------
    starts : ndarray, shape (C, T)
        Contract value starting per month, by class: spending and stage stocks.
    starts_output : ndarray, shape (C, T)
        The industrial part, weighted by relative output intensity: output.
    kernels : dict
        From :func:`build_kernels`, each (D or 1, C, T).

    Returns
    -------
    dict of ndarray, each (D, T)
        As :func:`flows`, plus ``spending_industrial_100m_cny``: the spending of the
        industrial part (``starts_output``).
    """
    C = starts.shape[0]
    out: dict[str, np.ndarray] = {}
    for c in range(C):
        onehot = np.zeros((1, C, 1))
        onehot[0, c, 0] = 1.0
        spend = flows(starts[c], onehot, kernels, realised_share, output_to_investment, 0.0)
        make = flows(
            starts_output[c],
            onehot,
            kernels,
            realised_share,
            output_to_investment,
            output_share,
        )
        part = {
            **spend,
            "output_real_100m_cny": make["output_real_100m_cny"],
            "spending_industrial_100m_cny": make["spending_100m_cny"],
        }
        for k, v in part.items():
            out[k] = out[k] + v if k in out else v
    return out
