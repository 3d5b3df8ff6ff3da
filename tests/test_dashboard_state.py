"""The dashboard's state without widgets: settings in, scenario, result and messages out.

:class:`DashboardState` is what the widgets of :class:`Dashboard` bind to; these tests
drive it directly (test_ui.py checks what the page shows of it).
"""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pytest

from simulation import load_scenario, simulate
from simulation.analyses.montecarlo import DEFAULT_SEED, monte_carlo, uncertainty_for
from simulation.analyses.plausibility import flags
from simulation.economy import schema
from simulation.frontends.ui import render
from simulation.frontends.ui.dashboard_state import (
    ANNUAL,
    BAND_DRAWS,
    COUPLED,
    JANUARY,
    DashboardState,
    param_value,
)
from simulation.labels import param_label


@pytest.fixture
def state(params_dir):
    return DashboardState(params_dir)


def _gdp(state: DashboardState) -> float:
    return state.result.targets()["gdp"]["value_100m_cny"]


def _output(state: DashboardState) -> float:
    return state.result.targets()["industrial_output"]["value_100m_cny"]


# --- settings move the result ------------------------------------------------------------
def test_it_opens_on_the_baseline_with_its_result(state, params_dir):
    assert state.scenario_name == "baseline" and state.overrides == {}
    assert state.refusal is None and state.refusal_message() == ""
    expected = simulate(load_scenario("baseline", params_dir=params_dir)).targets()
    assert _gdp(state) == pytest.approx(expected["gdp"]["value_100m_cny"])
    assert state.baseline.head["gdp"]["value_100m_cny"] == pytest.approx(_gdp(state))
    assert state.plan_year() == 2022


def test_a_higher_tech_yield_raises_gdp(state):
    before = _gdp(state)
    assert state.set_lever("industry.tech_yield", 1.5)
    assert state.overrides == {"industry.tech_yield": 1.5} and state.moved == "industry.tech_yield"
    assert state.scenario.params.industry.tech_yield == 1.5
    assert _gdp(state) > before
    # the baseline (the comparison) stays
    assert state.baseline.head["gdp"]["value_100m_cny"] == pytest.approx(before)


def test_a_shock_lowers_industrial_output(state):
    before = _output(state)
    assert state.set_shock("supply_chain_spring", True)
    assert state.overrides == {"shocks.supply_chain_spring.enabled": True}
    assert _output(state) < before - 10


def test_a_preset_replaces_single_changes_of_its_levers(state):
    state.set_lever("industry.tech_investment_growth_rate", 0.5)
    before = _output(state)
    state.set_preset("industry", "strong")
    assert state.overrides == {"campaigns.industry": "strong"} and state.moved is None
    assert state.scenario.params.campaigns.industry == "strong"
    assert _output(state) != before


def test_choosing_a_scenario_drops_the_changes_and_reset_goes_back(state):
    state.set_lever("industry.tech_yield", 1.5)
    state.choose_scenario("all_strong")
    assert state.overrides == {} and state.scenario.name == "all_strong"
    assert state.result.targets()["gdp"]["met"]
    state.reset()
    assert state.scenario_name == "baseline" and state.scenario.name == "baseline"


def test_warnings_are_the_plausibility_checks_of_the_result(state):
    assert state.warnings() == []
    state.set_lever("industry.organic_real_growth_rate", 0.3)
    found = state.warnings()
    assert {f.check for f in found} >= {"gdp_growth", "industrial_growth"}
    assert found == flags(state.result)
    assert "<li>" in render.warnings_html(found, "zh") and render.warnings_html([], "zh") == ""


