"""Drivers (issue 10): honoured exactly when set, left to the model when not, each moving
the outputs in the direction the evidence says; the fixes to the plan-year pipeline."""

from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import cli

from simulation import load_scenario, simulate
from simulation.analyses.driver_effects import driver_effects
from simulation.analyses.montecarlo import monte_carlo
from simulation.economy import model, schema

# value set → the JSON key it must show (tolerance 1e-9 of a point: exact to rounding)
SET = {
    "fai_growth_rate": 0.18,
    "industrial_fai_growth_rate": 0.25,
    "tech_fai_growth_rate": 0.4,
    "signed_100m_cny": 5000.0,
    "new_above_scale_firms": 160.0,
    "industrial_price_change_rate": 0.05,
    "consumer_price_change_rate": 0.025,
}


@pytest.mark.parametrize("name", schema.DRIVERS)
def test_each_driver_is_honoured_exactly(name):
    res = simulate(load_scenario("baseline", {f"drivers.{name}": SET[name]}))
    force = res.drivers()[name]
    assert force["set"]
    assert force["value"] == pytest.approx(SET[name], abs=1e-9)


def test_all_drivers_together_are_honoured_and_annual_json_reports_them():
    res = simulate(load_scenario("baseline", {f"drivers.{k}": v for k, v in SET.items()}))
    d = res.to_dict(monthly=False)
    a = d["annual"]
    assert a["fai_growth_pct"] == pytest.approx(18.0, abs=1e-9)
    assert a["industrial_fai_growth_pct"] == pytest.approx(25.0, abs=1e-9)
    assert a["tech_fai_growth_pct"] == pytest.approx(40.0, abs=1e-9)
    assert a["va_secondary_100m_cny"] == pytest.approx(
        a["va_industry_100m_cny"] + a["va_construction_100m_cny"], rel=1e-12
    )
    assert all(v["set"] for v in d["drivers"].values())
    # the FAI identity still holds month by month
    arr = res.arrays
    parts = arr["fai_projects_100m_cny"] + arr["fai_tech_100m_cny"] + arr["fai_other_100m_cny"]
    assert np.allclose(arr["fai_100m_cny"], parts + arr["fai_shock_100m_cny"], rtol=0, atol=1e-9)


def test_unset_drivers_are_the_models_and_pinning_them_changes_nothing():
    base = simulate(load_scenario("baseline"))
    force = base.drivers()
    assert not any(v["set"] for v in force.values())
    pinned = simulate(
        load_scenario("baseline", {f"drivers.{k}": v["value"] for k, v in force.items()})
    )
    for k in ("gdp_100m_cny", "gross_industrial_output_100m_cny", "fai_100m_cny"):
        assert pinned.arrays[k][0, 12:].sum() == pytest.approx(
            base.arrays[k][0, 12:].sum(), rel=1e-9
        )


def test_each_driver_moves_outputs_in_the_direction_of_the_evidence():
    e = driver_effects("baseline").set_index("driver")
    # investment drivers: more investment, more output and GDP (small within the year)
    for d in (
        "fai_growth_rate",
        "industrial_fai_growth_rate",
        "tech_fai_growth_rate",
        "signed_100m_cny",
    ):
        assert e.loc[d, "fai_change_100m_cny"] > 0, d
        assert e.loc[d, "gdp_change_100m_cny"] > 0, d
    for d in ("industrial_fai_growth_rate", "tech_fai_growth_rate"):
        assert e.loc[d, "industrial_output_change_100m_cny"] > 0, d
    # signings add capacity once built (12 months or more): nothing within their own year,
    # output the year after (the capacity channel)
    assert e.loc["signed_100m_cny", "industrial_output_change_100m_cny"] == pytest.approx(
        0, abs=1e-6
    )
    assert e.loc["signed_100m_cny", "industrial_output_change_next_year_100m_cny"] > 0
    # total FAI driver with industrial left to the model: non-industrial absorbs it
    assert e.loc["fai_growth_rate", "industrial_output_change_100m_cny"] == pytest.approx(
        0, abs=1e-6
    )
    # 小进规 raises the above-scale level, not GDP (entrants were below scale before)
    assert e.loc["new_above_scale_firms", "industrial_output_change_100m_cny"] > 0
    assert e.loc["new_above_scale_firms", "gdp_change_100m_cny"] == pytest.approx(0, abs=1e-6)
    # prices: nominal levels up, real growth unchanged
    assert e.loc["industrial_price_change_rate", "industrial_output_change_100m_cny"] > 20
    assert e.loc["consumer_price_change_rate", "gdp_change_100m_cny"] > 10
    for d in ("industrial_price_change_rate", "consumer_price_change_rate"):
        # (2 thousandths of a point: 技改's real value is deflated by industrial prices)
        assert e.loc[d, "gdp_real_growth_change_pts"] == pytest.approx(0, abs=2e-3)


