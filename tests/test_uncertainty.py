"""Distributions, Monte Carlo, sensitivity and goal seeking.

Tolerances: exact (1e-9) where the answer is exact (zero variance, same seed); Monte
Carlo statistics within stated sampling error; Sobol indices of a one-parameter model
within 0.05 of 1 (n = 1024, bootstrap half-widths ≈0.01).
"""

from __future__ import annotations

import json
import math
import shutil

import numpy as np
import pytest
import yaml
from helpers import ROOT, cli, targets
from scipy import stats

from simulation import load_scenario, simulate
from simulation.analyses import plausibility, summary
from simulation.analyses.goalseek import required_path, solve
from simulation.analyses.montecarlo import monte_carlo, unit_draws
from simulation.analyses.sensitivity import sobol, tornado
from simulation.economy.distributions import LogNormal, Normal, Triangular, Uniform, parse
from simulation.frontends.ui import Dashboard
from simulation.frontends.ui.uncertainty_page import UncertaintyPage
from simulation.io.errors import ScenarioError


@pytest.fixture(scope="module")
def unc():
    return load_scenario("uncertainty")


# --- distributions -------------------------------------------------------------------
def test_distribution_quantiles():
    u = np.array([1e-12, 0.25, 0.5, 0.75, 1 - 1e-12])
    assert np.allclose(Uniform(dist="uniform", low=1, high=3).ppf(u), [1, 1.5, 2, 2.5, 3])
    tri = Triangular(dist="triangular", low=0, mode=1, high=2)
    assert tri.ppf(np.array([0.5]))[0] == pytest.approx(1.0)  # symmetric: median = mode
    n = Normal(dist="normal", mean=0, sd=1, low=-1, high=1)
    q = n.ppf(u)
    assert q[0] == pytest.approx(-1, abs=1e-6) and q[-1] == pytest.approx(1, abs=1e-6)
    assert q[2] == pytest.approx(0, abs=1e-12)
    ln = LogNormal(dist="lognormal", median=6, sigma=0.3, low=0, high=100)
    assert ln.ppf(np.array([0.5]))[0] == pytest.approx(6.0, rel=1e-9)
    assert ln.ppf(np.array([0.84134474606]))[0] == pytest.approx(6 * np.exp(0.3), rel=1e-6)
    draws = tri.ppf(np.random.default_rng(1).random(20000))
    assert stats.kstest(draws, stats.triang(0.5, loc=0, scale=2).cdf).pvalue > 0.01


@pytest.mark.parametrize(
    "spec, message",
    [
        ({"dist": "uniform", "low": 2, "high": 1}, "low < high"),
        ({"dist": "triangular", "low": 0, "mode": 3, "high": 2}, "low <= mode <= high"),
        ({"dist": "normal", "mean": 0, "sd": -1, "low": -1, "high": 1}, "sd"),
        ({"dist": "lognormal", "median": 5, "sigma": 0.2, "low": 6, "high": 9}, "low < median"),
        ({"dist": "beta", "a": 1}, "one of fixed, uniform"),
        ({"dist": "uniform", "low": 0}, "high: Field required"),
        ({"dist": "uniform", "low": 0, "high": 1, "scale": 2}, "scale"),
    ],
)
def test_bad_distributions_are_explained(spec, message):
    with pytest.raises(ValueError, match=message):
        parse(spec)


