"""The dashboard's widgets, summaries, labels, saving and Excel export, without a browser.

The browser tests (test_browser.py) drive the same app through Voila and Chromium; these
check the logic behind each control directly and exactly.
"""

from __future__ import annotations

import io
import re

import numpy as np
import openpyxl
import pytest
from helpers import baseline_value

from simulation import load_scenario, simulate
from simulation.analyses import summary as S
from simulation.economy import schema
from simulation.frontends.export import write_excel
from simulation.frontends.ui import Dashboard, render
from simulation.frontends.ui.app import COUPLED, OTHER_ASSUMPTIONS
from simulation.io.errors import ScenarioError, ScenarioExists
from simulation.io.saving import check_scenario_name, save_scenario
from simulation.labels import LANGS, TEXT, column_label, context, param_label, plain_text, tr


@pytest.fixture
def app(params_dir):
    return Dashboard(params_dir)


def _card_value(html: str) -> float:
    return float(re.search(r'class="v">([\d.]+) <small>(?:亿元|100m CNY)', html).group(1))


# --- widgets built from the schema ---------------------------------------------------------
def test_every_lever_has_a_slider_with_schema_bounds_and_hooks(app):
    paths = schema.numeric_paths()
    assert set(schema.lever_paths()) <= set(app.sliders)
    assert len(schema.lever_paths()) >= 12
    coupled = {*COUPLED, "pipeline.january_signed_100m_cny", "pipeline.signed_annual_100m_cny"}
    for path, s in app.sliders.items():
        meta = paths[path]
        assert s.step == meta["step"], path
        if path in coupled:  # narrowed by the cross-lever rules, never widened
            assert meta["lo"] <= s.min <= s.value <= s.max <= meta["hi"], path
        else:
            assert (s.min, s.max) == (meta["lo"], meta["hi"]), path
        assert "sim-lever" in s._dom_classes
        assert f"sim-lever-{path.replace('.', '-')}" in s._dom_classes
        assert param_label(path, "zh") in s.description
        assert param_label(path, "zh") in s.tooltip and "来源" in s.tooltip
    # in English the tooltip adds the description, its Chinese terms glossed and parameter
    # paths named by their labels; both languages say how the value was made (the source's
    # first word: DATA, ESTIMATED, …), the citation itself is in CALIBRATION.md
    app.language.value = "en"
    for path, s in app.sliders.items():
        meta = paths[path]
        assert plain_text(meta["description"], "en") in s.tooltip
        bare = s.tooltip.replace("亿元", "")  # the unit stays untranslated in English labels
        assert "CALIBRATION.md" in s.tooltip and not re.search(r"[\u4e00-\u9fff]", bare)
    assert (
        "value estimated from the record"
        in app.sliders["industry.organic_real_growth_rate"].tooltip
    )


def test_coupled_sliders_end_where_the_model_stops_accepting(app):
    """Dragging a coupled lever to the end of its slider gives a result; one step further
    (outside the slider) the model refuses: the slider's range is the feasible range."""
    for path in COUPLED:
        s = app.sliders[path]
        assert s.max < schema.numeric_paths()[path]["hi"], path  # the rule binds here
        s.value = s.max
        assert "sim-stale" not in app.results._dom_classes, (path, app.status.value)
        assert app.state.feasible(path, s.max) and not app.state.feasible(path, s.max + s.step)
    jan = app.sliders["pipeline.january_signed_100m_cny"]
    year = app.sliders["pipeline.signed_annual_100m_cny"]
    assert jan.max == year.value and year.min == jan.value
    year.value = year.min - 500  # clamped by the slider: the state cannot be reached
    assert year.value == jan.value and "sim-stale" not in app.results._dom_classes


