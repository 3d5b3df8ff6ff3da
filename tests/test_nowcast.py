"""Tracking from the statistics bureau's releases (issue 12): the Kalman nowcast, its band,
the news, the required path and the rolling evaluation, with the repo's own data."""

from __future__ import annotations

import csv
import json

import numpy as np
import pandas as pd
import pytest
from helpers import ROOT, cli

from simulation import load_scenario
from simulation.analyses.nowcast import (
    SHOCK_PROBABILITY,
    TARGET_H,
    Observation,
    Prior,
    YtdNoise,
    fit_ytd_noise,
    kalman_update,
    noise_shape,
    nowcast,
    observe,
    ytd_pairs,
)
from simulation.analyses.nowcast_eval import evaluate, summary_by_month
from simulation.analyses.tracking import ActualsError, read_actuals, track
from simulation.io import datapack as dp

PACK = ROOT / "data" / "packs" / "jingzhou_2021.csv"


@pytest.fixture(scope="module")
def pack():
    return dp.read_pack(PACK)


@pytest.fixture(scope="module")
def folder_2020(tmp_path_factory):
    """Jingzhou calibrated on data to 2020: its plan year 2021 has releases in the pack."""
    out = tmp_path_factory.mktemp("f") / "jz2020"
    r = cli(
        "calibrate", "--pack", str(PACK), "--out", str(out), "--city", "jingzhou",
        "--base-year", "2020", "--target-gdp", "2700", "--target-output", "2500",
        "--no-backtest",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    return out


def releases_2021(tmp_path, extra: list[dict] | None = None):
    """A releases file in the data-pack format: the pack's sub-annual Jingzhou rows of 2021
    as published (with their pages), plus ``extra`` rows."""
    rows = [
        r
        for r in csv.DictReader(PACK.open(encoding="utf-8"))
        if r["city"] == "jingzhou" and r["period"].startswith("2021") and r["period"] != "2021"
    ]
    rows += extra or []
    path = tmp_path / "releases_2021.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(dp.COLUMNS))
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.mark.slow  # 8 s: tracking from a year of releases through the CLI
def test_a_year_of_releases_gives_a_nowcast_with_band_news_and_path(folder_2020, tmp_path):
    """CLI JSON and table from a pack of one year's releases built from the repo's data."""
    path = releases_2021(tmp_path)
    r = cli(
        "track", "baseline", "--params-dir", str(folder_2020), "--actuals", str(path),
        "--draws", "200", "--format", "json",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    for t in ("gdp", "industrial_output"):
        q = d["forecast_quantiles"][t]
        assert q["p5"] < q["p50"] < q["p95"]
    key = "gross_industrial_output_100m_cny"
    assert d["forecast"][key] == pytest.approx(d["forecast_quantiles"]["industrial_output"]["p50"])
    assert "gross_industrial_output_above_scale" in d["indicators_used"]
    assert "invest_promo_contract_amount" in d["indicators_ignored"]  # in the vocabulary, unused
    assert [n["period"] for n in d["news"]] == ["2021M1-8"]
    assert d["status"]["industrial_output"]["actual"] == pytest.approx(1500.2)
    req = d["required_path"]["industrial_output"]
    assert (
        req["months"] == [9, 10, 11, 12]
        and req["p80"]["remaining_100m_cny"] > req["p50"]["remaining_100m_cny"]
    )
    assert sum(req["p50"]["monthly_100m_cny"]) == pytest.approx(2500 - 1500.2, abs=0.05)
    assert {"driver", "steps_to_close"} <= set(req["closing_drivers"][0])
    assert d["illustrative"] is False
    assert 0 <= d["large_shock"]["weight"] < 0.5  # 2021's releases: a normal year's
    text = cli(
        "track", "baseline", "--params-dir", str(folder_2020), "--actuals", str(path),
        "--draws", "200",
    ).stdout  # fmt: skip
    assert "nowcast" in text and "News:" in text and "What it takes" in text


def test_news_add_up_to_the_whole_move_and_more_months_narrow_the_band(folder_2020, tmp_path):
    sc = load_scenario("baseline", params_dir=folder_2020)
    noise = YtdNoise(sc.params.tracking.ytd_sigma1, 0, "")
    base = sc.params.base_year.industrial_output_100m_cny

    def growth_release(m: int, g: float) -> dict:
        return {"city": "jingzhou", "period": f"2021M1-{m}", "indicator":
                "gross_industrial_output_above_scale_growth_pct", "value": str(g),
                "unit": "pct", "source_url": "SYNTHETIC", "note": "test"}  # fmt: skip

    early = read_actuals(releases_2021(tmp_path, [growth_release(2, 30.0)]))
    early = early[early["indicator"] != "gross_industrial_output_above_scale"]
    late = early.assign(period="2021M1-10", last_month=10, month=10)
    nc0 = nowcast(sc, early.iloc[0:0], 200, params_dir=folder_2020, noise=noise)
    nc_e = nowcast(sc, early, 200, params_dir=folder_2020, noise=noise)
    nc_l = nowcast(sc, late, 200, params_dir=folder_2020, noise=noise)
    width = {k: v.forecast_quantiles()["industrial_output"] for k, v in (("e", nc_e), ("l", nc_l))}
    assert width["l"]["p95"] - width["l"]["p5"] < width["e"]["p95"] - width["e"]["p5"]
    # a +30% nominal year to date pulls the year up, more so when it covers ten months
    p50 = {k: v.forecast_quantiles()["industrial_output"]["p50"] for k, v in
           (("0", nc0), ("e", nc_e), ("l", nc_l))}  # fmt: skip
    assert p50["0"] < p50["e"] < p50["l"] and p50["l"] > base * 1.25
    assert nc_e.state.shock_weight > SHOCK_PROBABILITY  # +30% in two months: less normal
    moved = sum(n["industrial_output_forecast_change_100m_cny"] for n in nc_l.news)
    assert moved == pytest.approx(p50["l"] - p50["0"], abs=1e-6)  # the news telescope


def test_kalman_update_trusts_a_precise_release_and_ignores_a_vague_one():
    mean, cov = np.zeros(3), np.diag([0.01, 0.01, 0.01])

    def obs(r: float) -> Observation:
        return Observation("x", "p", 0, "pct", 6, "growth_out", 0.1, np.array([1.0, 1.0, 0]), r)

    m1, c1 = kalman_update(mean, cov, obs(1e-10))
    assert m1[0] + m1[1] == pytest.approx(0.1, abs=1e-6) and c1[2, 2] == pytest.approx(0.01)
    m2, _ = kalman_update(mean, cov, obs(1e6))
    assert np.allclose(m2, 0, atol=1e-7)


def test_ytd_noise_is_fitted_on_normal_years_only(pack):
    pairs = ytd_pairs(pack)
    assert pairs["pandemic"].any() and (~pairs["pandemic"]).sum() >= 10
    fit = fit_ytd_noise(pack)
    normal = pairs[~pairs["pandemic"]]
    want = np.sqrt(np.mean(normal["error"] ** 2 / noise_shape(normal["last_month"].to_numpy())))
    assert fit.sigma1 == pytest.approx(want) and fit.n == len(normal)
    assert "pandemic years left out" in fit.source
    assert noise_shape(12) == 0 and noise_shape(1) == pytest.approx(1.0)
    assert fit_ytd_noise(pack.iloc[0:0]).sigma1 == 0.05  # too few pairs: the stated prior


def test_release_files_are_checked_row_by_row(tmp_path):
    path = releases_2021(
        tmp_path,
        [{"city": "jingzhou", "period": "2021M1-9", "indicator": "retail_sales_growth",
          "value": "3", "unit": "pct", "source_url": "x", "note": ""}],
    )  # fmt: skip
    with pytest.raises(ActualsError) as e:
        read_actuals(path)
    assert "releases_2021.csv" in str(e.value) and "retail_sales_growth" in str(e.value)
    assert "vocabulary" in str(e.value)


def test_a_file_of_another_city_or_year_is_refused_with_the_reason(folder_2020, tmp_path):
    path = releases_2021(tmp_path)
    sc = load_scenario("baseline")  # plan year 2022: the file has 2021 only
    with pytest.raises(ActualsError, match="no actual figures for 2022"):
        track(sc, read_actuals(path), draws=50)


def test_rolling_evaluation_uses_only_earlier_data(pack):
    """The nowcast replayed on past years; changing a year's outcome changes the comparison
    only, never the nowcast (no later figure reaches the calibration or the prior)."""
    rows, skipped = evaluate(pack, "jingzhou", [2021], draws=100)
    assert set(rows["through_month"]) == {0, 8} and not skipped
    out = rows[(rows["quantity"] == "规上工业总产值 亿元") & (rows["through_month"] == 8)].iloc[0]
    assert out["actual"] == pytest.approx(2592.6)
    bumped = pack.copy()
    hit = (
        (bumped["city"] == "jingzhou")
        & (bumped["period"] == "2021")
        & (bumped["indicator"] == "gross_industrial_output_above_scale")
    )
    bumped.loc[hit, "value"] = 9999.0
    rows2, _ = evaluate(bumped, "jingzhou", [2021], draws=100)
    out2 = rows2[(rows2["quantity"] == "规上工业总产值 亿元") & (rows2["through_month"] == 8)].iloc[
        0
    ]
    assert out2["p50"] == pytest.approx(out["p50"]) and out2["actual"] == 9999.0
    summary = summary_by_month(rows)
    assert list(summary["through_month"]) == [0, 8] and summary["cases"].sum() == len(rows)


# --- one observation per release (issue 21, item 5) ----------------------------------
def _release(indicator: str, first: int, last: int, value: float):
    period = f"2022M{first}-{last}" if first != last else f"2022M{last:02d}"
    return pd.Series(
        {
            "indicator": indicator,
            "period": period,
            "year": 2022,
            "first_month": first,
            "last_month": last,
            "value": value,
            "unit": "pct",
            "row": 0,
        }
    )


def test_a_year_to_date_release_carries_the_earlier_ones_of_its_family():
    from simulation.analyses.nowcast import carry

    level = "gross_industrial_output_above_scale"
    growth = "gross_industrial_output_above_scale_growth_pct"
    va = "va_industry_above_scale_real_growth_pct"
    used, note = carry([], _release(level, 1, 7, 1500.0))
    used, note = carry(used, _release(va, 1, 7, 9.0))  # another family: kept beside it
    assert [x["indicator"] for x in used] == [level, va] and note == ""
    # the growth rate of the same months as the level: one release, counted once
    used, note = carry(used, _release(growth, 1, 7, 12.0))
    assert [x["indicator"] for x in used] == [level, va] and "not counted again" in note
    # a single month stands alone; the next year-to-date release replaces all before it
    used, note = carry(used, _release(growth, 8, 8, 10.0))
    assert len(used) == 3 and note == ""
    used, note = carry(used, _release(growth, 1, 8, 11.0))
    assert [(x["indicator"], x["last_month"]) for x in used] == [(va, 7), (growth, 8)]
    assert note == "carries 2 earlier release(s) of the same months"


# --- a year unlike the record: the large-shock regime (issue 21, item 5) -------------------
def _prior(share_sd: float = 0.04) -> Prior:
    """A prior by hand: the year expected +8% real output, +2% prices, +9% GDP, each sd 3%;
    a flat seasonal profile of 100亿 a month (GDP 200)."""
    flat = {"industrial_output": np.full(12, 100.0), "gdp": np.full(12, 200.0)}
    return Prior(
        mean=np.array([0.08, 0.02, 0.09]),
        cov=np.diag([0.03, 0.03, 0.03]) ** 2,
        base={"industrial_output": 1200.0, "gdp": 2400.0},
        base_months=flat,
        plan_months=flat,
        va_offset=0.0,
        gdp_deflator=(0.01, 0.0001),
        drivers={},
        share_sd=share_sd,
    )


def _level(m: int, value: float) -> pd.Series:
    return _release("gross_industrial_output_above_scale", 1, m, value)


def test_a_normal_release_leaves_the_band_of_the_plain_kalman_filter():
    from simulation.analyses.nowcast import run_filter

    prior = _prior()
    noise = YtdNoise(0.02, 10, "")
    obs = observe(_level(6, 600 * np.exp(0.10)), prior, noise)  # 2 points above the model
    st = run_filter(prior, [obs])
    assert st.shock_weight < SHOCK_PROBABILITY / 2  # the release speaks for a normal year
    mean, cov = kalman_update(prior.mean, prior.cov, obs)
    h = TARGET_H["industrial_output"]
    mu, sd = float(h @ mean), float(np.sqrt(h @ cov @ h))
    q = st.quantiles("industrial_output")
    for p, z in (("p5", -1.6448536), ("p50", 0.0), ("p95", 1.6448536)):
        assert q[p] == pytest.approx(1200 * np.exp(mu + z * sd), rel=0.005)
    alone = run_filter(prior, [])
    assert alone.shock_weight == 0 and len(alone.components) == 1  # no release, no shock


def test_a_shock_quarter_spans_full_recovery_to_no_recovery():
    """A first quarter 35% below the model: the shock regime takes over and the year's band
    runs from "the other nine months as the model said" to "the year stays at the quarter"."""
    from simulation.analyses.nowcast import persisting, run_filter

    prior = _prior(share_sd=0.002)  # precise releases: the bounds below are the φ's own
    noise = YtdNoise(0.005, 10, "")
    expected = 300 * np.exp(0.10)  # the model's first quarter (real + prices)
    obs = observe(_level(3, expected * 0.65), prior, noise)
    st = run_filter(prior, [obs])
    assert st.shock_weight > 0.999 and len(st.components) == 12
    q = st.quantiles("industrial_output")
    recover = 1200 * np.exp(0.10 + 0.25 * np.log(0.65))  # φ = 0: only the quarter's loss
    stay = 1200 * np.exp(0.10 + np.log(0.65))  # φ = 1: the year as the quarter
    assert stay * 0.99 < q["p5"] < stay * 1.05 and recover * 0.95 < q["p95"] < recover * 1.01
    assert q["p5"] < q["p50"] < q["p95"]
    # φ = 1 is the plain filter's reading of the release; φ = 0 takes only its months
    assert persisting(obs, prior, 1.0).y == pytest.approx(obs.y)
    assert persisting(obs, prior, 0.0).y == pytest.approx(0.10 + 0.25 * np.log(0.65))
    # the closed-form probability is the mixture's, and agrees with sampling it
    p = st.probability({"industrial_output": float(q["p50"]), "gdp": 0.0})
    assert p["industrial_output"] == pytest.approx(0.5, abs=1e-6)
    assert p["both"] == pytest.approx(0.5, abs=0.02)


def test_mixture_quantiles_invert_the_mixture_cdf():
    from scipy.special import ndtr

    from simulation.analyses.nowcast import mixture_quantile

    w, mu, sd = np.array([0.7, 0.2, 0.1]), np.array([0.0, -1.0, 2.0]), np.array([0.3, 0.5, 1.0])
    for p in (0.05, 0.5, 0.95):
        x = mixture_quantile(w, mu, sd, p)
        assert float(w @ ndtr((x - mu) / sd)) == pytest.approx(p, abs=1e-9)


def test_the_tracking_page_says_why_a_shock_years_band_is_wide():
    from simulation.frontends.ui.projects_page import nowcast_html
    from simulation.labels import tr

    q = {"gdp": {"p5": 1800.0, "p50": 2100.0, "p95": 2400.0}}
    for lang in ("zh", "en"):
        note = tr("brief_large_shock", lang, w=0.99)[:8]
        shown = nowcast_html({"forecast_quantiles": q, "large_shock": {"weight": 0.99}}, lang)
        assert note in shown
        calm = nowcast_html({"forecast_quantiles": q, "large_shock": {"weight": 0.02}}, lang)
        assert note not in calm