def test_distribution_errors_name_the_file_and_parameter(tmp_path, root):
    params = tmp_path / "params"
    shutil.copytree(root / "params", params)
    f = params / "scenarios" / "bad.yaml"
    f.write_text(
        "extends: baseline\noverrides:\n  pipeline.start_share: "
        "{dist: uniform, low: 0.1, high: 0.9}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match=r"bad\.yaml: pipeline\.start_share: .*bounds 0\.2"):
        load_scenario("bad", params_dir=params)
    f.write_text("extends: baseline\noverrides:\n  name: {dist: fixed, value: 1}\n", "utf-8")
    with pytest.raises(ScenarioError, match="allowed only for a numeric parameter"):
        load_scenario("bad", params_dir=params)
    f.write_text(
        "extends: baseline\noverrides:\n  calendar.horizon_months: {dist: fixed, value: 12}\n",
        "utf-8",
    )
    with pytest.raises(ScenarioError, match="allowed only"):
        load_scenario("bad", params_dir=params)


def test_uncertainty_scenario_is_centred_on_the_baseline(unc, baseline_result):
    assert len(unc.uncertainty) >= 10
    for must in (  # every estimated coefficient, and MODEL.md's ranges
        "pipeline.start_share",
        "pipeline.start_lag_median_months",
        "pipeline.realised_share",
        "pipeline.construction_time_multiplier",
        "industry.organic_real_growth_rate",
        "industry.investment_elasticity",
        "industry.growth_shock_rate",
        "industry.price_change_rate",
        "accounts.tertiary_real_growth_rate",
        "accounts.tertiary_price_change_rate",
        "shocks.supply_chain_spring.depth_share",
    ):
        assert must in unc.uncertainty and unc.uncertainty[must].source, must
    det = simulate(unc).targets()
    for k in ("gdp", "industrial_output"):
        assert det[k]["value_100m_cny"] == pytest.approx(
            baseline_result.targets()[k]["value_100m_cny"], abs=1e-9
        )


def test_presets_move_a_distribution_instead_of_being_blocked(unc):
    strong = load_scenario(
        "uncertainty", {"campaigns.industry": "strong"}, None
    )  # organic growth is uncertain and a lever of the industry campaign
    g = unc.params.industry.organic_real_growth_rate
    assert strong.params.industry.organic_real_growth_rate == pytest.approx(g + 0.01)
    a = monte_carlo(unc, 500, seed=3).values["industry.organic_real_growth_rate"]
    b = monte_carlo(strong, 500, seed=3).values["industry.organic_real_growth_rate"]
    inside = (a > -0.3 + 0.01) & (a < 0.3 - 0.01)
    assert np.allclose((b - a)[inside], 0.01)


# --- Monte Carlo ---------------------------------------------------------------------
def test_zero_variance_monte_carlo_equals_the_deterministic_run(unc):
    fixed = {p: parse({"dist": "fixed", "value": d.center}) for p, d in unc.uncertainty.items()}
    mc = monte_carlo(unc, 50, seed=1, uncertainty=fixed)
    det = simulate(unc)
    for k in ("gdp_100m_cny", "gross_industrial_output_100m_cny", "fai_100m_cny"):
        assert np.allclose(mc.result.arrays[k], det.arrays[k][0], rtol=0, atol=1e-9), k
    met = det.targets()["gdp"]["met"]
    assert mc.probability()["gdp"] == float(met)


def test_same_seed_same_result_different_seed_different(unc):
    a, b, c = (monte_carlo(unc, 300, seed=s) for s in (11, 11, 12))
    assert np.array_equal(a.result.arrays["gdp_100m_cny"], b.result.arrays["gdp_100m_cny"])
    assert a.to_dict()["probability"] == b.to_dict()["probability"]
    assert not np.allclose(a.result.arrays["gdp_100m_cny"], c.result.arrays["gdp_100m_cny"])
    assert a.result.provenance["seed"] == 11 and a.n == 300


def test_common_random_numbers_across_scenarios():
    """Each parameter's stream depends on the seed and its path only."""
    u1 = unit_draws(["a.x", "b.y"], 100, 5)
    u2 = unit_draws(["b.y", "c.z", "a.x"], 100, 5)
    assert np.array_equal(u1["a.x"], u2["a.x"]) and np.array_equal(u1["b.y"], u2["b.y"])
    for sampler in ("lhs", "sobol"):
        u = unit_draws(["a.x", "b.y"], 256, 5, sampler)
        assert all(0 < v.min() and v.max() < 1 for v in u.values())
        counts = np.histogram(u["a.x"], bins=8, range=(0, 1))[0]
        assert counts.min() == counts.max() == 32  # stratified: exactly even


def test_probability_moves_the_right_way_with_levers(unc):
    base = monte_carlo(unc, 1000, seed=2).probability()
    g = unc.params.industry.organic_real_growth_rate
    up = monte_carlo(
        load_scenario("uncertainty", {"industry.organic_real_growth_rate": g + 0.04}), 1000, seed=2
    )
    down = monte_carlo(
        load_scenario("uncertainty", {"industry.organic_real_growth_rate": g - 0.02}), 1000, seed=2
    )
    for k in ("gdp", "industrial_output", "both"):
        assert down.probability()[k] <= base[k] <= up.probability()[k], k
    assert up.probability()["both"] > base["both"] + 0.15
    # an outbreak set for certain (its depth moved up: the drawn event comes on top)
    shock = load_scenario("uncertainty", {"shocks.local_outbreak.depth_share": 0.05})
    assert monte_carlo(shock, 1000, seed=2).probability()["gdp"] < base["gdp"]


def test_monte_carlo_summaries(unc):
    mc = monte_carlo(unc, 2000, seed=4)
    q = mc.quantiles()
    a = mc.annual_values()
    assert q["gdp"]["p5"] < q["gdp"]["p50"] < q["gdp"]["p95"]
    assert q["gdp"]["p50"] == pytest.approx(np.median(a["gdp"]))
    p = mc.probability()
    assert p["both"] <= min(p["gdp"], p["industrial_output"])
    band = mc.monthly_band()
    assert list(band.columns) == ["p5", "p50", "p95"] and len(band) == 12
    assert band["p50"].iloc[-1] == pytest.approx(q["gdp"]["p50"])
    # the probability's sampling error at n = 2000 is ≤ 1.2 points (1 sd)
    big = monte_carlo(unc, 20000, seed=5).probability()["industrial_output"]
    assert abs(p["industrial_output"] - big) < 0.035


# --- sensitivity ---------------------------------------------------------------------
def test_sobol_of_a_single_uncertain_parameter_is_one(unc):
    one = {"industry.price_change_rate": unc.uncertainty["industry.price_change_rate"]}
    df = sobol(unc, one, n=1024, seed=1)
    for out in ("gdp", "industrial_output"):
        row = df[(df["output"] == out)].iloc[0]
        assert row["S1"] == pytest.approx(1.0, abs=0.05)
        assert row["ST"] == pytest.approx(1.0, abs=0.05)
    assert df["runs"].iloc[0] == 1024 * 3


def test_sobol_ranks_and_zeros(unc):
    df = sobol(unc, n=512, seed=2)
    gio = df[df["output"] == "industrial_output"].set_index("parameter")
    # services prices and the heat/drought shock cannot move industrial output
    assert abs(gio.loc["accounts.tertiary_price_change_rate", "ST"]) < 1e-9
    assert abs(gio.loc["shocks.heat_drought.depth_share", "ST"]) < 1e-9
    assert gio["ST"].idxmax() == "industry.price_change_rate"
    assert df["runs"].iloc[0] == 512 * (len(unc.uncertainty) + 2)


def test_tornado(unc):
    df = tornado(unc, draws=200, seed=1)
    assert set(df["parameter"]) == set(unc.uncertainty)
    r = df.set_index("parameter")
    assert r.loc["industry.price_change_rate", "industrial_output_swing"] > 0
    assert r.loc["shocks.supply_chain_spring.depth_share", "industrial_output_swing"] < 0
    assert r.loc["accounts.tertiary_price_change_rate", "industrial_output_swing"] == 0
    assert (
        r.loc["industry.price_change_rate", "p_both_high"]
        > r.loc["industry.price_change_rate", "p_both_low"]
    )
    swing = np.maximum(df["gdp_swing"].abs(), df["industrial_output_swing"].abs())
    assert np.all(np.diff(swing) <= 1e-12)  # sorted, largest first


# --- goal seeking --------------------------------------------------------------------
@pytest.mark.parametrize(
    "lever, target",
    [
        ("industry.organic_real_growth_rate", "both"),
        ("investment.other_growth_rate", "gdp"),
        ("industry.organic_real_growth_rate", "industrial_output"),
    ],
)
def test_goal_seek_meets_and_a_little_less_does_not(lever, target):
    sc = load_scenario("baseline")
    sol = solve(sc, lever, target)
    assert sol.reachable and sol.value is not None
    step = (sol.bracket[1] - sol.bracket[0]) * 1e-4
    less = sol.value - step if sol.direction == "increase" else sol.value + step

    def gap(x):
        t = simulate(load_scenario("baseline", {lever: x})).targets()
        g = {k: t[k]["gap_100m_cny"] for k in ("gdp", "industrial_output")}
        return min(g.values()) if target == "both" else g[target]

    assert gap(sol.value) >= 0 > gap(less)
    assert sol.direction == "increase"


def test_goal_seek_with_probability(unc):
    lever = "industry.organic_real_growth_rate"
    sol = solve(unc, lever, "both", probability=0.8, draws=400, seed=9)
    assert sol.reachable
    at = load_scenario("uncertainty", {lever: sol.value})
    below = load_scenario("uncertainty", {lever: sol.value - 1e-4})
    assert monte_carlo(at, 400, seed=9).probability()["both"] >= 0.8
    assert monte_carlo(below, 400, seed=9).probability()["both"] < 0.8


def test_unreachable_targets_are_reported():
    sol = solve("baseline", "environment.index", "both")
    assert not sol.reachable and sol.value is None
    assert "out of reach" in sol.message and sol.best_value == 1.0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lever": "nope.x"}, "real-valued parameter"),
        ({"lever": "calendar.horizon_months"}, "real-valued parameter"),
        ({"lever": "industry.tech_yield", "target": "fai"}, "expected one of"),
        ({"lever": "industry.tech_yield", "probability": 1.5}, "between 0 and 1"),
    ],
)
def test_goal_seek_bad_input(kwargs, message):
    with pytest.raises(ScenarioError, match=message):
        solve("baseline", **kwargs)


