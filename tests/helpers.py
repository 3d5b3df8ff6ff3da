"""Helpers shared by the end-to-end tests: the CLI in a subprocess, a served page."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, cwd: Path | None = ROOT, timeout: float = 600) -> subprocess.CompletedProcess:
    """``python -m simulation ARGS`` as a user types it."""
    return subprocess.run(
        [sys.executable, "-m", "simulation", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
    )


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
