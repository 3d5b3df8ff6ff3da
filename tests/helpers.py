"""Helpers shared by the tests: the CLI as a user runs it, a served page, expected numbers
read from the committed regression baseline and the shipped targets (never typed into a
test), and one valid register row."""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE_JSON = ROOT / "tests" / "baseline" / "baseline.json"

#: A valid register row (columns in ``simulation.io.register.COLUMNS`` order): an industrial
#: project in 沙市区 signed 2021-03-08 for 12.5亿, started 2021-06-01, no output stated.
REGISTER_ROW = [
    "甲项目", "沙市区", "化工", "工业", "2021/3/8", "12.5", "", "2021-06-01", "", "", "已开工", "",
]  # fmt: skip


@functools.cache
def _baseline() -> dict:
    return json.loads(BASELINE_JSON.read_text(encoding="utf-8"))


def baseline_value(scenario: str, key: str) -> float:
    """A shipped scenario's plan-year result from tests/baseline/baseline.json, e.g.
    ``baseline_value("baseline", "gdp_100m_cny")`` (亿元)."""
    return float(_baseline()["scenarios"][scenario][key])


def monte_carlo_pin() -> dict:
    """The seeded Monte Carlo pinned in the baseline (see scripts/refresh_baseline.py)."""
    return _baseline()["monte_carlo"]


def targets(scenario: str = "baseline") -> dict[str, float]:
    """The plan-year targets of a shipped scenario (亿元): ``gdp``, ``industrial_output``."""
    import simulation

    t = simulation.load_scenario(scenario).params.targets
    return {"gdp": t.gdp_100m_cny, "industrial_output": t.industrial_output_100m_cny}


#: Commands that replace or outlive the calling process: always run in a subprocess.
SUBPROCESS_ONLY = ("app",)


def cli(
    *args: str, cwd: Path | None = ROOT, timeout: float = 600, subprocess_: bool = False
) -> subprocess.CompletedProcess:
    """``python -m simulation ARGS`` as a user types it: its exit code, standard output and
    standard error.

    Runs the CLI's ``main`` in this process (a subprocess per call cost ≈1.5 s of imports:
    ≈100 calls made minutes of the suite), with ``cwd`` as the working directory and both
    streams captured; an exception that would reach the user is written to ``stderr`` as
    the interpreter would (a traceback, exit code 1), so tests still see it. ``app`` (it
    replaces the process with Voila) and calls with ``subprocess_=True`` (the smoke tests of
    the entry point) run ``python -m simulation`` in a subprocess, with ``timeout``.
    """
    if subprocess_ or (args and args[0] in SUBPROCESS_ONLY):
        return subprocess.run(
            [sys.executable, "-m", "simulation", *args],
            capture_output=True,
            text=True,
            cwd=cwd,
            timeout=timeout,
        )
    import contextlib
    import io
    import traceback

    from simulation.frontends.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd or ROOT), contextlib.redirect_stdout(out):
        with contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as e:  # argparse's refusals, --help
                if isinstance(e.code, int) or e.code is None:
                    code = e.code or 0
                else:
                    print(e.code, file=sys.stderr)
                    code = 1
            except Exception:
                traceback.print_exc()
                code = 1
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def fetch_served_page(argv: list[str], port: int, timeout_s: float = 90) -> str:
    """Start a server command, GET its page once it answers, stop it; return the HTML."""
    proc = subprocess.Popen(
        argv,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=timeout_s) as r:
                    return r.read().decode()
            except OSError:
                assert proc.poll() is None, f"{argv} exited with {proc.returncode}"
                assert time.monotonic() < deadline, f"no answer on port {port} in {timeout_s} s"
                time.sleep(0.3)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
