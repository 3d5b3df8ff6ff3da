"""The comparison page: rows named by their campaign combination, every setting shown,
the combinations that reach both targets first and the cheapest on top, one sentence that
says so, the page and its Excel in Chinese or English.

Batches are run for real (in process) on copies of ``params/``; one copy lowers the
output target to 2900亿 so that some combinations reach both targets. The browser tests
(marker ``browser``) serve the page with Voila and drive it in Debian's Chromium.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from lang_check import offending, visible_text

from simulation.analyses.batch.run import run_batch
from simulation.analyses.batch.spec import load_batch
from simulation.frontends import compare
from simulation.frontends.ui.compare_page import ComparePage
from simulation.io.layering import PARAMS_DIR
from simulation.labels import param_label, tr, unit_label

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHEAPEST_ZH = "工业发力·招商按计划·投资按计划·环境按计划"
CHEAPEST_EN = "Industry strong · Attraction plan · Investment plan · Environment plan"


def wrong_language(text: str, lang: str) -> list[str]:
    """What of ``text`` is not in ``lang`` (:func:`lang_check.offending`: CJK in English
    beyond 亿元 and the campaigns' proper names; Latin words in Chinese beyond GDP, Excel
    and the toggle's English)."""
    return [str(o) for o in offending(text, lang)]


def labelled(path: str, lang: str, value: str) -> str:
    """A setting as the page writes it: the schema's label, its unit, the value."""
    unit = unit_label(compare.schema.numeric_paths()[path]["unit"], lang)
    name = tr("with_unit", lang, label=param_label(path, lang), unit=unit)
    return tr("c_setting", lang, name=name, value=value)


def _strip_tags(h: str) -> str:
    return re.sub(r"<[^>]+>", " ", h)


def page_text(page: ComparePage) -> str:
    """Everything the page says in words (charts are images)."""
    widgets = [page.title, page.intro, page.status, page.decision, page.table, page.heatmap]
    parts = [_strip_tags(x.value) for x in (*widgets, *page.heads.values())]
    return "\n".join([*parts, page.excel.description])


# --- batches, run for real --------------------------------------------------------------
def _run(params_dir: Path, batch_yaml: str, out: Path) -> Path:
    path = out.parent / f"{out.name}.yaml"
    path.write_text(batch_yaml, encoding="utf-8")
    run_batch(load_batch(path, params_dir), out, engine="inprocess", progress=False)
    return out


@pytest.fixture(scope="module")
def low_target_params(tmp_path_factory) -> Path:
    """A copy of params/ with a scenario whose output target is 2900亿 (GDP still 3000)."""
    d = tmp_path_factory.mktemp("cmp") / "params"
    shutil.copytree(PARAMS_DIR, d)
    (d / "scenarios" / "output_2900.yaml").write_text(
        "extends: baseline\ndescription: 产值目标2900亿 — output target 2900\n"
        "overrides:\n  targets.industrial_output_100m_cny: 2900\n",
        encoding="utf-8",
    )
    (d / "scenarios" / "output_2900_spring_shock.yaml").write_text(
        "extends: output_2900\ndescription: 春季冲击 — spring shock\n"
        "overrides:\n  shocks.supply_chain_spring.enabled: true\n",
        encoding="utf-8",
    )
    return d


@pytest.fixture(scope="module")
def four_campaigns(tmp_path_factory) -> Path:
    """The shipped batch (16 plan/strong combinations, targets 3000 / 3000)."""
    out = tmp_path_factory.mktemp("cmp") / "four_campaigns"
    batch = load_batch(PARAMS_DIR / "batches" / "four_campaigns.yaml")
    run_batch(batch, out, engine="inprocess", progress=False)
    return out


@pytest.fixture(scope="module")
def low_target(low_target_params, tmp_path_factory) -> Path:
    """All 24 combinations of industry plan/weak/strong and the others plan/strong, on
    the 2900亿 output target: some reach both targets."""
    return _run(
        low_target_params,
        "base: output_2900\ndescription: 低目标组合 — combinations on a lower output target\n"
        "grid:\n  campaigns.industry: [plan, weak, strong]\n"
        "  campaigns.attraction: [plan, strong]\n  campaigns.investment: [plan, strong]\n"
        "  campaigns.environment: [plan, strong]\n",
        tmp_path_factory.mktemp("cmp") / "low_target",
    )


@pytest.fixture(scope="module")
def meeting(low_target_params, tmp_path_factory) -> Path:
    """Named options with a Monte Carlo each: scenarios, shocks and a lever override."""
    return _run(
        low_target_params,
        "base: output_2900\ndescription: 会议备选 — options\ndraws: 200\nscenarios:\n"
        "  - {id: plan}\n"
        "  - {id: all_strong, overrides: {campaigns.industry: strong, campaigns.attraction: "
        "strong, campaigns.investment: strong, campaigns.environment: strong}}\n"
        "  - {id: two_strong, overrides: {campaigns.industry: strong, campaigns.investment: "
        "strong}}\n"
        "  - {id: three_a, overrides: {campaigns.industry: strong, campaigns.investment: "
        "strong, campaigns.environment: strong}}\n"
        "  - {id: three_b, overrides: {campaigns.industry: strong, campaigns.investment: "
        "strong, campaigns.attraction: strong}}\n"
        "  - {id: spring_shock, scenario: output_2900_spring_shock}\n"
        "  - id: slow_starts\n"
        "    overrides: {campaigns.attraction: strong, pipeline.start_lag_change_months: 3}\n",
        tmp_path_factory.mktemp("cmp") / "meeting",
    )


@pytest.fixture(scope="module")
def grid(tmp_path_factory) -> Path:
    """The shipped two-parameter grid (signings × start share), campaigns all at plan."""
    out = tmp_path_factory.mktemp("cmp") / "grid"
    batch = load_batch(PARAMS_DIR / "batches" / "signings_x_start_share.yaml")
    run_batch(batch, out, engine="inprocess", progress=False)
    return out


@pytest.fixture(scope="module")
def low_page(low_target, low_target_params) -> ComparePage:
    return ComparePage(low_target, low_target_params, lang="zh")


# --- naming -------------------------------------------------------------------------------
def test_rows_are_named_by_their_campaign_combination(four_campaigns):
    df, _, meta = compare.load_run(four_campaigns)
    infos = compare.describe(df, None, compare.base_scenario(df, meta))
    zh, en = compare.point_names(infos, "zh"), compare.point_names(infos, "en")
    assert zh["g0001"] == "工业按计划·招商按计划·投资按计划·环境按计划"
    assert zh["g0016"] == "工业发力·招商发力·投资发力·环境发力"
    assert en["g0001"] == "Industry plan · Attraction plan · Investment plan · Environment plan"
    assert len(set(zh.values())) == len(set(en.values())) == 16  # every row told apart
    assert not wrong_language("\n".join(en.values()), "en")
    # each name says what the point's overrides say
    for row in df.to_dict("records"):
        for c in compare.schema.CAMPAIGNS:
            level = row[f"set:campaigns.{c}"]
            part = tr(f"c_short_{c}", "zh") + tr(f"c_level_{level}", "zh")
            assert part in zh[row["id"]].split("·")


def test_weak_levels_and_a_scenario_campaigns_are_named(low_target, meeting, low_target_params):
    df, _, meta = compare.load_run(low_target)
    names = compare.point_names(compare.describe(df, low_target_params, "output_2900"), "zh")
    assert sum("工业偏弱" in n for n in names.values()) == 8
    df, _, meta = compare.load_run(meeting)
    assert compare.base_scenario(df, meta) == "output_2900"  # from the batch file
    infos = compare.describe(df, low_target_params, "output_2900")
    assert infos["plan"].settings == {} and infos["all_strong"].n_strong == 4
    # a scenario's own settings, beyond the base, are its settings
    assert infos["spring_shock"].extras == {"shocks.supply_chain_spring.enabled": True}
    zh, en = compare.point_names(infos, "zh"), compare.point_names(infos, "en")
    assert zh["plan"] == "工业按计划·招商按计划·投资按计划·环境按计划"
    assert zh["spring_shock"] == zh["plan"] + " ＋ 省外疫情供应链中断：启用"
    assert en["spring_shock"].endswith(" + Supply-chain disruption (outbreaks elsewhere): on")
    lag = "pipeline.start_lag_change_months"
    assert zh["slow_starts"] == "工业按计划·招商发力·投资按计划·环境按计划 ＋ " + labelled(
        lag, "zh", "3"
    )
    assert en["slow_starts"].endswith(" + " + labelled(lag, "en", "3"))
    assert not wrong_language(en["slow_starts"], "en")


def test_settings_are_written_out_in_full(low_target, low_target_params, meeting):
    df, _, _ = compare.load_run(low_target)
    infos = compare.describe(df, low_target_params, "output_2900")
    for lang in ("zh", "en"):
        table = compare.ranking(df, lang, infos)
        for text in table[tr("col_setting", lang)]:
            for c in compare.schema.CAMPAIGNS:  # every campaign, at plan too
                assert tr(f"campaign_{c}", lang) in text
            assert "…" not in text and "..." not in text
    df, _, _ = compare.load_run(meeting)
    infos = compare.describe(df, low_target_params, "output_2900")
    text = compare.settings_text(infos["slow_starts"], "zh")
    assert text.endswith("；" + labelled("pipeline.start_lag_change_months", "zh", "3"))
    share = "pipeline.start_share_change"
    assert compare.setting_text(share, -0.1, "en") == labelled(share, "en", "-10.0%")


def test_a_grid_without_campaign_changes_is_named_by_its_parameters(grid):
    df, _, meta = compare.load_run(grid)
    names = compare.point_names(compare.describe(df, None, compare.base_scenario(df, meta)), "zh")
    signed, share = "pipeline.signed_annual_100m_cny", "pipeline.start_share_change"
    assert names["g0001"] == f"{labelled(signed, 'zh', '2500')}；{labelled(share, 'zh', '-10.0%')}"
    assert len(set(names.values())) == 30
    views = compare.heatmap_frames(compare.heatmap_tables(df), "en")
    assert list(views) == ["Heat map GDP (100m CNY)", "Heat map output (100m CNY)"]
    assert views["Heat map GDP (100m CNY)"].index.name == compare.axis_label(f"set:{signed}", "en")
    assert views["Heat map GDP (100m CNY)"].index.name.startswith(param_label(signed, "en"))


# --- sorting and the decision -------------------------------------------------------------
def test_none_reaching_both_puts_the_closest_first_and_says_so(four_campaigns):
    df, _, meta = compare.load_run(four_campaigns)
    infos = compare.describe(df, None, compare.base_scenario(df, meta))
    r = compare.ranked(df, infos)
    assert not r["reach"].any() and list(r["verdict"]).count("closest") == 1
    assert r.iloc[0]["id"] == "g0016"  # output is the binding target: the highest output
    assert list(r["n_met"]) == sorted(r["n_met"], reverse=True)  # one target met first
    for _, same in r.groupby("n_met", sort=False):  # then the smaller worst shortfall
        assert list(same["worst_gap_100m_cny"]) == sorted(same["worst_gap_100m_cny"], reverse=True)
    text = compare.decision(r, compare.point_names(infos, "zh"), "zh")
    assert text.startswith(
        "16个组合均未同时达成两项目标。最接近的是「工业发力·招商发力·投资发力·环境发力」"
    )
    assert "0个达到规上工业总产值目标" in text
    en = compare.decision(r, compare.point_names(infos, "en"), "en")
    assert en.startswith(
        "None of the 16 combinations reaches both targets."
    ) and not wrong_language(en, "en")


def test_the_cheapest_combination_reaching_both_comes_first(low_target, low_target_params):
    df, _, _ = compare.load_run(low_target)
    infos = compare.describe(df, low_target_params, "output_2900")
    r = compare.ranked(df, infos)
    reach = r["reach"].to_numpy()
    k = int(reach.sum())
    assert 0 < k < len(r) and reach[:k].all() and not reach[k:].any()  # reaching rows first
    assert list(r["n_strong"][:k]) == sorted(r["n_strong"][:k])  # cheapest first
    # the cheapest is the fewest strong campaigns of all rows that reach both, checked by hand
    ok = df[df["both_met"]]
    fewest = min(infos[i].n_strong for i in ok["id"])
    assert r.iloc[0]["n_strong"] == fewest == 1
    assert list(r["verdict"]).count("cheapest") == 1 and r.iloc[0]["verdict"] == "cheapest"
    assert set(r["verdict"][1:k]) == {"reached"} and set(r["verdict"][k:]) == {""}
    names = compare.point_names(infos, "zh")
    assert names[r.iloc[0]["id"]] == CHEAPEST_ZH
    text = compare.decision(r, names, "zh")
    assert text.startswith(
        f"24个组合中有{k}个两项目标均达成。最省力的是「{CHEAPEST_ZH}」（1项发力）"
    )
    en = compare.decision(r, compare.point_names(infos, "en"), "en")
    assert f"The cheapest is “{CHEAPEST_EN}” (1 strong campaign(s))" in en


def test_probabilities_are_shown_and_break_ties_between_equal_costs(meeting, low_target_params):
    df, _, _ = compare.load_run(meeting)
    infos = compare.describe(df, low_target_params, "output_2900")
    r = compare.ranked(df, infos)
    assert r["p_both"].notna().all()
    reach = r[r["reach"]]
    for _, same in reach.groupby("n_strong", sort=False):  # equal cost: likelier first
        assert list(same["p_both"]) == sorted(same["p_both"], reverse=True)
    table = compare.ranking(df, "zh", infos)
    col = tr("c_col_p_both", "zh")
    assert list(table[col]) == list((r["p_both"] * 100).round(1))
    text = compare.decision(r, compare.point_names(infos, "zh"), "zh")
    assert f"两项均达成概率 {r.iloc[0]['p_both']:.0%}" in text
    assert "Chance both reached (%)" in compare.ranking(df, "en", infos).columns


# --- the page -----------------------------------------------------------------------------
def test_page_shows_the_decision_and_highlights_the_rows(low_page):
    p = low_page
    assert CHEAPEST_ZH in p.decision.value
    first_row = re.search(r"<tr class=\"(\w*)\" data-id=\"(\w+)\">(.*?)</tr>", p.table.value)
    assert first_row.group(1) == "cheapest"
    assert p.names()[first_row.group(2)] == CHEAPEST_ZH
    assert p.table.value.count('class="cheapest"') == 1
    assert p.table.value.count('class="reached"') == int(p.ranked["reach"].sum()) - 1
    assert '<td class="settings">' in p.table.value
    assert "sim-language" in p.language._dom_classes
    for hook in ("sim-compare-table", "sim-compare-decision", "sim-compare-status"):
        assert any(hook in x._dom_classes for x in (p.table, p.decision, p.status))
    assert "sim-compare-excel" in p.excel._dom_classes
    assert "sim-compare-excel-link" in p.excel_link._dom_classes
    assert "<img" in p.annual.value and "<img" in p.paths.value


def test_language_toggle_relabels_everything_and_keeps_the_numbers(low_page):
    p = low_page
    zh_text = page_text(p)
    assert not wrong_language(zh_text, "zh"), wrong_language(zh_text, "zh")
    numbers = re.findall(r"<td>([-\d,.]+)</td>", p.table.value)
    p.language.value = "en"
    try:
        en_text = page_text(p)
        assert not wrong_language(en_text, "en"), wrong_language(en_text, "en")
        assert CHEAPEST_EN in p.decision.value and "Combination" in p.table.value
        assert re.findall(r"<td>([-\d,.]+)</td>", p.table.value) == numbers
    finally:
        p.language.value = "zh"
    assert page_text(p) == zh_text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_workbook_is_in_the_page_language_and_holds_the_ranking(low_page, lang):
    p = low_page
    wb = openpyxl.load_workbook(io.BytesIO(p.excel_bytes(lang)))
    assert wb.sheetnames == [
        tr(k, lang) for k in ("c_sheet_ranking", "c_sheet_annual", "c_sheet_paths", "c_sheet_about")
    ]
    rows = list(wb[tr("c_sheet_ranking", lang)].iter_rows(values_only=True))
    table = p.ranking(lang)
    assert list(rows[0]) == list(table.columns)
    assert len(rows) == len(table) + 1
    for got, want in zip(rows[1:], table.itertuples(index=False), strict=True):
        assert list(got) == [None if v == "" else v for v in want]
    for ws in wb.worksheets:  # text and numbers only: no formula anywhere
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    about = dict(wb[tr("c_sheet_about", lang)].iter_rows(min_row=2, values_only=True))
    assert about[tr("c_col_verdict", lang)] == p.decision_text(lang)
    assert about[tr("c_about_target_gio", lang)] == 2900
    if lang == "en":
        text = " ".join(str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True)
                        for v in r if v is not None)  # fmt: skip
        assert not wrong_language(text, "en"), wrong_language(text, "en")[:20]