def test_a_refused_setting_greys_the_results_and_names_the_lever_and_its_range(app):
    s = app.sliders["pipeline.realised_share"]
    s.max = 1.0  # as a link or an old client could ask
    s.value = 0.9
    assert "sim-stale" in app.results._dom_classes and app.excel.disabled
    msg = app.status.value
    assert "资金落地率" in msg and "90.0%" in msg and "2.0%" in msg
    assert "/" not in msg and "Error" not in msg and "亿元" not in app.cards["gdp"].value
    s.value = 0.1
    assert "sim-stale" not in app.results._dom_classes and app.status.value == ""
    assert "亿元" in app.cards["gdp"].value and not app.excel.disabled


def test_sliders_show_the_resolved_scenario(app):
    p = app.scenario.params
    for path, s in app.sliders.items():
        section, key = path.split(".")
        assert s.value == pytest.approx(getattr(getattr(p, section), key)), path


def test_headline_cards_carry_hooks_and_the_annual_values(app):
    t = simulate(load_scenario("baseline", params_dir=app.params_dir)).targets()
    assert "sim-headline-gdp" in app.cards["gdp"]._dom_classes
    assert "sim-headline-industrial-output" in app.cards["industrial_output"]._dom_classes
    assert "sim-language" in app.language._dom_classes
    for name in ("gdp", "industrial_output"):
        assert _card_value(app.cards[name].value) == round(t[name]["value_100m_cny"], 1)
        assert "未达成" in app.cards[name].value  # the baseline misses both narrowly


def test_moving_a_lever_reruns_the_model_with_that_override(app):
    before = _card_value(app.cards["gdp"].value)
    app.sliders["industry.tech_yield"].value = 1.5
    assert app.overrides == {"industry.tech_yield": 1.5}
    expected = simulate(
        load_scenario("baseline", {"industry.tech_yield": 1.5}, app.params_dir)
    ).targets()["gdp"]["value_100m_cny"]
    after = _card_value(app.cards["gdp"].value)
    assert after == round(expected, 1) and after > before
    path = S.cumulative_path(app.result, "gdp")  # the chart shows growth on the base year
    np.testing.assert_allclose(app.path_charts["gdp"].scenario.y, path.growth_pct(path.cumulative))
    december = 100 * (path.cumulative[-1] / path.base_cumulative[-1] - 1)
    assert app.path_charts["gdp"].scenario.y[-1] == pytest.approx(december)
    nominal = float(app.cards["gdp"].value.split("名义增长 ")[1].split("%")[0])
    assert round(december, 1) == nominal  # the card's nominal growth, to its one decimal


def test_the_growth_axis_shows_the_band_and_the_target(app):
    ch = app.path_charts["gdp"]
    band = np.asarray(ch.band.y)
    assert ch.band.visible and band.shape == (2, 12)
    span = ch.ys.max - ch.ys.min
    # the December band fills a visible part of the axis (on 0-3000 亿元 it was ≈5%)
    assert (band[1, -1] - band[0, -1]) / span > 0.15
    assert ch.ys.min <= band.min() and ch.target.y[0] <= ch.ys.max


def test_a_preset_moves_all_its_levers_and_replaces_single_changes(app):
    levers = schema.lever_paths("industry")
    before = {p: app.sliders[p].value for p in levers}
    app.sliders["industry.tech_investment_growth_rate"].value = 0.5
    app.presets["industry"].value = "strong"
    assert app.overrides == {"campaigns.industry": "strong"}
    deltas = app.scenario.params.campaign_presets["industry"]["strong"]
    for p in levers:
        assert app.sliders[p].value == pytest.approx(before[p] + deltas.get(p, 0.0)), p
    assert sum(app.sliders[p].value != before[p] for p in levers) >= 3


def test_a_shock_toggle_lowers_the_year(app):
    before = _card_value(app.cards["industrial_output"].value)
    app.shock_boxes["supply_chain_spring"].value = True
    assert app.overrides == {"shocks.supply_chain_spring.enabled": True}
    assert _card_value(app.cards["industrial_output"].value) < before - 10


