"""Benchmark the planner's app in a real browser: first render and lever latency.

Serves notebooks/dashboard.ipynb with Voila (as the README's command does), drives it
with Debian's Chromium through Playwright and prints

* first render: navigation → headline cards and GDP chart drawn, over several page
  loads, with a preheated kernel (the default) and without (``--no-preheat``);
* latency: key press on a lever's slider handle → the next frame after both the GDP
  headline and the GDP path chart changed, measured inside the page
  (``performance.now()``), over ``--moves`` moves across several levers;
* all settled: key press → the last change anywhere in the results panel (both cards, the
  six charts, the table), once it has been quiet for 0.4 s.

Usage: ``.venv/bin/python benchmarks/bench_app.py [--moves 40] [--loads 5]``.
Figures only, no pass/fail: goals are p50 ≤ 100 ms, p95 ≤ 250 ms, first render ≤ 3 s.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(
    0, str(Path(__file__).resolve().parent.parent / "tests")
)  # the browser driver (tests/drive.py)

import drive  # noqa: E402

#: levers whose one slider step moves the GDP headline's first decimal (signings do not:
#: their output arrives in later years, so a key press on them changes no headline)
LEVERS = (
    "industry.tech_yield",
    "industry.tech_investment_growth_rate",
    "pipeline.construction_time_multiplier",
    "industry.organic_real_growth_rate",
    "environment.index",
)


def first_renders(chromium, url: str, loads: int, pause_s: float) -> list[float]:
    out = []
    for _ in range(loads):
        time.sleep(pause_s)  # let a preheated kernel refill, as between two visitors
        page, _, seconds = drive.open_dashboard(chromium, url)
        out.append(seconds)
        page.close()
    return out


def latencies(chromium, url: str, moves: int) -> list[float]:
    page, watch, _ = drive.open_dashboard(chromium, url)
    time.sleep(3)  # let the pool refill so that it does not compete with the moves
    out = []
    for i in range(moves):
        lever = LEVERS[i % len(LEVERS)]
        key = "ArrowRight" if (i // len(LEVERS)) % 2 == 0 else "ArrowLeft"
        out.append(drive.timed_key(page, lever, key))
    assert not watch.foreign_requests, watch.foreign_requests
    page.close()
    return out


def settled(chromium, url: str, moves: int) -> list[float]:
    """Key press → the last change in the results panel (every card, chart and the table)."""
    page, _, _ = drive.open_dashboard(chromium, url)
    time.sleep(3)
    out = []
    for i in range(moves):
        lever = LEVERS[i % len(LEVERS)]
        key = "ArrowRight" if (i // len(LEVERS)) % 2 == 0 else "ArrowLeft"
        out.append(drive.timed_key_settled(page, lever, key))
    page.close()
    return out


def stats(xs: list[float]) -> dict[str, float]:
    a = np.asarray(xs)
    return {
        "n": int(a.size),
        "p50": float(np.percentile(a, 50)),
        "p95": float(np.percentile(a, 95)),
        "min": float(a.min()),
        "max": float(a.max()),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=int, default=40)
    ap.add_argument("--loads", type=int, default=5)
    ap.add_argument("--out", default="benchmarks/results/bench_app.json")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    root = Path(__file__).resolve().parent.parent
    report: dict = {"machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores"}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        params = Path(tmp) / "params"
        shutil.copytree(root / "params", params)
        chromium = drive.launch(p)
        for preheat in (True, False):
            with drive.serve(params, preheat=preheat, log=Path(tmp) / "voila.log") as url:
                key = "preheat" if preheat else "no_preheat"
                report[f"first_render_s_{key}"] = stats(
                    first_renders(chromium, url, args.loads, 8.0 if preheat else 4.0)
                )
                if preheat:
                    report["latency_ms"] = stats(latencies(chromium, url, args.moves))
                    report["all_settled_ms"] = stats(settled(chromium, url, args.moves))
        chromium.close()
    for k, v in report.items():
        if isinstance(v, dict):
            unit = "ms" if k.endswith("_ms") else "s"
            print(
                f"{k:28s} n={v['n']:3d}  p50 {v['p50']:7.2f} {unit}  p95 {v['p95']:7.2f} {unit}"
                f"  min {v['min']:7.2f}  max {v['max']:7.2f}"
            )
        else:
            print(f"{k:28s} {v}")
    out = root / args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
