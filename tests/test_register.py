"""The project register (台账) and tracking: real files in every encoding, every bad-row
kind, the register in the model, the actuals, the CLI."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import openpyxl
import pandas as pd
import pytest
from helpers import REGISTER_ROW, cli

from simulation import load_scenario, simulate
from simulation.analyses.tracking import ActualsError, parse_period, read_actuals, track
from simulation.io.register import (
    COLUMNS,
    MAX_BYTES,
    RegisterError,
    import_register,
    parse_date,
)

JZ = load_scenario("base").params  # the shipped folder: Jingzhou's counties and calendar

HEADER = [COLUMNS[c][0] for c in COLUMNS]
GOOD = [
    [*REGISTER_ROW[:-1], "1.2"],  # with its annual output at full capacity
    [
        "乙项目",
        "荆州开发区",
        "新材料",
        "工业",
        "2022年1月8日",
        "30",
        "2022/9/1",
        "",
        "",
        "",
        "已签约",
        "",
    ],
    ["丙项目", "洪湖市", "现代服务业", "非工业", "2021.11.20", "5", "", "", "", "", "", ""],
]


def write_csv(path, rows, encoding="utf-8", header=HEADER):
    text = "\n".join(",".join(r) for r in [header, *rows]) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def test_sample_register_imports_cleanly(root):
    reg = import_register(root / "params/registers/sample_register_SYNTHETIC.csv", JZ)
    assert reg.report.empty and len(reg.projects) > 300
    p = reg.projects
    feb8 = p[p["actual_start"] == dt.date(2022, 2, 8)]
    assert len(feb8) == 246 and feb8["amount_100m_cny"].sum() == pytest.approx(1189, abs=0.01)
    assert reg.as_of == dt.date(2022, 5, 31)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_are_detected_not_guessed(tmp_path, encoding):
    reg = import_register(write_csv(tmp_path / "r.csv", GOOD, encoding), JZ)
    assert list(reg.projects["name"]) == ["甲项目", "乙项目", "丙项目"]
    assert list(reg.projects["county"]) == ["沙市区", "荆州开发区", "洪湖市"]
    assert reg.encoding == {"gbk": "gb18030"}.get(encoding, encoding)


def test_xlsx_with_real_dates_serials_and_english_headers(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["name", "county", "industry", "category", "signed", "amount", "actual_start"])
    ws.append(["A", "监利县", "化工", "工业", dt.datetime(2021, 5, 6), 8.0, 44600])  # serial date
    ws.append(["B", "石首市", "其他", "非工业", "2021-07-01", 3, None])
    wb.save(tmp_path / "r.xlsx")
    reg = import_register(tmp_path / "r.xlsx", JZ)
    p = reg.projects
    assert p.loc[0, "county"] == "监利市"  # the old name is accepted
    assert p.loc[0, "signed"] == dt.date(2021, 5, 6)
    assert p.loc[0, "actual_start"] == dt.date(2022, 2, 8)  # Excel serial 44600
    assert reg.encoding == "xlsx"


@pytest.mark.parametrize(
    "text, expected",
    [("2022/2/8", dt.date(2022, 2, 8)), ("2022-02-08", dt.date(2022, 2, 8)),
     ("2022年2月8日", dt.date(2022, 2, 8)), ("2022.2.8", dt.date(2022, 2, 8)),
     (44600, dt.date(2022, 2, 8)), ("44600", dt.date(2022, 2, 8)), ("", None)],
)  # fmt: skip
def test_date_formats(text, expected):
    assert parse_date(text) == expected


BAD_ROWS = {
    "missing field": (["丁项目", "沙市区", "化工", "工业", "", "3", "", "", "", "", "", ""], "签约日期", "required"),
    "bad date": (["戊项目", "沙市区", "化工", "工业", "2022/13/45", "3", "", "", "", "", "", ""], "签约日期", "a date"),
    "万元 amount": (["己项目", "沙市区", "化工", "工业", "2021/5/1", "35000", "", "", "", "", "", ""], "签约金额(亿元)", "万元"),
    "unknown county": (["庚项目", "武汉市", "化工", "工业", "2021/5/1", "3", "", "", "", "", "", ""], "县市区", "a county of 荆州"),
    "production before start": (["辛项目", "沙市区", "化工", "工业", "2021/5/1", "3", "", "2021/9/1", "", "2021/8/1", "", ""], "实际投产", "production before start"),
    "duplicate": (GOOD[0], "项目名称", "row 2"),
    "bad category": (["壬项目", "沙市区", "化工", "其它", "2021/5/1", "3", "", "", "", "", "", ""], "项目类别", "工业 or 非工业"),
    "negative amount": (["癸项目", "沙市区", "化工", "工业", "2021/5/1", "-2", "", "", "", "", "", ""], "签约金额(亿元)", "positive"),
    "NaN amount": (["子1项目", "沙市区", "化工", "工业", "2021/5/1", "nan", "", "", "", "", "", ""], "签约金额(亿元)", "finite"),
    "infinite amount": (["子2项目", "沙市区", "化工", "工业", "2021/5/1", "inf", "", "", "", "", "", ""], "签约金额(亿元)", "finite"),
    "negative kappa": (["子3项目", "沙市区", "化工", "工业", "2021/5/1", "3", "", "", "", "", "", "-3"], "产出强度", "above 0"),
    "huge kappa": (["子4项目", "沙市区", "化工", "工业", "2021/5/1", "3", "", "", "", "", "", "1e308"], "产出强度", "at most 10"),
    "NaN kappa": (["子5项目", "沙市区", "化工", "工业", "2021/5/1", "3", "", "", "", "", "", "nan"], "产出强度", "above 0"),
    "NUL in a name": (["子6\x00项目", "沙市区", "化工", "工业", "2021/5/1", "3", "", "", "", "", "", ""], "项目名称", "control characters"),
}  # fmt: skip


def test_every_bad_row_is_reported_and_nothing_is_imported(tmp_path):
    rows = GOOD + [r for r, _, _ in BAD_ROWS.values()]
    f = write_csv(tmp_path / "bad.csv", rows, "gbk")
    with pytest.raises(RegisterError, match="nothing imported") as e:
        import_register(f, JZ)
    rep = e.value.report
    errors = rep[rep["severity"] == "error"]
    for i, (kind, (_, column, expected)) in enumerate(BAD_ROWS.items()):
        rownum = len(GOOD) + 2 + i
        hit = errors[(errors["row"] == rownum) & (errors["column"] == column)]
        assert len(hit) >= 1 and hit["expected"].str.contains(expected).any(), kind
    assert set(errors["row"]) == {
        len(GOOD) + 2 + i for i in range(len(BAD_ROWS))
    }  # good rows clean


def test_warnings_pass_unless_strict(tmp_path):
    rows = [*GOOD, ["子项目", "沙市区", "航天", "工业", "2017/5/1", "3", "", "", "", "", "", ""]]
    f = write_csv(tmp_path / "w.csv", rows)
    reg = import_register(f, JZ)
    assert len(reg.projects) == 4  # kept, with its warnings listed
    w = reg.warnings
    assert set(w["column"]) == {"行业", "签约日期"} and (w["row"] == 5).all()
    with pytest.raises(RegisterError):
        import_register(f, JZ, strict=True)


def test_missing_columns_size_and_type_limits(tmp_path):
    f = write_csv(tmp_path / "m.csv", [["a", "沙市区"]], header=["项目名称", "县市区"])
    with pytest.raises(RegisterError, match="missing column.*签约日期"):
        import_register(f, JZ)
    with pytest.raises(RegisterError, match="limit"):
        import_register(tmp_path / "big.csv", JZ, data=b"x" * (MAX_BYTES + 1))
    with pytest.raises(RegisterError, match=r"\.csv or \.xlsx"):
        import_register(tmp_path / "r.pdf", JZ, data=b"%PDF")
    with pytest.raises(RegisterError, match="not UTF-8 or GBK"):
        import_register(tmp_path / "r.csv", JZ, data=b"\x81\x30\xff\xff,\xfe")


# --- the register in the model ---------------------------------------------------------------
def _register(tmp_path, rows, as_of=None):
    return import_register(write_csv(tmp_path / "r.csv", rows), JZ, as_of=as_of)


@pytest.mark.parametrize("horizon", [12, 36])  # 36: their capacity, built, is compared too
def test_register_equals_the_equivalent_aggregate_cohorts(tmp_path, horizon):
    """Projects signed in January 2022 with no dates, register as of end-2021, against the
    same amount as the scenario's January signings: the same totals."""
    rows = [[f"P{i}", "沙市区", "化工", "工业", f"2022/1/{i + 1}", f"{a:.1f}", "", "", "", "", "", ""]
            for i, a in enumerate([120.0, 80.5, 39.5])]  # fmt: skip
    reg = _register(tmp_path, rows, as_of=dt.date(2021, 12, 31))
    base = {"pipeline.concentrated_start_100m_cny": 0, "calendar.horizon_months": horizon}
    agg = simulate(load_scenario("baseline", {**base, "pipeline.january_signed_100m_cny": 240}))
    withreg = simulate(
        load_scenario(
            "baseline",
            {
                **base,
                "pipeline.january_signed_100m_cny": 0,
                # the same February-December months as the aggregate run
                "pipeline.signed_annual_100m_cny": load_scenario(
                    "baseline"
                ).params.pipeline.signed_annual_100m_cny
                - 240,
            },
        ),
        register=reg,
    )
    # the overrides hold for every year: from 2023 the two runs' January signings differ
    # (240 against none), so the runs are the same cohorts through 2022 only; the
    # capacity those cohorts build is the same through 2023 (later signings cannot
    # produce within their first year)
    t = agg.arrays["t"]
    for k in ("gdp_100m_cny", "gross_industrial_output_100m_cny", "fai_100m_cny",
              "signed_cum_100m_cny", "started_cum_100m_cny", "producing_cum_100m_cny"):  # fmt: skip
        np.testing.assert_allclose(
            withreg.arrays[k][:, t < 12], agg.arrays[k][:, t < 12], rtol=1e-10, err_msg=k
        )
    for k in ("gio_projects_new_100m_cny", "gross_industrial_output_100m_cny"):
        np.testing.assert_allclose(
            withreg.arrays[k][:, t < 24], agg.arrays[k][:, t < 24], rtol=1e-10, err_msg=k
        )
    if horizon > 24:  # the capacity channel is exercised: the January projects produce
        assert agg.arrays["gio_projects_new_100m_cny"][0, (t >= 12) & (t < 24)].sum() > 0


