"""Benchmark the memory of an office server under load: kernels and RSS over time.

Serves notebooks/dashboard.ipynb as ``python -m simulation app`` does (preheated kernel,
the office's kernel limit, short culling times so that the run stays short), then drives
it with Debian's Chromium through Playwright:

1. ``--visitors`` browser contexts open the dashboard at once and wait for the GDP headline
   to show a number; they stay open ``--hold`` seconds and close their tab as a planner
   does (``beforeunload`` runs: the page's shutdown beacon ends its kernel);
2. as many again, closed without ``beforeunload`` (a crashed browser, a laptop put to
   sleep): only the culler can reclaim those kernels.

A thread samples the server's process tree every ``--sample`` seconds: number of kernels
and the resident memory (RSS) of the server and its kernels summed, in MB. It prints the
curve, the memory per visitor (tree RSS at the peak minus the RSS before the first visitor,
divided by the visitors at the peak; and the mean RSS of one page's kernel) and how long
the kernels took to return to the preheated one, and writes them to
``benchmarks/results/bench_server_memory.json``.

Usage: ``.venv/bin/python benchmarks/bench_server_memory.py [--visitors 10]
[--cull-idle-timeout 60]``; the printed output of the last run is kept in
``benchmarks/results/bench_server_memory.txt``.
Figures only, no pass/fail (``tests/test_office_load.py`` holds the bounds).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(
    0, str(Path(__file__).resolve().parent.parent / "tests")
)  # the browser driver (tests/drive.py)

import drive  # noqa: E402

from simulation.frontends.ui.serve import DEFAULT_MAX_KERNELS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
#: The GDP headline shows a number (the dashboard has rendered and its kernel answered).
HEADLINE_NUMBER_JS = (
    "() => { const e = document.querySelector('.sim-headline-gdp .v');"
    " return !!e && /\\d/.test(e.innerText); }"
)
MB = 1024 * 1024


def server_process(port: int) -> psutil.Process:
    """The Voila server this process started on ``port`` (a child of this process)."""
    for p in psutil.Process().children(recursive=True):
        try:
            cmd = p.cmdline()
        except psutil.Error:
            continue
        if "simulation.frontends.ui.voila_main" in cmd and f"--port={port}" in cmd:
            return p
    raise LookupError(f"no Voila server of this process on port {port}")


def kernel_processes(server: psutil.Process) -> list[psutil.Process]:
    """The server's live kernel processes."""
    out = []
    for p in server.children(recursive=True):
        try:
            if p.status() != psutil.STATUS_ZOMBIE and "ipykernel_launcher" in p.cmdline():
                out.append(p)
        except psutil.Error:
            continue
    return out


def tree_rss_mb(server: psutil.Process) -> tuple[int, float, list[float]]:
    """Kernels, RSS of the server and all its descendants (MB), RSS of each kernel (MB)."""
    total, kernels = 0, []
    for p in [server, *server.children(recursive=True)]:
        try:
            if p.status() == psutil.STATUS_ZOMBIE:
                continue
            rss = p.memory_info().rss
            is_kernel = "ipykernel_launcher" in p.cmdline()
        except psutil.Error:
            continue
        total += rss
        if is_kernel:
            kernels.append(rss / MB)
    return len(kernels), total / MB, kernels


