"""An office shares one parameter folder (issue 22): calibrated scenarios are read-only,
saves are serialised by the folder's lock, an overwrite never loses a colleague's version,
and a calibration keeps (and checks) the planners' saved scenarios.

Concurrency is tested with real processes started at the same instant (a barrier), not by
calling functions one after the other.
"""

from __future__ import annotations

import multiprocessing as mp
import shutil
import time
from pathlib import Path

import pytest
import yaml
from helpers import ROOT, cli

from simulation import load_scenario
from simulation.io.errors import ScenarioError, ScenarioProtected, ScenarioStale
from simulation.io.folderlock import FolderBusy, folder_lock, lock_path
from simulation.io.layering import list_scenarios
from simulation.io.saving import restore_scenario, save_scenario, scenario_history, scenario_version

CTX = mp.get_context("spawn")  # fresh interpreters, as separate server kernels are


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "params"
    d.mkdir()
    shutil.copy2(ROOT / "params" / "base.yaml", d / "base.yaml")
    shutil.copytree(ROOT / "params" / "scenarios", d / "scenarios",
                    ignore=shutil.ignore_patterns("saved", ".*"))  # fmt: skip
    return d


def _save_at_once(barrier, folder: str, name: str, extends: str, value: float, expected, who, q):
    """A child process: wait for the others, then save; report what happened."""
    barrier.wait()
    try:
        save_scenario(
            name, extends, {"industry.tech_yield": value}, params_dir=folder, overwrite=True,
            saved_by=who, expected_version=expected,
        )  # fmt: skip
        q.put((who, "saved", ""))
    except ScenarioError as e:
        q.put((who, type(e).__name__, str(e)))