def test_started_projects_skip_the_lag_and_identities_hold(tmp_path):
    """A register covering the whole window (first signing January 2018): the only start
    in January 2022 is the register's project, at once and in full."""
    rows = [
        ["早项目", "沙市区", "其他", "工业", "2018/1/1", "1", "", "2018/3/1", "", "", "已开工", ""],
        ["大项目", "荆州开发区", "化工", "工业", "2021/6/1", "60", "", "2022/1/15", "", "", "已开工", "2.0"],
    ]  # fmt: skip
    reg = _register(tmp_path, rows, as_of=dt.date(2022, 5, 31))
    sc = load_scenario("baseline")
    res = simulate(sc, register=reg)
    t = res.arrays["t"]
    started = res.arrays["started_100m_cny"][0]
    assert started[t == 0][0] == pytest.approx(60.0)  # January 2022, at once
    assert started[(t >= -12) & (t < 0)].sum() == pytest.approx(0.0, abs=1e-9)  # nothing else
    parts = sum(res.arrays[k] for k in ("va_primary_100m_cny", "va_industry_100m_cny",
                                        "va_construction_100m_cny", "va_tertiary_100m_cny"))  # fmt: skip
    np.testing.assert_allclose(parts, res.arrays["gdp_100m_cny"], rtol=0, atol=1e-9)
    # a large project: 24-month build; its spending in 2022 = realised share × 60 × S-curve
    without = simulate(sc, register=_register(tmp_path, rows[:1], as_of=dt.date(2022, 5, 31)))
    fai = res.arrays["fai_projects_100m_cny"][0] - without.arrays["fai_projects_100m_cny"][0]
    spend = fai[(t >= 0) & (t < 12)].sum()
    j = np.arange(13) / 24.0
    s_curve = 3 * j**2 - 2 * j**3
    assert spend == pytest.approx(sc.params.pipeline.realised_share * 60 * s_curve[12], rel=1e-9)


