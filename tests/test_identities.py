"""Accounting identities over many random valid parameter sets (hypothesis).

Tolerances: GDP = sum of parts is exact (the core builds GDP as that sum); identities
through sums of months or FFT convolutions hold to 1e-9 relative or 1e-6 亿元.
"""

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import simulation
from simulation.economy import model, schema
from simulation.economy.investment import InvestmentBaseError

LEVERS = schema.lever_paths() + [
    "pipeline.start_share",
    "pipeline.start_lag_median_months",
    "pipeline.realised_share",
    "pipeline.ramp_months",
    "pipeline.output_to_investment_ratio",
    "industry.price_change_rate",
    "accounts.services_spillover_elasticity",
]
BASE = simulation.load_scenario("baseline")


@st.composite
def param_sets(draw):
    meta = schema.numeric_paths()
    over = {}
    for path in LEVERS:
        m = meta[path]
        lo, hi = m["lo"], m["hi"]
        if path == "pipeline.january_signed_100m_cny":
            hi = min(hi, 3000)
        if path == "pipeline.signed_annual_100m_cny":
            lo = 3000
        x = draw(st.floats(lo, hi, allow_nan=False))
        over[path] = round(x) if m["integer"] else x
    shocks = draw(st.lists(st.sampled_from(sorted(BASE.params.shocks)), unique=True))
    for s in shocks:
        over[f"shocks.{s}.enabled"] = True
    over["calendar.horizon_months"] = draw(st.sampled_from([12, 24, 60]))
    return over


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(param_sets())
def test_identities_hold(over):
    sc = simulation.load_scenario("baseline", overrides=over)
    try:
        a = model.run(sc.params)
    except InvestmentBaseError:  # invalid combination, reported to the user as such
        assume(False)
    t = a["t"]
    parts = (
        a["va_primary_100m_cny"]
        + a["va_industry_100m_cny"]
        + a["va_construction_100m_cny"]
        + a["va_tertiary_100m_cny"]
    )
    assert np.array_equal(a["gdp_100m_cny"], parts)
    real = (
        a["va_primary_real_100m_cny"]
        + a["va_industry_real_100m_cny"]
        + a["va_construction_real_100m_cny"]
        + a["va_tertiary_real_100m_cny"]
    )
    assert np.array_equal(a["gdp_real_100m_cny"], real)

    # FAI = projects + 技改 + other (+ the shock's loss)
    fai = (
        a["fai_projects_100m_cny"]
        + a["fai_tech_100m_cny"]
        + a["fai_other_100m_cny"]
        + a["fai_shock_100m_cny"]
    )
    assert np.allclose(a["fai_100m_cny"], fai, rtol=1e-12, atol=1e-9)
    gio = (
        a["gio_existing_100m_cny"]
        + a["gio_tech_100m_cny"]
        + a["gio_new_firms_100m_cny"]
        + a["gio_exits_100m_cny"]
        + a["gio_projects_initial_100m_cny"]
        + a["gio_projects_new_100m_cny"]
        + a["gio_shock_100m_cny"]
    )
    assert np.allclose(a["gross_industrial_output_100m_cny"], gio, rtol=1e-12, atol=1e-9)

    # contributions add up to the change over the same month of the base year
    base_pos = 0 + (t % 12)
    change = a["gdp_100m_cny"] - a["gdp_100m_cny"][:, base_pos]
    contrib = sum(
        a[f"contrib_{m}_100m_cny"]
        for m in (
            "existing_industry",
            "tech",
            "new_firms",
            "new_projects",
            "construction",
            "services",
            "primary",
            "shocks",
        )
    )
    assert np.allclose(contrib, change, rtol=1e-12, atol=1e-8)

    # base year reproduces the data whatever the levers
    by = sc.params.base_year
    b = t < 0
    assert np.isclose(a["gdp_100m_cny"][:, b].sum(), by.gdp_100m_cny, rtol=1e-12)
    assert np.isclose(
        a["gross_industrial_output_100m_cny"][:, b].sum(), by.industrial_output_100m_cny, rtol=1e-12
    )
    assert np.isclose(a["fai_100m_cny"][:, b].sum(), by.fai_100m_cny, rtol=1e-12)

    # pipeline mass: signed ≥ started ≥ producing ≥ full ≥ 0 (cumulative contract value)
    tol = 1e-6
    assert np.all(a["signed_cum_100m_cny"] + tol >= a["started_cum_100m_cny"])
    assert np.all(a["started_cum_100m_cny"] + tol >= a["producing_cum_100m_cny"])
    assert np.all(a["producing_cum_100m_cny"] + tol >= a["full_cum_100m_cny"])
    assert np.all(a["full_cum_100m_cny"] >= -tol)
    assert np.all(a["started_100m_cny"] >= -tol)
    # no more started than the start share allows of what was signed
    rho_max = min(
        1.0,
        sc.params.pipeline.start_share
        + max(sc.params.pipeline.start_share_change, 0)
        + sc.params.environment.start_share_gain * max(sc.params.environment.index, 0),
    )
    assert np.all(
        a["started_cum_100m_cny"]
        <= rho_max * a["signed_cum_100m_cny"]
        + 1e-6
        + sc.params.pipeline.concentrated_start_100m_cny
    )


