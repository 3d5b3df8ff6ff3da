"""Scenario batches end to end: papermill on the real notebooks, the three engines, a
validation failure, a run-time failure, a killed run resumed, the comparison notebook
and its Excel file read back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from helpers import cli, fetch_served_page

from simulation import load_scenario, simulate
from simulation.analyses.batch.spec import BatchError, load_batch

ROOT = Path(__file__).resolve().parent.parent


def write_batch(tmp_path: Path, text: str, name: str = "b.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# --- the run notebook under papermill, as a user types it ------------------------------------
@pytest.mark.slow  # 12 s: papermill
def test_scenario_run_notebook_from_the_papermill_command_line(tmp_path):
    out = tmp_path / "run"
    r = subprocess.run(
        [sys.executable, "-m", "papermill", "notebooks/scenario_run.ipynb", str(tmp_path / "o.ipynb"),
         "-p", "scenario", "industry_strong", "-p", "output_dir", str(out),
         "-y", "overrides: {pipeline.start_lag_change_months: -2}", "-p", "draws", "200"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr[-2000:]
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    want = simulate(load_scenario("industry_strong", {"pipeline.start_lag_change_months": -2}))
    assert s["gdp_100m_cny"] == pytest.approx(want.targets()["gdp"]["value_100m_cny"], abs=1e-9)
    assert s["status"] == "ok" and s["draws"] == 200 and 0 <= s["p_both"] <= 1
    assert s["provenance"]["inputs_hash"] == want.provenance["inputs_hash"]
    assert len(pd.read_csv(out / "monthly.csv")) == 12
    assert set(pd.read_csv(out / "annual.csv")["year"]) == {2021, 2022}
    help_ = subprocess.run(
        [sys.executable, "-m", "papermill", "--help-notebook", "notebooks/scenario_run.ipynb"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    for name in ("scenario", "overrides", "draws", "seed", "output_dir"):
        assert name in help_.stdout
    assert "Monte Carlo draws" in help_.stdout  # the annotations document the parameters


# --- validation before anything runs ---------------------------------------------------------
def test_an_invalid_point_stops_the_batch_before_anything_runs(tmp_path):
    b = write_batch(
        tmp_path,
        "base: baseline\nscenarios:\n  - {id: fine}\n"
        "  - {id: broken, overrides: {pipeline.start_share: 7}}\n",
    )
    out = tmp_path / "out"
    r = cli("batch", str(b), "--out", str(out))
    assert r.returncode == 2
    assert "b.yaml" in r.stderr and "'broken'" in r.stderr and "pipeline.start_share" in r.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "text, message",
    [
        ("base: baseline\ngrid: {pipeline.start_share: []}\n", "non-empty list"),
        ("base: baseline\ncolour: red\ngrid: {industry.tech_yield: [1]}\n", "colour"),
        ("base: baseline\n", "no points"),
        ("base: nope\nscenarios: [{id: a}]\n", "does not exist"),
        ("base: baseline\nscenarios: [{id: a}, {id: a}]\n", "duplicate id"),
        ("base: baseline\nscenarios: [{id: ../x}]\n", "id must be"),
        ("base: baseline\nlhs: {n: 5, parameters: {industry.tech_yield: [3, 1]}}\n", "low < high"),
        ("base: baseline\nlhs: {n: 5, parameters: {industry.tech_yield: [0, 9]}}\n", "bounds"),
    ],
)
def test_batch_file_errors_name_the_file_and_field(tmp_path, text, message):
    with pytest.raises(BatchError, match=message) as e:
        load_batch(write_batch(tmp_path, text))
    assert "b.yaml" in str(e.value)


def test_lhs_points_lie_in_their_ranges(tmp_path):
    b = load_batch(
        write_batch(
            tmp_path,
            "base: baseline\nlhs:\n  n: 40\n  seed: 3\n  parameters:\n"
            "    industry.tech_yield: [0.5, 1.5]\n    industry.price_change_rate: [0.0, 0.06]\n",
        )
    )
    assert len(b.points) == 40 and b.points[0].id == "h0001"
    ty = sorted(p.overrides["industry.tech_yield"] for p in b.points)
    assert 0.5 <= ty[0] and ty[-1] <= 1.5
    # Latin hypercube: one point in each of the 40 strata
    assert sorted(int((v - 0.5) / 1.0 * 40) for v in ty) == list(range(40))


def _gdp(name: str) -> float:
    """The scenario's plan-year GDP (亿元), as ``run`` gives it."""
    from simulation import simulate

    return simulate(name).to_dict(monthly=False)["annual"]["gdp_100m_cny"]