def test_picking_a_scenario_and_reset(app):
    app.sliders["industry.tech_yield"].value = 1.5
    app.picker.value = "all_strong"
    assert app.overrides == {} and app.scenario.name == "all_strong"
    assert all(t.value == "strong" for t in app.presets.values())
    assert "✔" in app.cards["gdp"].value
    app.reset.click()
    assert app.scenario.name == "baseline" and app.picker.value == "baseline"


def test_an_invalid_combination_cannot_be_dragged_to(app):
    year = app.scenario.params.pipeline.signed_annual_100m_cny
    app.sliders["pipeline.january_signed_100m_cny"].value = 4000  # more than the year's
    assert app.sliders["pipeline.january_signed_100m_cny"].value == year  # the slider ends
    assert app.status.value == "" and app.scenario.params.pipeline.january_signed_100m_cny == year


def test_language_switch_relabels_without_changing_numbers(app):
    zh = app.cards["gdp"].value
    app.language.value = "en"
    en = app.cards["gdp"].value
    assert "target" in en and "目标" not in en
    assert _card_value(zh) == _card_value(en)
    assert app.sliders["industry.tech_yield"].description.startswith("Tech-upgrade output yield")
    assert app.waterfalls["gdp"].bars.x[0] == tr("mech_base", "en", base_year=2021)
    assert app.presets["industry"].value == "plan"
    app.language.value = "zh"
    assert "目标" in app.cards["gdp"].value


def test_label_table_is_complete():
    for key, texts in TEXT.items():
        assert len(texts) == len(LANGS) and all(t.strip() for t in texts), key
    for path in [*schema.lever_paths(), *OTHER_ASSUMPTIONS]:
        assert param_label(path, "zh") != path and param_label(path, "en") != path, path
    for key in simulate("baseline").annual().columns:
        if key not in ("year", "months"):
            assert column_label(key, "zh", **context(None, "zh")) != key, key
    with pytest.raises(KeyError):
        tr("no such label")


def test_a_link_opens_its_pathway_and_the_page_offers_its_link(params_dir):
    query = "city=jingzhou&scenario=industry_strong&lang=en&industry.tech_yield=1.5"
    app = Dashboard(params_dir, query=query)
    assert app.picker.value == "industry_strong" and app.language.value == "en"
    assert app.sliders["industry.tech_yield"].value == 1.5 and app.status.value == ""
    assert f'data-query="{query.replace("&", "&amp;")}"' in app.link.value
    assert 'class="sim-link-text"' in app.link.value and 'class="sim-copy-link"' in app.link.value


def test_a_bad_link_opens_the_baseline_and_says_so_once(params_dir):
    app = Dashboard(params_dir, query="scenario=nope")
    assert app.picker.value == "baseline" and "nope" in app.status.value
    app.sliders["industry.tech_yield"].value = 1.5
    assert app.status.value == ""


def test_a_card_without_a_target_shows_the_forecast_only():
    rec = {
        "value_100m_cny": 100.0,
        "target_100m_cny": 0.0,
        "gap_100m_cny": 0.0,
        "met": False,
        "real_growth_pct": 5.0,
        "nominal_growth_pct": 6.0,
    }
    prob = {"gdp": 0.5, "industrial_output": 0.5, "both": 0.3}
    card = render.card_html(
        "gdp", rec, {**rec, "value_100m_cny": 90.0}, 2022, "en", prob=prob, basis=(1000, 1)
    )
    assert 'class="sim-card untargeted"' in card and "+10.0" in card
    assert "sim-mc-basis" not in card and "100.0 <small>100m CNY" in card  # units in English


# --- summaries ---------------------------------------------------------------------------
@pytest.mark.parametrize("indicator", ["gdp", "industrial_output"])
def test_waterfall_steps_add_up_exactly(indicator):
    res = simulate("shock_supply_chain")
    wf = S.waterfall(res, indicator)
    assert wf.names[0] == "base" and wf.names[-1] == "total"
    assert wf.change[1:-1].sum() == pytest.approx(wf.change[-1] - wf.change[0], abs=1e-9)
    assert wf.change[-1] == pytest.approx(res.targets()[indicator]["value_100m_cny"], abs=1e-9)
    assert "down" in wf.kind  # the shock
    assert np.all(wf.height >= 0)


