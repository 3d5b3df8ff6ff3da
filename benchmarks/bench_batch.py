"""Benchmark of scenario batches: papermill per-scenario overhead and an in-process sweep.

    .venv/bin/python benchmarks/bench_batch.py [--workers 2] [--sweep 10000]

Runs the shipped 16-scenario ``four_campaigns`` batch with the papermill engine on
``--workers`` workers, with kernels reused per worker (the default) and with a fresh
kernel per notebook; then a ``--sweep``-point Latin-hypercube batch with the inprocess
engine (validation of every point included). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulation.analyses.batch.run import run_batch  # noqa: E402
from simulation.analyses.batch.spec import load_batch  # noqa: E402
from simulation.io.layering import PARAMS_DIR

SWEEP = """base: baseline
description: benchmark sweep
lhs:
  n: {n}
  seed: 1
  parameters:
    industry.tech_yield: [0.4, 1.6]
    pipeline.signed_annual_100m_cny: [2500, 4500]
    pipeline.start_share_change: [-0.1, 0.1]
    industry.price_change_rate: [0.0, 0.06]
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--sweep", type=int, default=10_000)
    a = ap.parse_args()
    batch = load_batch(PARAMS_DIR / "batches" / "four_campaigns.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        for reuse in (True, False):
            t0 = time.perf_counter()
            df = run_batch(
                batch, Path(tmp) / f"pm{reuse}", "papermill", a.workers, progress=False,
                reuse_kernels=reuse,
            )  # fmt: skip
            dt = time.perf_counter() - t0
            print(
                f"papermill, 16 scenarios on {a.workers} workers, kernels "
                f"{'reused' if reuse else 'fresh per notebook'}: {dt:.1f} s "
                f"({dt / 16:.2f} s per scenario wall, {df['duration_s'].mean():.2f} s per "
                f"notebook); {int((df['status'] == 'ok').sum())} ok"
            )
        spec = Path(tmp) / "sweep.yaml"
        spec.write_text(SWEEP.format(n=a.sweep), encoding="utf-8")
        t0 = time.perf_counter()
        sweep = load_batch(spec)
        t_val = time.perf_counter() - t0
        t0 = time.perf_counter()
        df = run_batch(sweep, Path(tmp) / "sweep", "inprocess", progress=False)
        t_run = time.perf_counter() - t0
        print(
            f"inprocess sweep, {a.sweep:,} Latin-hypercube points: validation {t_val:.1f} s, "
            f"run + results table {t_run:.1f} s ({t_run / a.sweep * 1e3:.2f} ms per point); "
            f"{int((df['status'] == 'ok').sum()):,} ok, {int(df['both_met'].sum()):,} meet both"
        )


if __name__ == "__main__":
    main()