# --- refusals ----------------------------------------------------------------------------
def test_a_refused_setting_names_the_lever_and_its_feasible_range(state):
    before = state.result
    assert not state.set_lever("pipeline.realised_share", 0.9)
    assert state.result is None and state.mc is None  # no number of other settings
    assert state.scenario.params.pipeline.realised_share != 0.9  # labels keep the last good
    r = state.refusal
    assert r.lever == "pipeline.realised_share" and r.value == 0.9 and r.kind == "model"
    lo, hi = r.feasible
    assert lo < before.scenario.params.pipeline.realised_share <= hi < 0.9
    assert state.feasible(r.lever, hi) and not state.feasible(r.lever, hi + 0.005)
    msg = state.refusal_message()
    assert param_label("pipeline.realised_share", "zh") in msg
    assert "90.0%" in msg and f"{lo:.1%}" in msg and f"{hi:.1%}" in msg
    assert "Error" not in msg and "/" not in msg
    state.set_language("en")
    assert param_label("pipeline.realised_share", "en") in state.refusal_message()
    with pytest.raises(ValueError, match="refused"):
        state.excel()
    assert state.set_lever("pipeline.realised_share", 0.1)
    assert state.refusal is None and state.result is not None


def test_the_culprit_of_a_link_is_the_override_whose_removal_runs(params_dir):
    """Opened from a link with several changes: no lever moved last, the one to blame is
    found by leaving each out."""
    state = DashboardState(params_dir, query="industry.tech_yield=1.5&pipeline.realised_share=0.9")
    assert state.moved is None and state.result is None
    assert state.culprit()[0] == "pipeline.realised_share"
    assert state.refusal.lever == "pipeline.realised_share"


# --- slider bounds -----------------------------------------------------------------------
def test_bounds_follow_the_cross_lever_rules(state):
    meta = schema.numeric_paths()
    pl = state.scenario.params.pipeline
    b = state.bounds()
    assert b[JANUARY] == (meta[JANUARY]["lo"], pl.signed_annual_100m_cny)
    assert b[ANNUAL] == (pl.january_signed_100m_cny, meta[ANNUAL]["hi"])
    state.set_lever(ANNUAL, 3000.0)
    assert state.bounds()[JANUARY][1] == 3000.0  # January follows the year's signings
    for path in COUPLED:
        lo, hi = b[path]
        value = param_value(state.scenario.params, path)
        assert meta[path]["lo"] <= lo <= value <= hi < meta[path]["hi"], path
        step = meta[path]["step"]
        assert state.feasible(path, hi) and not state.feasible(path, hi + step), path


def test_coupled_bounds_are_searched_again_only_when_an_assumption_changes(state, monkeypatch):
    state.bounds()
    calls = []
    search = state.feasible_range
    monkeypatch.setattr(state, "feasible_range", lambda *a: calls.append(a) or search(*a))
    state.set_lever("industry.tech_yield", 1.5)  # a campaign lever: plan year on
    state.bounds()
    assert calls == []
    state.set_lever("pipeline.realised_share", 0.1)  # a base-year assumption
    state.bounds()
    assert [c[0] for c in calls] == list(COUPLED)


# --- link, export, uncertainty -----------------------------------------------------------
def test_the_query_string_round_trips(state, params_dir):
    state.set_preset("investment", "strong")
    state.set_lever("industry.tech_yield", 1.5)
    state.set_shock("heat_drought", True)
    state.set_language("en")
    query = state.query()
    again = DashboardState(params_dir, query=query)
    assert again.query_note == "" and again.lang == "en"
    assert (again.scenario_name, again.overrides) == (state.scenario_name, state.overrides)
    assert _gdp(again) == pytest.approx(_gdp(state))
    assert again.query() == query


def test_a_bad_link_opens_the_baseline_and_says_why(params_dir):
    state = DashboardState(params_dir, query="scenario=nope&industry.tech_yield=99")
    assert state.scenario_name == "baseline" and state.overrides == {}
    note = state.take_query_note()
    assert "nope" in note and param_label("industry.tech_yield", "zh") in note
    assert state.take_query_note() == ""  # said once


