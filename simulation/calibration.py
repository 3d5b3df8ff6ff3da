"""Calibration of base.yaml to Jingzhou's published figures (scipy fits, no file I/O).

Each function returns the value written into ``params/base.yaml``; ``tests/test_calibration``
re-runs them and checks that the file still holds their results, and
``python scripts/calibrate.py`` prints them. ``params/CALIBRATION.md`` explains each fit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize
from scipy.special import ndtr

from .timeaxis import seasonal_weights

#: Published or derived facts used by the fits (shared/data, MODEL.md).
JAN_AUG_2021_INDUSTRIAL_SHARE = 1500.0 / 2592.6  # MODEL.md §3.1: ≈1500 of ≈2590
H1_INVESTMENT_SHARE = 0.47  # MODEL.md §3.1: national half-year share
START_POINTS = ((7.0, 0.45), (18.0, 0.78))  # MODEL.md §3.2: share of signed value started
START_PLATEAU = 0.85  # MODEL.md §3.2: plateau 0.80-0.90
START_MEDIAN_PRIOR = 5.0  # MODEL.md §3.2: median ≈5 months
PIPELINE_SHARE_OF_FAI = 2.0 / 3.0  # MODEL.md §3.3: 招商 projects ≈ two thirds of FAI
INDUSTRIAL_SHARE_OF_FAI = 0.41  # MODEL.md §3.3


def fit_slope(target_share: float, months: int, dip: float) -> float:
    """Seasonal slope such that the first ``months`` months hold ``target_share``.

    Solved with :func:`scipy.optimize.brentq` on the profile of
    :func:`simulation.timeaxis.seasonal_weights`.
    """

    def gap(slope: float) -> float:
        return float(seasonal_weights(slope, dip)[0, :months].sum() - target_share)

    return float(optimize.brentq(gap, -0.99, 0.99, xtol=1e-12))


@dataclass(frozen=True)
class StartLagFit:
    """Fitted start share (plateau), median lag (months) and lognormal sigma."""

    start_share: float
    median_months: float
    sigma: float
    residuals: tuple[float, ...]


def fit_start_lag(
    points=START_POINTS,
    plateau=START_PLATEAU,
    median_prior=START_MEDIAN_PRIOR,
    prior_weight: float = 0.5,
) -> StartLagFit:
    """Least-squares fit of ``ρ · F(L)`` (lognormal) to cohort start shares.

    The published points (45% of signed value started by month 7, 78% by month 18) are
    not consistent with a median of 5 months among starters and a plateau of 0.85
    at the same time, so plateau and median enter as weighted priors.
    """

    def res(x: np.ndarray) -> np.ndarray:
        rho, log_med, log_sig = x
        sig = np.exp(log_sig)
        r = [rho * ndtr((np.log(L) - log_med) / sig) - share for L, share in points]
        r.append(prior_weight * (rho - plateau))
        r.append(prior_weight * 0.1 * (log_med - np.log(median_prior)))
        return np.array(r)

    sol = optimize.least_squares(
        res, x0=[plateau, np.log(median_prior), 0.0], bounds=([0.2, 0.0, -3.0], [1.0, 4.0, 1.5])
    )
    rho, log_med, log_sig = sol.x
    return StartLagFit(
        float(rho), float(np.exp(log_med)), float(np.exp(log_sig)), tuple(float(r) for r in sol.fun)
    )


def history_signings_2021(
    january: float = 569.35, h1: float = 1737.0, year: float = 3051.6
) -> list[float]:
    """Monthly 2021 signings (亿元) from the January ceremony, H1 and annual totals.

    February-June share the rest of H1 evenly, July-December the rest of the year.
    """
    return [january] + [(h1 - january) / 5.0] * 5 + [(year - h1) / 6.0] * 6


def fit_fai_base(pipeline_spending_base: float, industrial_share: float, tech_base: float) -> float:
    """Base-year FAI level (亿元) from two published ratios, by least squares.

    Model-implied base-year project spending should be ≈2/3 of FAI, and industrial
    investment (industrial project spending + 技改) ≈41% of FAI (MODEL.md §3.3).
    """

    def res(x: np.ndarray) -> np.ndarray:
        F = x[0]
        return np.array(
            [
                pipeline_spending_base / F - PIPELINE_SHARE_OF_FAI,
                (industrial_share * pipeline_spending_base + tech_base) / F
                - INDUSTRIAL_SHARE_OF_FAI,
            ]
        )

    sol = optimize.least_squares(res, x0=[pipeline_spending_base * 1.5], bounds=([1.0], [1e5]))
    return float(sol.x[0])


def implied_2021_industrial_deflator(
    output_2020: float = 2155.84, output_2021: float = 2592.6, va_real_growth: float = 0.13
) -> float:
    """Nominal output growth over real VA growth, 2021 (fraction): ≈ +6.4%."""
    return output_2021 / output_2020 / (1 + va_real_growth) - 1


#: Industrial FAI 2021 (亿元), ESTIMATED: 技改 2020 (96.4) was 28% of industrial investment
#: (2020), and industrial investment is assumed to have grown with total FAI in 2021 (+26.2%).
INDUSTRIAL_FAI_2021 = 96.4 / 0.28 * 1.262
#: Plan-year above-scale real growth the baseline is anchored to [judgement]: between the
#: national 2022 plan (5.5%) and Jingzhou's 2021 target (12%).
PLAN_REAL_GROWTH = 0.10


def _base_year_project_spending(params) -> tuple[float, float]:
    """Base-year project spending at the given realised share, and per unit of it."""
    from . import model

    big = params.model_copy(
        update={"base_year": params.base_year.model_copy(update={"fai_100m_cny": 1e4})}
    )
    out = model.run(big)
    spend = float(out["fai_projects_100m_cny"][0, out["t"] < 0].sum())
    return spend, spend / params.pipeline.realised_share


def fit_realised_share_and_fai(params) -> tuple[float, float]:
    """Least squares for ``pipeline.realised_share`` and ``base_year.fai_100m_cny``.

    Residuals (relative): industrial project spending + 技改 = industrial FAI 2021
    (:data:`INDUSTRIAL_FAI_2021`); industrial FAI / FAI = 0.41; project spending / FAI = 2/3.
    """
    _, per_unit = _base_year_project_spending(params)
    phi = params.pipeline.industrial_share
    tech = params.base_year.tech_investment_100m_cny

    def res(x: np.ndarray) -> np.ndarray:
        r, F = x
        proj = r * per_unit
        ind = phi * proj + tech
        return np.array(
            [
                (ind - INDUSTRIAL_FAI_2021) / INDUSTRIAL_FAI_2021,
                ind / F - INDUSTRIAL_SHARE_OF_FAI,
                proj / F - PIPELINE_SHARE_OF_FAI,
            ]
        )

    sol = optimize.least_squares(
        res, x0=[0.3, 1000.0], bounds=([0.05, 200.0], [1.0, 1e4]), x_scale=[0.1, 100.0]
    )
    return float(sol.x[0]), float(sol.x[1])


def plan_real_growth(params) -> float:
    """First plan year's above-scale real output growth over the base year (fraction)."""
    from . import model

    out = model.run(params)
    t, y = out["t"], out["gross_industrial_output_real_100m_cny"][0]
    return float(y[(t >= 0) & (t < 12)].sum() / y[t < 0].sum() - 1)


def fit_additional_share(params, target: float = PLAN_REAL_GROWTH) -> float:
    """``pipeline.additional_share`` such that plan-year real growth equals ``target``."""

    def gap(a: float) -> float:
        p = params.model_copy(
            update={"pipeline": params.pipeline.model_copy(update={"additional_share": a})}
        )
        return plan_real_growth(p) - target

    return float(optimize.brentq(gap, 0.0, 1.0, xtol=1e-6))