def test_pipeline_spending_conserves_mass():
    """Over a long horizon every started yuan is spent at the realised share."""
    sc = simulation.load_scenario(
        "baseline",
        overrides={
            "calendar.horizon_months": 120,
            "pipeline.signed_annual_100m_cny": 0,
            "pipeline.january_signed_100m_cny": 0,
        },
    )
    a = model.run(sc.params)
    spent = a["fai_projects_100m_cny"].sum()
    # projects started before the base year spent part before it: compare flows since then
    started_since = a["started_100m_cny"].sum()
    r = sc.params.pipeline.realised_share
    # everything started from the base year on is fully spent by month 120 (builds ≤ 24 m)
    before = a["started_cum_100m_cny"][0, 0] - a["started_100m_cny"][0, 0]
    assert spent >= r * started_since * 0.999
    assert spent <= r * (started_since + before) * 1.001


def test_draw_axis_matches_single_runs():
    """A vectorised call over draws equals separate deterministic runs, draw by draw."""
    vals = np.array([0.7, 0.85, 0.95])
    tv = np.array([1.0, 1.5, 2.0])
    res = simulation.simulate(
        "baseline", draws={"pipeline.start_share": vals, "pipeline.output_to_investment_ratio": tv}
    )
    for i, (v, k) in enumerate(zip(vals, tv, strict=False)):
        one = simulation.simulate(
            simulation.load_scenario(
                "baseline",
                overrides={"pipeline.start_share": v, "pipeline.output_to_investment_ratio": k},
            )
        )
        for key in ("gdp_100m_cny", "gross_industrial_output_100m_cny", "fai_100m_cny"):
            assert np.allclose(res.arrays[key][i], one.arrays[key][0], rtol=1e-12, atol=1e-9)


def test_draws_of_unknown_or_out_of_bounds_parameters_are_refused():
    import pytest

    with pytest.raises(simulation.ScenarioError, match="not a numeric parameter"):
        simulation.simulate("baseline", draws={"shocks.nosuch.depth_share": [0.1, 0.2]})
    with pytest.raises(simulation.ScenarioError, match="outside 0.2 to 1"):
        simulation.simulate("baseline", draws={"pipeline.start_share": [0.5, 1.5]})
    res = simulation.simulate(
        "shock_supply_chain", draws={"shocks.supply_chain_spring.depth_share": [0.0, 0.08]}
    )
    gio = res.arrays["gross_industrial_output_100m_cny"].sum(axis=1)
    assert gio[1] < gio[0]
