"""Drivers (MODEL.md §3.9): the figures planners set and statistics bureaus publish.

A driver left unset (``None``) is computed by the model; a driver set is honoured
exactly: the component named to absorb the difference takes whatever the other parts
leave. Pure array functions on the plan axis (annual sums, base year first).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .timeaxis import annual_sums, as_rows


def _annual(x: np.ndarray, years: int) -> np.ndarray:
    """Annual sums of a (D, T) series on the plan axis: base year first, then ``years``."""
    return annual_sums(x, years + 1)


def absorb(
    absorber: np.ndarray,
    target_level: np.ndarray,
    parts: tuple[np.ndarray, ...],
    weights_t: np.ndarray,
    ax: Any,
) -> np.ndarray:
    """The absorbing component such that the annual sum of ``parts`` equals the target.

    Parameters
    ----------
    absorber : ndarray, shape (D, T)
        The component that takes the difference (one of ``parts``).
    target_level : ndarray, shape (D or 1, T)
        The target annual level, repeated over the months of each year.
    parts : tuple of ndarray, each (D, T)
        Every component of the aggregate, the absorber included.
    weights_t : ndarray, shape (D or 1, T)
        Seasonal shares laid on the months (each year sums to 1).
    ax : model axis (``years``, ``t``)

    Returns
    -------
    ndarray, shape (D, T), 亿元 per month
        Base year unchanged; each plan year's months at ``annual × weight``, so the
        aggregate's annual sum equals the target to rounding.
    """
    K = ax.years
    others = sum(_annual(p, K) for p in parts) - _annual(absorber, K)
    target = as_rows(target_level)[:, ::12]
    annual = target - others
    out = np.repeat(annual, 12, axis=-1) * weights_t
    out = np.broadcast_to(out, np.broadcast_shapes(out.shape, absorber.shape)).copy()
    out[:, :12] = absorber[:, :12]
    return out


def _growth(annual: np.ndarray) -> np.ndarray:
    return annual[:, 1:] / annual[:, :-1] - 1.0


def in_force(
    ax: Any,
    fai: np.ndarray,
    industrial: np.ndarray,
    tech: np.ndarray,
    signed: np.ndarray | float,
    firms: np.ndarray | float,
    industrial_prices: np.ndarray | float,
    consumer_prices: np.ndarray | float,
) -> dict[str, np.ndarray]:
    """Every driver's value in force, set or computed, shape (D, years) each.

    Rates are fractions per year; ``signed_100m_cny`` in 亿元 per year;
    ``new_above_scale_firms`` in firms per year.
    """
    D, K = ax.D, ax.years

    def per_year(x: np.ndarray | float) -> np.ndarray:
        if type(x) is float:
            out = np.empty((D, K))
            out.fill(x)
            return out
        return np.broadcast_to(np.reshape(np.asarray(x, dtype=float), (-1, 1)), (D, K)).copy()

    def rates(annual: np.ndarray) -> np.ndarray:
        g = _growth(annual)  # a fresh array
        return g if g.shape == (D, K) else np.broadcast_to(g, (D, K)).copy()

    return {
        "fai_growth_rate": rates(fai),
        "industrial_fai_growth_rate": rates(industrial),
        "tech_fai_growth_rate": rates(tech),
        "signed_100m_cny": per_year(signed),
        "new_above_scale_firms": per_year(firms),
        "industrial_price_change_rate": per_year(industrial_prices),
        "consumer_price_change_rate": per_year(consumer_prices),
    }
