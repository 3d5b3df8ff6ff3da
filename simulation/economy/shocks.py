"""Shocks (MODEL.md §3.6): a named loss of a sector's monthly level over a window.

A shock hits months ``start .. start + duration − 1`` (1 = first plan month) at full
depth, then recovers linearly over ``recovery_months``. Factors multiply the hit
sectors' monthly levels; several shocks multiply.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from .schema import SECTORS


def shock_profile(
    start_month: int, duration_months: int, recovery_months: int, t: np.ndarray
) -> np.ndarray:
    """Depth profile in [0, 1] over month indices ``t`` (shape ``(T,)``).

    The profile of a calendar window on given months is computed once and kept
    (read-only): the model asks for the same ones on every run.
    """
    t = np.asarray(t)
    return _kept_profile(
        int(start_month), int(duration_months), int(recovery_months), t.dtype.str, t.tobytes()
    )


@lru_cache(maxsize=64)
def _kept_profile(start: int, duration: int, recovery: int, dtype: str, months: bytes):
    out = _profile(start, duration, recovery, np.frombuffer(months, dtype=dtype))
    out.flags.writeable = False
    return out


def _profile(
    start_month: int, duration_months: int, recovery_months: int, t: np.ndarray
) -> np.ndarray:
    pos = t - (start_month - 1)
    full = (pos >= 0) & (pos < duration_months)
    rec_i = pos - duration_months
    rec = (rec_i >= 0) & (rec_i < recovery_months)
    return np.where(full, 1.0, np.where(rec, 1.0 - (rec_i + 1.0) / (recovery_months + 1.0), 0.0))


def sector_factors(
    shocks: Iterable[tuple[int, int, int, np.ndarray | float, Iterable[str]]],
    t: np.ndarray,
    n_draws: int,
) -> dict[str, np.ndarray]:
    """Multiplicative factor by sector for a set of enabled shocks.

    Parameters
    ----------
    shocks : iterable of (start_month, duration_months, recovery_months, depth, sectors)
        ``depth`` a fraction, float or ndarray (D, 1).
    t : ndarray, shape (T,)
    n_draws : int

    Returns
    -------
    dict sector → ndarray, shape (D, T), or the float 1.0 for a sector no shock hits
    (see :func:`apply`).
    """
    out: dict[str, np.ndarray | float] = dict.fromkeys(SECTORS, 1.0)
    shape = (n_draws, t.size)
    for start, dur, rec, depth, sectors in shocks:
        f = 1.0 - np.asarray(depth, dtype=float) * shock_profile(start, dur, rec, t)[None, :]
        for s in sectors:
            g = out[s] * f  # a fresh array
            out[s] = g if g.shape == shape else np.broadcast_to(g, shape).copy()
    return out


def apply(level: np.ndarray, factor: np.ndarray | float) -> np.ndarray:
    """``level × factor``; ``level`` itself where no shock hits (``factor`` the float 1.0:
    the product would equal it bit for bit, at the cost of a (D, T) array)."""
    return level if type(factor) is float and factor == 1.0 else level * factor