def test_required_path_milestones(baseline_result):
    df = required_path(baseline_result)
    assert list(df.index) == list(range(1, 13))
    target = targets()["gdp"]
    assert df.loc[6, "gdp_calendar"] == pytest.approx(target / 2)  # half the year, half the target
    assert df.loc[12, "gdp_seasonal"] == pytest.approx(target)
    assert df.loc[12, "industrial_output_projected"] == pytest.approx(
        baseline_result.targets()["industrial_output"]["value_100m_cny"]
    )


# --- command line --------------------------------------------------------------------
@pytest.mark.slow  # 3 s: Monte Carlo through the CLI
def test_cli_mc_json_keys(root):
    r = cli("mc", "uncertainty", "--draws", "500", "--seed", "3", "--format", "json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert set(d["probability"]) == {"gdp", "industrial_output", "both"}
    for k in ("gdp", "industrial_output"):
        assert d["quantiles"][k]["p5"] <= d["quantiles"][k]["p50"] <= d["quantiles"][k]["p95"]
    assert d["draws"] == 500 and d["seed"] == 3
    again = json.loads(cli("mc", "uncertainty", "--draws", "500", "--seed", "3",
                            "--format", "json").stdout)  # fmt: skip
    assert again["probability"] == d["probability"]
    table = cli("mc", "uncertainty", "--draws", "200")
    assert table.returncode == 0 and "both" in table.stdout


@pytest.mark.slow  # 10 s: Sobol and goal seek through the CLI
def test_cli_sensitivity_and_solve(root):
    r = cli("sensitivity", "uncertainty", "--method", "sobol", "--samples", "128",
             "--format", "json")  # fmt: skip
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)["rows"]
    assert {"output", "parameter", "S1", "ST"} <= set(rows[0])
    r = cli("sensitivity", "uncertainty", "--draws", "100")
    assert r.returncode == 0 and "industry.price_change_rate" in r.stdout
    r = cli("solve", "baseline", "--lever", "industry.organic_real_growth_rate", "--format", "json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["reachable"] and d["value"] > d["current_value"] and len(d["required_path"]) == 12
    r = cli("solve", "baseline", "--lever", "environment.index")
    assert r.returncode == 3 and "out of reach" in r.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("mc", "uncertainty", "--draws", "0"),
        ("mc", "nope"),
        ("solve", "baseline", "--lever", "nope.x"),
        ("solve", "baseline", "--lever", "industry.tech_yield", "--probability", "2"),
    ],
)
def test_cli_bad_input_exits_2(root, args):
    r = cli(*args)
    assert r.returncode == 2 and r.stderr.strip()
    assert "Traceback" not in r.stderr


