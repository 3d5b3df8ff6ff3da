"""base.yaml holds the results of the fits, and the base year reproduces 2021."""

import numpy as np
import pytest

from simulation import calibration as cal
from simulation.timeaxis import seasonal_weights


def test_base_year_reproduces_2021_within_half_percent(baseline_result):
    by = baseline_result.to_dict(monthly=False)["base_year"]
    assert by["gdp_100m_cny"] == pytest.approx(2715.52, rel=0.005)
    assert by["gross_industrial_output_100m_cny"] == pytest.approx(2592.6, rel=0.005)
    assert by["va_primary_100m_cny"] == pytest.approx(521.4, rel=0.005)
    assert by["va_industry_100m_cny"] + by["va_construction_100m_cny"] == pytest.approx(
        934.1, rel=0.005
    )
    assert by["va_tertiary_100m_cny"] == pytest.approx(1260.0, rel=0.005)


def test_industrial_seasonality_matches_jan_aug_share(baseline):
    s = baseline.params.seasonality
    w = seasonal_weights(s.industry_slope, s.industry_spring_dip_share)[0]
    assert w[:8].sum() == pytest.approx(cal.JAN_AUG_2021_INDUSTRIAL_SHARE, abs=1e-3)
    assert s.industry_slope == pytest.approx(
        cal.fit_slope(cal.JAN_AUG_2021_INDUSTRIAL_SHARE, 8, s.industry_spring_dip_share), abs=1e-3
    )
    assert s.fai_slope == pytest.approx(
        cal.fit_slope(cal.H1_INVESTMENT_SHARE, 6, s.fai_spring_dip_share), abs=1e-3
    )


def test_start_lag_fit_in_base_yaml(baseline):
    fit = cal.fit_start_lag()
    p = baseline.params.pipeline
    assert p.start_share == pytest.approx(fit.start_share, abs=1e-3)
    assert p.start_lag_median_months == pytest.approx(fit.median_months, abs=0.05)
    assert p.start_lag_sigma == pytest.approx(fit.sigma, abs=1e-3)
    # the fit reproduces the published cohort shares within 2 points
    assert all(abs(r) < 0.02 for r in fit.residuals[:2])


def test_history_signings_2021_derived(baseline):
    assert np.allclose(
        baseline.params.pipeline.history_signed_100m_cny[36:],
        cal.history_signings_2021(),
        atol=0.01,
    )


def test_realised_share_and_fai_fit_in_base_yaml(baseline):
    r, F = cal.fit_realised_share_and_fai(baseline.params)
    assert baseline.params.pipeline.realised_share == pytest.approx(r, abs=0.001)
    assert baseline.params.base_year.fai_100m_cny == pytest.approx(F, rel=0.001)


def test_additional_share_fit_in_base_yaml(baseline):
    assert baseline.params.pipeline.additional_share == pytest.approx(
        cal.fit_additional_share(baseline.params), abs=0.001
    )
    assert cal.plan_real_growth(baseline.params) == pytest.approx(cal.PLAN_REAL_GROWTH, abs=5e-4)


def test_implied_deflator():
    assert cal.implied_2021_industrial_deflator() == pytest.approx(0.0642, abs=1e-3)