def test_the_download_link_carries_the_workbook_with_a_named_file(low_page):
    p = low_page
    p.make_download()
    m = re.search(r'download="([^"]+)" href="data:([^;]+);base64,([^"]+)"', p.excel_link.value)
    assert m.group(1) == "荆州_情景对比_2022.xlsx"
    assert m.group(2) == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(m.group(3))))
    assert wb.sheetnames[0] == "排名"
    p.language.value = "en"
    try:
        assert p.excel_link.value == ""  # made again, in the new language
        p.make_download()
        assert 'download="Jingzhou_scenario_comparison_2022.xlsx"' in p.excel_link.value
    finally:
        p.language.value = "zh"


def test_server_copy_is_written_when_asked_and_a_failure_is_said(four_campaigns):
    p = ComparePage(four_campaigns, excel="comparison.xlsx")
    assert (four_campaigns / "comparison.xlsx").is_file()
    assert "comparison" not in p.status.value  # a visitor cannot reach the server's folder
    wb = openpyxl.load_workbook(four_campaigns / "comparison.xlsx", read_only=True)
    assert wb.sheetnames[:3] == ["排名", "年度对比", "月度路径"]
    assert "不是二维参数网格" in p.heatmap.value
    # a folder that cannot be made: its name is taken by a file
    p = ComparePage(four_campaigns, lang="en", excel="results.parquet/comparison.xlsx")
    assert tr("c_write_failed", "en") in p.status.value
    assert str(four_campaigns) not in p.status.value
    p.make_download()  # the download does not depend on the server's copy
    assert "data:application/vnd.openxmlformats" in p.excel_link.value