def test_excel_bytes_open_with_the_numbers(state):
    state.set_preset("industry", "strong")
    wb = openpyxl.load_workbook(io.BytesIO(state.excel()), read_only=True)
    rows = list(wb["年度结果"].iter_rows(values_only=True))
    col = rows[0].index("地区生产总值（亿元）")
    assert next(r for r in rows if r[0] == 2022)[col] == pytest.approx(_gdp(state))
    assert state.excel_name() == "荆州_基准情景_2022.xlsx"
    state.set_language("en")
    assert openpyxl.load_workbook(io.BytesIO(state.excel())).sheetnames[0] == "Annual"


def test_probabilities_are_the_monte_carlo_of_the_same_scenario(state, params_dir):
    state.set_lever("industry.tech_yield", 1.5)
    sc = load_scenario("baseline", {"industry.tech_yield": 1.5}, params_dir)
    dists, _ = uncertainty_for(sc, params_dir)
    mc = monte_carlo(sc, BAND_DRAWS, DEFAULT_SEED, uncertainty=dists)
    assert (state.mc.n, state.mc.seed) == (BAND_DRAWS, DEFAULT_SEED)
    assert state.probability() == mc.probability()
    band = state.band("gdp")
    assert band.shape == (2, 12) and (band[0] <= band[1]).all()
    state.set_band(False)
    assert state.mc is None and state.probability() is None and state.band("gdp") is None


# --- saving ------------------------------------------------------------------------------
def test_saving_writes_the_overrides_and_shows_the_saved_scenario(state, params_dir):
    state.set_lever("industry.tech_yield", 1.5)
    gdp = _gdp(state)
    done = state.save("我的情景")
    assert done.kind == "saved" and done.had_changes and not done.undoable
    assert done.path == params_dir / "scenarios" / "saved" / "我的情景.yaml"
    assert "industry.tech_yield: 1.5" in done.path.read_text(encoding="utf-8")
    assert state.scenario_name == "我的情景" and state.overrides == {}
    assert _gdp(state) == pytest.approx(gdp)
    assert "我的情景" in state.scenario_names()


def test_saving_over_a_scenario_asks_first_and_can_be_undone(state, params_dir):
    assert state.save("industry_strong").kind == "protected"  # calibrated: read-only
    state.set_lever("industry.tech_yield", 1.4)
    assert state.save("mine").kind == "saved"
    path = params_dir / "scenarios" / "saved" / "mine.yaml"
    first = path.read_text(encoding="utf-8")
    state.set_lever("industry.tech_yield", 1.5)
    assert state.save("mine").kind == "exists"
    assert path.read_text(encoding="utf-8") == first and state.overrides  # nothing done
    done = state.save("mine", overwrite=True)
    assert done.kind == "saved" and done.undoable
    assert "industry.tech_yield: 1.5" in path.read_text(encoding="utf-8")
    assert state.undo_save().kind == "undone"
    assert "industry.tech_yield: 1.4" in path.read_text(encoding="utf-8")
    assert state.scenario.params.industry.tech_yield == 1.4  # the shown scenario re-ran


def test_a_stale_overwrite_is_refused_naming_who_changed_it(state, params_dir):
    """Two pages on one saved scenario: the second to save does not silently replace the
    first's version."""
    state.set_lever("industry.tech_yield", 1.4)
    state.save("shared")
    other = DashboardState(params_dir=params_dir)
    other.choose_scenario("shared")
    other.saver = "王五"
    other.set_lever("industry.tech_yield", 1.1)
    assert other.save("shared", overwrite=True).kind == "saved"  # it saw the current one
    state.set_lever("industry.tech_yield", 1.6)
    done = state.save("shared", overwrite=True)  # this page saw the version before
    assert done.kind == "stale" and done.saved_by == "王五" and done.saved_at
    path = params_dir / "scenarios" / "saved" / "shared.yaml"
    assert "industry.tech_yield: 1.1" in path.read_text(encoding="utf-8")
    assert state.save("shared", overwrite=True).kind == "saved"  # having seen it now


