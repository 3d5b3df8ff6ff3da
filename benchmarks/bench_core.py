"""Benchmark of the model core: one run, Monte Carlo, a per-draw loop, Sobol.

    .venv/bin/python benchmarks/bench_core.py [--draws 10000] [--loop 300] [--sobol 1024]

Pinned to one core (``sched_setaffinity``; BLAS/OpenMP threads 1). Prints figures;
asserts nothing (timings on a shared machine vary). Monte Carlo is
``simulation.monte_carlo`` on the shipped ``uncertainty`` scenario (12 uncertain
parameters): unit draws, inverse CDFs, the core in one vectorised call, probabilities.
The loop runs the same core once per draw for ``--loop`` draws and is extrapolated.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

import argparse  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import simulation  # noqa: E402
from simulation.analyses.montecarlo import monte_carlo  # noqa: E402
from simulation.analyses.sensitivity import sobol  # noqa: E402
from simulation.economy import model  # noqa: E402


def best_of(fn, repeat: int) -> tuple[float, float]:
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
    ap.add_argument("--sobol", type=int, default=1024, help="Sobol base sample (2^k)")
    ap.add_argument("--seed", type=int, default=20220208)
    a = ap.parse_args()
    sc = simulation.load_scenario("uncertainty")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores (pinned to "
        f"{len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}), "
        f"python {platform.python_version()}, numpy {np.__version__}"
    )
    for _ in range(200):  # warm up
        model.run(sc.params)
    batch, _ = best_of(lambda: [model.run(sc.params) for _ in range(100)], 10)
    b, m = best_of(lambda: model.run(sc.params), 1000)
    print(
        f"one deterministic run: best batch of 100 {batch * 10:.2f} ms per run; 1,000 runs "
        f"timed one by one: best {b * 1e3:.2f} ms, median {m * 1e3:.2f} ms"
    )
    mc = monte_carlo(sc, a.draws, a.seed)  # warm up (scipy.stats, page faults)
    b_mc, m_mc = best_of(lambda: monte_carlo(sc, a.draws, a.seed), 7)
    p = mc.probability()
    print(
        f"Monte Carlo, {a.draws:,} draws of {len(mc.uncertainty)} uncertain parameters "
        f"(draws + core + probabilities): best {b_mc:.3f} s, median {m_mc:.3f} s "
        f"({m_mc / a.draws * 1e6:.1f} µs per draw); P(GDP) {p['gdp']:.3f}, "
        f"P(output) {p['industrial_output']:.3f}, P(both) {p['both']:.3f}"
    )
    draws = mc.values
    b_core, m_core = best_of(lambda: model.run(sc.params, draws), 7)
    print(f"  of which the core alone: best {b_core:.3f} s, median {m_core:.3f} s")
    sub = {k: v[: a.loop] for k, v in draws.items()}

    def loop() -> None:
        for i in range(a.loop):
            model.run(sc.params, {k: v[i : i + 1] for k, v in sub.items()})

    b_loop, _ = best_of(loop, 1)
    per = b_loop / a.loop
    print(
        f"per-draw Python loop of the same core: {a.loop} draws in {b_loop:.2f} s "
        f"({per * 1e3:.2f} ms per draw) → {a.draws:,} draws ≈ {per * a.draws:.1f} s "
        f"(extrapolated); vectorised speed-up ≈{per * a.draws / b_core:.0f}×"
    )
    res = model.run(sc.params, sub)
    one = model.run(sc.params, {k: v[:1] for k, v in sub.items()})
    same = all(np.allclose(res[k][0], one[k][0], rtol=1e-12, atol=1e-9) for k in model.SERIES)
    print(f"check: draw 0 of the vectorised call equals its single run (every series): {same}")
    t0 = time.perf_counter()
    df = sobol(sc, n=a.sobol, seed=a.seed)
    dt = time.perf_counter() - t0
    runs = int(df["runs"].iloc[0])
    top = df[df["output"] == "both_met"].sort_values("ST", ascending=False).iloc[0]["parameter"]
    print(
        f"Sobol (SALib, first-order and total, 5 outputs): {runs:,} model runs in {dt:.2f} s; "
        f"largest total index for meeting both: {top}"
    )


if __name__ == "__main__":
    main()