@pytest.mark.slow  # 3 s: a batch of a grid
def test_grid_page_has_heat_maps_in_both_languages(grid):
    p = ComparePage(grid, lang="en")
    assert "<img" in p.heatmap.value
    assert list(p.views("en"))[3:5] == ["Heat map GDP (100m CNY)", "Heat map output (100m CNY)"]
    assert "热力图_GDP（亿元）" in p.views("zh")


# --- in the browser -----------------------------------------------------------------------
def _shown_rows(page) -> list[dict[str, str]]:
    """The ranking as the browser shows it: header → cell text, per row."""
    return page.evaluate(
        """() => { const t = document.querySelector('.sim-compare-table table');
        const head = [...t.querySelectorAll('th')].map(th => th.innerText.trim());
        return [...t.querySelectorAll('tbody tr')].map(tr => Object.fromEntries(
          [...tr.querySelectorAll('td')].map((td, i) => [head[i], td.innerText.trim()]))); }"""
    )


def _download(page, tmp_path: Path) -> Path:
    page.locator("button.sim-compare-excel").click()
    link = page.locator(".sim-compare-excel-link a")
    link.wait_for()
    with page.expect_download() as dl:
        link.click()
    target = tmp_path / dl.value.suggested_filename
    target.parent.mkdir(parents=True, exist_ok=True)
    dl.value.save_as(target)
    return target


