"""Shocks (MODEL.md §3.6): a named loss of a sector's monthly level over a window.

A shock hits months ``start .. start + duration − 1`` (1 = first plan month) at full
depth, then recovers linearly over ``recovery_months``. Factors multiply the hit
sectors' monthly levels; several shocks multiply.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .schema import SECTORS


def shock_profile(
    start_month: int, duration_months: int, recovery_months: int, t: np.ndarray
) -> np.ndarray:
    """Depth profile in [0, 1] over month indices ``t`` (shape ``(T,)``)."""
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
    dict sector → ndarray, shape (D, T); 1 where nothing hits.
    """
    out = {s: np.ones((n_draws, t.size)) for s in SECTORS}
    for start, dur, rec, depth, sectors in shocks:
        f = 1.0 - np.asarray(depth, dtype=float) * shock_profile(start, dur, rec, t)
        for s in sectors:
            out[s] = out[s] * f
    return out
