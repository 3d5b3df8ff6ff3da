"""Fixed-asset investment (MODEL.md §3.3): pipeline spending + 技改 + other.

Only growth rates are published for Jingzhou, so the base-year level is a parameter
(estimated, see ``params/CALIBRATION.md``); "other" investment (infrastructure, real
estate, public services) is the base-year residual and grows at its own rate.
"""

from __future__ import annotations

import numpy as np

from .timeaxis import growth_index, spread_over_months


class InvestmentBaseError(ValueError):
    """The base-year FAI level is too small for the modelled components."""


def other_base_level(
    fai_base_100m_cny: float, pipeline_base_100m_cny: np.ndarray, tech_base_100m_cny: float
) -> np.ndarray:
    """Base-year other investment = FAI − pipeline spending − 技改 (亿元, shape (D, 1)).

    Raises
    ------
    InvestmentBaseError
        If the residual is negative in any draw.
    """
    other = fai_base_100m_cny - pipeline_base_100m_cny - tech_base_100m_cny
    if np.any(other < 0):
        worst = float(np.max(pipeline_base_100m_cny))
        raise InvestmentBaseError(
            f"base_year.fai_100m_cny = {fai_base_100m_cny:g} is below the base-year project "
            f"spending (up to {worst:.1f}) plus 技改 ({tech_base_100m_cny:g}) implied by the "
            "pipeline parameters: raise base_year.fai_100m_cny or lower "
            "pipeline.history_signed_100m_cny / pipeline.realised_share"
        )
    return other


def other_investment(
    other_base_100m_cny: np.ndarray,
    growth_rate: np.ndarray | float,
    weights: np.ndarray,
    t: np.ndarray,
) -> np.ndarray:
    """Monthly other investment, base level × seasonal share × growth (亿元, (D, T))."""
    return other_base_100m_cny * spread_over_months(weights, t) * growth_index(growth_rate, t)
