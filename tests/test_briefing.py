"""The monthly briefing (issue 24): ``brief`` on the sample data in both languages, the Word
file opened with python-docx, the HTML in Chromium, the numbers against ``track --format
json``, the same bytes for the same inputs, bad inputs refused by name with nothing
written, and the pages' downloads (tracking: workbook and briefing; uncertainty: workbook)
read back."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from helpers import ROOT, cli

from simulation.analyses.briefing import SECTIONS
from simulation.labels import tr

ACTUALS = ROOT / "params" / "actuals" / "example_2022.csv"
REGISTER = ROOT / "params" / "registers" / "sample_register_SYNTHETIC.csv"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
EPOCH = "1654041600"  # 2022-06-01: the briefing's date, fixed


def _track_json() -> dict:
    r = cli("track", "baseline", "--actuals", str(ACTUALS), "--register", str(REGISTER),
            "--format", "json")  # fmt: skip
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _headline_numbers(d: dict) -> list[str]:
    """The figures the headline states, formatted as the briefing formats them."""
    out = []
    for name in ("gdp", "industrial_output"):
        q = d["forecast_quantiles"][name]
        out += [f"{q['p50']:,.1f}", f"{q['p5']:,.1f}", f"{q['p95']:,.1f}"]
        out.append(f"{100 * d['probability'][name]:.1f}%")
        out.append(f"{d['status'][name]['actual']:,.1f}")
    out.append(f"{100 * d['probability']['both']:.1f}%")
    return out


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The briefing in both languages, made twice each with the same inputs."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = {}
    try:
        for lang in ("zh", "en"):
            for run in (1, 2):
                d = tmp_path_factory.mktemp(f"brief_{lang}_{run}")
                r = cli("brief", "--actuals", str(ACTUALS), "--register", str(REGISTER),
                        "--lang", lang, "--out", str(d), "--format", "json")  # fmt: skip
                assert r.returncode == 0, r.stderr
                out[lang, run] = json.loads(r.stdout)
    finally:
        mp.undo()
    return out


def test_the_word_file_has_every_section_the_tracked_numbers_and_the_charts(made):
    from docx import Document

    numbers = _headline_numbers(_track_json())
    for lang in ("zh", "en"):
        doc = Document(made[lang, 1]["files"]["docx"])
        headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
        assert headings == [tr(f"brief_{k}", lang) for k in SECTIONS]
        text = "\n".join(p.text for p in doc.paragraphs)
        for n in numbers:
            assert n in text, (lang, n)
        assert len(doc.inline_shapes) == 3  # two tracking charts and the required path
        cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
        assert tr("p_step_firms", lang, n=50) in cells  # the levers' table
        assert doc.core_properties.created.isoformat().startswith("2022-06-01")


def test_the_html_opens_in_chromium_with_its_sections_numbers_and_images(made, chromium):
    numbers = _headline_numbers(_track_json())
    ARTIFACTS.mkdir(exist_ok=True)
    for lang in ("zh", "en"):
        path = Path(made[lang, 1]["files"]["html"])
        page = browser_page(chromium)
        requests: list[str] = []
        page.on("request", lambda r, seen=requests: seen.append(r.url))
        page.goto(path.as_uri())
        for key in SECTIONS:
            assert page.locator(f".sim-brief-{key} h2").inner_text() == tr(f"brief_{key}", lang)
        body = page.locator("body").inner_text()
        for n in numbers:
            assert n in body, (lang, n)
        assert "import" not in body and "notebook_cell" not in body  # no code shown
        sizes = page.eval_on_selector_all(
            "img.sim-brief-chart", "els => els.map(e => [e.naturalWidth, e.naturalHeight])"
        )
        assert len(sizes) == 3 and all(w > 300 and h > 150 for w, h in sizes)
        assert all(u.startswith(("file:", "data:")) for u in requests), requests  # offline
        page.screenshot(path=str(ARTIFACTS / f"briefing_{lang}.png"), full_page=True)
        page.close()


def browser_page(chromium):
    return chromium.new_page(viewport={"width": 1366, "height": 900})


def test_the_same_inputs_give_the_same_files(made):
    for lang in ("zh", "en"):
        one, two = made[lang, 1]["files"], made[lang, 2]["files"]
        assert set(one) == {"html", "docx", "json", "ipynb"}
        for kind in ("html", "docx", "json"):
            assert Path(one[kind]).read_bytes() == Path(two[kind]).read_bytes(), (lang, kind)


def test_every_figure_is_traceable_in_the_json_record(made):
    d = json.loads(Path(made["zh", 1]["files"]["json"]).read_text(encoding="utf-8"))
    prov = d["provenance"]
    assert prov["actuals"]["name"] == ACTUALS.name and len(prov["actuals"]["sha256"]) == 64
    assert prov["register"]["name"] == REGISTER.name
    assert prov["release_rows"] and prov["seed"] and prov["draws"] == 300
    assert prov["created_utc"].startswith("2022-06-01") and prov["inputs_hash"]
    track = _track_json()
    assert d["numbers"]["forecast_quantiles"] == track["forecast_quantiles"]
    assert d["numbers"]["probability"] == track["probability"]
    assert [s["key"] for s in d["sections"]] == list(SECTIONS)


@pytest.mark.parametrize(
    "case, args, says",
    [
        ("missing actuals", ["--actuals", "no_such.csv"], "no_such.csv: file not found"),
        ("bad row", ["--actuals", "BAD"], "retail_sales_growth"),
        ("missing register", ["--actuals", str(ACTUALS), "--register", "nope.csv"],
         "nope.csv: file not found"),
        ("unknown scenario", ["--actuals", str(ACTUALS), "--scenario", "nope"], "nope"),
    ],
)  # fmt: skip
def test_bad_inputs_are_refused_by_name_and_nothing_is_written(tmp_path, case, args, says):
    if "BAD" in args:
        bad = tmp_path / "releases_bad.csv"
        bad.write_text(
            ACTUALS.read_text(encoding="utf-8") + "retail_sales_growth,2022M5,3,pct,x\n",
            encoding="utf-8",
        )
        args = [str(bad) if a == "BAD" else a for a in args]
    out = tmp_path / "out"
    r = cli("brief", *args, "--out", str(out))
    assert r.returncode == 2, (case, r.stdout, r.stderr)
    assert says in r.stderr and "Traceback" not in r.stderr, (case, r.stderr)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if "staging" in p.name]


def test_an_out_path_that_is_a_file_is_refused(tmp_path):
    f = tmp_path / "out"
    f.write_text("keep me", encoding="utf-8")
    r = cli("brief", "--actuals", str(ACTUALS), "--out", str(f))
    assert r.returncode == 2 and "is not a folder" in r.stderr
    assert f.read_text(encoding="utf-8") == "keep me"


# --- the pages' downloads -------------------------------------------------------------------
def _link_bytes(html: str, index: int = 0) -> tuple[str, bytes]:
    import base64
    import re

    links = re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', html)
    name, b64 = links[index]
    return name, base64.b64decode(b64)


def test_the_tracking_page_offers_its_workbook_and_the_briefing(params_dir):
    from simulation.frontends.ui.projects_page import ProjectsPage

    page = ProjectsPage(params_dir)
    page.make_excel()
    name, data = _link_bytes(page.excel_link.value)
    assert name == "荆州_baseline_跟踪_2022.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == tr("x_sheet_status", "zh")
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    head = rows[0]
    d = page.tracking.to_dict()
    for r in rows[1:]:
        name_ = "gdp" if r[0] == tr("gdp", "zh") else "industrial_output"
        assert r[head.index("p50")] == pytest.approx(d["forecast_quantiles"][name_]["p50"])
        assert r[head.index(tr("x_probability_pct", "zh"))] == pytest.approx(
            100 * d["probability"][name_]
        )
    page.make_briefing()
    kinds = sorted(_link_bytes(page.brief_link.value, i)[0].rsplit(".", 1)[1] for i in (0, 1))
    assert kinds == ["docx", "html"]
    _, html = _link_bytes(page.brief_link.value, 1)
    assert tr("brief_headline", "zh").encode() in html


def test_the_uncertainty_page_offers_its_workbook(params_dir):
    from simulation.frontends.ui.uncertainty_page import UncertaintyPage

    page = UncertaintyPage(params_dir, lang="en")
    page.make_excel()
    name, data = _link_bytes(page.excel_link.value)
    assert name == f"Jingzhou_{page.picker.value}_uncertainty_2022.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[:2] == ["Probability", "Monthly bands"] and "Tornado" in wb.sheetnames
    rows = list(wb["Probability"].iter_rows(values_only=True))
    p = page.mc.probability()
    assert rows[1][1] == pytest.approx(100 * p["gdp"]) and rows[3][1] == pytest.approx(
        100 * p["both"]
    )


def test_a_planner_makes_the_briefing_and_the_workbook_from_the_tracking_page(
    chromium, params_dir, tmp_path
):
    """The tracking page served as planners open it: the two buttons give their links."""
    import drive

    with drive.serve(
        ROOT / "params", preheat=False, page="projects", log=tmp_path / "v.log"
    ) as url:
        page, watch, _ = drive.open_page(chromium, url, ".sim-p-league table", height=2400)
        page.locator("button.sim-p-excel").click()
        page.wait_for_selector(".sim-p-excel-link a[download$='.xlsx']", timeout=60_000)
        page.locator("button.sim-p-brief").click()
        page.wait_for_selector(".sim-p-brief-link a[download$='.docx']", timeout=120_000)
        names = page.eval_on_selector_all(
            ".sim-p-brief-link a", "els => els.map(e => e.getAttribute('download'))"
        )
        assert sorted(n.rsplit(".", 1)[1] for n in names) == ["docx", "html"]
        assert all(n.startswith("荆州_baseline_2022_M5_简报") for n in names)
        assert watch.foreign_requests == [] and not watch.page_errors
        page.close()


def test_a_city_without_targets_gets_a_briefing_without_goals(tmp_path):
    """Jingmen's folder has no targets: the headline states the figures against the plan,
    says no target is set, and claims no probability of reaching one."""
    from simulation import load_scenario
    from simulation.analyses.briefing import build_briefing
    from simulation.analyses.tracking import read_actuals

    releases = tmp_path / "jingmen_2022.csv"
    releases.write_text(
        "indicator,period,value,unit,note\n"
        "gross_industrial_output_100m_cny,2022M1-5,1000,亿元,SYNTHETIC\n"
        "gdp_100m_cny,2022M1-3,480,亿元,SYNTHETIC\n",
        encoding="utf-8",
    )
    folder = ROOT / "cities" / "jingmen"
    sc = load_scenario("baseline", params_dir=folder)
    for lang in ("zh", "en"):
        b = build_briefing(sc, read_actuals(releases), None, lang, draws=100, params_dir=folder)
        head = b.sections[0].lines
        no_target = {"zh": "未设目标", "en": "no target set"}[lang]
        assert sum(no_target in line for line in head) == 2, head
        assert not any(tr("brief_both", lang, p="") in line for line in head)
        assert tr("brief_no_remaining", lang, ind=tr("gdp", lang)) in b.sections[6].lines


def test_the_pdf_is_printed_by_chromium_where_it_is_present(tmp_path):
    import shutil

    if shutil.which("chromium") is None:  # the test command installs it; say so if not
        pytest.fail("Debian's chromium is missing: bash scripts/test.sh installs it")
    r = cli("brief", "--actuals", str(ACTUALS), "--lang", "en", "--out", str(tmp_path / "b"),
            "--pdf", "--format", "json")  # fmt: skip
    assert r.returncode == 0, r.stderr
    made = json.loads(r.stdout)
    pdf = Path(made["files"]["pdf"])
    assert made["pdf"] is None and pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 50_000  # the charts are in it