def test_pending_projects_start_only_after_the_as_of_month(tmp_path):
    early = [
        "早项目",
        "沙市区",
        "其他",
        "工业",
        "2018/1/1",
        "1",
        "",
        "2018/3/1",
        "",
        "",
        "已开工",
        "",
    ]
    pending = [
        "未开工项目",
        "沙市区",
        "化工",
        "工业",
        "2021/3/1",
        "100",
        "",
        "",
        "",
        "",
        "已签约",
        "",
    ]
    sc = load_scenario("baseline")
    as_of = dt.date(2022, 3, 31)
    res = simulate(sc, register=_register(tmp_path, [early, pending], as_of))
    without = simulate(sc, register=_register(tmp_path, [early], as_of))
    t = res.arrays["t"]
    extra = res.arrays["started_100m_cny"][0] - without.arrays["started_100m_cny"][0]
    assert np.abs(extra[t <= 2]).max() < 1e-9  # nothing before April 2022
    # of what has not started 13 months after signing, the lever share of the rest starts
    assert 10 < extra[t > 2].sum() < 100


def test_register_monte_carlo_runs(tmp_path, root):
    from simulation.analyses.montecarlo import monte_carlo

    reg = import_register(root / "params/registers/sample_register_SYNTHETIC.csv", JZ)
    mc = monte_carlo("uncertainty", 200, 1, register=reg)
    assert mc.n == 200 and mc.result.provenance["register"]["projects"] == len(reg.projects)


