"""Any city, any year (issue 11): a city is a parameter folder made from a data pack.

A synthetic city rolled forward a year, a second real city shipped, registers refused by
the wrong city, and no first-city text in another city's outputs (JSON, Excel, the page).
"""

from __future__ import annotations

import csv
import json

import openpyxl
import pytest
import yaml
from helpers import ROOT, cli

from simulation import load_scenario
from simulation.io.register import RegisterError, import_register

JZ_PACK = ROOT / "data" / "packs" / "jingzhou_2021.csv"
# Invented outcomes of a made-up city's year after its data end: the mechanics of rolling
# forward are tested, not any published figure.
SYNTH_NEXT_YEAR = {
    "gdp": (2900.0, "100m_cny"),
    "gdp_real_growth_pct": (5.0, "pct"),
    "va_primary": (540.0, "100m_cny"),
    "va_secondary": (1050.0, "100m_cny"),
    "va_tertiary": (1310.0, "100m_cny"),
    "gross_industrial_output_above_scale": (2950.0, "100m_cny"),
    "va_industry_above_scale_real_growth_pct": (9.0, "pct"),
    "fai_growth_pct": (15.0, "pct"),
    "fai_industrial_growth_pct": (20.0, "pct"),
    "fai_tech_upgrade_growth_pct": (10.0, "pct"),
    "invest_promo_signed_amount": (3300.0, "100m_cny"),
    "n_new_above_scale_industrial_firms": (120.0, "count"),
}
SYNTH_COUNTIES = "county,aliases,source_url\n甲区,甲城区,SYNTHETIC\n乙县,,SYNTHETIC\n"


def synthetic_pack(tmp_path, next_year: bool = True):
    """The first city's pack with its rows renamed to a made-up city, plus (optionally) one
    more year of invented outcomes for it."""
    rows = list(csv.DictReader(JZ_PACK.open(encoding="utf-8")))
    for r in rows:
        if r["city"] == "jingzhou":
            r["city"] = "synthville"
    last = max(int(r["period"][:4]) for r in rows if r["city"] == "synthville")
    plan_time = ("kaimenhong_signed_amount", "concentrated_start_total_investment")
    if next_year:  # last year's plan-time rows become data; add the year's outcomes
        for name, (v, unit) in SYNTH_NEXT_YEAR.items():
            rows.append(
                {
                    "city": "synthville",
                    "period": str(last),
                    "indicator": name,
                    "value": str(v),
                    "unit": unit,
                    "source_url": "SYNTHETIC",
                    "note": "invented for the roll-forward test",
                }
            )
    else:
        rows = [r for r in rows if not (r["city"] == "synthville" and r["period"][:4] == str(last))
                or r["indicator"] in plan_time]  # fmt: skip
    path = tmp_path / "synth_pack.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    (tmp_path / "synth_counties.csv").write_text(SYNTH_COUNTIES, encoding="utf-8")
    return path, last