# --- the page --------------------------------------------------------------------------
def test_uncertainty_page_shows_probabilities_and_solves(tmp_path, root):
    params = tmp_path / "params"
    shutil.copytree(root / "params", params)
    page = UncertaintyPage(params)  # opens on the baseline, as the dashboard does
    assert page.picker.value == "baseline"
    mc = monte_carlo(load_scenario("baseline", params_dir=params), 1000)
    assert f"{mc.probability()['gdp']:.1%}" in page.gauge.value
    path = summary.cumulative_path(mc.result, "gdp")  # the fan shows cumulative growth (%)
    np.testing.assert_allclose(
        page.fans["gdp"].median.y, path.growth_pct(mc.monthly_band()["p50"].to_numpy()), rtol=1e-12
    )
    # one probability everywhere: the dashboard's cards draw the same uncertainty
    dash = Dashboard(params)
    assert dash.mc.n == page.mc.n and dash.mc.seed == page.mc.seed
    assert dash.mc.probability() == page.mc.probability()
    assert "工业品价格变动" in page.tornado.value
    page.run_sobol(n=128)
    assert "S1" in page.sobol_table.value
    page.lever.value = "industry.organic_real_growth_rate"
    page.run_solve()
    assert "met" in page.answer.value and "存量工业实际增长" in page.answer.value
    assert "sim-solve-plausibility" in page.answer.value and "拟合分布" in page.answer.value
    assert page.path.value.count("<tr>") == 13
    page.language.value = "en"
    assert "Existing industry real growth" in page.answer.value
    assert "fitted distribution" in page.answer.value
    page.draws.value = 500
    assert page.mc.n == 500
    assert page.answer.value == "" and page.solution is None  # no answer of other settings


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"draws": 0}, "draws must be at least 1, got 0"),
        ({"draws": 2.5}, "draws must be a whole number, got 2.5"),
        ({"draws": True}, "draws must be a whole number, got True"),
        ({"seed": None}, "seed must be a whole number, got None"),
        ({"seed": "x"}, "seed must be a whole number, got 'x'"),
        ({"seed": -1}, "seed must be 0 or more, got -1"),
    ],
)
def test_a_bad_draw_count_or_seed_is_named(kwargs, expected):
    """An analyst's ``seed=None`` (numpy's "any seed") used to stop in numpy's seeding code
    with ``object of type 'NoneType' has no len()``."""
    with pytest.raises(ValueError, match=f"^{expected}"):
        monte_carlo("uncertainty", **{"draws": 10, **kwargs})