# --- tracking --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "period, expected",
    [("2022M1-5", (2022, 5)), ("2022M5", (2022, 5)), ("2022M1-2", (2022, 2)),
     ("2022Q2", (2022, 6)), ("2022Q1", (2022, 3)), ("2022H1", (2022, 6)), ("2022", (2022, 12))],
)  # fmt: skip
def test_periods(period, expected):
    assert parse_period(period) == expected


def test_bad_actuals_are_explained(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("indicator,period,value,unit\ngdp_100m_cny,2022M1-13,3,亿元\nretail,2022M1-3,1,亿元\n"
                 "gdp_100m_cny,2022Q1,abc,亿元\ngross_industrial_output_100m_cny,2022M1-3,5,万元\n",
                 encoding="utf-8")  # fmt: skip
    with pytest.raises(ActualsError) as e:
        read_actuals(f)
    msg = str(e.value)
    for part in ("row 2: period", "row 3: indicator", "row 4: value", "row 5: unit"):
        assert part in msg


def _actuals(tmp_path, values):
    lines = ["indicator,period,value,unit"] + [
        f"gross_industrial_output_100m_cny,2022M1-{m},{v},亿元" for m, v in values.items()
    ]
    f = tmp_path / "act.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read_actuals(f)


def test_tracking_moves_the_forecast_towards_the_actuals(tmp_path):
    """Actuals on the model's path leave the nowcast near the model; above or below it, the
    nowcast moves towards them (by the Kalman gain, not the whole ratio), and so does the
    probability; the required growth is what the remaining months need."""
    sc = load_scenario("baseline")
    model = simulate(sc)
    t = model.arrays["t"]
    m5 = model.arrays["gross_industrial_output_100m_cny"][0][(t >= 0) & (t < 5)].sum()
    on_model = track(sc, _actuals(tmp_path, {5: round(m5, 6)}), draws=300)
    annual = model.targets()["industrial_output"]["value_100m_cny"]
    assert on_model.forecast["gross_industrial_output_100m_cny"] == pytest.approx(annual, rel=0.01)
    high = track(sc, _actuals(tmp_path, {2: 300, 5: m5 * 1.08}), draws=300)
    low = track(sc, _actuals(tmp_path, {5: m5 * 0.95}), draws=300)
    f_high = high.forecast["gross_industrial_output_100m_cny"]
    f_low = low.forecast["gross_industrial_output_100m_cny"]
    assert annual * 1.02 < f_high < annual * 1.08 + 1 and annual * 0.95 - 1 < f_low < annual * 0.99
    assert high.probability["industrial_output"] > low.probability["industrial_output"]
    st = high.status["industrial_output"]
    assert st["through_month"] == 5 and st["on_seasonal_pace"]
    target = sc.params.targets.industrial_output_100m_cny
    base = model.arrays["gross_industrial_output_100m_cny"][0][(t >= -12) & (t < 0)]
    want = ((target - m5 * 1.08) / base[5:].sum() - 1) * 100
    assert high.required_remaining_growth_pct["industrial_output"] == pytest.approx(want)
    m = high.monthly
    assert m.loc[4, "industrial_output_forecast"] == pytest.approx(m5 * 1.08)
    assert m.loc[11, "industrial_output_forecast"] == pytest.approx(f_high)


@pytest.mark.slow  # 5 s: CLI tracking runs
def test_cli_track_and_register(root):
    r = cli("track", "baseline", "--actuals", "params/actuals/example_2022.csv", "--register",
            "params/registers/sample_register_SYNTHETIC.csv", "--format", "json", "--draws", "200")  # fmt: skip
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert {"status", "forecast", "probability", "required_remaining_growth_pct"} <= set(d)
    assert {"forecast_quantiles", "indicators_used", "news", "required_path"} <= set(d)
    assert d["illustrative"] is True  # the shipped example says it is not official
    assert set(d["probability"]) == {"gdp", "industrial_output", "both"}
    assert d["status"]["industrial_output"]["through_month"] == 5
    assert d["register"]["projects"] > 300
    r = cli("track", "baseline", "--actuals", "nope.csv")
    assert r.returncode == 2 and "nope.csv" in r.stderr


@pytest.mark.slow  # 6 s: CLI report and workbook
def test_cli_register_report_and_excel(root, tmp_path):
    rows = GOOD + [BAD_ROWS["万元 amount"][0]]
    f = write_csv(tmp_path / "bad.csv", rows, "utf-8-sig")
    r = cli("register", str(f))
    assert r.returncode == 2 and "row 5, 签约金额(亿元)" in r.stderr and "万元" in r.stderr
    out = tmp_path / "views.xlsx"
    r = cli("register", "params/registers/sample_register_SYNTHETIC.csv", "--excel", str(out))
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames == ["项目台账", "月度进度", "县市区排名", "行业", "风险项目", "导入提示"]
    league = pd.read_excel(out, sheet_name="县市区排名")
    assert league["排名"].tolist() == list(range(1, len(league) + 1))
    assert league["签约金额（亿元）"].is_monotonic_decreasing


def test_upload_names_are_sanitised():
    from simulation.frontends.ui.projects_page import safe_upload_name

    now = dt.datetime(2022, 6, 1, 9, 30, 0, 123)
    h = "e3b0c44298fc"  # SHA-256 of no bytes
    assert safe_upload_name("../../etc/passwd", now) == f"20220601-093000-000123_{h}_passwd.bin"
    assert safe_upload_name("台账 2022.XLSX", now) == f"20220601-093000-000123_{h}_台账_2022.xlsx"
    assert "_9f86d081884c_" in safe_upload_name("a.csv", now, b"test")
    assert safe_upload_name("..csv", now).endswith("_upload.csv")  # nothing left of the stem


def test_projects_page_keeps_the_last_good_register(tmp_path, root):
    import shutil

    from simulation.frontends.ui.projects_page import ProjectsPage

    params = tmp_path / "params"
    shutil.copytree(root / "params", params)
    page = ProjectsPage(params)
    assert len(page.register.projects) > 300 and "序时进度" in page.track_status.value
    bad = write_csv(tmp_path / "bad.csv", [BAD_ROWS["unknown county"][0]])
    page.load_register(bad)
    assert "导入失败" in page.status.value and "武汉市" in page.report.value
    assert len(page.register.projects) > 300  # the previous register stays
    page.language.value = "en"
    assert "calendar pace" in page.track_status.value


def test_typed_formulas_reach_excel_as_text_never_as_formulas(tmp_path):
    """Register names and a scenario description that look like formulas are written as
    text in every workbook (register views and results)."""
    from simulation.analyses.register_views import to_excel
    from simulation.frontends.export import write_excel

    evil = ['=HYPERLINK("http://x")', "=cmd|' /C calc'!A0"]
    rows = [[evil[0], "沙市区", "化工", "工业", "2021/5/1", "3", "", "", "", "", "", ""],
            [evil[1], "荆州区", "化工", "工业", "2021/6/1", "4", "", "", "", "", "", ""]]  # fmt: skip
    reg = import_register(write_csv(tmp_path / "r.csv", rows), JZ)
    out = tmp_path / "views.xlsx"
    to_excel({"项目台账": reg.projects}, out)
    import dataclasses

    sc = dataclasses.replace(load_scenario("baseline"), description="=1+1 说明")
    res_path = tmp_path / "res.xlsx"
    write_excel(simulate(sc), res_path)
    for path in (out, res_path):
        wb = openpyxl.load_workbook(path)
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], path.name
        texts = {c.value for c in cells if isinstance(c.value, str)}
        if path == out:
            assert set(evil) <= texts