def test_paths_end_on_the_annual_value_and_paces_on_target():
    res = simulate("baseline")
    for ind in ("gdp", "industrial_output"):
        p = S.cumulative_path(res, ind)
        assert p.cumulative[-1] == pytest.approx(res.targets()[ind]["value_100m_cny"])
        assert p.calendar_pace[5] == pytest.approx(p.target / 2)
        assert p.seasonal_pace[-1] == pytest.approx(p.target)
        assert np.all(np.diff(p.seasonal_pace) > 0)
    f = S.funnel(res)
    assert f["signed"] > f["started"] > f["producing"] > f["full"] > 0
    pl = res.scenario.params.pipeline  # every signing of the history and of the plan year
    assert f["signed"] == pytest.approx(sum(pl.history_signed_100m_cny) + pl.signed_annual_100m_cny)


def test_the_funnel_is_nested_even_when_every_campaign_is_strong():
    """The year's starts can exceed its signings (the concentrated start draws on the
    backlog); the funnel shows stages reached, so each stage holds the next."""
    f = S.funnel(simulate("all_strong"))
    assert f["signed"] >= f["started"] >= f["producing"] >= f["full"]


# --- saving ------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["", "../evil", "a/b", ".hidden", "with space", "base", "x" * 61])
def test_scenario_names_are_sanitised(bad):
    with pytest.raises(ScenarioError, match="scenario name"):
        check_scenario_name(bad)


def test_names_may_be_chinese():
    assert check_scenario_name(" 工业发力_v2 ") == "工业发力_v2"