def test_descriptions_do_not_pile_up_change_counts(state, params_dir):
    state.set_lever("industry.tech_yield", 1.4)
    state.save("a")
    state.set_lever("pipeline.start_share_change", 0.02)
    state.save("b")
    desc = load_scenario("b", params_dir=params_dir).description
    assert desc.endswith(" + 2 change(s)") and desc.count("change(s)") == 1


def test_a_refused_save_says_why_without_the_server_folders(state, params_dir):
    done = state.save("a/b")
    assert done.kind == "error" and "scenario name" in done.message
    assert str(params_dir) not in done.message
    assert state.scenario_name == "baseline"


# --- exact levers and clear state (issue 22) ------------------------------------------------
def test_a_lever_moved_away_and_back_lands_on_the_scenarios_own_value(state):
    path = "pipeline.signed_annual_100m_cny"
    own = state.scenario.params.pipeline.signed_annual_100m_cny
    step = schema.numeric_paths()[path]["step"]
    grid = round(own / step) * step  # where a slider on the step grid lands
    state.set_lever(path, grid + step)
    assert state.overrides[path] == pytest.approx(grid + step)
    state.set_lever(path, grid)  # back
    assert (
        path not in state.overrides and state.scenario.params.pipeline.signed_annual_100m_cny == own
    )
    assert path not in state.query()


def test_a_lever_value_carries_no_float_drift_into_the_link(state):
    path = "industry.organic_real_growth_rate"
    own = state.scenario.params.industry.organic_real_growth_rate
    step = schema.numeric_paths()[path]["step"]
    drifted = own + 3 * step + 1e-16 - 1e-17  # what repeated float steps produce
    state.set_lever(path, drifted)
    value = state.overrides[path]
    assert value == round(value, 8) and "e-1" not in state.query()


def test_a_refused_link_keeps_the_scenarios_values_on_the_sliders_and_the_link(params_dir):
    query = ("scenario=baseline&lang=zh&pipeline.realised_share=0.9"
             "&pipeline.signed_annual_100m_cny=20000")  # fmt: skip
    from simulation.frontends.ui import Dashboard

    app = Dashboard(params_dir, query=query)
    assert app.state.result is None  # the combination is refused
    own = load_scenario("baseline", params_dir=params_dir).params
    assert app.sliders["industry.tech_yield"].value == own.industry.tech_yield  # not 0
    assert app.sliders["pipeline.realised_share"].value == 0.9  # the refused one, to undo
    assert "pipeline.realised_share=0.9" in app.link.value


def test_a_scenario_switch_starts_from_that_scenarios_saved_values(state):
    state.set_lever("industry.tech_yield", 1.5)
    state.choose_scenario("industry_strong")
    assert state.overrides == {}
    assert (
        state.scenario.params.industry.tech_yield
        == load_scenario("industry_strong", params_dir=state.params_dir).params.industry.tech_yield
    )


def test_a_first_small_move_from_an_off_grid_value_still_counts(state):
    """A key press that takes an off-grid value to its nearest grid step is a move."""
    path = "industry.organic_real_growth_rate"
    own = state.scenario.params.industry.organic_real_growth_rate
    step = schema.numeric_paths()[path]["step"]
    nearest = round(own / step) * step
    assert nearest != own  # the calibrated value lies between two steps
    state.set_lever(path, nearest)
    assert state.overrides[path] == pytest.approx(nearest)


def test_a_link_giving_a_lever_twice_is_refused_naming_it(params_dir):
    q = "scenario=baseline&lang=en&industry.tech_yield=0.5&industry.tech_yield=0.6"
    st = DashboardState(params_dir, query=q)
    assert st.overrides == {} and st.scenario_name == "baseline"
    note = st.take_query_note()
    assert "given twice" in note and "0.6" not in str(st.overrides)


