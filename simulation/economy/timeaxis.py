"""Monthly time axis and seasonal profiles (pure functions, no I/O).

Month index ``t`` counts from the first plan month (``t = 0`` is January of the year after
the base year). Negative indices are history: ``t = -12 .. -1`` is the base year and
``t = -48 .. -13`` the three years before, used for the initial pipeline state.
"""

from __future__ import annotations

import numpy as np

HISTORY_MONTHS = 48


def as_rows(x: np.ndarray | float) -> np.ndarray:
    """``x`` as rows (2-D): ``np.atleast_2d`` with a fast path for what already is 2-D.

    The core calls this ≈50 times a run; numpy's version costs ≈1.3 µs a call even when
    there is nothing to do.
    """
    if type(x) is np.ndarray and x.ndim == 2:
        return x
    return np.atleast_2d(x)


def month_axis(horizon_months: int, start: int = -HISTORY_MONTHS) -> np.ndarray:
    """Month indices from ``start`` to ``horizon_months - 1`` (shape ``(T,)``)."""
    return np.arange(start, horizon_months)


def calendar_month(t: np.ndarray) -> np.ndarray:
    """Calendar month 0..11 (January = 0) of month indices ``t``."""
    return np.mod(t, 12)


def year_index(t: np.ndarray) -> np.ndarray:
    """Year of month ``t`` relative to the first plan year (base year = -1)."""
    return np.floor_divide(t, 12)


def growth_index(rate: np.ndarray | float, t: np.ndarray) -> np.ndarray:
    """Annual step index ``(1 + rate) ** (year + 1)``: 1 in the base year.

    Parameters
    ----------
    rate : float or ndarray, shape (D, 1)
        Annual rate (fraction).
    t : ndarray, shape (T,)
        Month indices.

    Returns
    -------
    ndarray, shape (D, T) or (1, T)
    """
    y = year_index(t) + 1
    if type(rate) is float:  # the deterministic run: one power over the months
        return as_rows((1.0 + rate) ** y)
    r = np.asarray(rate, dtype=float)
    if r.ndim == 0:
        return as_rows((1.0 + r) ** y)
    # per draw: one power per year, then laid on the months (D × years, not D × T, powers)
    years, pos = np.unique(y, return_inverse=True)
    return as_rows((1.0 + r) ** years)[:, pos]


#: Months from mid-year (m − 5.5, exact) and the Spring Festival months (Jan, Feb).
_FROM_MID = np.arange(12) - 5.5
_SPRING = np.arange(12) < 2
_MONTHS = tuple(zip(_FROM_MID.tolist(), _SPRING.astype(float).tolist(), strict=True))


def seasonal_weights(slope: np.ndarray | float, dip: np.ndarray | float) -> np.ndarray:
    """Monthly shares of an annual total, summing to 1.

    ``w_m ∝ (1 + slope · (m − 5.5) / 5.5) · (1 − dip · [m ∈ {Jan, Feb}])``: a linear
    within-year trend (back-loading for ``slope > 0``) and a Spring Festival dip.

    Parameters
    ----------
    slope, dip : float or ndarray, shape (D, 1)

    Returns
    -------
    ndarray, shape (D, 12) or (1, 12)
    """
    if type(slope) is float and type(dip) is float:  # 12 numbers: Python's floats are
        # the same IEEE operations in the same order, without numpy's per-call cost
        raw = np.array(
            [[(1.0 + slope * m / 5.5) * (1.0 - dip * s) for m, s in _MONTHS]], dtype=float
        )
    else:
        raw = as_rows(
            (1.0 + np.asarray(slope, dtype=float) * _FROM_MID / 5.5)
            * (1.0 - np.asarray(dip, dtype=float) * _SPRING)
        )
    return raw / raw.sum(axis=-1, keepdims=True)


def spread_over_months(weights: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Weights ``(D, 12)`` laid on month indices ``t`` → ``(D, T)``."""
    return weights[:, calendar_month(t)]


def lag_fractional(series: np.ndarray, lag: np.ndarray | float) -> np.ndarray:
    """Shift a series right by a (possibly fractional, per-draw) lag, zero-filled.

    Linear interpolation between the two neighbouring whole-month shifts.

    Parameters
    ----------
    series : ndarray, shape (D, T)
    lag : float or ndarray, shape (D, 1), months ≥ 0

    Returns
    -------
    ndarray, shape (D, T)
    """
    series = as_rows(series)
    D, T = series.shape
    lag = np.broadcast_to(np.asarray(lag, dtype=float).reshape(-1, 1), (D, 1))
    lo = np.floor(lag).astype(int)
    frac = lag - lo
    padded = np.concatenate([np.zeros((D, T + 1)), series], axis=1)
    idx = np.arange(T)[None, :] + (T + 1)
    a = np.take_along_axis(padded, np.clip(idx - lo, 0, 2 * T), axis=1)
    b = np.take_along_axis(padded, np.clip(idx - lo - 1, 0, 2 * T), axis=1)
    return (1.0 - frac) * a + frac * b