# --- run-time failures are recorded, the rest finish ----------------------------------------
FAILING = (
    "base: baseline\nscenarios:\n  - {id: plan}\n"
    "  - {id: too_much_spending, overrides: {pipeline.realised_share: 0.6}}\n"
    "  - {id: strong, scenario: all_strong}\n"
)


@pytest.mark.parametrize(
    "engine",
    [pytest.param("papermill", marks=pytest.mark.slow), "inprocess"],  # 16 s vs 2 s
)
def test_a_failing_scenario_is_recorded_and_the_others_finish(tmp_path, engine):
    b = write_batch(tmp_path, FAILING)
    out = tmp_path / "out"
    r = cli("batch", str(b), "--out", str(out), "--engine", engine, "--workers", "2", "--quiet")
    assert r.returncode == 1, r.stderr
    df = pd.read_parquet(out / "results.parquet")
    assert list(df["id"]) == ["plan", "too_much_spending", "strong"]
    st = df.set_index("id")
    assert st.loc["too_much_spending", "status"] == "failed"
    assert "fai_100m_cny" in st.loc["too_much_spending", "error"]  # the model's own message
    assert (st.loc[["plan", "strong"], "status"] == "ok").all()
    assert st.loc["strong", "gdp_100m_cny"] > st.loc["plan", "gdp_100m_cny"]
    assert st.loc["plan", "gdp_100m_cny"] == pytest.approx(_gdp("baseline"), abs=1e-5)
    csv = pd.read_csv(out / "results.csv", encoding="utf-8-sig")
    assert len(csv) == 3
    if engine == "papermill":
        assert (out / "notebooks" / "too_much_spending.ipynb").is_file()  # the record of the error
        assert (out / "points" / "plan" / "summary.json").is_file()