@dataclass
class Sampler:
    """Samples (seconds since start, kernels, tree RSS in MB) in a background thread."""

    server: psutil.Process
    period_s: float = 1.0
    t0: float = field(default_factory=time.monotonic)
    samples: list[tuple[float, int, float]] = field(default_factory=list)
    marks: list[tuple[float, str]] = field(default_factory=list)
    peak_kernel_rss_mb: list[float] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now_s(self) -> float:
        return time.monotonic() - self.t0

    def mark(self, what: str) -> None:
        self.marks.append((self.now_s(), what))
        print(f"{self.now_s():7.1f} s  {what}", flush=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            n, rss_mb, per_kernel = tree_rss_mb(self.server)
            self.samples.append((self.now_s(), n, rss_mb))
            if not self.samples[:-1] or rss_mb >= max(s[2] for s in self.samples[:-1]):
                self.peak_kernel_rss_mb = per_kernel
            self._stop.wait(self.period_s)

    def start(self) -> Sampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


async def visit(browser: Any, url: str, timeout_ms: float) -> tuple[Any, Any, float]:
    """A new browser context opens the dashboard; returns it, its page, seconds to ready."""
    ctx = await browser.new_context(viewport={"width": 1500, "height": 2000})
    page = await ctx.new_page()
    t0 = time.perf_counter()
    await page.goto(url, timeout=timeout_ms)
    await page.wait_for_function(HEADLINE_NUMBER_JS, timeout=timeout_ms)
    return ctx, page, time.perf_counter() - t0


def wait_for_kernels(server: psutil.Process, n: int, timeout_s: float) -> float | None:
    """Seconds until the server has at most ``n`` kernels, or None after ``timeout_s``."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        if len(kernel_processes(server)) <= n:
            return time.monotonic() - t0
        time.sleep(0.5)
    return None


async def run(args: argparse.Namespace, params: Path, log: Path) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    timeout_ms = args.page_timeout * 1000
    with drive.serve(
        params,
        preheat=True,
        log=log,
        cull_idle_timeout_s=args.cull_idle_timeout,
        cull_interval_s=args.cull_interval,
        max_kernels=max(DEFAULT_MAX_KERNELS, args.visitors + 1),
    ) as url:
        server = server_process(int(url.rstrip("/").rsplit(":", 1)[1]))
        pool_ready_s = wait_for_kernels_at_least(server, 1, 120)
        time.sleep(args.settle)  # the preheated kernel finishes its imports
        sampler = Sampler(server, args.sample).start()
        sampler.mark(f"server up, preheated kernel ready after {pool_ready_s:.1f} s")
        report: dict[str, Any] = {}
        async with async_playwright() as p:
            browser = await drive.launch(p)
            for wave, beacon in ((1, True), (2, False)):
                sampler.mark(f"wave {wave}: {args.visitors} visitors open the dashboard")
                got = await asyncio.gather(
                    *(visit(browser, url, timeout_ms) for _ in range(args.visitors))
                )
                ready = sorted(s for _, _, s in got)
                sampler.mark(
                    f"wave {wave}: all ready (slowest {ready[-1]:.1f} s, median "
                    f"{ready[len(ready) // 2]:.1f} s)"
                )
                report[f"wave{wave}_ready_s"] = ready
                await asyncio.sleep(args.hold)
                if beacon:
                    for _, page, _ in got:
                        await page.close(run_before_unload=True)
                    sampler.mark(f"wave {wave}: tabs closed (beforeunload, shutdown beacon)")
                    back = wait_for_kernels(server, 1, 60)
                    for ctx, _, _ in got:
                        await ctx.close()
                else:
                    for ctx, _, _ in got:
                        await ctx.close()
                    sampler.mark(f"wave {wave}: browsers gone without beforeunload")
                    back = wait_for_kernels(
                        server, 1, args.cull_idle_timeout + args.cull_interval + 60
                    )
                report[f"wave{wave}_back_to_pool_s"] = back
                sampler.mark(
                    f"wave {wave}: back to the preheated kernel after "
                    + (f"{back:.1f} s" if back is not None else "— (not within the wait)")
                )
            await browser.close()
        time.sleep(args.settle)
        sampler.mark("end")
        sampler.stop()
    log_text = log.read_text(errors="replace")
    samples = sampler.samples
    before = [s for s in samples if s[0] <= sampler.marks[1][0]]
    baseline_mb = before[-1][2] if before else samples[0][2]
    peak = max(samples, key=lambda s: s[2])
    visitors_at_peak = max(peak[1] - 1, 1)
    per_kernel = [m for m in sampler.peak_kernel_rss_mb]
    report.update(
        {
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB",
            "load_average_at_start": os.getloadavg(),
            "visitors_per_wave": args.visitors,
            "cull_idle_timeout_s": args.cull_idle_timeout,
            "cull_interval_s": args.cull_interval,
            "baseline_tree_rss_mb": round(baseline_mb, 1),
            "peak_tree_rss_mb": round(peak[2], 1),
            "kernels_at_peak": peak[1],
            "final_tree_rss_mb": round(samples[-1][2], 1),
            "final_kernels": samples[-1][1],
            "per_visitor_mb_from_tree": round((peak[2] - baseline_mb) / visitors_at_peak, 1),
            "kernel_rss_mb_at_peak": {
                "mean": round(sum(per_kernel) / len(per_kernel), 1) if per_kernel else None,
                "min": round(min(per_kernel), 1) if per_kernel else None,
                "max": round(max(per_kernel), 1) if per_kernel else None,
            },
            "server_log_403": log_text.count(" 403 "),
            "server_log_culled": log_text.count("Culling 'idle' kernel"),
            "server_log_busy_503": log_text.count("answered 503"),
            "marks": [(round(t, 1), m) for t, m in sampler.marks],
            "curve": [(round(t, 1), n, round(r, 1)) for t, n, r in samples],
        }
    )
    return report


def wait_for_kernels_at_least(server: psutil.Process, n: int, timeout_s: float) -> float:
    """Seconds until the server has at least ``n`` kernels (the preheated one)."""
    t0 = time.monotonic()
    while len(kernel_processes(server)) < n:
        if time.monotonic() - t0 > timeout_s:
            raise TimeoutError("the preheated kernel did not start")
        time.sleep(0.5)
    return time.monotonic() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--visitors", type=int, default=10, help="concurrent visitors per wave")
    ap.add_argument("--hold", type=float, default=5.0, help="seconds the pages stay open")
    # 20 s was too short here: with 10 first page views at once on 2 cores, the culler took
    # kernels whose page was still loading (its websocket not yet connected)
    ap.add_argument("--cull-idle-timeout", type=int, default=60)
    ap.add_argument("--cull-interval", type=int, default=5)
    ap.add_argument("--sample", type=float, default=1.0, help="sampling period (s)")
    ap.add_argument("--settle", type=float, default=10.0, help="quiet seconds before/after")
    ap.add_argument("--page-timeout", type=float, default=300.0, help="per page (s)")
    ap.add_argument("--keep-log", help="copy the server's log here")
    ap.add_argument("--out", default="benchmarks/results/bench_server_memory.json")
    args = ap.parse_args()
    # a `kill` stops the server and its kernels too (drive.serve's clean-up runs)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory() as tmp:
        params = Path(tmp) / "params"
        shutil.copytree(ROOT / "params", params)
        log = Path(tmp) / "voila.log"
        try:
            report = asyncio.run(run(args, params, log))
        finally:
            if args.keep_log:
                shutil.copy(log, args.keep_log)
    print("\n  t (s)  kernels  tree RSS (MB)")
    step = max(1, len(report["curve"]) // 60)
    for t, n, r in report["curve"][::step]:
        print(f"{t:7.1f}  {n:7d}  {r:12.0f}")
    for k, v in report.items():
        if k not in ("curve", "marks"):
            print(f"{k:28s} {v}")
    out = ROOT / args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
