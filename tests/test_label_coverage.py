"""Every user-facing string goes through the label table (issue 14).

The command line, the register views and the projects page write no Chinese text of
their own: table headers, sheet names, status lines and headings are rows of
:data:`simulation.labels.TEXT` (both languages), read with ``tr`` in the language in
force. Docstrings and comments may say anything; :data:`ALLOWED` lists any string literal
with CJK characters that must stay in code, each with its reason.
"""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import pytest
from lang_check import EN_ALLOWED

from simulation import load_scenario
from simulation.labels import TEXT, tr

ROOT = Path(__file__).resolve().parents[1]
MODULES = (
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "simulation/frontends/cli").glob("*.py")),
    "simulation/analyses/register_views.py",
    "simulation/frontends/ui/projects_page.py",
)
NOTEBOOKS = tuple(sorted((ROOT / "notebooks").glob("*.ipynb")))
SAMPLE_REGISTER = ROOT / "params" / "registers" / "sample_register_SYNTHETIC.csv"
#: CJK ideographs, CJK and full-width punctuation, curly quotes.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’]")

#: (module, literal) → why it stays in code. Nothing has to, today.
ALLOWED: dict[tuple[str, str], str] = {}

#: Keys added for issue 14 (command line, register sheets, release names, notebook).
NEW_KEYS = (
    "v_sheet_register",
    "v_sheet_funnel",
    "v_sheet_league",
    "v_sheet_report",
    "release_real",
    "release_growth_pct",
    "release_pct",
    "none",
    "cli_run_title",
    "cli_run_year",
    "cli_fai",
    "cli_va_primary",
    "cli_va_industry",
    "cli_va_construction",
    "cli_va_tertiary",
    "cli_gdp_real_growth",
    "cli_gio_real_growth",
    "cli_targets",
    "cli_no_target",
    "cli_target_line",
    "cli_met",
    "cli_not_met",
    "cli_contrib_head",
    "cli_params_scenario",
    "cli_params_campaigns",
    "cli_params_shocks",
    "cli_not_set",
    "cli_n_values",
    "cli_valid",
    "cli_restored",
    "cli_mc_head",
    "cli_mc_probability",
    "cli_both",
    "cli_mc_no_targets",
    "cli_mc_quantiles",
    "cli_tornado_head",
    "cli_sobol_head",
    "cli_solve_head",
    "cli_solve_at_solved",
    "cli_solve_as_is",
    "cli_batch_done",
    "cli_batch_failed",
    "cli_register_summary",
    "cli_register_warning",
    "cli_views_written",
    "cli_serving",
    "cli_help_solve",
    "cli_help_register",
    "nb_overrides",
)


def _cjk_literals(source: str) -> list[tuple[int, str]]:
    """String literals (f-string parts included) with CJK characters, docstrings aside."""
    tree = ast.parse(source)
    docs = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and isinstance(n.body[0].value, ast.Constant)
    }
    return [
        (n.lineno, n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant)
        and isinstance(n.value, str)
        and id(n) not in docs
        and CJK.search(n.value)
    ]


def _without_units(text: str) -> str:
    """``text`` less the CJK an English label may keep (:data:`lang_check.EN_ALLOWED`:
    亿元 and the campaigns' own names)."""
    for allowed in sorted(EN_ALLOWED, key=len, reverse=True):
        text = text.replace(allowed, "")
    return text


