"""A corpus of bad inputs across every surface (issue 15): each is refused with exit code 2
and a message naming the file, row, field or argument; no traceback; nothing written.

Files are written into a temporary folder; ``{t}`` in an argument stands for it. After each
case the folder holds only what the case wrote as input (no output, no half-made folder),
and the shipped ``params/`` is unchanged.
"""

from __future__ import annotations

import hashlib

import pytest
from helpers import ROOT, cli

HEADER = "项目名称,县市区,行业,项目类别,签约日期,签约金额(亿元),产出强度\n"
OK_ROW = "甲,沙市区,化工,工业,2021/5/1,3,1.2\n"
PACK_HEAD = "city,period,indicator,value,unit,source_url,note\n"
SHORT = "indicator,period,value,unit\n"
BASE = "extends: base\ndescription: t\n"

# id: (files {name: text or bytes}, argv, expected in stderr)
CASES: dict[str, tuple[dict[str, str | bytes], list[str], str]] = {
    # --- scenario files ---------------------------------------------------------------------
    "yaml syntax": ({"s.yaml": "extends: [\n"}, ["run", "{t}/s.yaml"], "s.yaml"),
    "yaml alias bomb": ({"s.yaml": "a: &a [1, 1]\nb: [*a, *a]\n"}, ["run", "{t}/s.yaml"], "aliases"),
    "yaml deep nesting": ({"s.yaml": BASE + "overrides: " + "{a: " * 30 + "1" + "}" * 30 + "\n"},
                          ["run", "{t}/s.yaml"], "nested deeper"),
    "yaml duplicate key": ({"s.yaml": BASE + "description: u\n"}, ["run", "{t}/s.yaml"], "duplicate key"),
    "yaml unknown field": ({"s.yaml": BASE + "overrides: {industry.nope: 1}\n"},
                           ["run", "{t}/s.yaml"], "nope"),
    "yaml out of bounds": ({"s.yaml": BASE + "overrides: {industry.tech_yield: 5}\n"},
                           ["run", "{t}/s.yaml"], "tech_yield"),
    "yaml bool for number": ({"s.yaml": BASE + "overrides: {industry.tech_yield: true}\n"},
                             ["run", "{t}/s.yaml"], "expected a number"),
    "yaml nan": ({"s.yaml": BASE + "overrides: {industry.tech_yield: .nan}\n"},
                 ["run", "{t}/s.yaml"], "finite"),
    "yaml inf in a list": ({"s.yaml": BASE + "overrides: {seasonality.primary_weights: "
                            "[.inf, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}\n"}, ["run", "{t}/s.yaml"], "finite"),
    "yaml extends nowhere": ({"s.yaml": "extends: nowhere\n"}, ["run", "{t}/s.yaml"], "nowhere"),
    "name as a path": ({}, ["run", "../../cities/jingmen/scenarios/baseline"], "named without a path"),
    "another city's file": ({}, ["run", "cities/jingmen/scenarios/baseline.yaml"], "--params-dir"),
    "yaml horizon 13": ({"s.yaml": BASE + "overrides: {calendar.horizon_months: 13}\n"},
                        ["run", "{t}/s.yaml"], "whole years"),
    "yaml base year moved": ({"s.yaml": BASE + "overrides: {calendar.base_year: 2030}\n"},
                             ["run", "{t}/s.yaml"], "base_year"),
    "yaml shock after horizon": ({"s.yaml": BASE + "overrides: {shocks.heat_drought.start_month: 40}\n"},
                                 ["run", "{t}/s.yaml"], "after the horizon"),
    "yaml a list, not a mapping": ({"s.yaml": "- a\n- b\n"}, ["run", "{t}/s.yaml"], "s.yaml"),
    "yaml too large": ({"s.yaml": BASE + "overrides: {}\n#" + "x" * 1_100_000 + "\n"},
                       ["run", "{t}/s.yaml"], "too large"),
    "yaml not utf-8": ({"s.yaml": "description: 情景\n".encode("gbk")}, ["run", "{t}/s.yaml"], "UTF-8"),
    "yaml shares above 1": ({"s.yaml": BASE + "overrides: {pipeline.large_share: 0.7, "
                             "pipeline.medium_share: 0.5}\n"}, ["run", "{t}/s.yaml"], "must not exceed 1"),
    "yaml january above year": ({"s.yaml": BASE + "overrides: {pipeline.january_signed_100m_cny: 9000}\n"},
                                ["run", "{t}/s.yaml"], "january_signed_100m_cny"),
    "yaml weights wrong length": ({"s.yaml": BASE + "overrides: {seasonality.primary_weights: [1, 2]}\n"},
                                  ["run", "{t}/s.yaml"], "primary_weights"),
    "yaml text for number": ({"s.yaml": BASE + "overrides: {industry.tech_yield: lots}\n"},
                             ["run", "{t}/s.yaml"], "tech_yield"),
    # --- command-line arguments ---------------------------------------------------------------
    "draws zero": ({}, ["mc", "baseline", "--draws", "0"], "--draws"),
    "draws text": ({}, ["mc", "baseline", "--draws", "many"], "--draws"),
    "draws huge": ({}, ["mc", "baseline", "--draws", "10000000"], "--draws"),
    "seed negative": ({}, ["mc", "baseline", "--seed", "-1"], "--seed"),
    "seed huge": ({}, ["mc", "baseline", "--seed", str(2**40)], "--seed"),
    "sampler unknown": ({}, ["mc", "baseline", "--sampler", "magic"], "--sampler"),
    "samples huge": ({}, ["sensitivity", "baseline", "--method", "sobol", "--samples", "1e9"], "--samples"),
    "set without =": ({}, ["run", "baseline", "--set", "industry.tech_yield"], "industry.tech_yield"),
    "set text value": ({}, ["run", "baseline", "--set", "industry.tech_yield=abc"], "tech_yield"),
    "set deep key": ({}, ["run", "baseline", "--set", ".".join(["a"] * 3000) + "=1"], "parts"),
    "unknown scenario": ({}, ["run", "no_such_scenario"], "no_such_scenario"),
    "port zero": ({}, ["app", "--port", "0"], "--port"),
    "port huge": ({}, ["app", "--port", "99999"], "--port"),
    "host unknown": ({}, ["app", "--host", "no such host"], "not an address of this machine"),
    "compare batch dir missing": ({}, ["app", "--page", "compare", "--batch-dir", "{t}/none"], "no results.csv"),
    "params dir missing": ({}, ["run", "baseline", "--params-dir", "{t}/nope"], "no such folder"),
    "params dir of cities": ({}, ["run", "baseline", "--params-dir", str(ROOT / "cities")], "city folders"),
    "format unknown": ({}, ["run", "baseline", "--format", "xml"], "--format"),
    "engine unknown": ({}, ["batch", "four_campaigns", "--out", "{t}/o", "--engine", "gpu"], "--engine"),
    "scheduler malformed": ({}, ["batch", "four_campaigns", "--out", "{t}/o", "--engine", "dask",
                               "--scheduler", "not an address"], "--scheduler"),
    "track draws negative": ({}, ["track", "baseline", "--actuals", "x.csv", "--draws", "-5"], "--draws"),
    "solve unknown lever": ({}, ["solve", "baseline", "--lever", "industry.nope"], "industry.nope"),
    # --- batch files ---------------------------------------------------------------------------
    "batch unknown key": ({"b.yaml": "base: baseline\ngrid: {campaigns.industry: [plan]}\nbogus: 1\n"},
                          ["batch", "{t}/b.yaml", "--out", "{t}/o"], "bogus"),
    "batch seed negative": ({"b.yaml": "base: baseline\nlhs: {n: 3, seed: -1, parameters: "
                             "{industry.tech_yield: [0.1, 0.5]}}\n"}, ["batch", "{t}/b.yaml", "--out", "{t}/o"], "seed"),
    "batch draws huge": ({"b.yaml": "base: baseline\ndraws: 1000000\ngrid: {campaigns.industry: [plan]}\n"},
                         ["batch", "{t}/b.yaml", "--out", "{t}/o"], "draws"),
    "batch no points": ({"b.yaml": "base: baseline\n"}, ["batch", "{t}/b.yaml", "--out", "{t}/o"], "no points"),
    "batch too much work": ({"b.yaml": "base: baseline\ndraws: 100000\nlhs: {n: 1000, parameters: "
                             "{industry.tech_yield: [0.1, 0.5]}}\n"},
                            ["batch", "{t}/b.yaml", "--out", "{t}/o"], "model runs"),
    "batch lhs range outside bounds": ({"b.yaml": "base: baseline\nlhs: {n: 3, parameters: "
                                        "{industry.tech_yield: [0.1, 50]}}\n"},
                                       ["batch", "{t}/b.yaml", "--out", "{t}/o"], "tech_yield"),
    "batch alias bomb": ({"b.yaml": "a: &a [1]\nbase: baseline\ngrid: {x: *a}\n"},
                         ["batch", "{t}/b.yaml", "--out", "{t}/o"], "aliases"),
    # --- project registers --------------------------------------------------------------------
    "register missing column": ({"r.csv": "项目名称,县市区\n甲,沙市区\n"}, ["register", "{t}/r.csv"], "missing column"),
    "register empty": ({"r.csv": ""}, ["register", "{t}/r.csv"], "r.csv"),
    "register pdf": ({"r.pdf": b"%PDF-1.4"}, ["register", "{t}/r.pdf"], ".csv or .xlsx"),
    "register undecodable": ({"r.csv": b"\x81\x30\xff\xff,\xfe\n"}, ["register", "{t}/r.csv"], "r.csv"),
    "register NaN amount": ({"r.csv": HEADER + "甲,沙市区,化工,工业,2021/5/1,nan,1\n"}, ["register", "{t}/r.csv"], "row 2"),
    "register negative kappa": ({"r.csv": HEADER + "甲,沙市区,化工,工业,2021/5/1,3,-3\n"}, ["register", "{t}/r.csv"], "产出强度"),
    "register NUL in name": ({"r.csv": HEADER + "甲\x00,沙市区,化工,工业,2021/5/1,3,1\n"}, ["register", "{t}/r.csv"], "control"),
    "register 万元 amount": ({"r.csv": HEADER + "甲,沙市区,化工,工业,2021/5/1,35000,1\n"}, ["register", "{t}/r.csv"], "万元"),
    "register unknown county": ({"r.csv": HEADER + "甲,武汉市,化工,工业,2021/5/1,3,1\n"}, ["register", "{t}/r.csv"], "武汉市"),
    "register bad date": ({"r.csv": HEADER + "甲,沙市区,化工,工业,2021/13/45,3,1\n"}, ["register", "{t}/r.csv"], "签约日期"),
    "register huge cell": ({"r.csv": HEADER + "x" * 140_000 + ",沙市区,化工,工业,2021/5/1,3,1\n"},
                           ["register", "{t}/r.csv"], "not readable as CSV"),
    "register corrupt xlsx": ({"r.xlsx": b"PK\x03\x04 not really"}, ["register", "{t}/r.xlsx"], "xlsx"),
    "register duplicate columns": ({"r.csv": "项目名称,县市区,行业,项目类别,签约日期,签约金额(亿元),amount\n"
                                    + "甲,沙市区,化工,工业,2021/5/1,3,3\n"}, ["register", "{t}/r.csv"], "both mean"),
    "register duplicate project": ({"r.csv": HEADER + OK_ROW + OK_ROW}, ["register", "{t}/r.csv"], "row 3"),
    # --- released figures ----------------------------------------------------------------------
    "actuals missing columns": ({"a.csv": "indicator,value\ngdp_100m_cny,3\n"},
                                ["track", "baseline", "--actuals", "{t}/a.csv"], "missing column"),
    "actuals unknown indicator": ({"a.csv": SHORT + "retail,2022M1-3,1,亿元\n"},
                                  ["track", "baseline", "--actuals", "{t}/a.csv"], "row 2"),
    "actuals bad period": ({"a.csv": SHORT + "gdp_100m_cny,2022M1-13,3,亿元\n"},
                           ["track", "baseline", "--actuals", "{t}/a.csv"], "period"),
    "actuals 万元 as 亿元": ({"a.csv": SHORT + "gross_industrial_output_100m_cny,2022M1-5,9510000,亿元\n"},
                            ["track", "baseline", "--actuals", "{t}/a.csv"], "times the base year"),
    "actuals nan": ({"a.csv": SHORT + "gross_industrial_output_100m_cny,2022M1-5,nan,亿元\n"},
                    ["track", "baseline", "--actuals", "{t}/a.csv"], "finite"),
    "actuals another year only": ({"a.csv": SHORT + "gross_industrial_output_100m_cny,2021M1-5,851,亿元\n"},
                                  ["track", "baseline", "--actuals", "{t}/a.csv"], "2022"),
    "actuals header only": ({"a.csv": SHORT}, ["track", "baseline", "--actuals", "{t}/a.csv"], "no actual figures"),
    "actuals pack unknown indicator": ({"a.csv": PACK_HEAD + "jingzhou,2022M1-5,retail_growth,3,pct,x,\n"},
                                       ["track", "baseline", "--actuals", "{t}/a.csv"], "vocabulary"),
    "actuals month as running total": ({"a.csv": SHORT + "gross_industrial_output_100m_cny,2022M1-4,712,亿元\n"
                                        "gross_industrial_output_100m_cny,2022M1-5,239,亿元\n"},
                                       ["track", "baseline", "--actuals", "{t}/a.csv"], "single month"),
    "actuals growth per mille": ({"a.csv": SHORT + "fai_growth_pct,2022M1-5,1750,pct\n"},
                                 ["track", "baseline", "--actuals", "{t}/a.csv"], "percentage"),
    "actuals missing file": ({}, ["track", "baseline", "--actuals", "{t}/none.csv"], "none.csv"),
    "actuals row too long": ({"a.csv": SHORT + "gdp_100m_cny,2022Q1,583,亿元,x,y,z\n"},
                             ["track", "baseline", "--actuals", "{t}/a.csv"], "row 2: 7 fields"),
    "actuals empty file": ({"a.csv": ""}, ["track", "baseline", "--actuals", "{t}/a.csv"], "no actual figures"),
    "pack note too long": ({"p.csv": PACK_HEAD + "x,2021,gdp,100,100m_cny,u," + "n" * 140_000 + "\n"},
                           ["calibrate", "--pack", "{t}/p.csv", "--out", "{t}/o", "--city", "x"], "row 2"),
    "pack year 0000": ({"p.csv": PACK_HEAD + "x,0000,gdp,100,100m_cny,u,\n"},
                       ["calibrate", "--pack", "{t}/p.csv", "--out", "{t}/o", "--city", "x"], "year 0"),
    "pack formula as source": ({"p.csv": PACK_HEAD + "x,2021,gdp,100,100m_cny,=cmd|x,\n"},
                               ["calibrate", "--pack", "{t}/p.csv", "--out", "{t}/o", "--city", "x"], "formula"),
    "pack row repeated": ({"p.csv": PACK_HEAD + "x,2021,gdp,100,100m_cny,u,\nx,2021,gdp,100,100m_cny,u,\n"},
                          ["calibrate", "--pack", "{t}/p.csv", "--out", "{t}/o", "--city", "x"], "word for word"),
    "pack growth as a fraction": ({"p.csv": PACK_HEAD + "x,2021,gdp_real_growth_pct,0.082,pct,u,\n"},
                                  ["calibrate", "--pack", "{t}/p.csv", "--out", "{t}/o", "--city", "x"],
                                  "looks like a fraction"),
    "pack year not begun": ({"p.csv": PACK_HEAD + "x,2021,gdp,100,100m_cny,u,\nx,2031,gdp,100,100m_cny,u,\n"},
                            ["calibrate", "--pack", "{t}/p.csv", "--out", "{t}/o", "--city", "x"],
                            "row 3: gdp for 2031"),
    "actuals growth as a fraction": ({"a.csv": SHORT + "fai_growth_pct,2022M1-5,0.175,pct\n"},
                                     ["track", "baseline", "--actuals", "{t}/a.csv"], "a.csv row 2"),
    "actuals a later year": ({"a.csv": SHORT + "gross_industrial_output_100m_cny,2022M1-4,712,亿元\n"
                              "gross_industrial_output_100m_cny,2023M1-5,951,亿元\n"},
                             ["track", "baseline", "--actuals", "{t}/a.csv"], "row 3"),
    # --- data packs and calibration -------------------------------------------------------------
    "pack bad unit": ({"p.csv": PACK_HEAD + "x,2021,gdp,100,pct,u,\n"},
                      ["calibrate", "--pack", "{t}/p.csv", "--out", "{t}/o", "--city", "x"], "row 2"),
    "pack city absent": ({"p.csv": PACK_HEAD + "x,2021,gdp,100,100m_cny,u,\n"},
                         ["calibrate", "--pack", "{t}/p.csv", "--out", "{t}/o", "--city", "y"], "y"),
    "pack without source": ({"p.csv": PACK_HEAD + "x,2021,gdp,100,100m_cny,,\n"},
                            ["calibrate", "--pack", "{t}/p.csv", "--out", "{t}/o", "--city", "x"], "row 2"),
    "pack missing": ({}, ["calibrate", "--pack", "{t}/none.csv", "--out", "{t}/o", "--city", "x"], "none.csv"),
    "counties listed twice": ({"c.csv": "county,aliases,source_url\n甲,,u\n甲,,u\n"},
                              ["calibrate", "--pack", str(ROOT / "data/packs/jingzhou_2021.csv"), "--out",
                               "{t}/o", "--city", "jingzhou", "--counties", "{t}/c.csv", "--no-backtest"],
                              "listed twice"),
}  # fmt: skip


def _tree_digest(folder) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file() and "uploads" not in p.parts:
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def params_digest():
    before = _tree_digest(ROOT / "params")
    yield before
    assert _tree_digest(ROOT / "params") == before, "a bad input changed params/"


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 60


@pytest.mark.slow  # 65 cases, 1.5-3 s each (140 s): a CLI subprocess per case
@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_refused_clearly_and_writes_nothing(case, tmp_path, params_digest):
    files, argv, expected = CASES[case]
    for name, content in files.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    r = cli(*(a.replace("{t}", str(tmp_path)) for a in argv), cwd=ROOT)
    assert r.returncode == 2, (r.returncode, r.stderr[-500:])
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    assert expected in r.stderr, r.stderr[-800:]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(files), "something was written"
