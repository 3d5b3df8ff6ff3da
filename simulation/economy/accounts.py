"""Production-side GDP (MODEL.md §3.4): primary + industry + construction + tertiary.

Base-year sector levels come from the published GDP and structure; plan-year levels move
with own growth and prices plus the modelled increments. GDP is the sum of the four parts
in every month and draw, nominal and real (base-year prices).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .timeaxis import as_number


@dataclass(frozen=True)
class BaseVA:
    """Base-year value added by sector, 亿元 (annual)."""

    primary: float
    industry: float
    construction: float
    tertiary: float

    @property
    def gdp(self) -> float:
        return self.primary + self.industry + self.construction + self.tertiary


def base_value_added(
    gdp: float, primary_share: float, secondary_share: float, construction_share_of_secondary: float
) -> BaseVA:
    """Split base-year GDP into sectors; the parts add up to ``gdp`` exactly.

    Tertiary is the residual so the identity holds to the last bit of rounding.
    """
    primary = gdp * primary_share
    secondary = gdp * secondary_share
    construction = secondary * construction_share_of_secondary
    industry = secondary - construction
    tertiary = gdp - primary - industry - construction
    return BaseVA(primary, industry, construction, tertiary)


def construction_va(
    base_construction: float,
    fai_weights_t: np.ndarray,
    fai: np.ndarray,
    fai_base_same_month: np.ndarray,
    va_rate: float | np.ndarray,
    ci_share: float | np.ndarray,
    local_share: float | np.ndarray,
) -> np.ndarray:
    """Construction VA: base-year level by month plus the VA of extra investment.

    ``base · w(m) + va_rate · ci_share · local_share · (FAI(t) − FAI(base, m))``
    (MODEL.md §3.3: ≈0.10-0.12 per yuan of extra FAI).

    Returns
    -------
    ndarray, shape (D, T), 亿元 per month
    """
    coef = as_number(va_rate) * as_number(ci_share) * as_number(local_share)
    return base_construction * fai_weights_t + coef * (fai - fai_base_same_month)


def spillover(
    elasticity: float | np.ndarray, base: BaseVA, increment_ind_con: np.ndarray
) -> np.ndarray:
    """Services VA induced by modelled industry and construction increments.

    An elasticity ``ε`` of services to industry-plus-construction VA: a 1% rise of the
    latter over its base adds ``ε``% of base services.
    """
    return (
        as_number(elasticity)
        * base.tertiary
        / (base.industry + base.construction)
        * increment_ind_con
    )
