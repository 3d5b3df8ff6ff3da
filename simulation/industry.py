"""Existing above-scale industry (MODEL.md §3.1): organic growth, 技改, new firms.

Pure array functions. Shapes: ``D`` draws (1 for a deterministic run), ``T`` months.
Money in 亿元 at current prices unless a name says ``real``.
"""

from __future__ import annotations

import numpy as np

from .timeaxis import calendar_month, growth_index, lag_fractional, spread_over_months, year_index


def existing_output(
    base_output_100m_cny: float,
    weights: np.ndarray,
    real_growth_rate: np.ndarray | float,
    price_change_rate: np.ndarray | float,
    t: np.ndarray,
) -> np.ndarray:
    """Monthly output of firms already producing in the base year.

    ``Y0 · w(m) · ((1 + g)(1 + p)) ** (year + 1)``: the base year sums to ``Y0`` exactly.

    Parameters
    ----------
    base_output_100m_cny : float
        Base-year annual above-scale output ``Y0`` (亿元).
    weights : ndarray, shape (D, 12)
        Seasonal shares summing to 1.
    real_growth_rate, price_change_rate : float or ndarray (D, 1)
        Annual organic real growth and price change (fractions).
    t : ndarray, shape (T,)

    Returns
    -------
    ndarray, shape (D, T), 亿元 per month
    """
    g = (1.0 + np.asarray(real_growth_rate)) * (1.0 + np.asarray(price_change_rate)) - 1.0
    return base_output_100m_cny * spread_over_months(weights, t) * growth_index(g, t)


def tech_spending(
    base_100m_cny: float,
    prev_100m_cny: float,
    growth_rate: np.ndarray | float,
    fai_weights: np.ndarray,
    t: np.ndarray,
) -> np.ndarray:
    """Monthly 技改 investment: history (two base years) then growth each plan year.

    Returns
    -------
    ndarray, shape (D, T), 亿元 per month
    """
    k = year_index(t)
    annual = np.where(k <= -2, prev_100m_cny, base_100m_cny * growth_index(growth_rate, t))
    return np.atleast_2d(annual) * spread_over_months(fai_weights, t)


def tech_extra_output_real(
    spending_100m_cny: np.ndarray,
    yield_per_year: np.ndarray | float,
    lag_months: np.ndarray | float,
) -> np.ndarray:
    """Extra monthly output (base-year prices) from cumulative 技改 spending after a lag.

    Each yuan spent in month ``s`` adds ``yield / 12`` of monthly output from month
    ``s + lag`` on (fractional lags interpolate).

    Returns
    -------
    ndarray, shape (D, T), 亿元 per month at base-year prices
    """
    cum = np.cumsum(spending_100m_cny, axis=-1)
    return np.asarray(yield_per_year) / 12.0 * lag_fractional(cum, lag_months)


def increment_over_base_year(series: np.ndarray, t: np.ndarray) -> np.ndarray:
    """``x(t) − x(base-year month of the same calendar month)``; zero in the base year.

    ``t`` must contain the base year (-12..-1).
    """
    base_pos = np.searchsorted(t, -12) + calendar_month(t)
    out = series - series[..., base_pos]
    return np.where(year_index(t) >= -1, out, 0.0)


def new_firm_output(
    firms_per_year: np.ndarray | float,
    output_per_firm_100m_cny: np.ndarray | float,
    january_share: np.ndarray | float,
    weights: np.ndarray,
    price_index: np.ndarray,
    t: np.ndarray,
) -> np.ndarray:
    """Output of firms entering the above-scale register in the plan years (小进规).

    A share of each year's entrants joins in January, the rest evenly from February to
    December; once in, a firm produces ``output_per_firm · w(m)`` a month (at base-year
    prices, scaled by the industrial price index).

    Returns
    -------
    ndarray, shape (D, T), 亿元 per month at current prices
    """
    m = calendar_month(t)
    j = np.asarray(january_share, dtype=float)
    entering_share = np.where(m == 0, j, (1.0 - j) / 11.0)
    entrants = np.where(year_index(t) >= 0, np.asarray(firms_per_year) * entering_share, 0.0)
    firms_in = np.cumsum(np.atleast_2d(entrants), axis=-1)
    monthly = np.asarray(output_per_firm_100m_cny) * spread_over_months(weights, t)
    return firms_in * monthly * price_index
