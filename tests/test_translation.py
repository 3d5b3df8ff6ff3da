"""Complete translation (issue 13): every page, served in each language, shows nothing in
the other language: text, tooltips, placeholders, options, chart text
(:mod:`lang_check`).

Each page is served once per language (``lang=``, as ``--lang`` does); the dashboard,
the uncertainty page and the projects page are also switched with their 中文 / English
toggle. The uncertainty page is checked with its Sobol table and a goal-seek answer
drawn; the projects page after a register upload with errors and a refused actuals file,
so that the refusals and the row report are checked too, in both languages and across
the toggle.

Names from the data shown are not words of a language: the folder's counties and city,
the sample register's project names, and the names and cells of the uploaded files
(:func:`data_names`).
"""

from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path

import drive
import pytest
from lang_check import offending, visible_text

from simulation import load_scenario
from simulation.io.register import import_register
from simulation.labels import scenario_label

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
OTHER = {"zh": "en", "en": "zh"}
TOGGLE = {"zh": "中文", "en": "English"}
READY = {
    "dashboard": ".sim-headline-gdp .sim-card",
    "uncertainty": ".sim-u-probability table",
    "projects": ".sim-p-league table",
    "compare": ".sim-compare-table table",
}
SAMPLE_REGISTER = "registers/sample_register_SYNTHETIC.csv"
#: A register with three bad rows (a date, an amount in 万元, a county of another city).
BAD_REGISTER = (
    "项目名称,县市区,行业,项目类别,签约日期,签约金额(亿元)\n"
    "好项目,沙市区,化工,工业,2021/5/1,3\n"
    "坏日期,沙市区,化工,工业,2021/13/1,3\n"
    "万元项目,荆州区,化工,工业,2021/5/1,35000\n"
    "外地项目,武汉市,化工,工业,2021/5/1,3\n"
)
#: Released figures with a month 13: refused, naming the row and the field.
BAD_ACTUALS = "indicator,period,value,unit\ngdp_100m_cny,2022M1-13,583,亿元\n"


@pytest.fixture(scope="module")
def params_dir(tmp_path_factory, root):
    d = tmp_path_factory.mktemp("translation") / "params"
    shutil.copytree(root / "params", d)
    return d


def data_names(params_dir: Path, *files: Path) -> list[str]:
    """Proper names the projects page shows from its data: the city's Chinese name and its
    counties, the sample register's file and project names, and the names and cells of
    ``files`` (uploads)."""
    params = load_scenario("base", None, params_dir).params
    names = [params.city.name_zh, *params.city.counties, SAMPLE_REGISTER.split("/")[-1]]
    names += import_register(params_dir / SAMPLE_REGISTER, params).projects["name"].tolist()
    for f in files:
        names += [f.name, f.stem]
        with f.open(encoding="utf-8") as fh:
            names += [cell for row in csv.reader(fh) for cell in row]
    return names


def check(page, lang: str, where: str, names: list[str] = ()) -> None:
    """Fail, listing every offending fragment, if the page shows the other language."""
    page.wait_for_timeout(500)  # let late widget updates land
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"translation_{where}.png"), full_page=True)
    found = offending(visible_text(page), lang, names)
    for o in found:
        print(f"[{where}] {o}")
    assert not found, f"{where}: {len(found)} fragment(s) not in {lang}: " + "; ".join(
        str(o) for o in found[:30]
    )


def switch(page, lang: str, changed: str) -> None:
    """Click the page's language toggle and wait until ``changed`` (a JS expression) holds."""
    page.locator(".sim-language button", has_text=TOGGLE[lang]).click()
    page.wait_for_function(changed, timeout=30_000)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page_name", ["dashboard", "compare"])
def test_page_served_in_one_language_shows_only_that_language(
    chromium, params_dir, tmp_path, page_name, lang
):
    t0 = time.perf_counter()
    log = tmp_path / "voila.log"
    with drive.serve(params_dir, preheat=False, page=page_name, lang=lang, log=log) as url:
        page, watch, _ = drive.open_page(chromium, url, READY[page_name], 120_000, height=2400)
        if page_name == "dashboard":
            page.wait_for_selector(".sim-chart-path-gdp path.line", state="attached")
        if page_name == "compare":
            page.wait_for_selector(".sim-compare-paths img", timeout=120_000)
        check(page, lang, f"{page_name}_{lang}")
        assert not watch.page_errors
        page.close()
    print(f"{page_name} {lang}: {time.perf_counter() - t0:.1f} s")


@pytest.mark.parametrize("first", ["zh", "en"])
def test_uncertainty_page_with_sobol_and_goal_seek_in_both_languages(
    chromium, params_dir, tmp_path, first
):
    """Served in ``first``: it opens on the dashboard's scenario, says how many draws and
    which seed; with the Sobol table and a goal-seek answer drawn, then toggled."""
    t0 = time.perf_counter()
    basis = {"zh": "1,000次模拟 · 种子 ", "en": "1,000 draws · seed "}
    log = tmp_path / "voila.log"
    with drive.serve(params_dir, preheat=False, page="uncertainty", lang=first, log=log) as url:
        page, watch, _ = drive.open_page(chromium, url, READY["uncertainty"], height=2400)
        # the dashboard's first scenario, named in the page's language
        shown = page.locator(".sim-u-scenario select").input_value()
        assert shown == scenario_label("baseline", "", first)
        assert basis[first] in page.locator(".sim-u-basis").inner_text()
        page.locator("button.sim-u-sobol-run").click()
        page.wait_for_selector(".sim-u-sobol table", timeout=120_000)
        page.locator("button.sim-u-solve").click()
        page.wait_for_selector(".sim-u-answer .sim-card", timeout=60_000)
        check(page, first, f"uncertainty_{first}")
        other = OTHER[first]
        switch(
            page,
            other,
            f"document.querySelector('.sim-u-basis').innerText.includes({basis[other]!r})",
        )
        check(page, other, f"uncertainty_{first}_toggled_{other}")
        assert not watch.page_errors
        page.close()
    print(f"uncertainty from {first}: {time.perf_counter() - t0:.1f} s")


