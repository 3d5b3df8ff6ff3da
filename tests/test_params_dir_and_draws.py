"""``--params-dir`` (and ``SIM_PARAMS_DIR``) on every command, end to end on a copied
parameter folder; per-draw values checked against the schema's cross-field rules."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from helpers import ROOT

import simulation
from simulation.analyses.montecarlo import monte_carlo
from simulation.economy import distributions
from simulation.economy.rules import DrawError, check_draws

TARGET = 100  # the copied folder's targets (the package's are 3000): every run meets them
MARKER = "ONLY_IN_THE_COPY 仅在副本"


def _cli(*args: str, mode: str = "flag", params_dir: Path | None = None, cwd: Path = ROOT):
    """``python -m simulation ARGS`` with the folder given by ``--params-dir`` (``flag``) or
    by ``SIM_PARAMS_DIR`` (``env``)."""
    env = {k: v for k, v in os.environ.items() if k != "SIM_PARAMS_DIR"}
    argv = [sys.executable, "-m", "simulation", *args]
    if params_dir is not None and mode == "flag":
        argv += ["--params-dir", str(params_dir)]
    elif params_dir is not None:
        env["SIM_PARAMS_DIR"] = str(params_dir)
    return subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def _ok(r: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert r.returncode == 0, r.stderr
    return r


@pytest.fixture(scope="module")
def pdir(tmp_path_factory) -> Path:
    """A copy of params/ with lower targets, two scenarios of its own (``only_here``
    extends ``middle`` extends ``baseline``), one distribution fewer in ``uncertainty``
    and a tiny batch."""
    d = tmp_path_factory.mktemp("copy") / "params"
    shutil.copytree(ROOT / "params", d)
    base = yaml.safe_load((d / "base.yaml").read_text(encoding="utf-8"))
    base["targets"] = {"gdp_100m_cny": TARGET, "industrial_output_100m_cny": TARGET}
    (d / "base.yaml").write_text(yaml.safe_dump(base, allow_unicode=True), encoding="utf-8")
    (d / "scenarios" / "middle.yaml").write_text(
        "extends: baseline\ndescription: middle layer\noverrides:\n  campaigns.industry: strong\n",
        encoding="utf-8",
    )
    (d / "scenarios" / "only_here.yaml").write_text(
        f"extends: middle\ndescription: {MARKER}\n", encoding="utf-8"
    )
    unc = yaml.safe_load((d / "scenarios" / "uncertainty.yaml").read_text(encoding="utf-8"))
    over = unc["overrides"]
    named = {other for v in over.values() if isinstance(v, dict) for other, _ in v.get("corr", [])}
    dists = [
        k
        for k, v in over.items()
        if distributions.is_spec(v) and not v.get("corr") and k not in named
    ]
    del over[dists[0]]  # one no other distribution is correlated with
    (d / "scenarios" / "uncertainty.yaml").write_text(
        yaml.safe_dump(unc, allow_unicode=True), encoding="utf-8"
    )
    (d / "scenarios" / "wild.yaml").write_text(
        "extends: baseline\ndescription: draws that break a rule\noverrides:\n"
        "  pipeline.medium_share: 0.35\n"
        "  pipeline.large_share: {dist: uniform, low: 0.0, high: 1.0}\n",
        encoding="utf-8",
    )
    (d / "batches" / "tiny.yaml").write_text(
        "base: only_here\ndescription: tiny\nscenarios:\n  - {id: a}\n"
        "  - {id: b, overrides: {campaigns.attraction: strong}}\n",
        encoding="utf-8",
    )
    return d


@pytest.fixture(scope="module")
def copied_uncertain(pdir) -> set[str]:
    """The uncertain parameters of the copy's ``uncertainty`` scenario."""
    return set(simulation.load_scenario("uncertainty", params_dir=pdir).uncertainty)


MODES = pytest.mark.parametrize("mode", ["flag", "env"])