def _race(folder: Path, jobs: list[tuple[str, str, float, str | None, str]]) -> list[tuple]:
    barrier, q = CTX.Barrier(len(jobs)), CTX.Queue()
    procs = [
        CTX.Process(target=_save_at_once, args=(barrier, str(folder), *job, q)) for job in jobs
    ]
    for p in procs:
        p.start()
    out = [q.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    return sorted(out)


@pytest.mark.slow  # 6 s: spawned processes import the package
def test_two_planners_saving_one_scenario_at_once_lose_no_version(folder):
    save_scenario("shared", "baseline", {"industry.tech_yield": 0.3}, params_dir=folder)
    for round_ in range(3):
        seen = scenario_version("shared", folder)  # both opened the same version
        before = (folder / "scenarios" / "saved" / "shared.yaml").read_text(encoding="utf-8")
        out = _race(folder, [("shared", "baseline", 0.4 + round_ / 10, seen, "甲"),
                             ("shared", "baseline", 0.9 + round_ / 10, seen, "乙")])  # fmt: skip
        kinds = sorted(k for _, k, _ in out)
        assert kinds == ["ScenarioStale", "saved"], out
        (loser,) = [(who, msg) for who, k, msg in out if k != "saved"]
        (winner,) = [who for who, k, _ in out if k == "saved"]
        assert "changed by" in loser[1] and winner in loser[1]  # names who changed it
        current = yaml.safe_load((folder / "scenarios" / "saved" / "shared.yaml").read_text())
        assert current["saved_by"] == winner
        kept = [v.path.read_text(encoding="utf-8") for v in scenario_history("shared", folder)]
        assert before in kept  # the version both replaced is kept, nothing lost
    assert load_scenario("shared", params_dir=folder).params.industry.tech_yield > 0


@pytest.mark.slow  # 5 s: spawned processes
def test_x_extends_y_while_y_extends_x_at_once_leaves_no_loop(folder):
    for n in ("x", "y"):
        save_scenario(n, "baseline", {"industry.tech_yield": 0.3}, params_dir=folder)
    vx, vy = scenario_version("x", folder), scenario_version("y", folder)
    out = _race(folder, [("x", "y", 0.5, vx, "甲"), ("y", "x", 0.6, vy, "乙")])
    assert sorted(k for _, k, _ in out) == ["ScenarioError", "saved"], out
    assert any("circle" in msg for _, _, msg in out)
    for name, _ in list_scenarios(folder):
        load_scenario(name, params_dir=folder)  # every scenario still loads


def test_a_calibrated_scenario_is_read_only(folder):
    shipped = (folder / "scenarios" / "uncertainty.yaml").read_bytes()
    with pytest.raises(ScenarioProtected, match="calibrated"):
        save_scenario("uncertainty", "baseline", {}, params_dir=folder, overwrite=True)
    with pytest.raises(ScenarioProtected):
        restore_scenario("uncertainty", folder)
    assert (folder / "scenarios" / "uncertainty.yaml").read_bytes() == shipped
    assert len(load_scenario("uncertainty", params_dir=folder).uncertainty) > 20


def test_a_stale_version_is_refused_and_the_current_one_kept(folder):
    save_scenario("mine", "baseline", {"industry.tech_yield": 0.3}, params_dir=folder)
    old = scenario_version("mine", folder)
    save_scenario("mine", "baseline", {"industry.tech_yield": 0.4}, params_dir=folder,
                  overwrite=True, saved_by="甲", expected_version=old)  # fmt: skip
    with pytest.raises(ScenarioStale, match="甲"):
        save_scenario("mine", "baseline", {"industry.tech_yield": 0.5}, params_dir=folder,
                      overwrite=True, saved_by="乙", expected_version=old)  # fmt: skip
    assert load_scenario("mine", params_dir=folder).params.industry.tech_yield == 0.4


def _hold_lock(folder: str, seconds: float, started, done_file: str) -> None:
    with folder_lock(folder):
        started.set()
        time.sleep(seconds)
        Path(done_file).write_text(repr(time.time()), encoding="utf-8")


@pytest.mark.slow  # 4 s: a process holds the lock
def test_a_save_waits_for_the_lock_and_a_busy_folder_says_so(folder, tmp_path):
    started, done = CTX.Event(), tmp_path / "released"
    holder = CTX.Process(target=_hold_lock, args=(str(folder), 2.0, started, str(done)))
    holder.start()
    assert started.wait(60)
    with pytest.raises(FolderBusy, match="try again"), folder_lock(folder, timeout_s=0.2):
        pass
    path = save_scenario("waited", "baseline", {"industry.tech_yield": 0.3}, params_dir=folder)
    holder.join(timeout=30)
    released = float(done.read_text(encoding="utf-8"))
    assert path.stat().st_mtime >= released  # written after the holder let go, not before
    assert lock_path(folder).parent == folder.parent  # beside the folder, not inside


@pytest.mark.slow  # 9 s: three calibrations
def test_calibrate_keeps_the_saved_scenarios_and_refuses_to_break_them(tmp_path):
    """A recalibration leaves the planners' area alone and checks it: a saved scenario that
    would no longer load stops the calibration, naming it, and nothing is written."""
    pack = str(ROOT / "data" / "packs" / "jingzhou_2021.csv")
    out = tmp_path / "city"
    small = ("--city", "tianmen", "--base-year", "2018", "--no-backtest")
    r = cli("calibrate", "--pack", pack, "--out", str(out), *small)
    assert r.returncode == 0, r.stderr
    # valid while the city signs more in a year than this in January
    save_scenario("mine", "baseline", {"pipeline.january_signed_100m_cny": 500.0},
                  params_dir=out)  # fmt: skip
    save_scenario("other", "baseline", {"industry.tech_yield": 0.3}, params_dir=out)
    again = cli("calibrate", "--pack", pack, "--out", str(out), *small)
    assert again.returncode == 0, again.stderr
    assert {"mine", "other"} <= {n for n, _ in list_scenarios(out)}
    base = (out / "base.yaml").read_bytes()
    # the same city, its GDP revised down: a year's signings (1 × GDP, the prior) fall
    # below the 500亿 "mine" puts in January
    revised = tmp_path / "revised.csv"
    text = Path(pack).read_text(encoding="utf-8")
    assert "\ntianmen,2018,gdp,591.2," in text
    revised.write_text(text.replace("\ntianmen,2018,gdp,591.2,", "\ntianmen,2018,gdp,300,"),
                       encoding="utf-8")  # fmt: skip
    r = cli("calibrate", "--pack", str(revised), "--out", str(out), *small)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "mine" in r.stderr and "saved scenario" in r.stderr and "other" not in r.stderr
    assert (out / "base.yaml").read_bytes() == base  # nothing written


@pytest.mark.slow  # 3 s: a calibration
def test_calibrate_refuses_another_citys_folder(folder):
    before = (folder / "base.yaml").read_bytes()
    pack = str(ROOT / "data" / "packs" / "jingmen_2021.csv")
    r = cli("calibrate", "--pack", pack, "--out", str(folder), "--city", "jingmen", "--no-backtest")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "folder of city 'jingzhou'" in r.stderr and "'jingmen'" in r.stderr
    assert (folder / "base.yaml").read_bytes() == before


#: A writer of several files (as a calibration is) that can be killed at a chosen point:
#: after staging (before its list of moves is written) or after its first move.
_KILLED_WRITER = """
import sys, time
from pathlib import Path
import simulation.io.folderlock as fl
folder, when = Path(sys.argv[1]), sys.argv[2]
real = fl.move_into_place
def slow(src, dest):
    real(src, dest)
    print("moved", flush=True)
    time.sleep(60)
fl.move_into_place = slow
names = ("base.yaml", "CALIBRATION.md", "scenarios/baseline.yaml")
with fl.folder_lock(folder):
    staged = fl.staging_folder(folder)
    (staged / "scenarios").mkdir()
    for name in names:
        old = folder / name
        text = old.read_text(encoding="utf-8") if old.exists() else ""
        (staged / name).write_text(text + "# the new calibration\\n", encoding="utf-8")
    if when == "staged":
        print("staged", flush=True)
        time.sleep(60)
    fl.commit_staged(staged, folder, [staged / n for n in names])
"""


@pytest.mark.parametrize("when", ["staged", "moved"])
def test_a_writer_killed_part_way_leaves_no_mixed_folder(folder, when):
    import signal
    import subprocess
    import sys

    names = ("base.yaml", "CALIBRATION.md", "scenarios/baseline.yaml")
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(folder), when],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        assert child.stdout.readline().strip() == when
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    new = ["# the new calibration" in (folder / n).read_text(encoding="utf-8")
           if (folder / n).exists() else False for n in names]  # fmt: skip
    assert new == ([False] * 3 if when == "staged" else [True, False, False])  # killed there
    assert list(folder.parent.glob(".staged-params-*")), "the killed writer's staging is left"
    # the next writer (a planner's save) first finishes or undoes what was left
    save_scenario("after_kill", "baseline", {"industry.tech_yield": 0.31}, params_dir=folder,
                  saved_by="乙")  # fmt: skip
    new = ["# the new calibration" in (folder / n).read_text(encoding="utf-8")
           if (folder / n).exists() else False for n in names]  # fmt: skip
    assert new == ([False] * 3 if when == "staged" else [True] * 3)  # all old, or all new
    assert not list(folder.parent.glob(".staged-params-*"))
    assert load_scenario("after_kill", params_dir=folder).params.industry.tech_yield == 0.31
