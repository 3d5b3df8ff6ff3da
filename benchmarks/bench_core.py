"""Benchmark of the model core: one run, a 10,000-draw vectorised run, a per-draw loop.

    .venv/bin/python benchmarks/bench_core.py [--draws 10000] [--loop 300]

Prints figures; asserts nothing (timings on a shared machine vary). The loop runs the same
core once per draw for ``--loop`` draws and is extrapolated to ``--draws``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import simulation  # noqa: E402
from simulation import model, schema  # noqa: E402

UNCERTAIN = (
    "pipeline.start_share",
    "pipeline.start_lag_median_months",
    "pipeline.realised_share",
    "pipeline.ramp_months",
    "pipeline.output_to_investment_ratio",
    "industry.va_rate",
    "industry.organic_real_growth_rate",
    "industry.price_change_rate",
    "industry.tech_yield",
    "accounts.tertiary_real_growth_rate",
)


def make_draws(sc, n: int, seed: int) -> dict[str, np.ndarray]:
    """Uniform ±15% around the scenario's values (±0.02 for rates), within bounds."""
    rng = np.random.default_rng(seed)
    meta = schema.numeric_paths()
    out = {}
    for path in UNCERTAIN:
        sec, key = path.split(".")
        c = getattr(getattr(sc.params, sec), key)
        half = 0.02 if path.endswith("_rate") else 0.15 * abs(c)
        lo, hi = max(meta[path]["lo"], c - half), min(meta[path]["hi"], c + half)
        out[path] = rng.uniform(lo, hi, n)
    return out


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), float(np.median(times))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--loop", type=int, default=300)
    ap.add_argument("--seed", type=int, default=20220208)
    a = ap.parse_args()
    sc = simulation.load_scenario("baseline")
    draws = make_draws(sc, a.draws, a.seed)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.processor() or platform.platform()}; python {platform.python_version()}, "
        f"numpy {np.__version__}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '-')}"
    )
    model.run(sc.params)  # warm up
    b, m = best_of(lambda: model.run(sc.params), 30)
    print(
        f"one deterministic run (12 months, 48 months of history): best {b * 1e3:.2f} ms, "
        f"median {m * 1e3:.2f} ms"
    )
    b_vec, m_vec = best_of(lambda: model.run(sc.params, draws), 5)
    print(
        f"{a.draws:,} draws in one vectorised call: best {b_vec:.3f} s, median {m_vec:.3f} s "
        f"({m_vec / a.draws * 1e6:.1f} µs per draw)"
    )
    sub = {k: v[: a.loop] for k, v in draws.items()}

    def loop() -> None:
        for i in range(a.loop):
            model.run(sc.params, {k: v[i : i + 1] for k, v in sub.items()})

    b_loop, _ = best_of(loop, 1)
    per = b_loop / a.loop
    print(
        f"per-draw Python loop of the same core: {a.loop} draws in {b_loop:.2f} s "
        f"({per * 1e3:.2f} ms per draw) → {a.draws:,} draws ≈ {per * a.draws:.1f} s "
        f"(extrapolated)"
    )
    print(f"vectorised speed-up over the loop: ≈{per * a.draws / m_vec:.0f}×")
    res = model.run(sc.params, sub)
    one = model.run(sc.params, {k: v[:1] for k, v in sub.items()})
    same = np.allclose(res["gdp_100m_cny"][0], one["gdp_100m_cny"][0], rtol=1e-12)
    print(f"check: draw 0 of the vectorised call equals its single run: {same}")


if __name__ == "__main__":
    main()
