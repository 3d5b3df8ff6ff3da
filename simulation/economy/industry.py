"""Existing above-scale industry (MODEL.md §3.1): organic growth, 技改, new firms.

Pure array functions. Shapes: ``D`` draws (1 for a deterministic run), ``T`` months.
Money in 亿元 at current prices unless a name says ``real``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .timeaxis import (
    as_number,
    as_rows,
    calendar_month,
    growth_index,
    spread_over_months,
    year_index,
)


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
    return as_rows(annual) * spread_over_months(fai_weights, t)


@dataclass(frozen=True)
class OutputEquation:
    """Coefficients of the estimated output equation (fractions; floats or (D, 1)).

    Real growth, on a comparable basis, of the output that is not the projects' new
    capacity (the firms of the base year and their ordinary investment) in plan year
    ``k``::

        g_k = organic + elasticity · (gN_k − mean_growth)
              + lag_elasticity · (gN_{k−1} − mean_growth)
              + tech_yield · (λ ΔT_k + (1 − λ) ΔT_{k−1}) / Y_{k−1}
              + recovery · [k = 0] + shock

    ``gN`` is the nominal growth of industrial FAI outside the 招商 projects (技改 and
    other industrial investment), ``ΔT`` the real change of 技改 spending (亿元), ``λ =
    within_year``. The projects add their built capacity on top
    (:func:`comparable_output_real`): growth from investment in projects comes from what
    they build, not from the growth of their spending.
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
    capacity: dict[str, np.ndarray],
    base_investment_growth: float,
    base_tech_change_100m_cny: float,
    price_index: np.ndarray,
) -> dict[str, np.ndarray]:
    """Annual real output (comparable basis) year by year, decomposed by source.

    Output of year ``k`` = ``N_k + (C_k − C_0)``: ``N`` grows by the output equation
    from ``N_0 = Y0``; ``C`` is the design output of the industrial projects built
    (hist: cohorts signed before the plan year, new: from it), whose base-year part is in
    ``Y0`` already. Capacity never falls, so a project completing never lowers output.

    Parameters
    ----------
    eq : OutputEquation
    base_output_100m_cny : float or ndarray (D, 1)
        Base-year output ``Y0`` (亿元; drawn where the pack had no figure).
    investment_parts : dict of ndarray, each (D or 1, 1 + K)
        Annual industrial FAI outside the projects, base year first: ``tech`` (技改) and
        ``other`` (the rest of industrial FAI outside the projects).
    capacity : dict of ndarray, each (D or 1, 1 + K)
        Annual design output of the built projects at base-year prices (亿元 per year),
        base year first: ``hist`` and ``new``.
    base_investment_growth : float
        Industrial FAI growth in the base year (fraction).
    base_tech_change_100m_cny : float
        技改 change in the base year (亿元).
    price_index : ndarray, (D or 1, 1 + K)
        Mean industrial price index of each year (base year = 1).

    Returns
    -------
    dict of ndarray
        ``growth`` (D, K): real growth of the total per plan year; ``total`` and the
        parts ``existing``, ``tech``, ``projects_hist``, ``projects_new`` (D, 1 + K): real
        output over the base year (亿元 per year at base-year prices; zero in the base
        year), parts summing to ``total`` exactly. ``other`` investment and the organic
        terms count as ``existing``. ``parts`` (4, D, 1 + K): the four parts in that
        order, as one array (the others are views of it).
    """
    coef = (
        eq.organic,
        eq.elasticity,
        eq.lag_elasticity,
        eq.mean_growth,
        eq.recovery,
        eq.shock,
        eq.tech_yield,
        eq.within_year,
    )
    rows = [1]  # rows of the drawn coefficients (plain floats in a deterministic run)
    if not all(type(x) is float for x in coef):
        coef = tuple(
            x if isinstance(x, float) else np.reshape(np.asarray(x, dtype=float), (-1, 1))
            for x in coef
        )
        rows += [np.shape(x)[0] for x in coef if not isinstance(x, float)]
    org, b0, b1, gbar, rec, eps, ty, lam = coef
    other, tech = as_rows(investment_parts["other"]), as_rows(investment_parts["tech"])
    c_hist, c_new = as_rows(capacity["hist"]), as_rows(capacity["new"])
    P = as_rows(price_index)
    Y0 = as_number(base_output_100m_cny)
    if not isinstance(Y0, float):
        Y0 = np.reshape(Y0, (-1, 1))
        rows.append(Y0.shape[0])
    D = max(other.shape[0], tech.shape[0], c_hist.shape[0], c_new.shape[0], P.shape[0], *rows)
    K = other.shape[-1] - 1
    non_project = other + tech
    # investment terms of both parts and years at once: b0 · ΔI_k / N_{k−1} and the lag
    # b1 · ΔI_{k−1} / N_{k−2} (from the second plan year); columns are plan years
    rel = np.stack([other[:, 1:] - other[:, :-1], tech[:, 1:] - tech[:, :-1]])
    rel = rel / non_project[:, :-1]  # (2, ·, K)
    G = np.zeros((2, D, K))
    G += b0 * rel
    if K > 1:
        G[..., 1:] += b1 * rel[..., :-1]
    G[0] += org + eps - (b0 + b1) * gbar  # both terms centred; "existing" takes them
    G[0, :, :1] += rec + b1 * base_investment_growth
    dT = (tech[:, 1:] - tech[:, :-1]) / P[:, 1:]  # real 技改 change, (·, K)
    dT_prev = float(base_tech_change_100m_cny)
    parts = np.zeros((4, D, K + 1))
    parts[2] = c_hist - c_hist[:, :1]
    parts[3] = c_new - c_new[:, :1]
    growth = np.zeros((D, K))
    level: float | np.ndarray = Y0  # output of the year before (D or 1, 1) from year 2
    for k in range(K):
        dT_k = dT[:, k : k + 1]
        G[1, :, k : k + 1] += ty * (lam * dT_k + (1 - lam) * dT_prev) / level
        dT_prev = dT_k
        g_np = G[0, :, k : k + 1] + G[1, :, k : k + 1]
        parts[:2, :, k + 1 : k + 2] = parts[:2, :, k : k + 1] * (1 + g_np) + Y0 * G[:, :, k : k + 1]
        new_level = Y0 + np.add.reduce(parts[:, :, k + 1 : k + 2], axis=0)
        growth[:, k : k + 1] = new_level / level - 1
        level = new_level
    return {
        "growth": growth,
        "total": np.add.reduce(parts, axis=0),
        "parts": parts,
        "existing": parts[0],
        "tech": parts[1],
        "projects_hist": parts[2],
        "projects_new": parts[3],
    }


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
    j = as_number(january_share)
    entering_share = np.where(m == 0, j, (1.0 - j) / 11.0)
    entrants = np.where(year_index(t) >= 0, as_number(firms_per_year) * entering_share, 0.0)
    firms_in = as_rows(entrants).cumsum(axis=-1)
    monthly = as_number(output_per_firm_100m_cny) * spread_over_months(weights, t)
    return firms_in * monthly * price_index


def exit_output(
    existing: np.ndarray, exit_share_rate: np.ndarray | float, t: np.ndarray
) -> np.ndarray:
    """Output of the base year's firms that have left the above-scale register (fallen
    below the 2000万 threshold or closed): it leaves the published level, not production.

    A share ``x`` of the existing firms' output leaves each year with the January update of
    the register, so in plan year ``k`` (0 = first) the share ``1 − (1 − x)^(k+1)`` has left;
    none in the base year. The comparable-basis growth rate is on the firms in the register
    in both years, so exits change the level only.

    Parameters
    ----------
    existing : ndarray, shape (D or 1, T)
        The existing firms' output, 亿元 per month at current prices.
    exit_share_rate : float or ndarray, shape (D, 1)
        ``x``, share of the register's output leaving per year.
    t : ndarray, shape (T,)

    Returns
    -------
    ndarray, shape (D or 1, T), 亿元 per month at current prices (≥ 0: subtracted from the
    level by the caller)
    """
    k = year_index(t)
    x = as_number(exit_share_rate)
    left = np.where(k >= 0, 1.0 - (1.0 - x) ** (np.maximum(k, 0) + 1), 0.0)
    return existing * left