def test_drivers_via_set_on_the_command_line():
    r = cli("run", "baseline", "--set", "drivers.fai_growth_rate=0.2", "--format", "json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["annual"]["fai_growth_pct"] == pytest.approx(20.0, abs=1e-9)
    assert d["drivers"]["fai_growth_rate"] == {"value": pytest.approx(0.2), "set": True}


def test_a_driver_out_of_bounds_is_refused_with_its_name():
    r = cli("run", "baseline", "--set", "drivers.fai_growth_rate=3")
    assert r.returncode == 2
    assert "drivers.fai_growth_rate" in r.stderr and "Traceback" not in r.stderr


def test_a_driver_may_carry_a_distribution_and_each_draw_is_honoured():
    sc = load_scenario("baseline")
    dist = {"drivers.fai_growth_rate": {"dist": "uniform", "low": 0.0, "high": 0.3}}
    from simulation.economy.distributions import parse

    mc = monte_carlo(sc, 50, seed=4, uncertainty={k: parse(v) for k, v in dist.items()})
    drawn = mc.values["drivers.fai_growth_rate"]
    in_force = mc.result.arrays["drivers"]["fai_growth_rate"][:, 0]
    assert np.allclose(in_force, drawn, atol=1e-12)
    assert drawn.std() > 0.05


def test_plan_year_does_not_depend_on_the_horizon():
    short = model.run(load_scenario("baseline").params)
    long = model.run(load_scenario("baseline", {"calendar.horizon_months": 60}).params)
    for k in model.SERIES:
        assert np.allclose(short[k][:, :24], long[k][:, :24], rtol=1e-10, atol=1e-9), k


def test_concentrated_start_adds_starts_in_the_plan_year_at_a_12_month_horizon():
    on = model.run(load_scenario("baseline").params)
    off = model.run(load_scenario("baseline", {"pipeline.concentrated_start_100m_cny": 0}).params)
    plan = on["t"] >= 0
    feb = np.flatnonzero(on["t"] == 1)[0]
    # 1189 start in February; the backlog they come from shrinks in every later month
    assert 1000 < on["started_100m_cny"][0, feb] - off["started_100m_cny"][0, feb] < 1189
    added = on["started_100m_cny"][0, plan].sum() - off["started_100m_cny"][0, plan].sum()
    # the event pulls forward from the whole backlog in proportion, including the part
    # due after the plan year: that part adds to the plan year's starts (≈200亿 here)
    assert added > 100
    assert on["fai_100m_cny"][0, plan].sum() > off["fai_100m_cny"][0, plan].sum()


def test_attraction_levers_move_only_cohorts_signed_from_the_plan_year():
    three = {"calendar.horizon_months": 36}
    a = model.run(load_scenario("baseline", three).params)
    b = model.run(
        load_scenario(
            "baseline",
            {
                **three,
                "pipeline.signed_annual_100m_cny": 8000,
                "pipeline.industrial_share": 0.9,
            },
        ).params
    )
    base = a["t"] < 0
    for k in ("fai_projects_100m_cny", "started_100m_cny", "gdp_100m_cny"):
        assert np.allclose(a[k][:, base], b[k][:, base], rtol=0, atol=1e-9), k
    assert a["gio_projects_initial_100m_cny"][0].sum() == pytest.approx(
        b["gio_projects_initial_100m_cny"][0].sum(), rel=1e-12
    )
    assert b["gio_projects_new_100m_cny"][0].sum() > a["gio_projects_new_100m_cny"][0].sum()
    # the industrial share goes by signing date: without plan-year signings the lever moves
    # nothing, though earlier years' backlog starts in the plan years (and in 集中开工)
    none = {**three, "pipeline.signed_annual_100m_cny": 0, "pipeline.january_signed_100m_cny": 0}
    c = model.run(load_scenario("baseline", none).params)
    d = model.run(load_scenario("baseline", {**none, "pipeline.industrial_share": 0.9}).params)
    assert c["started_100m_cny"][0, ~base].sum() > 1000  # the backlog does start
    for k in ("gross_industrial_output_100m_cny", "fai_industrial_100m_cny", "gdp_100m_cny"):
        assert np.allclose(c[k], d[k], rtol=0, atol=1e-9), k


def test_signing_solve_says_what_signings_move_instead():
    r = cli("solve", "baseline", "--lever", "pipeline.signed_annual_100m_cny")
    assert r.returncode == 3, r.stderr
    first = r.stdout.splitlines()[0]
    assert "out of reach" in first and "2023:" in first and "arrives in later years" in first


def test_drivers_command_shows_a_preset_in_driver_terms():
    r = cli("drivers", "industry_strong", "--format", "json")
    assert r.returncode == 0, r.stderr
    strong = {d["driver"]: d for d in json.loads(r.stdout)}
    base = {d["driver"]: d for d in json.loads(cli("drivers", "--format", "json").stdout)}
    # 工业突围战 strong: +15 points of 技改 growth and +50 entrants (the preset's moves)
    assert strong["tech_fai_growth_rate"]["in_force"] == pytest.approx(
        base["tech_fai_growth_rate"]["in_force"] + 0.15
    )
    assert strong["new_above_scale_firms"]["in_force"] == pytest.approx(
        base["new_above_scale_firms"]["in_force"] + 50
    )


def test_the_fai_growth_in_force_is_the_growth_of_the_fai_series_shocks_included():
    res = simulate(load_scenario("shock_heat_drought"))
    annual = res.annual()
    fai = annual["fai_100m_cny"].to_numpy()
    assert res.arrays["drivers"]["fai_growth_rate"][0, 0] == pytest.approx(fai[1] / fai[0] - 1)
    # the heat and drought hit FAI: the growth in force is below the baseline's
    base = simulate(load_scenario("baseline")).arrays["drivers"]["fai_growth_rate"][0, 0]
    assert res.arrays["drivers"]["fai_growth_rate"][0, 0] < base