@MODES
def test_run_reads_the_folder(pdir, mode):
    d = json.loads(
        _ok(_cli("run", "baseline", "--format", "json", mode=mode, params_dir=pdir)).stdout
    )
    assert d["targets"]["gdp"]["target_100m_cny"] == TARGET
    assert d["provenance"]["files"][0] == str(pdir / "base.yaml")


@MODES
def test_params_reads_the_folder(pdir, mode):
    r = _ok(_cli("params", "only_here", "--format", "json", mode=mode, params_dir=pdir))
    d = json.loads(r.stdout)
    row = next(x for x in d["parameters"] if x["parameter"] == "targets.gdp_100m_cny")
    assert row["value"] == TARGET and d["scenario"] == "only_here"
    assert d["campaigns"]["industry"] == "strong"  # from `middle`, defined only in the copy


@pytest.mark.slow  # 2.2-2.6 s each: CLI subprocesses
@MODES
def test_validate_resolves_extends_in_the_folder(pdir, tmp_path, mode):
    f = tmp_path / "mine.yaml"
    f.write_text("extends: only_here\noverrides:\n  industry.tech_yield: 0.25\n", encoding="utf-8")
    r = _ok(_cli("validate", str(f), mode=mode, params_dir=pdir))
    assert "valid" in r.stdout and str(pdir / "scenarios" / "middle.yaml") in r.stdout
    assert str(pdir / "base.yaml") in r.stdout
    r = _cli("validate", str(f))  # the package's folder has no only_here
    assert r.returncode == 2 and "only_here" in r.stderr and "Traceback" not in r.stderr


@MODES
def test_scenarios_lists_the_folder(pdir, mode):
    r = _ok(_cli("scenarios", mode=mode, params_dir=pdir))
    assert any(line.startswith("only_here") and MARKER in line for line in r.stdout.splitlines())
    assert MARKER not in _ok(_cli("scenarios")).stdout


@MODES
def test_mc_reads_the_folder_and_its_uncertainty(pdir, copied_uncertain, mode):
    r = _cli("mc", "baseline", "--draws", "8", "--format", "json", mode=mode, params_dir=pdir)
    d = json.loads(_ok(r).stdout)
    assert d["provenance"]["files"][0] == str(pdir / "base.yaml")
    assert set(d["uncertain"]) == copied_uncertain
    assert d["probability"]["both"] == 1.0


@pytest.mark.slow  # 2.3-2.6 s each: sensitivity through the CLI
@MODES
def test_sensitivity_reads_the_folder(pdir, copied_uncertain, mode):
    r = _cli(
        "sensitivity",
        "only_here",
        "--method",
        "tornado",
        "--draws",
        "2",
        "--format",
        "json",
        mode=mode,
        params_dir=pdir,
    )
    d = json.loads(_ok(r).stdout)
    assert d["scenario"] == "only_here"
    assert {row["parameter"] for row in d["rows"]} == copied_uncertain
    assert all(row["p_both_low"] == 1.0 for row in d["rows"])


@MODES
def test_solve_reads_the_folder(pdir, mode):
    r = _cli(
        "solve",
        "only_here",
        "--lever",
        "pipeline.signed_annual_100m_cny",
        "--format",
        "json",
        mode=mode,
        params_dir=pdir,
    )
    d = json.loads(_ok(r).stdout)
    assert d["reachable"] and d["scenario"] == "only_here"
    assert d["achieved"] > 1000  # a gap over a target of 100, not 3000


@MODES
def test_track_reads_the_folder(pdir, mode):
    r = _cli(
        "track",
        "only_here",
        "--actuals",
        str(ROOT / "params" / "actuals" / "example_2022.csv"),
        "--draws",
        "5",
        "--format",
        "json",
        mode=mode,
        params_dir=pdir,
    )
    d = json.loads(_ok(r).stdout)
    assert d["status"]["gdp"]["target"] == TARGET
    assert d["probability"]["both"] == 1.0