def _check_language(page, lang: str, tmp_path: Path) -> None:
    """Names, words and the downloaded workbook of the page in ``lang``."""
    rows = _shown_rows(page)
    name, pid = tr("c_col_name", lang), tr("c_col_id", lang)
    assert rows[0][name] == (CHEAPEST_ZH if lang == "zh" else CHEAPEST_EN)
    assert page.locator(".sim-compare-table tr.cheapest").count() == 1
    assert rows[0][name] in page.locator(".sim-compare-decision").inner_text()
    found = wrong_language(visible_text(page), lang)  # text, tooltips, options, chart text
    assert not found, found[:20]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"compare_{lang}.png"), full_page=True)
    target = _download(page, tmp_path)
    assert target.name == ("荆州_情景对比_2022.xlsx" if lang == "zh" else
                           "Jingzhou_scenario_comparison_2022.xlsx")  # fmt: skip
    wb = openpyxl.load_workbook(target, read_only=True)
    sheet = list(wb[tr("c_sheet_ranking", lang)].iter_rows(values_only=True))
    head, by_id = list(sheet[0]), {r[1]: r for r in sheet[1:]}
    assert len(by_id) == len(rows) == 24
    numeric = [
        tr(k, lang)
        for k in ("gdp_100m_cny", "c_col_gdp_gap", "gross_industrial_output_100m_cny",
                  "c_col_gio_gap", "gdp_real_growth_pct", "fai_100m_cny", "c_col_strong")
    ]  # fmt: skip
    for row in rows:
        xl = by_id[row[pid]]
        assert xl[head.index(name)] == row[name]
        assert xl[head.index(tr("col_setting", lang))] == row[tr("col_setting", lang)]
        for col in numeric:
            assert float(row[col].replace(",", "")) == pytest.approx(xl[head.index(col)]), col


