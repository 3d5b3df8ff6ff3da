"""Coverage as a published figure and the output equation's measured spread (issue 21):
the three back-tests write the JSON key ``coverage`` from their own rows; the pandemic
year and its rebound are coded apart and a city's own effect comes from its normal years;
a band's spread is measured on earlier forecasts' errors only."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from helpers import ROOT, cli

from simulation.analyses import calibration as cal
from simulation.analyses.coverage import coverage
from simulation.analyses.output_equation import (
    fit_output_equation,
    output_sample,
    proxy_error,
    rolling_origin,
    spread_factor,
)
from simulation.analyses.priors import REBOUND_SHARE_PRIOR, SPREAD_PRIOR_DOF
from simulation.io import datapack as dp

PACK = ROOT / "data" / "packs" / "jingzhou_2021.csv"


@pytest.fixture(scope="module")
def pack() -> pd.DataFrame:
    return dp.read_pack(PACK)


# --- the coverage figure ---------------------------------------------------------------------
def test_coverage_counts_shares_and_widths_by_quantity():
    rows = pd.DataFrame(
        {
            "quantity": ["GDP", "GDP", "growth", "growth", "growth"],
            "actual": [100.0, 200.0, 5.0, 7.0, 9.0],
            "p5": [90.0, 210.0, 4.0, 4.0, 4.0],
            "p95": [110.0, 230.0, 8.0, 8.0, 8.0],
            "inside": [True, False, True, True, None],  # the last was not compared
            "growth": [False, False, True, True, True],
            "error": [1.0, -3.0, 0.5, -0.5, 0.0],
        }
    )
    c = coverage(rows)
    assert (c["inside"], c["total"], c["share"]) == (3, 4, 0.75)
    # levels: 20% and 10% of the actual; growth: 4 and 4 points
    assert c["mean_band_width_pct"] == pytest.approx((20 + 10 + 4 + 4) / 4)
    assert c["per_quantity"]["GDP"] == {
        "inside": 1,
        "total": 2,
        "share": 0.5,
        "mean_band_width": 20.0,
        "mean_abs_error": 2.0,
    }
    assert c["per_quantity"]["growth"]["total"] == 2
    assert coverage(rows.iloc[:0])["share"] is None


@pytest.mark.slow  # 10 s: three back-tests through the CLI
def test_backtest_writes_the_coverage_of_its_own_rows_for_all_three_evaluations():
    r = cli(
        "backtest",
        "--pack",
        str(PACK),
        "--city",
        "jingzhou",
        "--equation",
        "--draws",
        "300",
        "--format",
        "json",
    )
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    rows = [row for y in d["years"] for row in y["rows"]]
    c = d["coverage"]
    assert c["total"] == len(rows) and c["inside"] == sum(row["inside"] for row in rows)
    assert c["share"] == pytest.approx(c["inside"] / c["total"], abs=1e-4)
    assert sum(q["total"] for q in c["per_quantity"].values()) == c["total"]
    eq = d["equation_coverage"]
    assert eq["total"] == len(d["equation"]) >= 20
    assert eq["inside"] == sum(row["inside"] for row in d["equation"])
    n = cli("backtest", "--pack", str(PACK), "--city", "jingzhou", "--nowcast", "--format", "json")
    assert n.returncode == 0, n.stderr
    nd = json.loads(n.stdout)
    assert nd["coverage"]["total"] == len(nd["rows"]) > 0
    assert nd["coverage"]["inside"] == sum(row["inside"] for row in nd["rows"])
    text = cli("backtest", "--pack", str(PACK), "--city", "jingzhou", "--year", "2021")
    assert "Whole model, jingzhou: " in text.stdout and "nominal 90%" in text.stdout


def test_the_calibration_report_publishes_the_coverage_table():
    report = (ROOT / "params" / "CALIBRATION.md").read_text(encoding="utf-8")
    assert "### Coverage: how often the truth fell inside p5–p95" in report
    for what in ("the whole model", "the output equation", "the nowcast"):
        assert f"| {what}" in report


# --- pandemic coding and the city's own effect -------------------------------------------
def test_a_citys_pandemic_years_are_not_its_own_effect(pack):
    s = output_sample(pack, "jingzhou", 2021)
    jz = s[s["city"] == "jingzhou"].set_index("year")
    assert jz.loc[2020, "pandemic"] == 1 and jz.loc[2021, "after"] == 1
    assert jz.loc[2020, "own"] == 0 and jz.loc[2021, "own"] == 0 and jz.loc[2019, "own"] == 1

    # a dip 20 points deeper in the city's own pandemic year barely moves its own effect
    # (only through the wider residual sd); with `own` on every year it moves 2.6 points
    def shift(sample: pd.DataFrame) -> float:
        deeper = sample.copy()
        deeper.loc[(deeper["city"] == "jingzhou") & (deeper["year"] == 2020), "growth"] -= 0.20
        before = fit_output_equation(sample, 2022).post.of("city")[0]
        return abs(fit_output_equation(deeper, 2022).post.of("city")[0] - before)

    every_year = s.assign(own=(s["city"] == "jingzhou").astype(float))
    assert shift(s) < 0.005 and shift(every_year) > 0.02


def test_the_rebound_is_a_stated_share_of_the_dip_until_a_year_after_is_observed(pack):
    s20 = output_sample(pack, "jingzhou", 2020)
    fit = fit_output_equation(s20, 2021)
    assert not fit.after_observed
    m, sd, how = fit.rebound()
    g, sg = fit.post.of("pandemic")
    assert m == pytest.approx(-REBOUND_SHARE_PRIOR[0] * g)  # half the dip, not all of it
    assert sd > REBOUND_SHARE_PRIOR[1] * abs(g) and "judgement" in how
    fit21 = fit_output_equation(output_sample(pack, "jingzhou", 2021), 2022)
    assert fit21.after_observed and fit21.rebound()[0] == pytest.approx(fit21.post.of("after")[0])


@pytest.mark.slow  # 3 s: calibrate run
def test_a_pandemic_base_year_recovers_by_the_estimated_rebound(pack):
    c = cal.calibrate(dp.up_to(pack, 2020), "jingzhou", 2020)
    sd = proxy_error(pack, 2020).sd  # the proxy's error, as the calibration measures it
    fit = fit_output_equation(output_sample(pack, "jingzhou", 2020), 2021, sd)
    assert c.values["industry.recovery_rate"].value == pytest.approx(fit.rebound()[0])
    assert c.distributions["industry.recovery_rate"]["sd"] == pytest.approx(
        fit.rebound()[1], abs=1e-6
    )


# --- the measured spread ---------------------------------------------------------------------
def test_the_spread_factor_is_one_without_errors_and_follows_them_with_many():
    empty = pd.DataFrame(columns=["year", "error", "sd", "normal"])
    assert spread_factor(empty)[0] == 1.0
    n = 400
    errors = pd.DataFrame(
        {"year": 2018, "error": np.full(n, 2.0), "sd": np.ones(n), "normal": True}
    )
    k, how = spread_factor(errors)
    assert k == pytest.approx(np.sqrt((SPREAD_PRIOR_DOF + 4 * n) / (SPREAD_PRIOR_DOF + n)))
    # pandemic-year errors are events, not residuals: they do not widen the band
    shock = errors.assign(error=50.0, normal=False)
    assert spread_factor(pd.concat([errors, shock]))[0] == pytest.approx(k)


def test_a_rolling_forecast_never_uses_its_own_year(pack):
    known = dp.up_to(pack, 2021)
    e = rolling_origin(known, "jingzhou")
    row = e[(e["city"] == "huangshi") & (e["year"] == 2018)].iloc[0]
    bumped = known.copy()
    hit = (
        (bumped["city"] == "huangshi")
        & (bumped["period"] == "2018")
        & (bumped["indicator"] == "va_industry_above_scale_real_growth_pct")
    )
    assert hit.sum() == 1
    bumped.loc[hit, "value"] += 10.0
    again = rolling_origin(bumped, "jingzhou")
    same = again[(again["city"] == "huangshi") & (again["year"] == 2018)].iloc[0]
    assert (same["forecast"], same["p5"], same["p95"]) == (row["forecast"], row["p5"], row["p95"])
    assert same["actual"] == pytest.approx(row["actual"] + 10.0)
    # later years see the changed error: their spread moves
    later = again[again["year"] == 2019]["spread"].iloc[0]
    assert later != e[e["year"] == 2019]["spread"].iloc[0]


@pytest.mark.slow  # 12 s: four whole-model back-tests through the CLI
def test_backtest_all_cities_covers_every_city_year_the_pack_allows():
    jm = ROOT / "data" / "packs" / "jingmen_2021.csv"
    r = cli("backtest", "--pack", str(jm), "--all-cities", "--draws", "200", "--format", "json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    tested = {(y["city"], y["year"]) for y in d["years"]}
    assert tested == {
        ("jingzhou", 2019), ("jingzhou", 2020), ("jingzhou", 2021), ("jingmen", 2020),
        ("jingmen", 2021), ("tianmen", 2016), ("tianmen", 2017), ("tianmen", 2018),
    }  # fmt: skip
    rows = [row for y in d["years"] for row in y["rows"]]
    assert d["coverage"]["total"] == len(rows)
    assert d["coverage"]["inside"] == sum(row["inside"] for row in rows)
    assert "jingmen 2017" in d["not_possible"]  # each city-year it could not test, named
    bad = cli("backtest", "--pack", str(jm), "--all-cities", "--city", "jingmen")
    assert bad.returncode == 2 and "--all-cities" in bad.stderr and "Traceback" not in bad.stderr


# --- the total-FAI proxy and its error (issue 21, item 1) -------------------------------
def test_the_proxys_error_is_measured_on_city_years_that_publish_both(pack):
    from simulation.analyses.priors import PROXY_ERROR_PRIOR

    pe = proxy_error(pack, 2021)
    a = pack[pack["annual"] & (pack["city"] != "china")]
    both = a[a["indicator"].isin(["fai_growth_pct", "fai_industrial_growth_pct"])].pivot_table(
        index=["city", "year"], columns="indicator", values="value", aggfunc="first"
    )
    d = ((both["fai_industrial_growth_pct"] - both["fai_growth_pct"]) / 100).dropna()
    s0, nu = PROXY_ERROR_PRIOR
    assert pe.n == len(d) >= 3
    assert pe.sd == pytest.approx(np.sqrt((nu * s0**2 + np.sum(d**2)) / (nu + len(d))))
    assert proxy_error(pack, 2015).n < pe.n  # only pairs of the years known
    none = proxy_error(pack.iloc[0:0], 2021)
    assert none.n == 0 and none.sd == pytest.approx(s0)  # no pair: the stated prior


def test_proxy_rows_weigh_less_the_wider_their_regressors_error():
    """Industrial-FAI rows say the elasticity is 0.3; total-FAI rows, noisier, say 0. The
    larger the proxy's error, the nearer the estimate comes to the industrial rows'."""
    rng = np.random.default_rng(1)
    n = 40
    proxy = np.arange(n) % 4 != 0  # 30 proxy rows, 10 industrial
    x = rng.normal(0.12, 0.08, n)
    growth = 0.07 + np.where(proxy, 0.0, 0.3) * (x - 0.12) + rng.normal(0, 0.003, n)
    sample = pd.DataFrame(
        {"city": "c", "year": 2015 + np.arange(n) % 6, "growth": growth, "invest_growth": x,
         "proxy": proxy, "pandemic": 0.0, "after": 0.0, "normal": True, "own": 0.0}
    )  # fmt: skip
    b = {sd: fit_output_equation(sample, 2021, sd).post.of("elasticity")[0] for sd in (0, 0.1, 1)}
    assert b[0] < b[0.1] < b[1] and b[1] > 0.2 > b[0] + 0.05
    assert fit_output_equation(sample, 2021, 0.1).proxy_sd == 0.1


def test_a_regressions_noise_scale_is_weighted_least_squares():
    from simulation.analyses.estimation import bayes_regression

    rng = np.random.default_rng(2)
    X = np.column_stack([np.ones(30), rng.normal(size=30)])
    v = np.where(np.arange(30) < 15, 1.0, 9.0)
    y = X @ np.array([1.0, 2.0]) + rng.normal(size=30) * np.sqrt(v) * 0.1
    post = bayes_regression(X, y, ("a", "b"), np.zeros(2), np.full(2, 1e6), 0.1, 1e-9,
                            noise_scale=v)  # fmt: skip
    w = 1 / v
    wls = np.linalg.solve(X.T @ (X * w[:, None]), X.T @ (y * w))
    assert np.allclose(post.mean, wls, atol=1e-6)