def test_a_link_carries_its_city_and_another_citys_link_is_refused(params_dir):
    st = DashboardState(params_dir, query="scenario=baseline&industry.tech_yield=0.5")
    assert st.query().startswith(f"city={st.city_code}&")  # links name their city
    ok = DashboardState(params_dir, query=f"city={st.city_code}&industry.tech_yield=0.5")
    assert ok.overrides == {"industry.tech_yield": 0.5} and ok.query_note == ""
    other = DashboardState(params_dir, query="city=jingmen&lang=en&industry.tech_yield=0.5")
    assert other.overrides == {} and "the link is for the city jingmen" in other.take_query_note()


def test_a_server_of_several_cities_opens_the_city_a_link_names():
    from helpers import ROOT

    from simulation.frontends.ui.app import Dashboard
    from simulation.frontends.ui.cities import page_from_environment

    root = ROOT / "cities"
    q = "city=jingmen&scenario=baseline&lang=en&industry.tech_yield=0.5"
    page = page_from_environment(Dashboard, {"params_dir": root, "lang": "zh", "query": q})
    assert page.picker.value == "jingmen" and page.page.lang == "en"
    assert page.page.state.overrides == {"industry.tech_yield": 0.5}
    assert page.page.state.query().startswith("city=jingmen&")
    # a city this server lacks: the first city's page says so, nothing applied
    page = page_from_environment(Dashboard, {"params_dir": root, "query": "city=wuhan"})
    assert page.page.state.overrides == {}
    assert "wuhan" in page.page.status.value or "wuhan" in page.page.state.query_note
    # a city picked afterwards opens on its own baseline, no link re-read
    page.picker.value = "jingzhou"
    assert page.page.state.overrides == {} and page.page.state.query_note == ""


def test_lever_moves_apply_to_the_scenario_as_chosen_without_reading_its_files(params_dir):
    from simulation.io.saving import save_scenario

    save_scenario("mine", "baseline", {"industry.tech_yield": 0.5}, params_dir=params_dir,
                  saved_by="甲")  # fmt: skip
    st = DashboardState(params_dir)
    st.choose_scenario("mine")
    before = _gdp(st)
    # a colleague overwrites it on disk; a file this page read is then removed outright
    save_scenario("mine", "baseline", {"industry.tech_yield": 0.1}, params_dir=params_dir,
                  overwrite=True, saved_by="乙", expected_version=st.seen_versions["mine"])  # fmt: skip
    st.set_lever("pipeline.start_share", st.scenario.params.pipeline.start_share)
    assert _gdp(st) == pytest.approx(before)  # the version chosen, not re-read per move
    assert st.scenario.params.industry.tech_yield == 0.5
    st.choose_scenario("mine")  # choosing again reads the scenario as saved now
    assert st.scenario.params.industry.tech_yield == 0.1 and _gdp(st) < before


def test_the_coupled_levers_ranges_are_answered_directly_and_are_tight(state, monkeypatch):
    runs = []
    feasible = state.feasible
    monkeypatch.setattr(state, "feasible", lambda *a: runs.append(a) or feasible(*a))
    for path in COUPLED:
        meta = schema.numeric_paths()[path]
        lo, hi = state.feasible_range(path, param_value(state.scenario.params, path))
        for end, beyond in ((lo, lo - meta["step"]), (hi, hi + meta["step"])):
            assert feasible(path, end)
            if meta["lo"] <= beyond <= meta["hi"]:  # the range stops where the model refuses
                assert not feasible(path, beyond), (path, end, beyond)
    assert len(runs) == 2 * len(COUPLED)  # one check a range end: no search


def test_the_rules_interval_is_where_the_rules_hold():
    from simulation.economy import rules

    params = load_scenario("baseline").params
    for path in ("base_year.construction_share_of_secondary", "pipeline.large_share",
                 "pipeline.january_signed_100m_cny", "pipeline.build_medium_months"):  # fmt: skip
        lo, hi = rules.interval(params, path)
        for inside, x in ((True, lo), (True, hi), (False, lo - 1e-6), (False, hi + 1e-6)):
            if np.isfinite(x):
                broken = rules.broken_rules(params, {path: np.array([x])})
                assert (not broken) == inside, (path, x, broken)