@pytest.mark.browser
@pytest.mark.parametrize("first", ["zh", "en"])
def test_compare_page_in_the_browser_in_both_languages(
    chromium, low_target, low_target_params, tmp_path, monkeypatch, first
):
    """Served as planners open it, first in ``first``: names, highlight, the decision, no
    word of the other language, the Excel download holding the numbers shown; then the
    toggle to the other language and the same checks there."""
    import drive

    monkeypatch.setenv("SIM_BATCH_DIR", str(low_target))
    other = "en" if first == "zh" else "zh"
    log = tmp_path / "voila.log"
    with drive.serve(low_target_params, preheat=False, page="compare", lang=first, log=log) as url:
        t0 = time.perf_counter()
        page, watch, _ = drive.open_page(
            chromium, url, ".sim-compare-table table", height=2400, accept_downloads=True
        )
        page.wait_for_selector(f".sim-compare.sim-compare-lang-{first} .sim-compare-paths img")
        print(f"page ready in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        _check_language(page, first, tmp_path / first)
        print(f"checked in {time.perf_counter() - t0:.1f} s")
        page.locator(
            ".sim-language button", has_text="English" if other == "en" else "中文"
        ).click()
        page.wait_for_selector(f".sim-compare.sim-compare-lang-{other}", timeout=30_000)
        _check_language(page, other, tmp_path / other)
        assert watch.console_errors == [] and watch.foreign_requests == [] and not watch.page_errors
        page.close()
    assert (low_target / "comparison.xlsx").is_file()  # the server's copy, as before


def test_ranking_frame_matches_results(low_target, low_target_params):
    """The ranking's numbers are the results table's, rounded as shown."""
    df, _, _ = compare.load_run(low_target)
    table = compare.ranking(df, "zh", compare.describe(df, low_target_params, "output_2900"))
    merged = table.merge(df, left_on="编号", right_on="id")
    assert (merged["地区生产总值（亿元）"] == merged["gdp_100m_cny"].round(1)).all()
    assert isinstance(merged, pd.DataFrame) and len(merged) == 24