@pytest.mark.slow  # 11 s: calibrate runs
def test_roll_forward_a_year_makes_next_years_plan(tmp_path):
    """When the pack has the plan year's outcomes, calibrate --base-year moves on a year: the
    base year is data, not code."""
    pack, last = synthetic_pack(tmp_path)
    folder = tmp_path / "synthville"
    r = cli(
        "calibrate", "--pack", str(pack), "--out", str(folder), "--city", "synthville",
        "--city-zh", "合成市", "--city-en", "Synthville", "--counties",
        str(tmp_path / "synth_counties.csv"), "--base-year", str(last), "--no-backtest",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    base = yaml.safe_load((folder / "base.yaml").read_text(encoding="utf-8"))
    assert base["calendar"]["base_year"] == last
    assert base["base_year"]["gdp_100m_cny"] == SYNTH_NEXT_YEAR["gdp"][0]
    assert base["base_year"]["industrial_output_100m_cny"] == 2950.0
    assert base["city"]["name_en"] == "Synthville" and base["city"]["counties"] == ["甲区", "乙县"]
    # the pack's plan-time rows of the old plan year are now base-year data, not inputs
    assert base["pipeline"]["concentrated_start_100m_cny"] == 0
    run = cli("run", "baseline", "--params-dir", str(folder), "--format", "json")
    assert run.returncode == 0, run.stderr
    d = json.loads(run.stdout)
    assert d["annual"]["year"] == last + 1
    assert d["base_year"]["gdp_100m_cny"] == pytest.approx(2900.0, rel=1e-6)
    assert d["city"] == {"code": "synthville", "name_zh": "合成市", "name_en": "Synthville"}
    text = cli("run", "baseline", "--params-dir", str(folder)).stdout
    assert f"Year {last + 1}" in text and "Synthville" in text
    # the same pack cut at the earlier year plans the earlier year
    folder0 = tmp_path / "synthville0"
    r0 = cli(
        "calibrate", "--pack", str(pack), "--out", str(folder0), "--city", "synthville",
        "--base-year", str(last - 1), "--no-backtest",
    )  # fmt: skip
    assert r0.returncode == 0, r0.stderr
    d0 = json.loads(cli("run", "baseline", "--params-dir", str(folder0), "--format", "json").stdout)
    assert d0["annual"]["year"] == last


@pytest.mark.slow  # 6 s: calibrate run
def test_without_counties_registers_are_refused_with_the_reason(tmp_path):
    pack, last = synthetic_pack(tmp_path)
    folder = tmp_path / "nocounties"
    r = cli(
        "calibrate", "--pack", str(pack), "--out", str(folder), "--city", "synthville",
        "--base-year", str(last), "--no-backtest",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    reg = ROOT / "params" / "registers" / "sample_register_SYNTHETIC.csv"
    out = cli("register", str(reg), "--params-dir", str(folder))
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert "lists no counties" in out.stderr and "--counties" in out.stderr


@pytest.mark.slow  # 5 s: calibrate run
def test_a_register_from_another_city_is_refused_naming_the_county(tmp_path):
    """The first city's register against a made-up city's folder: every unknown county is
    named; and the reverse."""
    pack, last = synthetic_pack(tmp_path)
    folder = tmp_path / "synthville"
    r = cli(
        "calibrate", "--pack", str(pack), "--out", str(folder), "--city", "synthville",
        "--counties", str(tmp_path / "synth_counties.csv"), "--base-year", str(last - 1),
        "--no-backtest",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    theirs = load_scenario("base", params_dir=folder).params
    ours = load_scenario("base").params
    jz_register = ROOT / "params" / "registers" / "sample_register_SYNTHETIC.csv"
    with pytest.raises(RegisterError) as e:
        import_register(jz_register, theirs)
    bad = e.value.report[e.value.report["column"] == "县市区"]
    assert len(bad) > 0 and "沙市区" in set(bad["value"])
    assert bad["expected"].str.contains("甲区、乙县").all()
    # the reverse: a register of the made-up city, in the first city's folder
    mine = tmp_path / "合成市台账.csv"
    mine.write_text(
        "项目名称,县市区,行业,项目类别,签约日期,签约金额(亿元)\n"
        f"甲,甲城区,化工,工业,{last}/5/1,3\n乙,乙县,化工,工业,{last}/6/1,4\n",
        encoding="utf-8",
    )
    assert len(import_register(mine, theirs).projects) == 2  # the alias 甲城区 → 甲区
    with pytest.raises(RegisterError) as e2:
        import_register(mine, ours)
    assert set(e2.value.report["value"]) == {"甲城区", "乙县"}
    out = cli("register", str(mine))
    assert out.returncode != 0 and "Traceback" not in out.stderr and "乙县" in out.stderr


@pytest.mark.slow  # 3.5 s: calibrate runs
def test_counties_file_errors_name_file_and_row(tmp_path):
    bad = tmp_path / "c.csv"
    bad.write_text("county,aliases,source_url\n甲区,,x\n甲区,,y\n", encoding="utf-8")
    pack, last = synthetic_pack(tmp_path)
    r = cli(
        "calibrate", "--pack", str(pack), "--out", str(tmp_path / "f"), "--city", "synthville",
        "--counties", str(bad), "--base-year", str(last), "--no-backtest",
    )  # fmt: skip
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "c.csv" in r.stderr and "row 3" in r.stderr and "listed twice" in r.stderr
    assert not (tmp_path / "f").exists()


@pytest.mark.slow  # 5 s: calibrate run
def test_no_target_means_no_target_line_and_neutral_words(tmp_path):
    """Without targets, outputs show the forecast: no 'met', no target in titles."""
    from simulation import simulate
    from simulation.labels import context, tr

    pack, last = synthetic_pack(tmp_path)
    folder = tmp_path / "synthville"
    r = cli(
        "calibrate", "--pack", str(pack), "--out", str(folder), "--city", "synthville",
        "--city-zh", "合成市", "--base-year", str(last), "--no-backtest",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    p = load_scenario("baseline", params_dir=folder).params
    assert p.targets.gdp_100m_cny == 0 and p.targets.industrial_output_100m_cny == 0
    zh = context(p, "zh")
    assert tr("title", "zh", **zh) == "合成市情景模拟"
    assert "预测与增速" in tr("subtitle", "zh", **zh)
    assert tr("mech_total", "en", **context(p, "en")) == str(last + 1)
    text = cli("run", "baseline", "--params-dir", str(folder)).stdout
    assert "no target set" in text and "NOT MET" not in text
    wb_path = tmp_path / "r.xlsx"
    from simulation.frontends.export import write_excel

    write_excel(simulate(load_scenario("baseline", params_dir=folder)), wb_path)
    wb = openpyxl.load_workbook(wb_path, read_only=True)
    cells = " ".join(
        str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row
    )
    assert "合成市" in cells and f"{last}年价" in cells


JM = ROOT / "cities" / "jingmen"
FIRST_CITY = ("荆州", "Jingzhou", "jingzhou", "沙市", "3000亿")


def _clean_of_first_city(text: str, where: str) -> None:
    found = [w for w in FIRST_CITY if w in text]
    assert not found, f"{where} mentions the first city: {found}"


def _excel_text(path) -> str:
    wb = openpyxl.load_workbook(path, read_only=True)
    return " ".join(
        str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row
    ) + " ".join(wb.sheetnames)


@pytest.mark.slow  # 13-19 s: every command on the second city
def test_second_city_ships_calibrated_and_runs_everything_without_first_city_text(tmp_path):
    """The shipped second city: run, mc, register (with Excel), track, the results Excel;
    nothing says Jingzhou."""
    from simulation import simulate
    from simulation.frontends.export import export_name, write_excel

    assert (JM / "README.md").is_file() and (JM / "CALIBRATION.md").is_file()
    sc = load_scenario("baseline", params_dir=JM)
    assert sc.params.city.code == "jingmen" and sc.params.city.name_zh == "荆门"
    assert "东宝区" in sc.params.city.counties
    run = cli("run", "baseline", "--params-dir", str(JM), "--format", "json")
    assert run.returncode == 0, run.stderr
    _clean_of_first_city(run.stdout, "run JSON")
    d = json.loads(run.stdout)
    assert d["city"]["name_en"] == "Jingmen" and d["annual"]["year"] == 2022
    assert d["base_year"]["gdp_100m_cny"] == pytest.approx(2120.86, abs=0.5)
    mc = cli("mc", "baseline", "--params-dir", str(JM), "--draws", "300", "--format", "json")
    assert mc.returncode == 0, mc.stderr
    _clean_of_first_city(mc.stdout, "mc JSON")
    text = cli("mc", "baseline", "--params-dir", str(JM), "--draws", "300").stdout
    assert "Jingmen" in text and "No targets" in text
    _clean_of_first_city(text, "mc text")
    reg = JM / "registers" / "sample_register_SYNTHETIC.csv"
    xl = tmp_path / "views.xlsx"
    r = cli("register", str(reg), "--params-dir", str(JM), "--format", "json", "--excel", str(xl))
    assert r.returncode == 0, r.stderr
    _clean_of_first_city(r.stdout, "register JSON")
    _clean_of_first_city(_excel_text(xl), "register Excel")
    # tracking from (invented) year-to-date figures: 98% of the model's own path
    res = simulate(sc)
    m = res.monthly()
    plan = m[m["month"].astype(str).str.startswith("2022-")]
    ytd = plan["gross_industrial_output_100m_cny"].cumsum().to_numpy()
    actuals = tmp_path / "actuals.csv"
    actuals.write_text(
        "indicator,period,value,unit,note\n"
        + "".join(
            f"gross_industrial_output_100m_cny,2022M1-{k},{0.98 * ytd[k - 1]:.1f},亿元,SYNTHETIC\n"
            for k in (2, 3, 4, 5)
        ),
        encoding="utf-8",
    )
    t = cli(
        "track", "baseline", "--params-dir", str(JM), "--actuals", str(actuals),
        "--register", str(reg), "--draws", "100", "--format", "json",
    )  # fmt: skip
    assert t.returncode == 0, t.stderr
    _clean_of_first_city(t.stdout, "track JSON")
    assert json.loads(t.stdout)["status"]["industrial_output"]["through_month"] == 5
    bt = cli(
        "backtest", "--pack", str(ROOT / "data/packs/jingmen_2021.csv"), "--params-dir", str(JM),
        "--year", "2021", "--draws", "100", "--format", "json",
    )  # fmt: skip
    assert bt.returncode == 0, bt.stderr
    assert json.loads(bt.stdout)["city"] == "jingmen"  # the folder's city, not a default
    nocity = cli("backtest", "--pack", str(ROOT / "data/packs/jingmen_2021.csv"))
    assert nocity.returncode != 0 and "--city CODE or --params-dir" in nocity.stderr
    path = tmp_path / export_name(sc.params, sc.name, "xlsx")
    assert path.name == "荆门_baseline_2022.xlsx"
    write_excel(res, path)
    _clean_of_first_city(_excel_text(path), "results Excel")
    write_excel(res, tmp_path / "en.xlsx", lang="en")
    _clean_of_first_city(_excel_text(tmp_path / "en.xlsx"), "results Excel (en)")


@pytest.mark.slow  # 2.6 s: CLI subprocesses
def test_registers_of_the_two_shipped_cities_are_refused_by_each_other(tmp_path):
    jm = load_scenario("base", params_dir=JM).params
    jz = load_scenario("base").params
    jz_reg = ROOT / "params" / "registers" / "sample_register_SYNTHETIC.csv"
    jm_reg = JM / "registers" / "sample_register_SYNTHETIC.csv"
    for reg, folder, own, other in (
        (jz_reg, jm, "沙市区", "东宝区"),
        (jm_reg, jz, "东宝区", "沙市区"),
    ):
        with pytest.raises(RegisterError) as e:
            import_register(reg, folder)
        rep = e.value.report
        assert own in set(rep[rep["column"] == "县市区"]["value"])
        assert rep["expected"].str.contains(other).all()
    out = cli("register", str(jz_reg), "--params-dir", str(JM))
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert "沙市区" in out.stderr and "a county of 荆门 (Jingmen)" in out.stderr


def test_the_code_names_no_city_year_or_target(tmp_path):
    """grep of the package: the first city's name, its counties, its target and its years
    appear only in docstrings and comments (documentation), never in code or data."""
    import ast

    words = ("荆州", "Jingzhou", "jingzhou", "沙市", "洪湖", "监利", "3000", "2021", "2022")
    pkg = ROOT / "simulation"
    hits = []
    for f in pkg.rglob("*"):
        if f.suffix == ".py":
            tree = ast.parse(f.read_text(encoding="utf-8"))
            docs = {
                id(n.body[0].value)
                for n in ast.walk(tree)
                if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
                and n.body
                and isinstance(n.body[0], ast.Expr)
                and isinstance(n.body[0].value, ast.Constant)
            }
            seeds = {  # fixed seeds of random draws are numbers, not years
                id(n.value)
                for n in ast.walk(tree)
                if isinstance(n, ast.Assign)
                and any(isinstance(t, ast.Name) and "SEED" in t.id for t in n.targets)
            }
            seeds |= {
                id(e)
                for n in ast.walk(tree)
                if isinstance(n, ast.Assign) and isinstance(n.value, ast.Tuple)
                and any(isinstance(t, ast.Tuple) and any("SEED" in getattr(x, "id", "")
                        for x in t.elts) for t in n.targets)
                for e in n.value.elts
            }  # fmt: skip
            for n in ast.walk(tree):
                if isinstance(n, ast.Constant) and id(n) not in docs | seeds:
                    v = str(n.value)
                    hits += [(f.name, n.lineno, w) for w in words if w in v]
        elif f.suffix in (".yaml", ".csv", ".j2", ".html"):
            text = f.read_text(encoding="utf-8")
            hits += [(f.name, 0, w) for w in words if w in text]
    assert hits == [], hits


def test_a_folder_may_name_its_own_register_headers(tmp_path):
    """city.register_columns: a city's own header names for the standard columns."""
    params = load_scenario("base").params
    city = params.city.model_copy(update={"register_columns": {"amount_100m_cny": ["投资额"]}})
    mine = params.model_copy(update={"city": city})
    f = tmp_path / "r.csv"
    f.write_text(
        "项目名称,县市区,行业,项目类别,签约日期,投资额\n甲,沙市区,化工,工业,2021/5/1,3\n",
        encoding="utf-8",
    )
    assert import_register(f, mine).projects["amount_100m_cny"].tolist() == [3.0]
    with pytest.raises(RegisterError, match="missing column"):
        import_register(f, params)
    from pydantic import ValidationError

    from simulation.economy.schema import City

    with pytest.raises(ValidationError, match="unknown register columns"):
        City(register_columns={"budget": ["预算"]})


def test_tracking_page_without_targets_shows_actuals_and_reforecast_only(tmp_path):
    from simulation.frontends.ui.projects_page import ProjectsPage

    page = ProjectsPage(params_dir=JM, lang="zh")
    assert page.chart_row.children == ()  # no actual figures: no empty charts
    assert "尚无实绩" in page.track_status.value
    f = tmp_path / "a.csv"
    f.write_text(
        "indicator,period,value,unit\ngross_industrial_output_100m_cny,2022M1-4,700,亿元\n",
        encoding="utf-8",
    )
    page.load_actuals(f)
    assert len(page.chart_row.children) == 2
    status = page.track_status.value
    assert "未设目标" in status and "序时进度" not in status
