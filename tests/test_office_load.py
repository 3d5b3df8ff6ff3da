"""An office's load on the real app (issue 13): kernels come back, memory stays bounded.

The app is served as ``python -m simulation app`` serves it (``drive.serve``: preheated
kernel, the app's default limit of 12 kernels), with a short culling time so that the
test waits seconds, not the office's 15 minutes. Debian's Chromium (Playwright's async
API, so that the visitors really are concurrent) plays 20 page views:

1. 10 browser contexts open the dashboard at once and wait for the GDP headline to show a
   number; then they close their tab as a planner does (``beforeunload`` runs and the
   page's shutdown beacon ends its kernel): the kernels go back to the preheated one at
   once, no shutdown is refused (403) and nothing waits for the culler;
2. 10 more; half close their tab, half vanish without ``beforeunload`` (a crashed
   browser, a laptop put to sleep): the culler reclaims those within its timeout plus one
   interval.

No visitor of the 20 gets the busy page (10 page views + the preheated kernel fit in the
limit). The resident memory of the server's process tree (server and kernels, RSS summed,
sampled every half second) stays under :data:`PEAK_TREE_RSS_MB` at the peak and falls
back under :data:`IDLE_TREE_RSS_MB` once the kernels are gone.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
import time

import drive
import psutil
import pytest

from simulation.frontends.ui.serve import DEFAULT_MAX_KERNELS

pytestmark = pytest.mark.browser

VISITORS = 10
#: A kernel without an open page is culled after this (s). It must exceed the gap between
#: a kernel finishing the notebook and its page connecting: with 10 first page views at
#: once on 2 busy cores that gap passed 20 s (the culler took kernels of pages still
#: loading); 60 s left every page its kernel here, but one CI run had a page without its
#: headline for 400 s (cause not recorded): 150 s leaves a loaded machine a wide margin.
CULL_IDLE_TIMEOUT_S = 150
CULL_INTERVAL_S = 5
#: Seconds a tab-close beacon may take to end the kernels (measured: ≈3 s for 10).
BEACON_WAIT_S = 30
#: Margin over timeout + interval for the culler's shutdowns on a loaded machine (s).
CULL_MARGIN_S = 30
PAGE_TIMEOUT_MS = 400_000  # 10 first page views at once took up to 140 s here
#: Bound on the tree's RSS at the peak (MB). Measured (benchmarks/results/
#: bench_server_memory.json, 2-core x86_64): ≈390 MB for the server and the preheated
#: kernel, ≈2.45 GB with 10 visitors (11 kernels, ≈200 MB each once the page is built).
#: The bound allows ≈50% more: kernels grow as planners use the page, and the limit of 12
#: kernels at ≈300 MB (the issue's figure) with the server is ≈4 GB.
PEAK_TREE_RSS_MB = 4000
#: Bound once every visitor is gone (MB): measured ≈440–450 MB (server + preheated kernel);
#: the server itself must not keep what 20 page views cost.
IDLE_TREE_RSS_MB = 800
HEADLINE_NUMBER_JS = (
    "() => { const e = document.querySelector('.sim-headline-gdp .v');"
    " return !!e && /\\d/.test(e.innerText); }"
)


def _server(port: int) -> psutil.Process:
    for p in psutil.Process().children(recursive=True):
        try:
            if (
                "simulation.frontends.ui.voila_main" in p.cmdline()
                and f"--port={port}" in p.cmdline()
            ):
                return p
        except psutil.Error:
            continue
    raise LookupError(port)


def _tree(server: psutil.Process) -> tuple[int, float]:
    """Live kernels of the server, and the RSS of the server and its descendants (MB)."""
    kernels, rss = 0, 0
    for p in [server, *server.children(recursive=True)]:
        try:
            if p.status() == psutil.STATUS_ZOMBIE:
                continue
            rss += p.memory_info().rss
            kernels += "ipykernel_launcher" in p.cmdline()
        except psutil.Error:
            continue
    return kernels, rss / 2**20


def _wait_kernels(server: psutil.Process, n: int, timeout_s: float) -> float:
    t0 = time.monotonic()
    while (k := _tree(server)[0]) != n:
        assert time.monotonic() - t0 < timeout_s, f"{k} kernels after {timeout_s} s, not {n}"
        time.sleep(0.5)
    return time.monotonic() - t0


class _Peak(threading.Thread):
    """Highest tree RSS (MB) and kernel count seen, sampled every half second."""

    def __init__(self, server: psutil.Process) -> None:
        super().__init__(daemon=True)
        self.server, self.rss_mb, self.kernels = server, 0.0, 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            k, rss = _tree(self.server)
            self.rss_mb, self.kernels = max(self.rss_mb, rss), max(self.kernels, k)
            self.stop.wait(0.5)


async def _visit(browser, url: str, who: str):
    """Open the dashboard in a new context; on failure say what the visitor saw."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    ctx = await browser.new_context(viewport={"width": 1500, "height": 2000})
    page = await ctx.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"[:300]))
    t0 = time.monotonic()
    response = await page.goto(url, timeout=PAGE_TIMEOUT_MS)
    assert response.status == 200, f"{who} got the busy page"
    try:
        await page.wait_for_function(HEADLINE_NUMBER_JS, timeout=PAGE_TIMEOUT_MS)
    except PlaywrightTimeout:
        body = " ".join((await page.inner_text("body")).split())[:600]
        raise AssertionError(
            f"{who}: no headline {time.monotonic() - t0:.0f} s after the page was requested "
            f"({time.strftime('%H:%M:%S')}); the page showed: {body!r}; console: "
            + " | ".join(console[-15:])
        ) from None
    return ctx, page


