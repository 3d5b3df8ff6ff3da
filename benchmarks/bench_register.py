"""Benchmark: importing a 10,000-row register and tracking with it.

    .venv/bin/python benchmarks/bench_register.py [--rows 10000]

Builds a register of ``--rows`` projects by repeating the synthetic sample with new names
(UTF-8 CSV and GBK CSV and xlsx), times the import of each, then ``track`` with the
example actuals: without a register, with it, and with 500 Monte Carlo draws.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulation import load_scenario  # noqa: E402
from simulation.analyses.tracking import read_actuals, track  # noqa: E402
from simulation.io.register import import_register  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def timed(fn, repeat: int = 3):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    a = ap.parse_args()
    sample = pd.read_csv(
        ROOT / "params/registers/sample_register_SYNTHETIC.csv", encoding="utf-8-sig", dtype=str
    )
    reps = -(-a.rows // len(sample))
    big = pd.concat([sample] * reps, ignore_index=True).head(a.rows)
    big["项目名称"] = [f"项目{i:06d}" for i in range(len(big))]
    # the same total contract value as the sample (reps copies of it would sign more than
    # the base year's industrial investment can hold, which the model refuses)
    amount = "签约金额(亿元)"
    big[amount] = (big[amount].astype(float) * len(sample) / len(big)).round(4).astype(str)
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            "UTF-8 CSV": Path(tmp) / "r.csv",
            "GBK CSV": Path(tmp) / "r_gbk.csv",
            "xlsx": Path(tmp) / "r.xlsx",
        }
        big.to_csv(files["UTF-8 CSV"], index=False, encoding="utf-8")
        big.to_csv(files["GBK CSV"], index=False, encoding="gbk")
        big.to_excel(files["xlsx"], index=False)
        params = load_scenario("base").params  # the folder's counties and window
        for label, f in files.items():
            dt, reg = timed(lambda f=f: import_register(f, params))
            print(
                f"import {len(reg.projects):,} rows, {label}: {dt:.2f} s "
                f"({dt / len(big) * 1e6:.0f} µs per row)"
            )
        sc = load_scenario("baseline")
        actuals = read_actuals(ROOT / "params/actuals/example_2022.csv")
        for label, kw in (
            ("no register, 50 draws", {"draws": 50}),
            ("no register, 300 draws", {"draws": 300}),
            (f"{len(reg.projects):,}-project register, 300 draws", {"register": reg, "draws": 300}),
        ):
            dt, _ = timed(lambda kw=kw: track(sc, actuals, **kw))
            print(f"track, {label}: {dt * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
