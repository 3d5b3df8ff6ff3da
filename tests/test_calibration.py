"""Calibration from a data pack (issue 10): the pack reader, the estimators, the
regenerated parameter folder, a synthetic city, and the back-test commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import ROOT, cli

from simulation.analyses import calibration as cal
from simulation.analyses.backtest import equation_backtest
from simulation.analyses.estimation import ar1_forecast, bayes_regression
from simulation.analyses.priors import PLAN_TIME_INDICATORS
from simulation.economy.distributions import correlate, parse
from simulation.economy.timeaxis import seasonal_weights
from simulation.io import datapack as dp

PACK = ROOT / "data" / "packs" / "jingzhou_2021.csv"
HEADER = "city,period,indicator,value,unit,source_url,note\n"


@pytest.fixture(scope="module")
def pack() -> pd.DataFrame:
    return dp.read_pack(PACK)


# --- the pack -------------------------------------------------------------------------------
def test_pack_holds_nothing_of_the_plan_year_but_plan_time_inputs(pack):
    late = pack[pack["year"] >= 2022]
    assert set(late["indicator"]) <= set(PLAN_TIME_INDICATORS)
    assert set(late["city"]) == {"jingzhou"}
    # the January ceremony (840, also filed under the year in shared/data) and 8 February
    assert set(late["value"]) == {840.0, 1189.0, 246.0}


def test_every_row_has_a_source_and_a_known_indicator(pack):
    assert (pack["source_url"].str.len() > 0).all()
    assert all(dp.split_indicator(n) is not None for n in pack["indicator"].unique())


def test_the_second_citys_pack_holds_no_plan_year_figure_of_its_own_and_sources_every_row():
    """Jingmen's pack: its own rows stop at 2021 (no target, no outcome of 2022); the only
    later rows are the first city's plan-time inputs, carried with the peers."""
    jm = dp.read_pack(ROOT / "data" / "packs" / "jingmen_2021.csv")
    assert jm.loc[jm["city"] == "jingmen", "year"].max() <= 2021
    late = jm[jm["year"] >= 2022]
    assert set(late["city"]) <= {"jingzhou"}
    assert set(late["indicator"]) <= set(PLAN_TIME_INDICATORS)
    assert (jm["source_url"].str.len() > 0).all()


def test_pack_is_built_from_its_sources():
    r = __import__("subprocess").run(
        [str(ROOT / ".venv/bin/python"), str(ROOT / "scripts/build_pack.py")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    assert __import__("subprocess").run(
        ["git", "diff", "--quiet", "--", "data/packs/"], cwd=ROOT
    ).returncode in (0, 128)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "jingzhou,2021,gdp_growth_speed,1,pct,u,",
            ["unknown indicator 'gdp_growth_speed'", "gdp, "],
        ),
        ("jingzhou,2021Q5,gdp,1,100m_cny,u,", ["period '2021Q5'", "YYYYM1-8"]),
        ("jingzhou,2021,gdp,1,pct,u,", ["unit 'pct'", "expected '100m_cny'"]),
        ("jingzhou,2021,gdp,abc,100m_cny,u,", ["value 'abc'"]),
        ("jingzhou,2021,gdp,nan,100m_cny,u,", ["finite"]),
        ("jingzhou,2021,gdp,-5,100m_cny,u,", ["negative"]),
        ("jingzhou,2021,gdp,5,100m_cny,,", ["no source_url"]),
        ("Jing Zhou,2021,gdp,5,100m_cny,u,", ["city 'Jing Zhou'"]),
        ("jingzhou,2021M9-3,gdp,5,100m_cny,u,", ["first ≤ last"]),
        ("jingzhou,0000,gdp,5,100m_cny,u,", ["year 0 is outside 1949-2100"]),
        ("jingzhou,2201,gdp,5,100m_cny,u,", ["year 2201 is outside"]),
        ('jingzhou,2020,gdp,5,100m_cny,"=HYPERLINK(""x"")",', ["spreadsheet formula"]),
        ("jingzhou,2021,gdp_real_growth_pct,12,pct,u,", ["repeats row 2 word for word"]),
    ],
)
def test_a_bad_row_is_an_error_naming_file_row_and_field(tmp_path, row, expected):
    f = tmp_path / "p.csv"
    f.write_text(
        HEADER + "jingzhou,2021,gdp_real_growth_pct,12,pct,u,\n" + row + "\n", encoding="utf-8"
    )
    with pytest.raises(dp.PackError) as e:
        dp.read_pack(f)
    assert f"{f} row 3" in str(e.value)
    for x in expected:
        assert x in str(e.value)