def _log_story(log) -> str:
    """The server log's lines about kernels and errors (static file requests left out)."""
    keep = ("Kernel", "kernel", "Culling", "WARNING", "ERROR", "Error", "Traceback", "503")
    lines = [
        ln[:240]
        for ln in log.read_text(errors="replace").splitlines()
        if any(k in ln for k in keep) and "not trusted" not in ln and "over TCP" not in ln
    ]
    return "\n".join(lines[-150:])


async def _load(url: str, server: psutil.Process) -> dict[str, float]:
    from playwright.async_api import async_playwright

    out = {}
    async with async_playwright() as p:
        browser = await drive.launch(p)
        # wave 1: ten at once, all closing their tab
        t0 = time.monotonic()
        wave = await asyncio.gather(
            *(_visit(browser, url, f"wave 1 visitor {i}") for i in range(VISITORS))
        )
        out["wave1_s"] = time.monotonic() - t0
        for _, page in wave:
            await page.close(run_before_unload=True)
        out["wave1_back_s"] = await asyncio.to_thread(_wait_kernels, server, 1, BEACON_WAIT_S)
        for ctx, _ in wave:
            await ctx.close()
        # wave 2: ten more; half close the tab, half vanish without beforeunload
        t0 = time.monotonic()
        wave = await asyncio.gather(
            *(_visit(browser, url, f"wave 2 visitor {i}") for i in range(VISITORS))
        )
        out["wave2_s"] = time.monotonic() - t0
        for i, (ctx, page) in enumerate(wave):
            if i % 2:
                await page.close(run_before_unload=True)
            else:
                await ctx.close()
        out["wave2_back_s"] = await asyncio.to_thread(
            _wait_kernels, server, 1, CULL_IDLE_TIMEOUT_S + CULL_INTERVAL_S + CULL_MARGIN_S
        )
        for ctx, _ in wave:
            await ctx.close()
        await browser.close()
    return out


def test_twenty_page_views_leave_the_preheated_kernel_and_bounded_memory(root, tmp_path):
    shutil.copytree(root / "params", tmp_path / "params")
    log = tmp_path / "voila.log"
    assert VISITORS + 1 <= DEFAULT_MAX_KERNELS
    with drive.serve(
        tmp_path / "params",
        preheat=True,
        log=log,
        cull_idle_timeout_s=CULL_IDLE_TIMEOUT_S,
        cull_interval_s=CULL_INTERVAL_S,
        max_kernels=DEFAULT_MAX_KERNELS,
    ) as url:
        server = _server(int(url.rstrip("/").rsplit(":", 1)[1]))
        _wait_kernels(server, 1, 120)  # the preheated kernel
        peak = _Peak(server)
        peak.start()
        try:
            times = asyncio.run(_load(url, server))
        except AssertionError as e:
            raise AssertionError(f"{e}\n--- the server's log ---\n{_log_story(log)}") from None
        finally:
            peak.stop.set()
            peak.join()
        time.sleep(2 * CULL_INTERVAL_S)  # the culler leaves the preheated kernel alone
        kernels, idle_rss_mb = _tree(server)
        text = log.read_text(errors="replace")
    print(
        f"\n{times}, peak {peak.rss_mb:.0f} MB ({peak.kernels} kernels), idle {idle_rss_mb:.0f} MB"
    )
    assert kernels == 1
    assert VISITORS + 1 <= peak.kernels <= DEFAULT_MAX_KERNELS
    assert times["wave1_back_s"] < BEACON_WAIT_S
    # every shutdown beacon accepted; only the 5 vanished pages were culled; nobody refused
    assert " 403 " not in text and "_xsrf" not in text
    assert text.count("Culling 'idle' kernel") == VISITORS // 2
    assert "waits at place" not in text  # nobody got the busy page
    assert peak.rss_mb < PEAK_TREE_RSS_MB
    assert idle_rss_mb < IDLE_TREE_RSS_MB