@pytest.mark.slow  # 4-5 s each: CLI register views
@MODES
def test_register_views_read_the_folder(pdir, tmp_path, mode):
    reg = str(ROOT / "params" / "registers" / "sample_register_SYNTHETIC.csv")
    xlsx = tmp_path / "views.xlsx"
    args = ("register", reg, "--excel", str(xlsx), "--scenario", "only_here")
    r = _ok(_cli(*args, mode=mode, params_dir=pdir))
    assert xlsx.is_file() and "projects" in r.stdout
    r = _cli(*args)  # the package's folder has no only_here
    assert r.returncode == 2 and "only_here" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.slow  # 4-5 s each: a batch through the CLI
@MODES
def test_batch_inprocess_reads_the_folder(pdir, tmp_path, mode):
    import pandas as pd

    files = {"by name": "tiny", "by path": str(tmp_path / "t.yaml")}
    (tmp_path / "t.yaml").write_text((pdir / "batches" / "tiny.yaml").read_text("utf-8"), "utf-8")
    for how, batch in files.items():
        out = tmp_path / f"out {how}"
        args = ("batch", batch, "--out", str(out), "--engine", "inprocess", "--quiet")
        _ok(_cli(*args, mode=mode, params_dir=pdir))
        df = pd.read_csv(out / "results.csv")
        assert list(df["id"]) == ["a", "b"] and (df["status"] == "ok").all(), how
        assert (df["scenario"] == "only_here").all()
        assert np.allclose(df["gdp_gap_100m_cny"], df["gdp_100m_cny"] - TARGET)


def test_mc_draws_that_break_a_rule_are_a_message_and_exit_2(pdir):
    r = _cli("mc", "wild", "--draws", "50", "--out", str(pdir / "never.json"), params_dir=pdir)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "Monte Carlo of 'wild'" in r.stderr and "pipeline.large_share" in r.stderr
    assert "pipeline.medium_share (0.35)" in r.stderr and "exceeds 1" in r.stderr
    assert not (pdir / "never.json").exists()


