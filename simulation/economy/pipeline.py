"""The project pipeline 招商 → 签约 → 开工 → 投产 → 达产 (MODEL.md §3.2).

Linear in signed amounts, so every stage is a convolution of a monthly series with a
kernel (:mod:`simulation.economy.convolution`); kernels may differ by draw.
Amounts are contract value (合同引资额, 亿元) unless a name says ``spending`` (realised
fixed investment) or ``output`` (gross output).

Shapes: ``D`` draws, ``C = 3`` size classes (small < 10亿, medium 10-50亿, large ≥ 50亿),
``T`` months of the extended axis (history first).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy.special import ndtr

from .convolution import fft_length, inverse_products, spectra
from .timeaxis import as_rows

SIZE_CLASSES = ("small", "medium", "large")


@lru_cache(maxsize=8)
def lag_axis(n: int) -> np.ndarray:
    """``0 .. n-1`` (months after signing), read-only and cached: the lags of
    :func:`start_lag_cdf` in the model, recognised there without a comparison."""
    out = np.arange(n)
    out.flags.writeable = False
    return out


@lru_cache(maxsize=8)
def _log_lags(n: int) -> np.ndarray:
    """``log(0..n-1)`` (−inf at 0), read-only: the lags of a start-lag CDF."""
    with np.errstate(divide="ignore"):
        out = np.log(np.arange(n, dtype=float))
    out.flags.writeable = False
    return out


def start_lag_cdf(start_share, median_months, sigma, lags: np.ndarray) -> np.ndarray:
    """Share of a signed yuan started within ``lags`` months: ``ρ · F(lags)``.

    ``F`` is the lognormal CDF of the given median (months) and log-sd. Parameters are
    floats or (D, 1) columns; ``lags`` (L,) months. Returns shape (D or 1, L).
    """
    lags = np.asarray(lags)
    if lags.ndim == 1 and (
        lags is lag_axis(lags.size) or np.array_equal(lags, lag_axis(lags.size))
    ):
        log_lags = _log_lags(lags.size)  # 0, 1, 2 ...: the model's case, logs cached
    else:
        with np.errstate(divide="ignore"):
            log_lags = np.log(lags.astype(float))
    z = (log_lags - np.log(median_months)) / sigma
    if z.ndim == 0:
        z = z.reshape(1)
    ndtr(z, out=z)
    rho = start_share if type(start_share) is float else np.asarray(start_share, dtype=float)
    if type(rho) is float or np.broadcast_shapes(z.shape, rho.shape) == z.shape:
        z *= rho  # ρ broadcasts into z: in place
    else:
        z = rho * z
    return z if z.ndim == 2 else as_rows(z)


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
    """:func:`backlog_scale` from the two CDFs at the cohorts' ages, each (D, S).

    With the same CDF (no lever moved) the scale is 1 where anything is left, else 0.
    """
    rho_lev = np.asarray(lever_share, dtype=float)
    left = rho_lev - done_lever
    if done_ref is done_lever:  # rem = max(left, 0): the ratio is exactly 1 or 0
        return (left > 1e-12).astype(float)
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
    """``3x² − 2x³`` of ``x ≥ 0`` clipped to 1; ``x`` is overwritten (a fresh array)."""
    np.minimum(x, 1.0, out=x)
    s = x * -2.0
    s += 3.0
    s *= x
    s *= x
    return s


def spending_kernel(
    build_months: np.ndarray, class_shares: np.ndarray | float, n: int
) -> np.ndarray:
    """Spending per started yuan by month after the start, mixed over the size classes.

    ``Σ_c share_c · spending_c`` with ``spending_c`` the S-curve of :func:`build_kernels`:
    ``Σ_c share_c · conv(starts, spending_c) = conv(starts, Σ_c share_c · spending_c)``,
    so one kernel serves every class. The S-curve is 1 from the build period on, so it is
    evaluated only up to the longest build period; later months spend nothing.

    Parameters
    ----------
    build_months : ndarray, shape (D or 1, C, 1)
        Build period ``d`` of each class (months, > 0).
    class_shares : ndarray, shape (D or 1, C, 1)
        Shares of contract value by class.
    n : int
        Kernel length in months.

    Returns
    -------
    ndarray, shape (D or 1, n)
        Share of a started yuan spent in month ``j = 0..n-1`` after the start (sums to
        ``Σ share`` once every class is built).
    """
    d = np.asarray(build_months, dtype=float)
    m = min(n, math.ceil(d.max())) + 1  # S-curve points 0..m-1; S = 1 from m-1 on
    x = np.arange(m, dtype=float) / d
    mixed = np.add.reduce(_smoothstep(x) * class_shares, axis=1)  # (D or 1, m)
    out = np.zeros((mixed.shape[0], n))
    np.subtract(mixed[:, 1:], mixed[:, :-1], out=out[:, : m - 1])
    return out


def stage_months(
    build_months: np.ndarray, ramp_months: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray]:
    """Whole months after the start from which a project produces / is at full capacity.

    Parameters
    ----------
    build_months : ndarray, shape (D or 1, C, 1)
    ramp_months : float or ndarray (D, 1, 1)

    Returns
    -------
    producing_from, full_from : ndarray of int, shape (D or 1, C, 1)
        As in :func:`build_kernels`.
    """
    d = np.asarray(build_months, dtype=float) - 0.5
    return np.ceil(d).astype(int), np.ceil(d + ramp_months).astype(int)


def stage_stock(
    cum_starts: np.ndarray,
    class_shares: np.ndarray,
    starts_from: np.ndarray,
    report_from: int = 0,
) -> np.ndarray:
    """Cumulative contract value past a stage: ``Σ_c share_c · cum[t − from_c]``.

    A step kernel turns the stage convolution into a shifted running sum
    (:func:`stage_stocks` for several stages at once).

    Parameters
    ----------
    cum_starts : ndarray, shape (D or 1, T)
        Cumulative starts (亿元).
    class_shares : ndarray, shape (D or 1, C, 1)
    starts_from : ndarray of int, shape (D or 1, C, 1)
        Whole months (≥ 0) after the start from which the stage is reached.
    report_from : int
        First month index computed.

    Returns
    -------
    ndarray, shape (D, T − report_from)
        The stock in months ``report_from .. T-1`` (zero where ``t < from_c``).
    """
    return stage_stocks(cum_starts, class_shares, (starts_from,), report_from)[0]


def stage_stocks(
    cum_starts: np.ndarray,
    class_shares: np.ndarray,
    starts_from: tuple[np.ndarray, ...],
    report_from: int = 0,
) -> list[np.ndarray]:
    """:func:`stage_stock` of several stages (e.g. producing and full) of the same starts.

    Each class's stage month takes few distinct values over the draws (a handful of whole
    months), so the draws are grouped by it and every group is a slice: where it is the
    same in every draw, one slice for all. (Gathering every draw's shifted months in one
    indexing call built a (D, stages·classes, T) index and was 6× slower at 10,000 draws.)

    Parameters
    ----------
    cum_starts : ndarray, shape (D or 1, T)
    class_shares : ndarray, shape (D or 1, C, 1)
    starts_from : tuple of ndarray of int, each shape (D or 1, C, 1)
    report_from : int

    Returns
    -------
    list of ndarray, each shape (D, T − report_from)
    """
    cum = as_rows(cum_starts)
    T = cum.shape[-1]
    w = np.asarray(class_shares, dtype=float)
    Tr = T - report_from
    frm = [np.asarray(f)[:, :, 0] for f in starts_from]  # (D or 1, C) each
    rows = max(cum.shape[0], w.shape[0], *(f.shape[0] for f in frm))
    if rows == 1:
        return _one_row_stocks(cum[0], w[0], frm, report_from)
    out: list[np.ndarray] = []
    for f in frm:
        stock = np.zeros((rows, Tr))
        for c in range(f.shape[1]):
            for sel, p in _groups(f[:, c]):
                p = min(max(p, 0), T)  # stage months are ≥ 0; past the axis, never
                k0 = max(p - report_from, 0)  # first output month reached
                if k0 >= Tr:
                    continue
                src = report_from + k0 - p
                if sel is None:
                    stock[:, k0:] += w[:, c] * cum[:, src : src + Tr - k0]
                else:
                    ws = w[sel, c] if w.shape[0] > 1 else w[:, c]
                    cs = cum[sel if cum.shape[0] > 1 else slice(None), src : src + Tr - k0]
                    stock[sel, k0:] += ws * cs
        out.append(stock)
    return out


def _one_row_stocks(
    cum: np.ndarray, w: np.ndarray, frm: list[np.ndarray], report_from: int
) -> list[np.ndarray]:
    """:func:`stage_stocks` of one row: every stage and class gathered at once.

    ``cum`` (T,), ``w`` (C, 1), ``frm`` each (1, C). The cumulative starts are read from
    behind ``T`` zeros, so a class not reached yet reads zeros, and the classes are added
    in their order, as in the grouped path (the same sums, bit for bit).
    """
    T = cum.shape[-1]
    Tr = T - report_from
    padded = np.zeros(2 * T)
    padded[T:] = cum
    first = [T + report_from - min(max(p, 0), T) for f in frm for p in f[0].tolist()]
    gathered = padded[np.array(first)[:, None] + lag_axis(Tr)]  # (stages · C, Tr)
    gathered = gathered.reshape(len(frm), -1, Tr)
    gathered *= w
    return list(np.add.reduce(gathered, axis=1)[:, None, :])


def _groups(months: np.ndarray) -> list[tuple[np.ndarray | None, int]]:
    """Draws grouped by a whole-month value: ``(rows or None for all, value)``."""
    if months.shape[0] == 1:
        return [(None, int(months[0]))]
    values = np.unique(months)
    if values.size == 1:
        return [(None, int(values[0]))]
    return [(np.flatnonzero(months == p), int(p)) for p in values]


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
    d = np.asarray(build_months, dtype=float)
    spending = np.diff(_smoothstep(np.maximum(np.arange(n + 1, dtype=float) / d, 0.0)), axis=-1)
    R = np.asarray(ramp_months, dtype=float)
    capacity = capacity_share(d, ramp_start_share, R, n)
    return {
        "spending": spending,
        "capacity": capacity,
        "producing_from": np.ceil(d - 0.5).astype(int),  # first j with since >= 0
        "full_from": np.ceil(d - 0.5 + R).astype(int),
    }


def capacity_share(
    build_months: np.ndarray,
    ramp_start_share: np.ndarray | float,
    ramp_months: np.ndarray | float,
    n: int,
) -> np.ndarray:
    """Share of design output produced in month ``j = 0..n-1`` after the start.

    Zero while building (``d`` months), then a linear ramp from ``ramp_start_share`` to 1
    over ``ramp_months``; month ``j`` is evaluated at its middle ``j + 0.5``. Capacity,
    once built, stays: the share never falls.

    Parameters
    ----------
    build_months : ndarray, shape (D or 1, C, 1)
    ramp_start_share, ramp_months : float or ndarray (D or 1, 1, 1)
    n : int

    Returns
    -------
    ndarray, shape (D or 1, C, n)
    """
    since = np.arange(n, dtype=float) + 0.5 - np.asarray(build_months, dtype=float)
    a = np.asarray(ramp_start_share, dtype=float)
    R = np.asarray(ramp_months, dtype=float)
    return np.where(since >= 0, np.minimum(1.0, a + (1.0 - a) * since / R), 0.0)


def capacity_kernel(
    build_months: np.ndarray,
    class_shares: np.ndarray | float,
    ramp_start_share: np.ndarray | float,
    ramp_months: np.ndarray | float,
    n: int,
) -> np.ndarray:
    """:func:`capacity_share` mixed over the size classes, per started yuan: (D or 1, n).

    ``Σ_c share_c · conv(starts, capacity_c) = conv(starts, Σ_c share_c · capacity_c)``.
    """
    cap = capacity_share(build_months, ramp_start_share, ramp_months, n)
    return np.add.reduce(cap * class_shares, axis=1)


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
    hs = as_rows(history_starts)
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
    s = as_rows(starts)
    T = s.shape[-1]
    n = fft_length(T)
    # Σ_c conv(share_c · starts, k_c) = conv(starts, Σ_c share_c · k_c): mix the class
    # kernels first, so that one transform per kernel serves every size class
    names = ("spending", "capacity") if with_output else ("spending",)
    mixed = [(class_shares * kernels[k][..., :T]).sum(axis=1) for k in names]
    spec = spectra([s, *mixed], n)
    conv = inverse_products([(spec[0], k) for k in spec[1:]], n, T)
    # stage stocks: a step kernel turns the convolution into a shifted running sum
    cum_s = np.cumsum(s, axis=-1)
    stages = {}
    for stage in ("producing", "full"):
        stock = stage_stock(cum_s, class_shares, kernels[f"{stage}_from"], report_from)
        total = np.zeros((stock.shape[0], T))
        total[:, report_from:] = stock
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