def _short_actuals(tmp_path, lines: list[str]):
    f = tmp_path / "a.csv"
    f.write_text("indicator,period,value,unit\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return read_actuals(f)


@pytest.mark.parametrize(
    "lines, expected",
    [
        (["gross_industrial_output_100m_cny,2022M1-5,9510000,亿元"], "times the base year"),
        (["gross_industrial_output_100m_cny,2022M1-5,nan,亿元"], "finite"),
        (["gross_industrial_output_100m_cny,2022M1-5,-951,亿元"], "times the base year"),
        (["gross_industrial_output_100m_cny,2022M1-4,712,亿元",
          "gross_industrial_output_100m_cny,2022M1-5,239,亿元"], "single month"),
        (["fai_growth_pct,2022M1-5,1750,pct"], "percentage"),
    ],
)  # fmt: skip
def test_implausible_actuals_are_refused_naming_the_row(tmp_path, lines, expected):
    """万元 given as 亿元, NaN, negative levels, a month given as year to date, a growth
    rate in per mille: refused before any nowcast, the row named."""
    sc = load_scenario("baseline")
    with pytest.raises(ActualsError, match=expected) as e:
        track(sc, _short_actuals(tmp_path, lines), draws=50)
    assert "row " in str(e.value)
    out = cli("track", "baseline", "--actuals", str(tmp_path / "a.csv"), "--draws", "50")
    assert out.returncode == 2 and "Traceback" not in out.stderr and expected in out.stderr


def test_rows_of_other_years_are_counted_not_silently_dropped(tmp_path):
    sc = load_scenario("baseline")
    act = _short_actuals(
        tmp_path,
        ["gross_industrial_output_100m_cny,2022M1-5,951,亿元",
         "gross_industrial_output_100m_cny,2021M1-5,850,亿元"],
    )  # fmt: skip
    d = track(sc, act, draws=50).to_dict()
    assert d["rows_left_out"]["count"] == 1


def test_a_started_register_project_adds_its_capacity_once_built(tmp_path):
    """The capacity channel with a register: a 60亿 industrial project started in January
    2022 with its own κ of 2.0 produces κ × realised share × 60 a year at full capacity,
    from the end of its 24-month build, ramping from the start share; the same project
    as a non-industrial one adds no industrial output."""

    def run(kind: str):
        row = ["大项目", "荆州开发区", "化工", kind, "2021/6/1", "60", "", "2022/1/15", "", "",
               "已开工", "2.0"]  # fmt: skip
        reg = _register(tmp_path, [row], as_of=dt.date(2022, 5, 31))
        return simulate(load_scenario("baseline", {"calendar.horizon_months": 60}), register=reg)

    ind, other = run("工业").arrays, run("非工业").arrays
    t = ind["t"]
    deflate = (
        ind["gross_industrial_output_real_100m_cny"][0] / ind["gross_industrial_output_100m_cny"][0]
    )
    gap = (ind["gio_projects_new_100m_cny"][0] - other["gio_projects_new_100m_cny"][0]) * deflate
    pl = load_scenario("baseline").params.pipeline
    assert np.allclose(gap[t < 24], 0.0, atol=1e-9)  # building (24 months): no output
    assert np.all(gap[t >= 24] > 0)
    full_from = 24 + int(np.ceil(pl.ramp_months))
    year = (t >= full_from) & (t < full_from + 12)
    assert gap[year].sum() == pytest.approx(2.0 * pl.realised_share * 60.0, rel=1e-6)
