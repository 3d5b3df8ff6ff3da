"""The command line end to end, as a user types it (subprocess, real files)."""

import json

import pytest
from helpers import ROOT, cli, fetch_served_page


@pytest.fixture(scope="module")
def baseline_json(root):
    r = cli("run", "baseline", "--format", "json", cwd=root)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_run_json_has_the_contract_keys(baseline_json):
    d = baseline_json
    for k in (
        "gdp_100m_cny",
        "gross_industrial_output_100m_cny",
        "fai_100m_cny",
        "va_primary_100m_cny",
        "va_industry_100m_cny",
        "va_construction_100m_cny",
        "va_tertiary_100m_cny",
        "gdp_real_growth_pct",
    ):
        assert isinstance(d["annual"][k], float), k
    for t in ("gdp", "industrial_output"):
        assert set(d["targets"][t]) >= {"target_100m_cny", "value_100m_cny", "gap_100m_cny", "met"}
    assert len(d["monthly"]) == 12 and d["monthly"][0]["month"] == "2022-01"
    a = d["annual"]
    assert a["gdp_100m_cny"] == pytest.approx(
        a["va_primary_100m_cny"]
        + a["va_industry_100m_cny"]
        + a["va_construction_100m_cny"]
        + a["va_tertiary_100m_cny"],
        rel=1e-12,
    )
    assert d["provenance"]["inputs_hash"] and d["provenance"]["package_version"]


def test_run_set_override_moves_result(root, baseline_json):
    r = cli(
        "run",
        "baseline",
        "--format",
        "json",
        "--set",
        "industry.tech_yield=1.5",
        "--set",
        "campaigns.attraction=strong",
        cwd=root,
    )
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert (
        d["annual"]["gross_industrial_output_100m_cny"]
        > baseline_json["annual"]["gross_industrial_output_100m_cny"]
    )
    assert d["provenance"]["overrides"] == {
        "industry.tech_yield": 1.5,
        "campaigns.attraction": "strong",
    }


def test_run_table_and_csv_out(root, tmp_path):
    r = cli("run", "all_strong", cwd=root)
    assert r.returncode == 0 and "MET" in r.stdout and "GDP" in r.stdout
    out = tmp_path / "sub" / "m.csv"
    r = cli("run", "baseline", "--format", "csv", "--out", str(out), cwd=root)
    assert r.returncode == 0 and r.stdout == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("month,") and len(lines) == 13


@pytest.mark.parametrize(
    "args,needle",
    [
        (("run", "nosuch"), "does not exist"),
        (("run", "baseline", "--set", "pipeline.start_share=7"), "out of bounds"),
        (("run", "baseline", "--set", "pipeline.nope=1"), "unknown key 'pipeline.nope'"),
        (("run", "baseline", "--set", "novalue"), "expected dotted.path=value"),
        (("run", "baseline", "--set", "base_year.fai_100m_cny=200"), "base_year.fai_100m_cny"),
    ],
)
def test_bad_input_exits_nonzero_without_traceback_or_file(root, tmp_path, args, needle):
    out = tmp_path / "o.json"
    r = cli(*args, "--out", str(out), cwd=root)
    assert r.returncode == 2
    assert needle in r.stderr and "Traceback" not in r.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_params_table_and_json(root):
    r = cli("params", cwd=root)
    assert r.returncode == 0 and "pipeline.start_share" in r.stdout and "FIT: " in r.stdout
    r = cli("params", "industry_strong", "--format", "json", cwd=root)
    d = json.loads(r.stdout)
    row = next(x for x in d["parameters"] if x["parameter"] == "industry.tech_yield")
    assert row["unit"] and row["bounds"] and row["source"] and row["campaign"] == "industry"


@pytest.mark.slow  # 4 s: three CLI subprocesses
def test_validate(root, tmp_path):
    assert cli("validate", "params/scenarios/all_strong.yaml", cwd=root).returncode == 0
    assert cli("validate", "params/base.yaml", cwd=root).returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: baseline\noverrides:\n  industry.tech_yield: 9\n", encoding="utf-8")
    r = cli("validate", str(bad), cwd=root)
    assert r.returncode == 2 and "bad.yaml" in r.stderr and "industry.tech_yield" in r.stderr