# --- honest goal seeking (issue 21, item 7) ------------------------------------------
def test_an_answer_says_how_likely_the_lever_value_is_under_its_fitted_distribution():
    lever = "industry.organic_real_growth_rate"
    sol = solve("baseline", lever, "both")
    spec = yaml.safe_load((ROOT / "params" / "scenarios" / "uncertainty.yaml").read_text())[
        "overrides"
    ][lever]  # N(mean, sd) fitted by the calibration
    assert spec["dist"] == "normal"
    z = (sol.value - spec["mean"]) / spec["sd"]
    expected = 0.5 * math.erfc(z / math.sqrt(2))  # P(X ≥ value), truncation negligible here
    assert sol.lever_probability == pytest.approx(expected, abs=2e-5)
    assert sol.lever_probability < 0.01 and "probability" in sol.message
    # industrial real growth at the answer is within the pack's record: no flag
    assert sol.plausible and sol.flags == [] and "within the range" in sol.message


def test_an_answer_beyond_the_record_is_flagged_with_the_record():
    lever = "industry.organic_real_growth_rate"
    sc = load_scenario("baseline", {"targets.industrial_output_100m_cny": 3300.0})
    sol = solve(sc, lever, "industrial_output")
    assert sol.reachable and not sol.plausible
    at = simulate(load_scenario("baseline", {**sc.overrides, lever: sol.value}))
    assert sol.flags == [{"check": f.check, **f.values} for f in plausibility.flags(at)]
    growth = {f["check"]: f for f in sol.flags}["industrial_growth"]
    record = sc.params.plausibility.industrial_real_growth_hi
    assert growth["hi_pct"] == pytest.approx(100 * record) and growth["value_pct"] > 100 * record
    assert "implausible: Real growth of above-scale industry" in sol.message


@pytest.mark.parametrize(
    "lever, reason",
    [
        ("pipeline.signed_annual_100m_cny", "economics"),  # output arrives in later years
        ("drivers.fai_growth_rate", "economics"),  # total FAI does not move output at all
    ],
)
def test_out_of_reach_says_whether_the_economics_or_a_bound_stops_it(lever, reason):
    sol = solve("baseline", lever, "both")
    assert not sol.reachable and sol.reason == reason
    assert ("the economics" in sol.message) == (reason == "economics")
    assert "the schema's bound" in sol.message


def test_a_lever_stopped_by_its_bound_says_so_with_the_value_a_line_would_need():
    # each new above-scale firm adds the same output: at the schema's 2,000 firms the lever
    # still works, and a straight line says how many a 4,500亿 target would need
    sc = load_scenario("baseline", {"targets.industrial_output_100m_cny": 4500.0})
    sol = solve(sc, "drivers.new_above_scale_firms", "industrial_output")
    assert not sol.reachable and sol.best_value == 2000 and sol.reason == "bound"
    inner = 2000.0 - 0.1 * (2000.0 - sol.current_value)
    gap = {
        n: simulate(load_scenario("baseline", {"drivers.new_above_scale_firms": n})).plan_year(
            "gross_industrial_output_100m_cny"
        )[0]
        - 4500.0
        for n in (inner, 2000.0)
    }
    line = 2000.0 - gap[2000.0] * (2000.0 - inner) / (gap[2000.0] - gap[inner])
    assert sol.needed_estimate == pytest.approx(line, rel=1e-9) and line > 2000
    assert "still works" in sol.message and f"≈{line:.4g}" in sol.message
