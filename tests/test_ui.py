"""The dashboard's widgets, summaries, labels, saving and Excel export, without a browser.

The browser tests (test_browser.py) drive the same app through Voila and Chromium; these
check the logic behind each control directly and exactly.
"""

from __future__ import annotations

import io
import re
import shutil

import numpy as np
import openpyxl
import pytest

from simulation import load_scenario, schema, simulate
from simulation import summary as S
from simulation.export import write_excel
from simulation.labels import LANGS, TEXT, column_label, context, param_label, tr
from simulation.scenario import ScenarioError, ScenarioExists, check_scenario_name, save_scenario
from simulation.ui import Dashboard
from simulation.ui.app import OTHER_ASSUMPTIONS


@pytest.fixture
def params_dir(tmp_path, root):
    d = tmp_path / "params"
    shutil.copytree(root / "params", d)
    return d


@pytest.fixture
def app(params_dir):
    return Dashboard(params_dir)


def _card_value(html: str) -> float:
    return float(re.search(r'class="v">([\d.]+) <small>亿元', html).group(1))


# --- widgets built from the schema ---------------------------------------------------------
def test_every_lever_has_a_slider_with_schema_bounds_and_hooks(app):
    paths = schema.numeric_paths()
    assert set(schema.lever_paths()) <= set(app.sliders)
    assert len(schema.lever_paths()) >= 12
    for path, s in app.sliders.items():
        meta = paths[path]
        assert (s.min, s.max, s.step) == (meta["lo"], meta["hi"], meta["step"]), path
        assert "sim-lever" in s._dom_classes
        assert f"sim-lever-{path.replace('.', '-')}" in s._dom_classes
        # the tooltip shows the value's own source (base.yaml `sources`), else the schema's
        src = app.scenario.params.sources.get(path, meta["source"])
        assert meta["description"] in s.tooltip and src in s.tooltip
        assert param_label(path, "zh") in s.description


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
    path = S.cumulative_path(app.result, "gdp")
    np.testing.assert_allclose(app.path_charts["gdp"].scenario.y, path.cumulative)


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
    app._on_reset()
    assert app.scenario.name == "baseline" and app.picker.value == "baseline"


def test_an_invalid_combination_is_reported_not_run(app):
    app.sliders["pipeline.january_signed_100m_cny"].value = 4000  # more than the year's 3300
    assert "january_signed_100m_cny" in app.status.value
    assert app.scenario.params.pipeline.january_signed_100m_cny == 840  # last valid stays


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
    assert f["signed"] > f["started"] > 0 and f["producing"] > f["full"] > 0
    assert f["signed"] == pytest.approx(res.scenario.params.pipeline.signed_annual_100m_cny)


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
    app._save(overwrite=False)
    path = params_dir / "scenarios" / "我的情景.yaml"
    assert path.is_file()
    text = path.read_text(encoding="utf-8")
    assert "extends: baseline" in text and "industry.tech_yield: 1.5" in text
    assert "history_signed" not in text  # overrides only
    assert "我的情景" in app.picker.options and app.picker.value == "我的情景"
    assert app.overrides == {} and _card_value(app.cards["gdp"].value) == value
    res = simulate(load_scenario("我的情景", params_dir=params_dir))
    assert round(res.targets()["gdp"]["value_100m_cny"], 1) == value


def test_saving_over_a_scenario_needs_confirmation(app, params_dir):
    shipped = (params_dir / "scenarios" / "industry_strong.yaml").read_text(encoding="utf-8")
    app.sliders["industry.tech_yield"].value = 1.5
    app.save_name.value = "industry_strong"
    app._save(overwrite=False)
    assert (params_dir / "scenarios" / "industry_strong.yaml").read_text("utf-8") == shipped
    assert app.save_confirm.layout.display != "none"
    app._save(overwrite=True)
    assert "industry.tech_yield: 1.5" in (
        params_dir / "scenarios" / "industry_strong.yaml"
    ).read_text("utf-8")


def test_overwriting_the_scenario_it_extends_folds_its_overrides_in(params_dir):
    save_scenario(
        "industry_strong",
        "industry_strong",
        {"industry.tech_yield": 1.2},
        params_dir=params_dir,
        overwrite=True,
    )
    sc = load_scenario("industry_strong", params_dir=params_dir)
    assert sc.params.campaigns.industry == "strong" and sc.params.industry.tech_yield == 1.2
    with pytest.raises(ScenarioExists):
        save_scenario("industry_strong", "baseline", {}, params_dir=params_dir)


def test_an_invalid_save_writes_nothing(params_dir):
    with pytest.raises(ScenarioError, match="not saved"):
        save_scenario("bad", "baseline", {"industry.tech_yield": 99}, params_dir=params_dir)
    assert not list((params_dir / "scenarios").glob("*bad*"))
    assert not list((params_dir / "scenarios").glob(".*"))


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
    app._on_excel()
    assert app.excel_link.value.startswith('<a download="荆州_baseline_2022.xlsx"')


def test_excel_to_a_path_is_atomic(tmp_path):
    out = tmp_path / "r.xlsx"
    write_excel(simulate("baseline"), out, lang="en")
    assert openpyxl.load_workbook(out).sheetnames[0] == "Annual"
    assert not list(tmp_path.glob("*.part"))


def test_a_combination_the_model_refuses_shows_why_and_no_stale_numbers(app):
    """资金落地率 so high that projects alone exceed industrial FAI: a message, no old cards."""
    app.sliders["pipeline.realised_share"].value = 0.5
    assert "industrial_fai_100m_cny" in app.status.value
    assert "—" in app.cards["gdp"].value and "2962" not in app.cards["gdp"].value
    app.sliders["pipeline.realised_share"].value = 0.15  # feasible, some band draws are not
    assert app.status.value == ""
    assert _card_value(app.cards["gdp"].value) > 2900