def test_saving_writes_overrides_only_that_reload(app, params_dir):
    app.sliders["industry.tech_yield"].value = 1.5
    app.presets["investment"].value = "strong"
    value = _card_value(app.cards["gdp"].value)
    app.save_name.value = "我的情景"
    app.save_by.value = "张三"
    app.save_button.click()
    path = params_dir / "scenarios" / "saved" / "我的情景.yaml"  # the planners' own area
    assert path.is_file() and "saved_by: 张三" in path.read_text(encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert "extends: baseline" in text and "industry.tech_yield: 1.5" in text
    assert "history_signed" not in text  # overrides only
    assert "我的情景" in [v for _, v in app.picker.options] and app.picker.value == "我的情景"
    assert app.overrides == {} and _card_value(app.cards["gdp"].value) == value
    res = simulate(load_scenario("我的情景", params_dir=params_dir))
    assert round(res.targets()["gdp"]["value_100m_cny"], 1) == value


def test_a_calibrated_scenario_cannot_be_saved_over_from_the_app(app, params_dir):
    path = params_dir / "scenarios" / "uncertainty.yaml"
    shipped = path.read_bytes()
    app.sliders["industry.tech_yield"].value = 1.5
    for lang, words in (("zh", "只读"), ("en", "read-only")):
        app.language.value = lang
        app.save_name.value = "uncertainty"
        app.save_button.click()
        assert words in app.save_status.value and app.save_confirm.layout.display == "none"
    assert path.read_bytes() == shipped
    assert not (params_dir / "scenarios" / "saved" / "uncertainty.yaml").exists()


def test_saving_over_a_saved_scenario_needs_confirmation_and_any_page_can_restore(app, params_dir):
    app.sliders["industry.tech_yield"].value = 1.5
    app.save_name.value = "mine"
    app.save_by.value = "李四"
    app.save_button.click()
    path = params_dir / "scenarios" / "saved" / "mine.yaml"
    first = path.read_text("utf-8")
    app.sliders["industry.tech_yield"].value = 1.2
    app.save_button.click()
    assert path.read_text("utf-8") == first and "李四" in app.save_status.value  # whose it is
    assert app.save_confirm.layout.display != "none"
    app.save_confirm.click()
    assert "industry.tech_yield: 1.2" in path.read_text("utf-8")
    # another page (a colleague, later) lists the kept version and puts it back
    other = Dashboard(params_dir=params_dir)
    other.picker.value = "mine"
    assert other.history_box.layout.display != "none" and len(other.history.options) == 1
    other.history.value = other.history.options[0][1]
    other.restore_button.click()
    assert "industry.tech_yield: 1.5" in path.read_text("utf-8")
    assert len(other.history.options) == 2  # the replaced version is kept in turn


def test_overwriting_the_scenario_it_extends_folds_its_overrides_in(params_dir):
    save_scenario("mine", "industry_strong", {"industry.tech_yield": 1.1}, params_dir=params_dir)
    save_scenario(
        "mine", "mine", {"industry.tech_yield": 1.2}, params_dir=params_dir, overwrite=True
    )
    sc = load_scenario("mine", params_dir=params_dir)
    assert sc.params.campaigns.industry == "strong" and sc.params.industry.tech_yield == 1.2
    with pytest.raises(ScenarioExists):
        save_scenario("mine", "baseline", {}, params_dir=params_dir)


def test_an_invalid_save_writes_nothing(params_dir):
    with pytest.raises(ScenarioError, match="not saved"):
        save_scenario("bad", "baseline", {"industry.tech_yield": 99}, params_dir=params_dir)
    assert not list((params_dir / "scenarios").rglob("*bad*"))
    assert not list((params_dir / "scenarios").rglob(".*"))


# --- Excel -------------------------------------------------------------------------------
def test_excel_holds_the_numbers_with_chinese_headers(app):
    app.presets["industry"].value = "strong"
    data = write_excel(app.result)
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert wb.sheetnames[:3] == ["年度结果", "月度结果", "目标对比"]
    rows = list(wb["年度结果"].iter_rows(values_only=True))
    header = rows[0]
    assert header[0] == "年份" and "地区生产总值（亿元）" in header
    gdp_col = header.index("地区生产总值（亿元）")
    year_2022 = next(r for r in rows if r[0] == 2022)
    assert round(year_2022[gdp_col], 1) == _card_value(app.cards["gdp"].value)
    monthly = list(wb["月度结果"].iter_rows(values_only=True))
    assert monthly[0][0] == "月份" and len(monthly) == 1 + 12
    assert sum(r[gdp_col] for r in monthly[1:]) == pytest.approx(year_2022[gdp_col])
    settings = dict(wb["情景设置"].iter_rows(values_only=True))
    assert settings["scenario"] == "baseline"
    assert settings["override: campaigns.industry"] == "strong"


def test_excel_link_is_a_download(app):
    app.excel.click()
    assert app.excel_link.value.startswith('<a download="荆州_基准情景_2022.xlsx"')


def test_excel_to_a_path_is_atomic(tmp_path):
    out = tmp_path / "r.xlsx"
    write_excel(simulate("baseline"), out, lang="en")
    assert openpyxl.load_workbook(out).sheetnames[0] == "Annual"
    assert not list(tmp_path.glob("*.part"))


def test_a_combination_the_model_refuses_shows_why_and_no_stale_numbers(app):
    """资金落地率 so high that projects alone exceed industrial FAI (reachable from a link,
    not by dragging): a message, no old cards."""
    before = _card_value(app.cards["gdp"].value)  # the baseline's GDP, on the card at start
    assert before == pytest.approx(baseline_value("baseline", "gdp_100m_cny"), abs=0.05)
    app.sliders["pipeline.realised_share"].max = 1.0
    app.sliders["pipeline.realised_share"].value = 0.5
    assert "资金落地率" in app.status.value
    assert "—" in app.cards["gdp"].value and f"{before:.1f}" not in app.cards["gdp"].value
    app.sliders["pipeline.realised_share"].value = 0.15  # feasible, some band draws are not
    assert app.status.value == ""
    assert _card_value(app.cards["gdp"].value) > before  # more of the signings land: a number


def test_excel_numbers_carry_no_floating_point_noise(tmp_path):
    """The base year's contribution of existing industry is 0 by the identity; a sum of
    floats gives ≈−7e-14, which the workbook must not show."""
    import openpyxl

    res = simulate("baseline")
    assert abs(res.annual()["contrib_existing_industry_100m_cny"].iloc[0]) < 1e-9
    path = tmp_path / "r.xlsx"
    write_excel(res, path)
    wb = openpyxl.load_workbook(path, read_only=True)
    tiny = [
        (ws.title, v)
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if isinstance(v, float) and 0 < abs(v) < 1e-9
    ]
    assert tiny == []


def test_each_campaign_level_says_what_it_means_in_levers(app):
    presets = app.scenario.params.campaign_presets
    for c in schema.CAMPAIGNS:
        assert "按计划" in app.level_notes[c].value  # every campaign at plan in the baseline
        tips = app.presets[c].tooltips
        assert len(tips) == 3 and tips[0].startswith("按计划")
        for path, delta in presets[c]["strong"].items():
            assert param_label(path, "zh") in tips[2]
            assert ("+" if delta > 0 else "-") in tips[2]
    app.presets["industry"].value = "strong"
    assert app.level_notes["industry"].value.count("发力") == 1
    path, delta = (
        "industry.organic_real_growth_rate",
        presets["industry"]["strong"]["industry.organic_real_growth_rate"],
    )
    shown = f"{param_label(path, 'zh')} {tr('delta_points', 'zh', v=100 * delta)}"
    assert shown in app.level_notes["industry"].value


def test_a_move_in_flight_at_a_scenario_switch_is_not_carried_into_the_new_scenario(app):
    """A key press on a slider, then a click on the picker: the move reaches the kernel
    just after the switch and is dropped (the slider is put back); the page says that the
    new scenario starts from its saved values. A move made after the switch counts."""
    app.picker.value = "industry_strong"
    own = app.state.scenario.params.industry.tech_yield
    app.sliders["industry.tech_yield"].value = 1.5  # the late event
    assert app.state.overrides == {} and app.sliders["industry.tech_yield"].value == own
    assert "切换" in app.status.value or "switched" in app.status.value
    app._switched_at -= 10  # later: the planner's own move
    app.sliders["industry.tech_yield"].value = 1.5
    assert app.state.overrides == {"industry.tech_yield": 1.5}


def test_the_probability_is_shown_with_its_monte_carlo_interval():
    from simulation.frontends.ui.render import mc_half_width

    rec = {"value_100m_cny": 3000.0, "target_100m_cny": 3000.0, "gap_100m_cny": 0.0,
           "met": True, "real_growth_pct": 7.0, "nominal_growth_pct": 9.0}  # fmt: skip
    prob = {"gdp": 0.46, "industrial_output": 0.2, "both": 0.19}
    card = render.card_html("gdp", rec, rec, 2022, "en", prob=prob, basis=(1000, 1))
    assert "46%</b>" in card and 'class="sim-mc-interval">±3 points' in card
    zh = render.card_html("gdp", rec, rec, 2022, "zh", prob=prob, basis=(1000, 1))
    assert "±3个百分点" in zh
    # Wilson's half-width: ≈1.96·√(p(1−p)/n), shrinking with the draws
    assert mc_half_width(0.46, 1000) == pytest.approx(1.96 * np.sqrt(0.46 * 0.54 / 1000), rel=0.01)
    assert mc_half_width(0.46, 10_000) < mc_half_width(0.46, 1000) / 3


def test_a_refused_save_names_the_lever_not_its_key(app):
    app.sliders["industry.tech_yield"].value = 1.5
    app.state.overrides["industry.tech_yield"] = 99.0  # beyond the schema (a hand-made case)
    app.save_name.value = "bad"
    app.save_button.click()
    status = app.save_status.value
    assert "industry.tech_yield" not in status and "技改额外产出系数" in status