def test_flag_wins_over_the_environment(pdir, tmp_path):
    env = {**os.environ, "SIM_PARAMS_DIR": str(tmp_path / "nowhere")}
    r = subprocess.run(
        [sys.executable, "-m", "simulation", "scenarios", "--params-dir", str(pdir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
    )
    assert r.returncode == 0 and MARKER in r.stdout


@pytest.mark.parametrize("mode", ["flag", "env"])
@pytest.mark.parametrize(
    "args",
    [("run", "baseline"), ("scenarios",), ("mc", "--draws", "2"), ("batch", "x", "--out", "o")],
)
def test_a_missing_folder_is_one_line_and_exit_2(tmp_path, mode, args):
    r = _cli(*args, mode=mode, params_dir=tmp_path / "nowhere", cwd=ROOT)
    assert r.returncode == 2 and r.stdout == ""
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "nowhere" in r.stderr and "no such folder" in r.stderr
    assert ("--params-dir" if mode == "flag" else "SIM_PARAMS_DIR") in r.stderr


def test_a_folder_without_base_yaml_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "scenarios").mkdir()
    r = _cli("run", "baseline", params_dir=tmp_path)
    assert r.returncode == 2 and "base.yaml" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_extends_resolves_in_the_folder_not_the_working_folder(pdir, tmp_path, monkeypatch):
    (tmp_path / "middle").mkdir()  # a folder named like the scenario it extends
    (tmp_path / "baseline").write_text("not a scenario\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    sc = simulation.load_scenario("only_here", params_dir=pdir)
    assert sc.files == (
        str(pdir / "base.yaml"),
        str(pdir / "scenarios" / "baseline.yaml"),
        str(pdir / "scenarios" / "middle.yaml"),
        str(pdir / "scenarios" / "only_here.yaml"),
    )
    assert sc.params.targets.gdp_100m_cny == TARGET
    assert sc.params.campaigns.industry == "strong"


# --- per-draw consistency --------------------------------------------------------------------
def test_january_above_the_year_names_draw_1(baseline):
    annual = baseline.params.pipeline.signed_annual_100m_cny
    with pytest.raises(DrawError) as e:
        check_draws(baseline.params, {"pipeline.january_signed_100m_cny": [840, 4000]})
    msg = str(e.value)
    assert msg.startswith("draw 1: ")
    assert "pipeline.january_signed_100m_cny (4000)" in msg
    assert f"pipeline.signed_annual_100m_cny ({annual:g})" in msg
    assert "part of the year's signings" in msg


def test_january_against_drawn_annual_signings(baseline):
    draws = {
        "pipeline.january_signed_100m_cny": [800, 800, 900],
        "pipeline.signed_annual_100m_cny": [3000, 3000, 850],
    }
    with pytest.raises(DrawError, match=r"^draw 2: .*\(900\) exceeds .*\(850\)"):
        check_draws(baseline.params, draws)


def test_large_plus_medium_above_one(baseline):
    medium = baseline.params.pipeline.medium_share
    with pytest.raises(DrawError) as e:
        check_draws(baseline.params, {"pipeline.large_share": [0.1, 0.2, 1.0 - medium + 0.05]})
    msg = str(e.value)
    assert msg.startswith("draw 2: ") and "pipeline.large_share" in msg
    assert "pipeline.medium_share" in msg and "exceeds 1" in msg


def test_build_periods_out_of_order(baseline):
    p = baseline.params.pipeline
    draws = {"pipeline.build_medium_months": [p.build_medium_months, p.build_large_months + 1]}
    with pytest.raises(DrawError, match=r"^draw 1: pipeline.build_small_months .*out of order"):
        check_draws(baseline.params, draws)


def test_sector_shares_and_implied_va_rate(baseline):
    with pytest.raises(DrawError, match=r"draw 0: base_year.primary_share .* not below 1"):
        check_draws(baseline.params, {"base_year.secondary_share": [0.95]})
    with pytest.raises(DrawError, match=r"draw 1: the base year implies .* value-added rate"):
        check_draws(baseline.params, {"base_year.industrial_output_100m_cny": [2600, 200]})


def test_out_of_bounds_and_nan_draws(baseline):
    with pytest.raises(DrawError, match=r"^draw 2: pipeline.start_share \(1.5\) is above"):
        check_draws(baseline.params, {"pipeline.start_share": [0.8, 0.9, 1.5]})
    with pytest.raises(DrawError, match=r"^draw 1: industry.tech_yield \(nan\) is not a finite"):
        check_draws(baseline.params, {"industry.tech_yield": [1.0, float("nan")]})
    with pytest.raises(DrawError, match="same number of draws"):
        check_draws(
            baseline.params, {"pipeline.start_share": [0.8], "industry.tech_yield": [0.2, 0.3]}
        )


def test_a_valid_set_passes(baseline):
    p = baseline.params.pipeline
    check_draws(
        baseline.params,
        {
            "pipeline.january_signed_100m_cny": np.array([0.0, 840.0, p.signed_annual_100m_cny]),
            "pipeline.large_share": np.array([0.0, 0.3, 1.0 - p.medium_share]),
            "pipeline.build_medium_months": np.full(3, p.build_small_months),
        },
    )
    check_draws(baseline.params, {})
    check_draws(baseline.params, {"drivers.not_in_this_schema": [1.0, 2.0]})  # no rule: passes


def test_simulate_refuses_the_bad_draws(baseline):
    with pytest.raises(DrawError, match="draw 1: pipeline.january_signed_100m_cny"):
        simulation.simulate("baseline", draws={"pipeline.january_signed_100m_cny": [840, 4000]})
    with pytest.raises(simulation.ScenarioError, match="not a numeric parameter"):
        simulation.simulate(baseline, draws={"pipeline.nosuch": [1.0, 2.0]})


def test_monte_carlo_refuses_draws_that_break_a_rule(baseline):
    spread = distributions.parse({"dist": "uniform", "low": 0.0, "high": 1.0})
    with pytest.raises(DrawError, match=r"Monte Carlo of 'baseline'.*\n.*pipeline.large_share"):
        monte_carlo(baseline, 50, 1, uncertainty={"pipeline.large_share": spread})