def test_scenarios_lists_with_descriptions(root):
    r = cli("scenarios", cwd=root)
    lines = r.stdout.splitlines()
    assert r.returncode == 0 and len(lines) >= 12
    assert any(line.startswith("all_strong") and "四大会战" in line for line in lines)


def test_app_refuses_a_busy_port(root):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = cli("app", "--port", str(port), cwd=root)
    assert r.returncode == 2
    assert f"127.0.0.1:{port}" in r.stderr and "--port" in r.stderr


def test_app_refuses_a_folder_without_base_yaml(root, tmp_path):
    (tmp_path / "scenarios").mkdir()
    r = cli("app", "--params-dir", str(tmp_path), "--port", "8999", cwd=root)
    assert r.returncode == 2 and "base.yaml" in r.stderr


@pytest.mark.slow  # 18 s: a Voila server
def test_readme_main_command_serves_the_dashboard_offline():
    """`bash scripts/run.sh` (the README's main command) serves the app on loopback; the
    page it returns links nothing outside the machine."""
    import re

    from drive import free_port

    port = free_port()
    page = fetch_served_page(["bash", "scripts/run.sh", "--port", str(port), "--no-preheat"], port)
    assert "正在启动" in page  # the friendly first-load message
    assert "application/vnd.jupyter.widget-view+json" in page  # the app's widget, no error
    assert "Traceback" not in page and '"output_type": "error"' not in page
    assert not re.findall(r'(?:href|src)="https?://', page)


@pytest.mark.parametrize(
    "args, expected",
    [
        (["mc", "baseline", "--draws", "1e9"], "--draws"),
        (["mc", "baseline", "--draws", "300000"], "from 1 to 100,000"),
        (["mc", "baseline", "--seed", "-1"], "--seed"),
        (["sensitivity", "baseline", "--samples", "0"], "--samples"),
        (["track", "baseline", "--actuals", "x.csv", "--draws", "-5"], "--draws"),
        (["app", "--port", "99999"], "port number"),
    ],
)
def test_out_of_range_arguments_are_refused_without_a_traceback(args, expected):
    r = cli(*args)
    assert r.returncode == 2 and expected in r.stderr and "Traceback" not in r.stderr


def test_source_date_epoch_makes_mc_json_byte_identical(tmp_path):
    import os
    import subprocess
    import sys

    from helpers import ROOT

    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    argv = [
        sys.executable,
        "-m",
        "simulation",
        "mc",
        "baseline",
        "--draws",
        "100",
        "--format",
        "json",
    ]
    a, b = (subprocess.run(argv, capture_output=True, cwd=ROOT, env=env) for _ in range(2))
    assert a.returncode == 0 and a.stdout == b.stdout and b"2023-11-14T22:13:20" in a.stdout
    bad = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT,
                         env={**env, "SOURCE_DATE_EPOCH": "yesterday"})  # fmt: skip
    assert bad.returncode == 2 and "SOURCE_DATE_EPOCH" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_track_names_the_rows_it_leaves_out(tmp_path):
    import json

    lines = (ROOT / "params/actuals/example_2022.csv").read_text(encoding="utf-8").splitlines()
    lines.append("gross_industrial_output_100m_cny,2021M1-2,250.0,亿元,a row of the base year")
    (tmp_path / "a.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = cli("track", "baseline", "--actuals", str(tmp_path / "a.csv"), "--format", "json")
    assert r.returncode == 0, r.stderr[-500:]
    left = json.loads(r.stdout)["rows_left_out"]
    assert left["count"] == 1 and left["rows"] == [len(lines)]
    text = cli("track", "baseline", "--actuals", str(tmp_path / "a.csv")).stdout
    assert f"Rows left out: 1, file rows {len(lines)} " in text