@pytest.mark.parametrize("module", MODULES)
def test_no_cjk_string_literal_outside_the_label_table(module):
    found = [
        f"{module}:{line}: {value!r}"
        for line, value in _cjk_literals((ROOT / module).read_text(encoding="utf-8"))
        if (module, value) not in ALLOWED
    ]
    assert not found, "write these in simulation/labels.py and use tr():\n" + "\n".join(found)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_code_has_no_cjk_string_literal(notebook):
    """What a notebook prints comes from the label table too (comments may gloss)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    found = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"])
        src = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in src.split("\n"))
        found += [f"cell {i}, line {ln}: {v!r}" for ln, v in _cjk_literals(src)]
    assert not found, found


def test_allow_list_entries_are_still_needed():
    for (module, value), reason in ALLOWED.items():
        assert reason, (module, value)
        literals = {v for _, v in _cjk_literals((ROOT / module).read_text(encoding="utf-8"))}
        assert value in literals, f"{module}: {value!r} is gone; drop it from ALLOWED"


@pytest.mark.parametrize("key", NEW_KEYS)
def test_each_new_key_has_both_languages(key):
    zh, en = TEXT[key]
    assert zh.strip() and en.strip(), key
    assert not CJK.search(_without_units(en)), f"{key}: English text with Chinese: {en!r}"
    fields = [
        {name for _, name, _, _ in string.Formatter().parse(text) if name} for text in (zh, en)
    ]
    assert fields[0] == fields[1], f"{key}: the languages fill different placeholders"


def test_new_keys_name_no_city_year_or_target():
    """Labels take the city, years and targets from their placeholders."""
    params = load_scenario("base").params
    words = (params.city.name_zh, params.city.name_en, str(params.calendar.base_year))
    words += (str(params.calendar.base_year + 1), f"{params.targets.gdp_100m_cny:g}")
    for key in NEW_KEYS:
        assert not [w for w in words if any(w in text for text in TEXT[key])], key


def _headers(html: str) -> list[str]:
    """The header cells of every table in ``html``: its ``<thead>`` (pandas tables), else
    its first row; row labels (counties, months) are data."""
    heads = []
    for table in re.findall(r"<table.*?</table>", html, re.S):
        head = re.search(r"<thead>(.*?)</thead>", table, re.S) or re.search(
            r"<tr>(.*?)</tr>", table, re.S
        )
        cells = re.findall(r"<th[^>]*>(.*?)</th>", head.group(1), re.S)
        heads += [re.sub(r"<[^>]+>", "", c) for c in cells]
    return heads


@pytest.fixture(scope="module")
def english_page(tmp_path_factory):
    import shutil

    from simulation.frontends.ui.projects_page import ProjectsPage

    params = tmp_path_factory.mktemp("coverage") / "params"
    shutil.copytree(ROOT / "params", params)
    return ProjectsPage(params, lang="en")


def test_projects_page_table_headers_in_english_have_no_chinese(english_page):
    """Every table of the projects page (pipeline, league table, at risk, nowcast news and
    milestones), served in English: no Chinese in any header (亿元 is the English unit).
    Row labels may be counties: names from the data, not words of a language."""
    page = english_page
    tables = {
        "funnel": page.funnel.value,
        "league": page.league.value,
        "risk": page.risk.value,
        "nowcast": page.nowcast.value,
    }
    assert all("<th" in html for html in tables.values()), tables.keys()
    found = [
        f"{name}: {h!r}"
        for name, html in tables.items()
        for h in _headers(html)
        if CJK.search(_without_units(h))
    ]
    assert not found, found


def test_register_views_in_english_have_no_chinese_header():
    from simulation.analyses import register_views as views
    from simulation.io.register import import_register

    params = load_scenario("baseline").params
    reg = import_register(SAMPLE_REGISTER, params)
    frames = {
        "funnel": views.funnel_by_month(reg, "en"),
        "league": views.league_table(reg, params, "en"),
        "county": views.breakdown(reg, "county", "en"),
        "industry": views.breakdown(reg, "industry", "en"),
        "risk": views.at_risk(reg, lang="en"),
    }
    found = [
        f"{name}: {h!r}"
        for name, df in frames.items()
        for h in [*map(str, df.columns), str(df.index.name or "")]
        if CJK.search(_without_units(h))
    ]
    assert not found, found
    assert not [i for i in frames["industry"].index if CJK.search(str(i))]


def test_command_line_prints_its_labels_in_its_language():
    """The run table's labels come from the table in the command line's language
    (English): only the city's and the scenario's own names may be Chinese."""
    from simulation.analyses.result import simulate
    from simulation.frontends import cli

    sc = load_scenario("baseline")
    text = cli.run.run_text(simulate(sc), "table")
    names = (sc.params.city.name_zh, sc.description)
    for line in text.splitlines():
        for name in names:
            line = line.replace(name, "")
        assert not CJK.search(_without_units(line)), line
    assert f"  {tr('gdp', cli.common.PRINT_LANG):42s}" in text


def test_release_units_and_names_come_from_the_table():
    from simulation.analyses.tracking import release_label
    from simulation.frontends.ui.projects_page import UNIT_SHOWN, unit_shown

    assert all(v in TEXT or not CJK.search(v) for v in UNIT_SHOWN.values())
    assert unit_shown("100m_cny", "zh") == tr("unit_100m", "zh") == "亿元"
    assert unit_shown("100m_cny", "en") == tr("unit_100m", "en") == "100m CNY"  # in English
    assert unit_shown("pct", "en") == "%" and unit_shown("count", "zh") == ""
    assert release_label("gdp", "en") == tr("release_gdp", "en")
