"""Fixed-asset investment (MODEL.md §3.3): pipeline spending + 技改 + other.

Cities often publish only growth rates, so the base-year level is a parameter
(estimated, see ``params/CALIBRATION.md``); "other" investment (infrastructure, real
estate, public services) is the base-year residual and grows at its own rate.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from .timeaxis import growth_index


class InvestmentBaseError(InputError):
    """The base-year FAI level is too small for the modelled components."""


def base_residuals(
    fai_base_100m_cny: float,
    industrial_base_100m_cny: float,
    projects_base_100m_cny: np.ndarray,
    projects_industrial_base_100m_cny: np.ndarray,
    tech_base_100m_cny: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Base-year residual components (亿元, each (D, 1)).

    Other industrial = industrial FAI − industrial project spending − 技改; other
    (non-industrial) = FAI − industrial FAI − non-industrial project spending.

    Raises
    ------
    InvestmentBaseError
        If a residual is negative in any draw: the pipeline implies more base-year
        spending than the FAI levels allow.
    """
    other_ind = industrial_base_100m_cny - projects_industrial_base_100m_cny - tech_base_100m_cny
    other = (
        fai_base_100m_cny
        - industrial_base_100m_cny
        - (projects_base_100m_cny - projects_industrial_base_100m_cny)
    )
    if (np.asarray(other_ind) < 0).any():
        worst = float(np.max(projects_industrial_base_100m_cny))
        raise InvestmentBaseError(
            f"base_year.industrial_fai_100m_cny = {industrial_base_100m_cny:g} is below the "
            f"base-year industrial project spending (up to {worst:.1f}) plus 技改 "
            f"({tech_base_100m_cny:g}) implied by the pipeline: raise "
            "base_year.industrial_fai_100m_cny or lower pipeline.realised_share / "
            "pipeline.history_industrial_share"
        )
    if (np.asarray(other) < 0).any():
        worst = float(np.max(projects_base_100m_cny - projects_industrial_base_100m_cny))
        raise InvestmentBaseError(
            f"base_year.fai_100m_cny = {fai_base_100m_cny:g} is below industrial FAI "
            f"({industrial_base_100m_cny:g}) plus the non-industrial project spending (up to "
            f"{worst:.1f}) implied by the pipeline: raise base_year.fai_100m_cny or lower "
            "pipeline.realised_share"
        )
    return other_ind, other


def grow(
    base_100m_cny: np.ndarray,
    growth_rate: np.ndarray | float,
    weights_t: np.ndarray,
    t: np.ndarray,
) -> np.ndarray:
    """Monthly level: base × seasonal share (on ``t``) × growth index (亿元, (D, T))."""
    return base_100m_cny * weights_t * growth_index(growth_rate, t)