def test_a_note_too_long_for_the_csv_reader_is_refused_by_row(tmp_path):
    f = tmp_path / "p.csv"
    note = "x" * 200_000
    f.write_text(HEADER + f"jingzhou,2021,gdp,5,100m_cny,u,{note}\n", encoding="utf-8")
    with pytest.raises(dp.PackError) as e:
        dp.read_pack(f)
    assert f"{f} row 2" in str(e.value) and "field" in str(e.value)


def test_contradicting_rows_and_bad_files_are_refused(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text(HEADER + "a,2021,gdp,5,100m_cny,u,\na,2021,gdp,6,100m_cny,v,\n", encoding="utf-8")
    with pytest.raises(dp.PackError, match="contradicts 5.0"):
        dp.read_pack(f)
    g = tmp_path / "g.csv"
    g.write_bytes(b"city,period\n" + "荆州".encode("gbk"))
    with pytest.raises(dp.PackError, match="missing column|not UTF-8"):
        dp.read_pack(g)
    with pytest.raises(dp.PackError, match="no such file"):
        dp.read_pack(tmp_path / "none.csv")
    h = tmp_path / "h.csv"
    h.write_text("", encoding="utf-8")
    with pytest.raises(dp.PackError, match="empty file"):
        dp.read_pack(h)


def test_periods_parse():
    assert dp.parse_period("2021") == dp.Period(2021, 1, 12, True)
    assert dp.parse_period("2021H2") == dp.Period(2021, 7, 12, False)
    assert dp.parse_period("2021Q3") == dp.Period(2021, 7, 9, False)
    assert dp.parse_period("2021M1-8") == dp.Period(2021, 1, 8, True)
    assert dp.parse_period("2021M03") == dp.Period(2021, 3, 3, False)


# --- estimators ----------------------------------------------------------------------------
def test_bayes_regression_recovers_known_coefficients_and_shrinks_with_little_data():
    rng = np.random.default_rng(7)
    X = np.column_stack([np.ones(400), rng.normal(size=400)])
    y = X @ np.array([0.07, 0.2]) + rng.normal(scale=0.02, size=400)
    post = bayes_regression(X, y, ("a", "b"), np.zeros(2), np.array([1.0, 1.0]), 0.03, 4)
    assert np.all(np.abs(post.mean - [0.07, 0.2]) < 3 * post.sd)  # 3 sd
    assert post.sigma == pytest.approx(0.02, rel=0.1)
    few = bayes_regression(X[:3], y[:3], ("a", "b"), np.zeros(2), np.array([0.01, 0.01]), 0.03, 4)
    assert np.all(np.abs(few.mean) < np.abs(post.mean))  # a tight prior holds with 3 points
    assert np.all(few.data_weight() < post.data_weight())


def test_ar1_recovers_persistence_and_needs_four_pairs():
    rng = np.random.default_rng(3)
    x = [0.0]
    for _ in range(300):
        x.append(0.01 + 0.6 * x[-1] + rng.normal(scale=0.01))
    fit = ar1_forecast(np.arange(len(x)), np.array(x), len(x) - 1)
    assert fit.rho == pytest.approx(0.6, abs=0.1)
    assert fit.sigma == pytest.approx(0.01, rel=0.15)
    assert ar1_forecast(np.arange(4), np.arange(4.0), 3) is None


def test_correlated_draws_have_the_stated_correlation():
    d = {
        "a.x": parse(
            {"dist": "normal", "mean": 0, "sd": 1, "low": -9, "high": 9, "corr": [["a.y", 0.6]]}
        ),
        "a.y": parse({"dist": "normal", "mean": 0, "sd": 1, "low": -9, "high": 9}),
    }
    rng = np.random.default_rng(0)
    u = {"a.x": rng.random(20000), "a.y": rng.random(20000)}
    v = correlate(d, u)
    from scipy.stats import norm

    z = norm.ppf(v["a.x"]), norm.ppf(v["a.y"])
    assert np.corrcoef(*z)[0, 1] == pytest.approx(0.6, abs=0.02)  # 20,000 draws: se ≈ 0.005
    assert np.allclose(v["a.x"], u["a.x"])  # the first of the block keeps its stream
    with pytest.raises(ValueError, match="not drawn"):
        correlate({"a.x": d["a.x"]}, {"a.x": u["a.x"]})


# --- the calibration -----------------------------------------------------------------------
# the two calibrate commands of scripts/calibrate.sh (folder, pack, arguments)
SHIPPED_FOLDERS = {
    "params": (
        "data/packs/jingzhou_2021.csv",
        "--city jingzhou --city-zh 荆州 --city-en Jingzhou "
        "--counties data/packs/jingzhou_counties.csv --base-year 2021 "
        "--target-gdp 3000 --target-output 3000 --risks data/risks/hubei_known_risks.csv",
    ),
    "cities/jingmen": (
        "data/packs/jingmen_2021.csv",
        "--city jingmen --city-zh 荆门 --city-en Jingmen "
        "--counties data/packs/jingmen_counties.csv --base-year 2021 "
        "--risks data/risks/hubei_known_risks.csv",
    ),
}


@pytest.mark.slow  # 5 s each: calibrate runs
@pytest.mark.parametrize("folder", SHIPPED_FOLDERS)
def test_params_are_regenerated_from_the_pack_and_up_to_date(tmp_path, folder):
    """``bash scripts/calibrate.sh`` writes the shipped folders from the repo's packs: they
    must be current (and the script must say the same as this test)."""
    pack, args = SHIPPED_FOLDERS[folder]
    script = (ROOT / "scripts" / "calibrate.sh").read_text(encoding="utf-8")
    assert f"--pack {pack} --out {folder}" in script
    flat = " ".join(script.replace("\\\n", " ").split())
    assert flat.count(args) == 1, "scripts/calibrate.sh differs from the test"
    out = tmp_path / "out"
    r = cli("calibrate", "--pack", pack, "--out", str(out), *args.split(), cwd=ROOT)
    assert r.returncode == 0, r.stderr
    for f in [
        "base.yaml",
        "CALIBRATION.md",
        *(f"scenarios/{p.name}" for p in (out / "scenarios").glob("*.yaml")),
    ]:
        have = (ROOT / folder / f).read_text(encoding="utf-8")
        want = (out / f).read_text(encoding="utf-8")
        assert have == want, f"{folder}/{f} is out of date: run bash scripts/calibrate.sh"


def test_every_value_has_its_source_and_the_estimates_say_so(baseline):
    src = baseline.params.sources
    for path in (
        "industry.organic_real_growth_rate",
        "industry.investment_elasticity",
        "industry.price_change_rate",
        "base_year.fai_100m_cny",
        "pipeline.realised_share",
        "industry.tech_yield",
        "base_year.gdp_100m_cny",
    ):
        assert path in src, path
    assert src["industry.investment_elasticity"].startswith("ESTIMATED")
    assert src["industry.tech_yield"].startswith("PRIOR")
    assert (
        src["base_year.gdp_100m_cny"].startswith("DATA")
        and "341823" in src["base_year.gdp_100m_cny"]
    )
    assert src["pipeline.realised_share"].startswith("FIT")


def test_the_output_equation_uses_only_years_up_to_the_base_year(pack):
    c = cal.calibrate(pack, "jingzhou", 2020)
    assert c.output_sample["year"].max() <= 2020
    assert c.values["industry.recovery_rate"].value > 0  # 2020 was a pandemic year
    c21 = cal.calibrate(pack, "jingzhou", 2021)
    assert c21.values["industry.recovery_rate"].value == 0
    assert c21.output_sample["year"].max() == 2021


def test_the_base_year_reproduces_the_data(baseline_result):
    by = baseline_result.to_dict(monthly=False)["base_year"]
    assert by["gdp_100m_cny"] == pytest.approx(2715.52, rel=1e-9)
    assert by["gross_industrial_output_100m_cny"] == pytest.approx(2592.6, rel=1e-9)
    assert by["va_primary_100m_cny"] == pytest.approx(2715.52 * 0.192, rel=1e-9)
    assert by["va_secondary_100m_cny"] == pytest.approx(2715.52 * 0.344, rel=1e-9)


def test_industrial_seasonality_matches_the_jan_aug_share(baseline):
    s = baseline.params.seasonality
    w = seasonal_weights(s.industry_slope, s.industry_spring_dip_share)[0]
    assert w[:8].sum() == pytest.approx(1500.2 / 2592.6, abs=1e-6)


def _synthetic_pack(tmp_path: Path) -> Path:
    rows = [
        "mycity,2021,gdp,1000,100m_cny,u1,",
        "mycity,2021,sector_share_primary_pct,10,pct,u1,",
        "mycity,2021,sector_share_secondary_pct,40,pct,u1,",
        "mycity,2021,gross_industrial_output_above_scale,1200,100m_cny,u1,",
        "mycity,2021,invest_promo_signed_amount,900,100m_cny,u2,",
        "mycity,2021,fai_growth_pct,10,pct,u3,",
        "mycity,2022,gdp_target,1080,100m_cny,u4,",
    ]
    rng = np.random.default_rng(11)
    for c in ("pa", "pb", "pc"):
        for y in range(2014, 2022):
            x = rng.normal(10, 4)
            g = 6 + 0.1 * (x - 10) + rng.normal(0, 1)
            rows += [
                f"{c},{y},va_industry_above_scale_real_growth_pct,{g:.2f},pct,u,",
                f"{c},{y},fai_growth_pct,{x:.2f},pct,u,",
            ]
    f = tmp_path / "synthetic.csv"
    f.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return f


@pytest.mark.slow  # 6 s: calibrate run
def test_a_synthetic_city_calibrates_runs_and_says_what_is_prior(tmp_path):
    f = _synthetic_pack(tmp_path)
    out = tmp_path / "p"
    r = cli("calibrate", "--pack", str(f), "--out", str(out), "--city", "mycity")
    assert r.returncode == 0, r.stderr
    report = (out / "CALIBRATION.md").read_text(encoding="utf-8")
    assert "no 技改 level in the pack" in report and "PRIOR" in report
    assert "no national PPI series in the pack" in report
    r = cli("run", "baseline", "--params-dir", str(out), "--format", "json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["base_year"]["gdp_100m_cny"] == pytest.approx(1000)
    assert d["targets"]["gdp"]["target_100m_cny"] == pytest.approx(1080)
    # peers grown 6% ± 1 with elasticity 0.1 on investment growth: the estimate sees it
    c = cal.calibrate(dp.read_pack(f), "mycity", 2021)
    b, sb = c.output.of("elasticity")
    assert abs(b - 0.1) < 3 * sb


@pytest.mark.slow  # 2.7 s: calibrate run
def test_calibrate_without_the_base_year_levels_is_a_clear_error(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text(HEADER + "mycity,2021,gdp_real_growth_pct,6,pct,u,\n", encoding="utf-8")
    r = cli("calibrate", "--pack", str(f), "--out", str(tmp_path / "o"), "--city", "mycity")
    assert r.returncode == 2
    assert "no annual 'gdp' for mycity in 2021" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "o" / "base.yaml").exists()


# --- back-tests ----------------------------------------------------------------------------
@pytest.mark.slow  # 4 s: backtest
def test_backtest_2021_uses_only_earlier_data_and_reports_errors_and_band():
    r = cli(
        "backtest",
        "--pack",
        str(PACK),
        "--city",
        "jingzhou",
        "--year",
        "2021",
        "--year",
        "2020",
        "--draws",
        "300",
        "--format",
        "json",
    )
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    # 2020 is possible too since calibrate has stated priors for a missing base-year output
    # and missing signings; its (large) errors are reported, not hidden
    years = {y["year"]: y for y in d["years"]}
    assert set(years) == {2020, 2021} and d["not_possible"] == {}
    y = years[2021]
    assert y["drivers"]["fai_growth_rate"] == pytest.approx(0.262)
    q = {row["quantity"]: row for row in y["rows"]}
    assert q["GDP 亿元"]["actual"] == pytest.approx(2715.52)
    for row in y["rows"]:
        assert row["p5"] <= row["forecast"] <= row["p95"] or row["quantity"].endswith("%")
    rows_2020 = {row["quantity"]: row for row in years[2020]["rows"]}
    assert rows_2020["GDP real growth %"]["actual"] == pytest.approx(-5.9)
    assert not rows_2020["GDP real growth %"]["inside"]  # a pandemic year no model foresaw


def test_equation_backtest_refits_on_earlier_years_only(pack):
    e = equation_backtest(dp.up_to(pack, 2021), "jingzhou")
    assert len(e) >= 20 and (e["p5"] < e["p95"]).all()
    first = e.sort_values("year").iloc[0]
    assert first["n_fit"] >= 5
    assert set(e.columns) >= {"city", "year", "actual", "forecast", "inside"}


@pytest.mark.slow  # 3.3 s: calibrate run
def test_calibrate_writes_nothing_when_a_scenario_would_not_load(tmp_path):
    out = tmp_path / "params"
    shutil.copytree(ROOT / "params", out)
    before = (out / "base.yaml").read_text(encoding="utf-8")
    f = _synthetic_pack(tmp_path)
    bad = f.read_text(encoding="utf-8").replace("mycity,2021,gdp,1000", "mycity,2021,gdp,50")
    f.write_text(bad, encoding="utf-8")
    r = cli("calibrate", "--pack", str(f), "--out", str(out), "--city", "mycity")
    assert r.returncode == 2, r.stdout
    assert (out / "base.yaml").read_text(encoding="utf-8") == before