# --- killed mid-run, then resumed ----------------------------------------------------------
@pytest.mark.slow  # 28 s: papermill batch, killed and resumed
def test_a_killed_batch_resumes_without_duplicates_or_gaps(tmp_path):
    b = write_batch(
        tmp_path,
        "base: baseline\ngrid:\n  industry.tech_yield: [0.6, 0.8, 1.0, 1.2, 1.4, 1.6]\n",
    )
    out = tmp_path / "out"
    args = [
        sys.executable,
        "-m",
        "simulation",
        "batch",
        str(b),
        "--out",
        str(out),
        "--workers",
        "1",
        "--quiet",
    ]
    proc = subprocess.Popen(
        args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 180
    while len(list((out / "rows").glob("*.json"))) < 2:
        assert proc.poll() is None, "the batch ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the process and its kernels, mid-notebook
    proc.wait()
    done_before = len(list((out / "rows").glob("*.json")))
    assert 2 <= done_before < 6 and not (out / "results.parquet").exists()
    r = cli("batch", str(b), "--out", str(out), "--resume", "--quiet")
    assert r.returncode == 0, r.stderr
    df = pd.read_parquet(out / "results.parquet")
    assert list(df["id"]) == [f"g{i:04d}" for i in range(1, 7)]
    assert (df["status"] == "ok").all() and df["id"].is_unique
    assert df["gdp_100m_cny"].is_monotonic_increasing  # tech yield up → GDP up
    assert len(list((out / "notebooks").glob("*.ipynb"))) == 6
    assert not list(out.rglob(".*.tmp*"))  # no half-written file left behind
    # a finished folder is not overwritten by accident, nor resumed with another batch
    assert cli("batch", str(b), "--out", str(out)).returncode == 2
    other = write_batch(tmp_path, "base: baseline\ngrid: {industry.tech_yield: [1.0]}\n", "c.yaml")
    r = cli("batch", str(other), "--out", str(out), "--resume")
    assert r.returncode == 2 and "different batch" in r.stderr


# --- Dask ---------------------------------------------------------------------------------------
@pytest.mark.slow  # 10 s: a Dask local cluster
def test_dask_engine_on_a_local_cluster_equals_inprocess(tmp_path):
    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        r = cli("batch", "params/batches/signings_x_start_share.yaml", "--out", str(tmp_path / "dask"),
                "--engine", "dask", "--scheduler", cluster.scheduler_address, "--chunk", "8", "--quiet")  # fmt: skip
        assert r.returncode == 0, r.stderr
    r = cli(
        "batch",
        "signings_x_start_share",
        "--out",
        str(tmp_path / "inp"),
        "--engine",
        "inprocess",
        "--quiet",
    )
    assert r.returncode == 0, r.stderr
    a = pd.read_parquet(tmp_path / "dask" / "results.parquet")
    b = pd.read_parquet(tmp_path / "inp" / "results.parquet")
    assert len(a) == 30 and list(a["id"]) == list(b["id"])
    cols = ["gdp_100m_cny", "gross_industrial_output_100m_cny", "fai_100m_cny", "gdp_met"]
    pd.testing.assert_frame_equal(a[cols], b[cols])
    assert len(list((tmp_path / "dask" / "rows").glob("*.json"))) == 4  # 30 points in chunks of 8
    # inprocess equals the one-at-a-time run of a grid point
    row = b.set_index("id").loc["g0007"]
    want = simulate(load_scenario("baseline", {"pipeline.signed_annual_100m_cny": row["set:pipeline.signed_annual_100m_cny"],
                                              "pipeline.start_share_change": row["set:pipeline.start_share_change"]}))  # fmt: skip
    assert row["gdp_100m_cny"] == pytest.approx(want.targets()["gdp"]["value_100m_cny"], abs=1e-9)
    assert row["inputs_hash"] == load_scenario(
        "baseline",
        {"pipeline.signed_annual_100m_cny": row["set:pipeline.signed_annual_100m_cny"],
         "pipeline.start_share_change": row["set:pipeline.start_share_change"]},
    ).inputs_hash  # fmt: skip


# --- the shipped batch, end to end, and the comparison ---------------------------------------
@pytest.fixture(scope="module")
def four_campaigns(tmp_path_factory):
    out = tmp_path_factory.mktemp("batch") / "four_campaigns"
    r = cli(
        "batch",
        "params/batches/four_campaigns.yaml",
        "--out",
        str(out),
        "--workers",
        "2",
        "--quiet",
    )
    assert r.returncode == 0, r.stderr
    return out


@pytest.mark.slow  # 26 s: 16 papermill notebooks
def test_four_campaigns_gives_16_notebooks_and_16_rows(four_campaigns):
    df = pd.read_parquet(four_campaigns / "results.parquet")
    assert len(df) == 16 and (df["status"] == "ok").all()
    assert len(list((four_campaigns / "notebooks").glob("*.ipynb"))) == 16
    assert {"id", "set:campaigns.industry", "gdp_100m_cny", "gross_industrial_output_100m_cny",
            "gdp_gap_100m_cny", "gdp_met", "both_met", "gdp_real_growth_pct", "fai_100m_cny",
            "status", "duration_s", "inputs_hash", "package_version"} <= set(df.columns)  # fmt: skip
    all_strong = df[(df.filter(like="set:campaigns") == "strong").all(axis=1)].iloc[0]
    assert all_strong["gdp_100m_cny"] == pytest.approx(_gdp("all_strong"), abs=1e-6)
    plan = df[(df.filter(like="set:campaigns") == "plan").all(axis=1)].iloc[0]
    assert plan["gdp_100m_cny"] == pytest.approx(_gdp("baseline"), abs=1e-6)
    import nbformat

    nb = nbformat.read(four_campaigns / "notebooks" / "g0016.ipynb", as_version=4)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the charts are kept
    assert not any(o.get("output_type") == "error" for o in outputs)


@pytest.mark.slow  # 48 s: papermill batch and notebook
def test_comparison_notebook_and_excel(four_campaigns, tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "papermill", "notebooks/compare_scenarios.ipynb", str(tmp_path / "c.ipynb"),
         "-p", "batch_dir", str(four_campaigns)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr[-2000:]
    wb = openpyxl.load_workbook(four_campaigns / "comparison.xlsx", read_only=True)
    assert wb.sheetnames[:3] == ["排名", "年度对比", "月度路径"]
    rank = list(wb["排名"].iter_rows(values_only=True))
    head = list(rank[0])
    assert head[:2] == ["组合", "编号"] and "地区生产总值（亿元）" in head
    assert rank[1][:2] == ("工业发力·招商发力·投资发力·环境发力", "g0016")  # closest first
    assert rank[1][head.index("地区生产总值（亿元）")] == pytest.approx(
        _gdp("all_strong"), abs=0.05
    )
    assert len(rank) == 17


@pytest.mark.slow  # 4.5 s: a batch of a grid
def test_comparison_heat_map_of_a_grid(tmp_path):
    out = tmp_path / "grid"
    assert (
        cli(
            "batch", "signings_x_start_share", "--out", str(out), "--engine", "inprocess", "--quiet"
        ).returncode
        == 0
    )
    from simulation.frontends import compare

    df, points, meta = compare.load_run(out)
    tables = compare.heatmap_tables(df)
    t = tables["gdp_100m_cny"]
    assert t.shape == (6, 5)
    assert t.index.name == "set:pipeline.signed_annual_100m_cny"
    # more signing and a higher start share both raise GDP
    assert (t.diff(axis=0).iloc[1:] > 0).all().all() and (
        t.diff(axis=1).iloc[:, 1:] > 0
    ).all().all()
    path = compare.export_excel({f"热力图_{k}": v for k, v in tables.items()}, tmp_path / "h.xlsx")
    ws = openpyxl.load_workbook(path)["热力图_gdp_100m_cny"]
    assert ws.cell(2, 2).value == pytest.approx(t.iloc[0, 0])


@pytest.mark.slow  # 15 s: a Voila server
def test_comparison_page_is_served_by_voila(four_campaigns):
    import re

    from drive import free_port

    port = free_port()
    argv = [sys.executable, "-m", "simulation", "app", "--page", "compare", "--batch-dir",
            str(four_campaigns), "--port", str(port), "--no-preheat"]  # fmt: skip
    page = fetch_served_page(argv, port)
    # the page is a widget (its rows and charts arrive over the kernel's websocket; the
    # browser test in test_compare_page.py reads them)
    assert "application/vnd.jupyter.widget-view+json" in page
    assert '"output_type": "error"' not in page and "Traceback" not in page
    assert not re.findall(r'(?:href|src)="https?://', page)


@pytest.mark.parametrize(
    "scenario, overrides",
    [
        ("baseline", {"industry.tech_yield": 1.3, "pipeline.signed_annual_100m_cny": 4000}),
        ("all_strong", {"industry.tech_yield": 1.3}),  # explicit beats the preset
        ("uncertainty", {"industry.price_change_rate": 0.05}),  # distributions kept
    ],
)
def test_fast_validation_equals_load_scenario(scenario, overrides):
    from simulation.analyses.batch.spec import Point, _validated_hash
    from simulation.io.layering import PARAMS_DIR

    pt = Point("p", "scenario", scenario, overrides)
    assert _validated_hash(pt, PARAMS_DIR, {}) == load_scenario(scenario, overrides).inputs_hash


def test_fast_validation_still_explains_errors(tmp_path):
    b = write_batch(
        tmp_path, "base: baseline\ngrid: {pipeline.january_signed_100m_cny: [100, 4000]}\n"
    )
    with pytest.raises(BatchError, match=r"'g0002'.*january_signed_100m_cny"):
        load_batch(b)


@pytest.mark.slow  # 30 s: Dask scheduler time-outs
def test_dask_without_workers_stops_with_a_message_and_keeps_nothing_half_made(
    tmp_path, monkeypatch
):
    """A scheduler with no worker: the batch stops after the wait (shortened here) with a
    clear message; a malformed or unreachable address is refused before any folder exists."""
    from dask.distributed import LocalCluster

    from simulation.analyses.batch import run as batch_run

    monkeypatch.setattr(batch_run, "WORKER_WAIT_S", 2)
    with LocalCluster(n_workers=0, dashboard_address=None, processes=True) as cluster:
        batch = load_batch(Path("params/batches/four_campaigns.yaml").resolve())
        with pytest.raises(BatchError, match="no Dask worker alive"):
            batch_run.run_batch(
                batch, tmp_path / "b", "dask", scheduler=cluster.scheduler_address, progress=False
            )
    for address, expected in (("tcp://nowhere:99999999", "expected an address"),
                              ("tcp://127.0.0.1:9", "no Dask scheduler answers")):  # fmt: skip
        r = cli("batch", "four_campaigns", "--out", str(tmp_path / "x"), "--engine", "dask",
                "--scheduler", address, "--quiet")  # fmt: skip
        assert r.returncode == 2 and expected in r.stderr and "Traceback" not in r.stderr
        assert not (tmp_path / "x").exists()