@pytest.mark.parametrize("first", ["zh", "en"])
def test_dashboard_language_toggle_switches_every_string(chromium, params_dir, tmp_path, first):
    """Served in ``first``, switched to the other language and back with the toggle."""
    t0 = time.perf_counter()
    other = OTHER[first]
    word = {"zh": "目标", "en": "target"}
    log = tmp_path / "voila.log"
    with drive.serve(params_dir, preheat=False, page="dashboard", lang=first, log=log) as url:
        page, watch, _ = drive.open_dashboard(chromium, url, height=2400)
        check(page, first, f"dashboard_{first}_served")
        for lang in (other, first):
            switch(
                page,
                lang,
                f"document.querySelector('.sim-headline-gdp').innerText.includes({word[lang]!r})",
            )
            page.wait_for_timeout(1000)  # the rest of the page relabels in the same call
            check(page, lang, f"dashboard_{first}_toggled_{lang}")
        assert not watch.page_errors
        page.close()
    print(f"dashboard toggle from {first}: {time.perf_counter() - t0:.1f} s")


@pytest.mark.parametrize("first", ["zh", "en"])
def test_projects_page_refusals_and_row_report_in_both_languages(
    chromium, params_dir, tmp_path, first
):
    """Served in ``first``: the page as loaded; after a register with three bad rows (the
    failure line and the row report) and a refused actuals file (the refusal); then the
    toggle to the other language redraws all of it there."""
    t0 = time.perf_counter()
    bad = tmp_path / "台账 有错误.csv"
    bad.write_text(BAD_REGISTER, encoding="utf-8")
    bad_actuals = tmp_path / "快报 bad.csv"
    bad_actuals.write_text(BAD_ACTUALS, encoding="utf-8")
    names = data_names(params_dir, bad, bad_actuals)
    failed = {"zh": "导入失败", "en": "Import failed"}
    column = {"zh": "签约日期", "en": "Signing date"}
    period = {"zh": "期间", "en": "period"}
    log = tmp_path / "voila.log"
    with drive.serve(params_dir, preheat=False, page="projects", lang=first, log=log) as url:
        page, watch, _ = drive.open_page(chromium, url, READY["projects"], height=2400)
        page.wait_for_selector(".sim-p-nowcast table")
        check(page, first, f"projects_{first}_loaded", names)
        with page.expect_file_chooser() as chooser:
            page.locator(".sim-p-upload").click()
        chooser.value.set_files(str(bad))
        page.wait_for_function(
            f"document.querySelector('.sim-p-status').innerText.includes({failed[first]!r})"
            f" && document.querySelector('.sim-p-report').innerText.includes({column[first]!r})"
        )
        with page.expect_file_chooser() as chooser:
            page.locator(".sim-p-actuals-upload").click()
        chooser.value.set_files(str(bad_actuals))
        page.wait_for_function(
            f"document.querySelector('.sim-p-track-status').innerText.includes({period[first]!r})"
        )
        report = page.locator(".sim-p-report").inner_text()
        for row, value in (("3", "2021/13/1"), ("4", "35000"), ("5", "武汉市")):
            assert row in report and value in report, (row, value)
        check(page, first, f"projects_{first}_refused", names)
        other = OTHER[first]
        switch(
            page,
            other,
            f"document.querySelector('.sim-p-status').innerText.includes({failed[other]!r})",
        )
        page.wait_for_function(
            f"document.querySelector('.sim-p-report').innerText.includes({column[other]!r})"
            " && document.querySelector('.sim-p-track-status').innerText"
            f".includes({period[other]!r})"
        )
        check(page, other, f"projects_{first}_toggled_{other}", names)
        assert not watch.page_errors
        page.close()
    print(f"projects from {first}: {time.perf_counter() - t0:.1f} s")


def test_city_picker_follows_the_page_language(chromium, root, tmp_path):
    """A folder of city folders: the picker's label and the city names are in the page's
    language, served in English and after the toggle to Chinese."""
    cities = tmp_path / "cities"
    shutil.copytree(root / "cities" / "jingmen", cities / "jingmen")
    shutil.copytree(root / "params", cities / "jingzhou")
    log = tmp_path / "voila.log"
    with drive.serve(cities, preheat=False, page="uncertainty", lang="en", log=log) as url:
        page, watch, _ = drive.open_page(chromium, url, READY["uncertainty"], height=2400)
        assert page.locator(".sim-city select option").all_inner_texts() == [
            "Jingmen",
            "Jingzhou",
        ]
        check(page, "en", "city_picker_en")
        switch(page, "zh", "document.body.innerText.includes('城市')")
        page.wait_for_function(
            "[...document.querySelectorAll('.sim-city select option')]"
            ".map((o) => o.textContent).join() === '荆门,荆州'"
        )
        check(page, "zh", "city_picker_toggled_zh")
        assert not watch.page_errors
        page.close()
