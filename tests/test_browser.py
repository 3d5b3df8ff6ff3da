"""The planner's app in a real browser: Voila serving notebooks/dashboard.ipynb, driven
by Debian's Chromium through Playwright (no browser download).

One Voila server (started as the README's command starts it, on a free port, with a
copy of params/ so that saved scenarios land in a temporary folder) serves every test;
each test opens its own page, which starts its own kernel. Screenshots are kept in
tests/artifacts/.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import drive
import openpyxl
import pytest
import yaml

from simulation import load_scenario, simulate

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def params_dir(tmp_path_factory, root):
    d = tmp_path_factory.mktemp("app") / "params"
    shutil.copytree(root / "params", d)
    return d


@pytest.fixture(scope="module")
def server(params_dir, tmp_path_factory):
    log = tmp_path_factory.mktemp("log") / "voila.log"
    with drive.serve(params_dir, preheat=True, log=log) as url:
        yield url


@pytest.fixture
def page(chromium, server):
    page, watch, _ = drive.open_dashboard(chromium, server, accept_downloads=True)
    yield page, watch
    assert watch.foreign_requests == [], "the page asked for something outside the machine"
    assert watch.page_errors == []
    page.close()


def _wait_headline_change(page, old: str, which: str = "gdp") -> str:
    page.wait_for_function(
        "([sel, old]) => document.querySelector(sel).innerText !== old",
        arg=[f".sim-headline-{which}", old],
        timeout=15_000,
    )
    return drive.headline(page, which)


def _wait_quiet(page, quiet_ms: int = 500, timeout_s: float = 15) -> None:
    """Until both headline cards have not changed for ``quiet_ms``."""
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        now = (drive.headline(page, "gdp"), drive.headline(page, "industrial-output"))
        if now == last:
            return
        last = now
        page.wait_for_timeout(quiet_ms)
    raise AssertionError(f"the headline cards kept changing for {timeout_s} s")


def test_page_loads_offline_without_errors_and_shows_the_baseline(page, params_dir):
    page, watch = page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard_zh.png"), full_page=True)
    assert watch.console_errors == []
    t = simulate(load_scenario("baseline", params_dir=params_dir)).targets()
    assert drive.headline_value(page, "gdp") == round(t["gdp"]["value_100m_cny"], 1)
    assert drive.headline_value(page, "industrial-output") == round(
        t["industrial_output"]["value_100m_cny"], 1
    )
    assert "亿元" in drive.headline(page, "gdp")
    # the live uncertainty band: probabilities on the cards, a filled band on the paths
    assert "达成概率" in drive.headline(page, "gdp")
    assert page.locator(".sim-chart-path-gdp path.area").count() >= 1
    assert page.locator(".sim-lever").count() >= 14
    # Chinese text is drawn with a CJK font, not as boxes: its glyphs are as wide as "国"
    widths = page.evaluate(
        """() => { const c = document.createElement('canvas').getContext('2d');
        c.font = '16px "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';
        return [c.measureText('荆州').width, c.measureText('国国').width,
                document.fonts.check('16px "WenQuanYi Micro Hei"')
                || document.fonts.check('16px "Noto Sans CJK SC"')]; }"""
    )
    assert widths[0] == pytest.approx(widths[1], rel=0.05) and widths[2]


def test_moving_a_lever_with_the_keyboard_changes_the_headline(page):
    page, _ = page
    before, value = drive.headline(page, "gdp"), drive.headline_value(page, "gdp")
    readout = drive.lever(page, "industry.tech_yield").locator(".widget-readout")
    assert readout.inner_text().strip() == "0.30"
    handle = drive.lever(page, "industry.tech_yield").locator(".noUi-handle")
    handle.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    after = _wait_headline_change(page, before)
    page.wait_for_function(
        "document.querySelector('.sim-lever-industry-tech_yield .widget-readout')"
        ".innerText.trim() === '0.50'"
    )
    page.wait_for_timeout(500)  # let the last of the four moves land
    assert after != before and drive.headline_value(page, "gdp") > value


def test_a_campaign_preset_changes_several_levers(page):
    page, _ = page
    paths = [
        "industry.organic_real_growth_rate",
        "industry.tech_investment_growth_rate",
        "industry.new_firms_per_year",
    ]

    def readouts():
        return [drive.lever(page, p).locator(".widget-readout").inner_text() for p in paths]

    before_values, before = readouts(), drive.headline(page, "industrial-output")
    before_value = drive.headline_value(page, "industrial-output")
    page.locator(".sim-preset-industry button", has_text="发力").click()
    _wait_headline_change(page, before, "industrial-output")
    page.wait_for_function(
        "document.querySelector('.sim-lever-industry-new_firms_per_year .widget-readout')"
        f".innerText !== {before_values[2]!r}"
    )
    after = readouts()
    assert sum(a != b for a, b in zip(after, before_values, strict=True)) == len(paths), (
        before_values,
        after,
    )
    assert drive.headline_value(page, "industrial-output") > before_value  # strong adds output


def test_saving_a_scenario_writes_a_valid_file_that_reloads(page, chromium, server, params_dir):
    page, _ = page
    before = drive.headline(page, "gdp")
    page.locator(".sim-shock-heat_drought input").check()
    _wait_headline_change(page, before)
    shocked = drive.headline_value(page, "gdp")
    page.locator(".sim-save-name input").fill("高温测试")
    page.locator("button.sim-save").click()
    page.wait_for_function(
        "document.querySelector('.sim-save-status').innerText.includes('高温测试.yaml')"
    )
    path = params_dir / "scenarios" / "saved" / "高温测试.yaml"  # the planners' own area
    assert "shocks.heat_drought.enabled: true" in path.read_text(encoding="utf-8")
    sc = load_scenario("高温测试", params_dir=params_dir)
    value = round(simulate(sc).targets()["gdp"]["value_100m_cny"], 1)
    assert drive.headline_value(page, "gdp") == value == shocked
    # a fresh page lists it among the saved ones and shows the same numbers when picked
    page2, _, _ = drive.open_dashboard(chromium, server)
    options = page2.locator(".sim-scenario select option").all_inner_texts()
    (label,) = [o for o in options if "高温测试" in o]
    assert label.startswith("已保存")
    old = drive.headline(page2, "gdp")
    page2.locator(".sim-scenario select").select_option(label=label)
    _wait_headline_change(page2, old)
    assert drive.headline_value(page2, "gdp") == value
    page2.close()
    # a calibrated scenario is read-only: refused in the page's language, nothing written
    before = (params_dir / "scenarios" / "baseline.yaml").read_bytes()
    page.locator(".sim-save-name input").fill("baseline")
    page.locator("button.sim-save").click()
    page.wait_for_function("document.querySelector('.sim-save-status').innerText.includes('只读')")
    assert not page.locator(".sim-save-confirm").is_visible()
    assert (params_dir / "scenarios" / "baseline.yaml").read_bytes() == before


def test_an_overwrite_that_breaks_the_set_is_refused_and_an_overwrite_can_be_undone(
    page, params_dir
):
    """Saving y's settings over x when y extends x is refused with a visible message in the
    page's language and no server path; a good overwrite offers an undo that restores it,
    and the history list of a saved scenario restores any kept version."""
    page, _ = page
    page.locator(".sim-save-name input").fill("环x")
    page.locator("button.sim-save").click()
    page.wait_for_function("document.querySelector('.sim-save-status').innerText.includes('环x')")
    page.locator(".sim-shock-heat_drought input").check()
    page.locator(".sim-save-name input").fill("环y")  # extends 环x (shown now)
    page.locator("button.sim-save").click()
    page.wait_for_function("document.querySelector('.sim-save-status').innerText.includes('环y')")
    x = (params_dir / "scenarios" / "saved" / "环x.yaml").read_bytes()
    page.locator(".sim-save-name input").fill("环x")
    page.locator("button.sim-save").click()
    page.locator(".sim-save-confirm").click()
    page.wait_for_function("document.querySelector('.sim-save-status').innerText.includes('成环')")
    status = page.locator(".sim-save-status").inner_text()
    assert str(params_dir) not in status and "/tmp" not in status
    assert (params_dir / "scenarios" / "saved" / "环x.yaml").read_bytes() == x
    # a good overwrite, then undo
    page.locator(".sim-save-name input").fill("撤销测试")
    page.locator("button.sim-save").click()
    page.wait_for_function(
        "document.querySelector('.sim-save-status').innerText.includes('撤销测试')"
    )
    path = params_dir / "scenarios" / "saved" / "撤销测试.yaml"
    first = yaml.safe_load(path.read_text(encoding="utf-8"))["overrides"]
    page.locator(".sim-shock-heat_drought input").uncheck()
    page.locator(".sim-save-name input").fill("撤销测试")
    page.locator("button.sim-save").click()
    page.locator(".sim-save-confirm").click()
    page.locator(".sim-save-undo").wait_for(state="visible")
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["overrides"] != first
    page.locator(".sim-save-undo").click()
    page.wait_for_function("document.querySelector('.sim-save-status').innerText.includes('恢复')")
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["overrides"] == first
    # the history list shows both kept versions; restoring one puts it back
    page.locator(".sim-history select").wait_for(state="visible")
    page.wait_for_function("document.querySelectorAll('.sim-history select option').length == 2")


def test_the_language_toggle_switches_labels(page):
    page, _ = page
    assert "目标" in drive.headline(page, "gdp")
    value = drive.headline_value(page, "gdp")
    page.locator(".sim-language button", has_text="English").click()
    page.wait_for_function(
        "document.querySelector('.sim-headline-gdp').innerText.includes('target')"
    )
    assert page.get_by_text("Industry campaign (工业突围战)", exact=True).count() == 1
    assert "Tech-upgrade output yield" in drive.lever(page, "industry.tech_yield").inner_text()
    assert drive.headline_value(page, "gdp") == value
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard_en.png"), full_page=True)
    page.locator(".sim-language button", has_text="中文").click()
    page.wait_for_function("document.querySelector('.sim-headline-gdp').innerText.includes('目标')")


def test_the_excel_download_holds_the_numbers_shown(page, tmp_path):
    page, _ = page
    before = drive.headline(page, "gdp")
    before_output = drive.headline(page, "industrial-output")
    page.locator(".sim-preset-investment button", has_text="发力").click()
    _wait_headline_change(page, before)
    # both cards follow the preset (the output card may paint after the GDP card): wait for
    # it too, then until neither changes for half a second
    _wait_headline_change(page, before_output, "industrial-output")
    _wait_quiet(page)
    shown = {
        "地区生产总值（亿元）": drive.headline_value(page, "gdp"),
        "规上工业总产值（亿元）": drive.headline_value(page, "industrial-output"),
    }
    page.locator("button.sim-excel").click()
    link = page.locator(".sim-excel-link a")
    link.wait_for()
    with page.expect_download() as dl:
        link.click()
    target = tmp_path / dl.value.suggested_filename
    dl.value.save_as(target)
    assert target.name == "荆州_基准情景_2022.xlsx"
    wb = openpyxl.load_workbook(target, read_only=True)
    rows = list(wb["年度结果"].iter_rows(values_only=True))
    row_2022 = next(r for r in rows if r[0] == 2022)
    for header, value in shown.items():
        assert round(row_2022[rows[0].index(header)], 1) == value
    settings = dict(wb["情景设置"].iter_rows(values_only=True))
    assert settings["override: campaigns.investment"] == "strong"


def test_uncertainty_page_in_the_browser(chromium, params_dir, tmp_path):
    """The uncertainty page served the same way: gauge, fans, tornado, a goal seek."""
    with drive.serve(params_dir, preheat=False, page="uncertainty", log=tmp_path / "v.log") as url:
        page, watch, _ = drive.open_page(chromium, url, ".sim-u-probability table", height=2200)
        assert "%" in page.locator(".sim-u-probability").inner_text()
        assert page.locator(".sim-u-fan-gdp path.area").count() >= 2  # 90% and 50% bands
        assert "工业品价格变动" in page.locator(".sim-u-tornado").inner_text()
        page.locator(".sim-u-lever select").select_option(label="存量工业实际增长")
        page.locator("button.sim-u-solve").click()
        page.wait_for_selector(".sim-u-answer .sim-card", timeout=30_000)
        assert "存量工业实际增长" in page.locator(".sim-u-answer").inner_text()
        assert page.locator(".sim-u-path tr").count() == 13
        page.screenshot(path=str(ARTIFACTS / "uncertainty_zh.png"), full_page=True)
        assert watch.console_errors == [] and watch.foreign_requests == [] and not watch.page_errors
        page.close()


def test_projects_page_upload_shows_the_row_report(chromium, params_dir, tmp_path):
    """Upload a register with errors: the page lists every bad row; a good file then
    imports and the league table and tracking appear. Uploads never touch shipped files."""
    bad = tmp_path / "台账 有错误.csv"
    bad.write_text(
        "项目名称,县市区,行业,项目类别,签约日期,签约金额(亿元)\n"
        "好项目,沙市区,化工,工业,2021/5/1,3\n"
        "坏日期,沙市区,化工,工业,2021/13/1,3\n"
        "万元项目,荆州区,化工,工业,2021/5/1,35000\n"
        "外地项目,武汉市,化工,工业,2021/5/1,3\n",
        encoding="gbk",
    )
    shipped = (params_dir / "registers" / "sample_register_SYNTHETIC.csv").read_bytes()
    with drive.serve(params_dir, preheat=False, page="projects", log=tmp_path / "v.log") as url:
        page, watch, _ = drive.open_page(chromium, url, ".sim-p-league table", height=2400)
        assert "436" in page.locator(".sim-p-status").inner_text()
        assert "序时进度" in page.locator(".sim-p-track-status").inner_text()
        assert "示例数据" in page.locator(".sim-p-track-status").inner_text()  # said first
        assert "90%区间" in page.locator(".sim-p-nowcast").inner_text()
        assert page.locator(".sim-p-news tr").count() >= 2
        assert page.locator(".sim-p-required-industrial-output tr").count() == 8
        with page.expect_file_chooser() as chooser:  # as a user does: click, pick the file
            page.locator(".sim-p-upload").click()
        chooser.value.set_files(str(bad))
        page.wait_for_function(  # status and row report are two widgets: wait for both
            "document.querySelector('.sim-p-status').innerText.includes('导入失败')"
            " && document.querySelector('.sim-p-report').innerText.includes('签约日期')"
        )
        report = page.locator(".sim-p-report").inner_text()
        for row, what in (("3", "签约日期"), ("4", "万元"), ("5", "武汉市")):
            assert row in report and what in report, (row, what)
        page.screenshot(path=str(ARTIFACTS / "projects_report_zh.png"), full_page=True)
        good = tmp_path / "good.csv"
        good.write_text("项目名称,县市区,行业,项目类别,签约日期,签约金额(亿元),实际开工\n"
                        "甲,沙市区,化工,工业,2021/5/1,30,2021/9/1\n乙,洪湖市,新材料,工业,2022/1/8,12,\n",
                        encoding="utf-8-sig")  # fmt: skip
        with page.expect_file_chooser() as chooser:
            page.locator(".sim-p-upload").click()
        chooser.value.set_files(str(good))
        page.wait_for_function(
            "document.querySelector('.sim-p-status').innerText.includes('2 个项目')"
        )
        assert "沙市区" in page.locator(".sim-p-league").inner_text()
        big = tmp_path / "big.csv"  # 25 MB: above the page's limit, below the transport's
        big.write_bytes(b"a,b\n" * (25 * 1024 * 1024 // 4))
        with page.expect_file_chooser() as chooser:
            page.locator(".sim-p-upload").click()
        chooser.value.set_files(str(big))
        page.wait_for_function(
            "document.querySelector('.sim-p-status').innerText.includes('文件太大')",
            timeout=60_000,
        )
        assert watch.console_errors == [] and watch.foreign_requests == [] and not watch.page_errors
        page.close()
    stored = sorted(p.name for p in (params_dir / "uploads").iterdir())
    assert len(stored) == 1 and stored[0].endswith("_good.csv")  # the failed one is gone
    assert (params_dir / "registers" / "sample_register_SYNTHETIC.csv").read_bytes() == shipped


FIRST_CITY = ("荆州", "Jingzhou", "jingzhou", "沙市", "3000亿")


@pytest.mark.parametrize(
    "page_name, ready",
    [
        ("dashboard", ".sim-headline-gdp .sim-card"),
        ("uncertainty", ".sim-u-probability table"),
        ("projects", ".sim-p-league table"),
    ],
)
def test_second_city_pages_name_it_and_nothing_of_the_first(
    chromium, root, tmp_path, page_name, ready
):
    """Every page served from the second city's folder: its name, its counties, no target
    line; not a word of the first city anywhere in the rendered page (text or tooltips)."""
    folder = tmp_path / "jingmen"
    shutil.copytree(root / "cities" / "jingmen", folder)
    with drive.serve(folder, preheat=False, page=page_name, log=tmp_path / "v.log") as url:
        page, watch, _ = drive.open_page(chromium, url, ready, height=2200)
        page.wait_for_timeout(500)  # let late widget updates land
        text = page.locator("body").inner_text()
        assert "荆门" in text
        found = [w for w in FIRST_CITY if w in page.content()]
        assert found == [], found
        if page_name == "dashboard":
            assert "未设目标" in drive.headline(page)
            assert "目标" not in page.locator(".sim-chart-path-gdp").inner_text()
        if page_name == "projects":
            assert "东宝区" in page.locator(".sim-p-league").inner_text()
        page.screenshot(path=str(ARTIFACTS / f"jingmen_{page_name}_zh.png"), full_page=True)
        assert watch.console_errors == [] and watch.foreign_requests == [] and not watch.page_errors
        page.close()


def test_city_picker_switches_between_city_folders(chromium, root, tmp_path):
    """--params-dir naming a folder of city folders: a picker; choosing the other city
    rebuilds the page from its folder (title, target, counties)."""
    cities = tmp_path / "cities"
    shutil.copytree(root / "cities" / "jingmen", cities / "jingmen")
    shutil.copytree(root / "params", cities / "jingzhou")
    with drive.serve(cities, preheat=False, log=tmp_path / "v.log") as url:
        page, watch, _ = drive.open_dashboard(chromium, url)
        assert "荆门" in page.locator("h1").first.inner_text()
        assert "未设目标" in drive.headline(page)
        page.locator(".sim-city select").select_option(label="荆州")
        page.wait_for_function(
            "document.querySelector('h1') && document.querySelector('h1').innerText"
            ".includes('荆州“冲刺3000亿”')",
            timeout=60_000,
        )
        page.wait_for_selector(
            ".sim-headline-gdp .sim-card.met, .sim-headline-gdp .sim-card.missed"
        )
        assert "3,000" in drive.headline(page)
        page.screenshot(path=str(ARTIFACTS / "city_picker_zh.png"), full_page=True)
        page.locator(".sim-city select").select_option(label="荆门")
        page.wait_for_function(
            "document.querySelector('h1').innerText.includes('荆门')", timeout=60_000
        )
        assert watch.console_errors == [] and watch.foreign_requests == [] and not watch.page_errors
        page.close()


# --- issue 13: never a stale number, the pathway in a link, one probability, warnings ----
def _readout(page, path: str) -> str:
    return drive.lever(page, path).locator(".widget-readout").inner_text().strip()


def test_an_invalid_setting_greys_the_results_and_names_the_lever_and_its_range(chromium, server):
    """A link asking for 资金落地率 90% (beyond what the base year's FAI holds): the
    cards, charts and table grey out under a Chinese message naming the lever and its
    range; no number of another setting, no server path. Reset brings the numbers back."""
    page, watch, _ = drive.open_page(
        chromium, server + "?pipeline.realised_share=0.9", ".sim-results.sim-stale"
    )
    status = page.locator(".sim-status").inner_text()
    assert "资金落地率" in status and "90.0%" in status and "之间" in status, status
    assert "/" not in status and "Error" not in status
    assert "—" in drive.headline(page) and "亿元" not in drive.headline(page)
    assert page.locator(".sim-table table").count() == 0
    opacity = page.evaluate(
        "getComputedStyle(document.querySelector('.sim-results .sim-card')).opacity"
    )
    assert float(opacity) < 0.5
    page.locator("button.sim-reset").click()
    page.wait_for_selector(".sim-results:not(.sim-stale) .sim-headline-gdp .v >> text=亿元")
    assert page.locator(".sim-status").inner_text().strip() == ""
    assert watch.page_errors == []
    page.close()


def test_a_coupled_lever_dragged_to_its_end_still_gives_numbers(page):
    """Slider ranges follow the cross-lever rules: the End key takes 资金落地率 to the end
    of its slider, which the model accepts (the message never appears by dragging)."""
    page, _ = page
    page.get_by_text("其他假设").first.click()
    handle = drive.lever(page, "pipeline.realised_share").locator(".noUi-handle")
    handle.wait_for(state="visible")
    before = drive.headline(page)
    handle.focus()
    page.keyboard.press("End")
    _wait_headline_change(page, before)
    readout = float(_readout(page, "pipeline.realised_share").rstrip("%"))
    assert 2 < readout < 100  # narrowed below the schema's 100%
    page.wait_for_timeout(500)
    assert "sim-stale" not in (page.locator(".sim-results").get_attribute("class") or "")
    assert "亿元" in drive.headline(page)
    jan_max = page.evaluate(  # 开门红 cannot exceed the year's signings
        "document.querySelector('.sim-lever-pipeline-january_signed_100m_cny .noUi-handle')"
        ".getAttribute('aria-valuemax')"
    )
    year = _readout(page, "pipeline.signed_annual_100m_cny").replace(",", "")
    assert float(jan_max) == pytest.approx(float(year), abs=1)  # the readout is rounded


def test_a_shared_link_reproduces_the_pathway(page, chromium, server):
    page, _ = page
    before = drive.headline(page)
    page.locator(".sim-preset-attraction button", has_text="发力").click()
    before = _wait_headline_change(page, before)
    handle = drive.lever(page, "industry.tech_yield").locator(".noUi-handle")
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "document.querySelector('.sim-lever-industry-tech_yield .widget-readout')"
        ".innerText.trim() === '0.40'"
    )
    page.wait_for_function(
        "document.querySelector('.sim-link-text').dataset.query.includes('tech_yield=0.4')"
    )
    _wait_quiet(page)
    query = page.locator(".sim-link-text").get_attribute("data-query")
    assert "campaigns.attraction=strong" in query
    assert "campaigns.attraction=strong" in page.url  # the address bar follows the levers
    page.locator("button.sim-copy-link").click()
    link = page.locator(".sim-link-text").input_value()
    assert link.startswith(server.rstrip("/")) and link.endswith(query)
    shown = [drive.headline(page, w) for w in ("gdp", "industrial-output")]
    readouts = [_readout(page, p) for p in ("industry.tech_yield", "pipeline.industrial_share")]
    page2, watch2, _ = drive.open_dashboard(chromium, link)
    _wait_quiet(page2)
    assert [drive.headline(page2, w) for w in ("gdp", "industrial-output")] == shown
    assert [
        _readout(page2, p) for p in ("industry.tech_yield", "pipeline.industrial_share")
    ] == readouts
    assert page2.locator(".sim-preset-attraction button.mod-active").inner_text() == "发力"
    assert watch2.page_errors == []
    page2.close()
    # a link with a part the page cannot use opens the baseline and says so
    page3, _, _ = drive.open_dashboard(chromium, server + "?industry.tech_yield=9&evil=1")
    status = page3.locator(".sim-status").inner_text()
    assert "链接中的设定无法使用" in status and "evil" in status
    assert _readout(page3, "industry.tech_yield") == "0.30"
    page3.close()


def test_the_dashboard_and_the_uncertainty_page_show_the_same_probability(
    page, chromium, params_dir, tmp_path
):
    """Both draw the baseline's uncertainty (shocks included) with 1,000 draws and one
    seed, so they agree to the dashboard's rounding (whole percent)."""
    page, _ = page
    card = drive.headline(page, "gdp")
    assert "1,000次模拟" in card and "种子" in card
    dash = float(card.split("达成概率")[1].split("%")[0])
    with drive.serve(params_dir, preheat=False, page="uncertainty", log=tmp_path / "u.log") as url:
        upage, _, _ = drive.open_page(chromium, url, ".sim-u-probability table")
        assert upage.locator(".sim-u-scenario select").input_value() == "基准情景"
        row = upage.locator(".sim-u-probability tr").first.inner_text()
        unc = float(row.split("\t")[-1].strip().rstrip("%"))
        assert abs(dash - unc) <= 0.5 + 1e-9, (dash, unc)
        upage.close()


def test_the_warnings_strip_flags_an_implausible_pathway(chromium, server):
    levers = (
        "industry.organic_real_growth_rate=0.3&pipeline.signed_annual_100m_cny=20000"
        "&industry.tech_investment_growth_rate=1"
    )
    page, watch, _ = drive.open_dashboard(chromium, server + "?" + levers)
    strip = page.locator(".sim-warnings")
    strip.wait_for(state="visible")
    text = strip.inner_text()
    assert "合理性提示" in text and "GDP实际增长" in text and "历史最好年份" in text, text
    page.locator(".sim-language button", has_text="English").click()
    page.wait_for_function(
        "document.querySelector('.sim-warnings').innerText.includes('far beyond history')"
    )
    assert "数据" not in strip.inner_text()
    page.close()
    base, _, _ = drive.open_dashboard(chromium, server)
    assert base.locator(".sim-warnings").inner_text().strip() == ""  # the baseline is plausible
    base.close()
