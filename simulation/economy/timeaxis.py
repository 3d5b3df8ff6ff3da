"""Monthly time axis and seasonal profiles (pure functions, no I/O).

Month index ``t`` counts from the first plan month (``t = 0`` is January of the year after
the base year). Negative indices are history: ``t = -12 .. -1`` is the base year and
``t = -48 .. -13`` the three years before, used for the initial pipeline state.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

HISTORY_MONTHS = 48


def as_rows(x: np.ndarray | float) -> np.ndarray:
    """``x`` as rows (2-D): ``np.atleast_2d`` with a fast path for what already is 2-D.

    The core calls this ≈50 times a run; numpy's version costs ≈1.3 µs a call even when
    there is nothing to do.
    """
    if type(x) is np.ndarray:
        if x.ndim == 2:
            return x
        if x.ndim == 1:
            return x[None, :]  # as numpy's version does
    return np.atleast_2d(x)


@dataclass(frozen=True)
class _Facts:
    """What the functions below derive from a month axis, kept for the axes of
    :func:`month_axis` (read-only arrays)."""

    t: np.ndarray
    month: np.ndarray  # calendar month 0..11
    year: np.ndarray  # year index (base year = -1)
    steps: np.ndarray  # year + 1 (as floats): the exponent of a growth index
    years: np.ndarray  # the distinct values of ``steps``
    pos: np.ndarray  # ``steps`` as positions in ``years``


#: Facts of the axes :func:`month_axis` has made, by ``id``; each entry holds its axis,
#: so an ``id`` is never reused while its entry lives. One entry per axis ever asked for:
#: :func:`month_axis` keeps every axis (never makes one twice), and the schema allows ten
#: horizons.
_FACTS: dict[int, _Facts] = {}


def _facts(t: np.ndarray) -> _Facts | None:
    """The kept facts of ``t`` if it is an axis made by :func:`month_axis`."""
    f = _FACTS.get(id(t))
    return f if f is not None and f.t is t else None


def _read_only(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def as_number(x: np.ndarray | float) -> np.ndarray | float:
    """A float as it is; anything else as a float array.

    numpy's arithmetic on 0-d arrays costs ≈1 µs an operation and gives the same bits as
    Python's on floats, so a deterministic run keeps its parameters as floats.
    """
    return x if type(x) is float else np.asarray(x, dtype=float)


@cache
def month_axis(horizon_months: int, start: int = -HISTORY_MONTHS) -> np.ndarray:
    """Month indices from ``start`` to ``horizon_months - 1`` (shape ``(T,)``).

    The axis is made once per ``(horizon_months, start)`` and is read-only: what
    :func:`calendar_month`, :func:`year_index` and :func:`growth_index` derive from it is
    computed once too (the model asks for the same axes on every run).
    """
    t = _read_only(np.arange(start, horizon_months))
    year = _read_only(np.floor_divide(t, 12))
    steps = _read_only(year + 1.0)  # a float exponent: numpy casts an int one to it
    years, pos = np.unique(steps, return_inverse=True)
    _FACTS[id(t)] = _Facts(
        t, _read_only(np.mod(t, 12)), year, steps, _read_only(years), _read_only(pos)
    )
    return t


def calendar_month(t: np.ndarray) -> np.ndarray:
    """Calendar month 0..11 (January = 0) of month indices ``t`` (read-only for an axis
    of :func:`month_axis`)."""
    f = _facts(t)
    return f.month if f is not None else np.mod(t, 12)


def year_index(t: np.ndarray) -> np.ndarray:
    """Year of month ``t`` relative to the first plan year (base year = -1; read-only for
    an axis of :func:`month_axis`)."""
    f = _facts(t)
    return f.year if f is not None else np.floor_divide(t, 12)


def annual_sums(x: np.ndarray, years: int) -> np.ndarray:
    """Annual sums of a monthly (D, 12 · years) series of whole years → (D, years).

    ``np.add.reduce`` is ``ndarray.sum`` without its Python wrapper (the same reduction).
    """
    x = as_rows(x)
    return np.add.reduce(x.reshape(x.shape[0], years, 12), axis=-1)


def year_position(t: np.ndarray) -> np.ndarray:
    """Position of each month's year among the years of ``t`` (0 for the first year).

    ``annual[:, year_position(t)]`` lays annual values (first year first, shape
    ``(D, years)``) on the months, as ``np.repeat(annual, 12, axis=-1)`` does for an axis
    of whole years. Read-only for an axis of :func:`month_axis`.
    """
    f = _facts(t)
    return f.pos if f is not None else np.unique(np.floor_divide(t, 12), return_inverse=True)[1]


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
    f = _facts(t)
    y = f.steps if f is not None else year_index(t) + 1
    if type(rate) is float:  # the deterministic run: one power over the months
        return as_rows((1.0 + rate) ** y)
    r = np.asarray(rate, dtype=float)
    if r.ndim == 0:
        return as_rows((1.0 + r) ** y)
    # per draw: one power per year, then laid on the months (D × years, not D × T, powers)
    years, pos = (f.years, f.pos) if f is not None else np.unique(y, return_inverse=True)
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
    return raw / np.add.reduce(raw, axis=-1, keepdims=True)


def spread_over_months(weights: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Weights ``(D, 12)`` laid on month indices ``t`` → ``(D, T)``."""
    return weights.take(calendar_month(t), axis=1)  # as weights[:, months], faster


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
