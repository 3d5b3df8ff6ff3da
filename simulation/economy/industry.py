"""Existing above-scale industry (MODEL.md §3.1): organic growth, 技改, new firms.

Pure array functions. Shapes: ``D`` draws (1 for a deterministic run), ``T`` months.
Money in 亿元 at current prices unless a name says ``real``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .timeaxis import calendar_month, growth_index, spread_over_months, year_index


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


@dataclass(frozen=True)
class OutputEquation:
    """Coefficients of the estimated output equation (fractions; floats or (D, 1)).

    Real growth of above-scale output on a comparable basis in plan year ``k``::

        g_k = organic + elasticity · (gI_k − mean_growth)
              + lag_elasticity · (gI_{k−1} − mean_growth)
              + tech_yield · (λ ΔT_k + (1 − λ) ΔT_{k−1}) / Y_{k−1}
              + recovery · [k = 0] + shock

    ``gI`` is nominal industrial FAI growth, ``ΔT`` the real change of 技改 spending
    (亿元), ``λ = within_year``.
    """

    organic: Any
    elasticity: Any
    lag_elasticity: Any
    mean_growth: Any
    recovery: Any
    shock: Any
    tech_yield: Any
    within_year: Any


def comparable_output_real(
    eq: OutputEquation,
    base_output_100m_cny: float,
    investment_parts: dict[str, np.ndarray],
    base_investment_growth: float,
    base_tech_change_100m_cny: float,
    price_index: np.ndarray,
) -> dict[str, np.ndarray]:
    """Annual real output (comparable basis) year by year, decomposed by source.

    Parameters
    ----------
    eq : OutputEquation
    base_output_100m_cny : float
        Base-year output ``Y0`` (亿元).
    investment_parts : dict of ndarray, each (D or 1, 1 + K)
        Annual industrial FAI by component, base year first: ``tech`` (技改),
        ``projects_hist`` and ``projects_new`` (industrial project spending of cohorts
        signed before / from the plan year), ``other`` (the rest of industrial FAI).
    base_investment_growth : float
        Industrial FAI growth in the base year (fraction).
    base_tech_change_100m_cny : float
        技改 change in the base year (亿元).
    price_index : ndarray, (D or 1, 1 + K)
        Mean industrial price index of each year (base year = 1).

    Returns
    -------
    dict of ndarray
        ``growth`` (D, K): real growth per plan year; ``total`` and the parts
        ``existing``, ``tech``, ``projects_hist``, ``projects_new`` (D, 1 + K): real
        output over the base year (亿元 per year at base-year prices; zero in the base
        year), parts summing to ``total`` exactly. ``other`` investment and the organic
        terms count as ``existing``.
    """
    names = ("existing", "tech", "projects_hist", "projects_new")
    arrays = [np.atleast_2d(np.asarray(x, dtype=float)) for x in investment_parts.values()]
    arrays += [
        np.atleast_2d(np.asarray(getattr(eq, f), dtype=float).reshape(-1, 1))
        for f in (
            "organic",
            "elasticity",
            "lag_elasticity",
            "mean_growth",
            "recovery",
            "shock",
            "tech_yield",
            "within_year",
        )
    ]
    arrays.append(np.atleast_2d(price_index))
    D = max(a.shape[0] for a in arrays)
    K = next(iter(investment_parts.values())).shape[-1] - 1
    inv = {k: np.broadcast_to(np.atleast_2d(x), (D, K + 1)) for k, x in investment_parts.items()}
    total_inv = sum(inv.values())
    P = np.broadcast_to(np.atleast_2d(price_index), (D, K + 1))
    col = lambda x: np.broadcast_to(np.reshape(np.asarray(x, dtype=float), (-1, 1)), (D, 1))  # noqa: E731
    org, b0, b1, gbar = (
        col(eq.organic),
        col(eq.elasticity),
        col(eq.lag_elasticity),
        col(eq.mean_growth),
    )
    rec, eps, ty, lam = col(eq.recovery), col(eq.shock), col(eq.tech_yield), col(eq.within_year)
    Y0 = base_output_100m_cny
    parts = {n: np.zeros((D, K + 1)) for n in names}
    growth = np.zeros((D, K))
    level = np.full((D, 1), float(Y0))
    dT_prev = np.full((D, 1), float(base_tech_change_100m_cny))
    for k in range(K):
        j = k + 1
        prev = total_inv[:, j - 1 : j]
        g = {n: np.zeros((D, 1)) for n in names}
        g["existing"] = org + rec * (k == 0) + eps - (b0 + b1) * gbar  # both terms centred
        for name, part in (
            ("tech", "tech"),
            ("projects_hist", "projects_hist"),
            ("projects_new", "projects_new"),
            ("existing", "other"),
        ):
            g[name] = g[name] + b0 * (inv[part][:, j : j + 1] - inv[part][:, j - 1 : j]) / prev
            if k == 0:
                continue
            g[name] = (
                g[name]
                + b1
                * (inv[part][:, j - 1 : j] - inv[part][:, j - 2 : j - 1])
                / total_inv[:, j - 2 : j - 1]
            )
        if k == 0:
            g["existing"] = g["existing"] + b1 * base_investment_growth
        dT = (inv["tech"][:, j : j + 1] - inv["tech"][:, j - 1 : j]) / P[:, j : j + 1]
        g["tech"] = g["tech"] + ty * (lam * dT + (1 - lam) * dT_prev) / level
        dT_prev = dT
        g_total = sum(g.values())
        for n in names:
            parts[n][:, j : j + 1] = parts[n][:, j - 1 : j] * (1 + g_total) + Y0 * g[n]
        growth[:, k : k + 1] = g_total
        level = level * (1 + g_total)
    total = sum(parts.values())
    return {"growth": growth, "total": total, **parts}


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
