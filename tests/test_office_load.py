"""An office's load on the real app (issues 13 and 22): 20 visitors within a minute.

The app is served as ``python -m simulation app`` serves it (``drive.serve``: preheated
kernel, the app's default kernel limit sized from this machine), with a short culling time
so that the test waits a minute, not the office's two. Debian's Chromium (Playwright's
async API, so that the visitors really are concurrent) plays an office's morning:

1. 20 visitors arrive within a minute (one every :data:`ARRIVAL_GAP_S`), each in a browser
   context of its own; each sees the GDP headline's number (the wait is printed against the
   issue's :data:`FIRST_HEADLINE_S`, a figure, not an assertion), and nobody gets the busy
   page (the default limit holds 20 pages and the preheated kernel);
2. they leave as an office leaves: half close their tab (``beforeunload`` runs and the
   page's shutdown beacon ends its kernel at once), half vanish without ``beforeunload``
   (a crashed browser, a laptop put to sleep): the culler reclaims those within its
   timeout plus one interval, and the server is back to its preheated kernel.

The figures (each visitor's wait, kernels and memory) are printed. The resident memory of
the server's process tree (server and kernels, RSS summed, sampled every half second) stays
under :data:`PEAK_TREE_RSS_MB` at the peak and falls back under :data:`IDLE_TREE_RSS_MB`
once the kernels are gone.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import threading
import time

import drive
import psutil
import pytest

from simulation.frontends.ui.serve import DEFAULT_MAX_KERNELS

pytestmark = pytest.mark.browser

VISITORS = 20
#: Seconds between two arrivals: 20 visitors within a minute (the issue's office).
ARRIVAL_GAP_S = 3.0
#: The issue's figure for the wait for the first headline (s), printed beside the waits.
#: A visitor costs the server ≈1.9 s of CPU (page kernel ≈0.4 s, the preheated kernel that
#: replaces it ≈1.0 s, the server ≈0.5 s) and the test's browser ≈2.8 s more: within the
#: ≈6 s two cores give between arrivals, except in the machine's slow periods.
FIRST_HEADLINE_S = 15.0
#: CPU priority (nice) of the test's browsers: lower than the server's, since an office's
#: browsers are not on the server. Measured without it: in one of five runs on this shared
#: 2-core machine the browsers' rendering starved the server and 8 visitors waited 20-33 s.
BROWSER_NICE = 10
#: A kernel without an open page is culled after this (s): a page connects ≈2–6 s after
#: its kernel ran the notebook here, so 30 s leave every loading page its kernel.
CULL_IDLE_TIMEOUT_S = 30
CULL_INTERVAL_S = 5
#: Margin over timeout + interval for the culler's shutdowns on a loaded machine (s).
CULL_MARGIN_S = 30
#: How long a visitor's page may take before the test says what it saw (ms): far above
#: the bound, so that a slow page is reported with its wait, not as a timeout.
PAGE_TIMEOUT_MS = 180_000
#: Bound on the tree's RSS at the peak (MB). Measured (2-core x86_64, 2026-12-07): ≈250 MB
#: for the server, ≈185 MB for each of the 21 kernels (≈4.1 GB summed; the kernels share
#: their libraries' pages, so the machine's memory in use grows by ≈2.7 GB). The bound
#: allows ≈50% more: kernels grow as planners use the page.
PEAK_TREE_RSS_MB = 6000
#: Bound once every visitor is gone (MB): measured ≈440 MB (server + preheated kernel);
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


async def _visit(browser, url: str, who: str, delay_s: float):
    """Arrive after ``delay_s``, open the dashboard in a new context and wait for the GDP
    headline's number; return the context, the page and the wait (s). On failure say what
    the visitor saw."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    await asyncio.sleep(delay_s)
    ctx = await browser.new_context(viewport={"width": 1366, "height": 768})
    page = await ctx.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"[:300]))
    t0 = time.monotonic()
    response = await page.goto(url, timeout=PAGE_TIMEOUT_MS)
    assert response.status == 200, f"{who} got the busy page"
    try:
        await page.wait_for_function(HEADLINE_NUMBER_JS, timeout=PAGE_TIMEOUT_MS, polling=200)
    except PlaywrightTimeout:
        body = " ".join((await page.inner_text("body")).split())[:600]
        raise AssertionError(
            f"{who}: no headline {time.monotonic() - t0:.0f} s after the page was requested "
            f"({time.strftime('%H:%M:%S')}); the page showed: {body!r}; console: "
            + " | ".join(console[-15:])
        ) from None
    return ctx, page, time.monotonic() - t0


def _log_story(log) -> str:
    """The server log's lines about kernels and errors (static file requests left out)."""
    keep = ("Kernel", "kernel", "Culling", "WARNING", "ERROR", "Error", "Traceback", "503")
    lines = [
        ln[:240]
        for ln in log.read_text(errors="replace").splitlines()
        if any(k in ln for k in keep) and "not trusted" not in ln and "over TCP" not in ln
    ]
    return "\n".join(lines[-150:])


async def _load(url: str, server: psutil.Process, wrapper_dir) -> dict:
    from playwright.async_api import async_playwright

    out: dict = {}
    async with async_playwright() as p:
        # the visitors' browsers run here, at low priority: in an office they run on the
        # planners' machines and take none of the server's CPU (≈2.8 s a page view here)
        browser = await drive.launch(p, nice=BROWSER_NICE, wrapper_dir=wrapper_dir)
        t0 = time.monotonic()
        visits = await asyncio.gather(
            *(_visit(browser, url, f"visitor {i}", i * ARRIVAL_GAP_S) for i in range(VISITORS))
        )
        out["arrivals_s"] = round(time.monotonic() - t0, 1)
        out["waits_s"] = [round(wait, 1) for _, _, wait in visits]
        # half close their tab (the beacon ends the kernel), half vanish without
        # beforeunload (the culler ends it once its idle time without a connection is up)
        for i, (ctx, page, _) in enumerate(visits):
            if i % 2:
                await page.close(run_before_unload=True)
            else:
                await ctx.close()
        out["all_back_s"] = round(
            await asyncio.to_thread(
                _wait_kernels, server, 1, CULL_IDLE_TIMEOUT_S + CULL_INTERVAL_S + CULL_MARGIN_S
            ),
            1,
        )
        for ctx, _, _ in visits:
            await ctx.close()
        await browser.close()
    return out


def test_twenty_visitors_within_a_minute_each_see_the_headline_and_leave_no_kernel(
    root, tmp_path, capsys
):
    shutil.copytree(root / "params", tmp_path / "params")
    log = tmp_path / "voila.log"
    assert DEFAULT_MAX_KERNELS >= VISITORS + 1, (
        f"this machine's default limit ({DEFAULT_MAX_KERNELS} kernels) holds fewer than "
        f"{VISITORS} visitors and the preheated kernel: the office test needs ≥ 2 cores and "
        "≥ 13 GB"
    )
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
        _, idle_before_mb = _tree(server)
        peak = _Peak(server)
        peak.start()
        try:
            figures = asyncio.run(_load(url, server, tmp_path))
        except AssertionError as e:
            raise AssertionError(f"{e}\n--- the server's log ---\n{_log_story(log)}") from None
        finally:
            peak.stop.set()
            peak.join()
        time.sleep(2 * CULL_INTERVAL_S)  # the culler leaves the preheated kernel alone
        kernels, idle_rss_mb = _tree(server)
        text = log.read_text(errors="replace")
    waits = figures["waits_s"]
    with capsys.disabled():  # the figures belong in every run's output, not only a failure's
        print(
            f"\n{VISITORS} visitors in {figures['arrivals_s']} s (limit "
            f"{DEFAULT_MAX_KERNELS} kernels): first headline median "
            f"{statistics.median(waits):.1f} s, max {max(waits):.1f} s; after they left (half "
            f"closing the tab, half vanishing) back to the preheated kernel in "
            f"{figures['all_back_s']} s; memory before {idle_before_mb:.0f} MB, peak "
            f"{peak.rss_mb:.0f} MB ({peak.kernels} kernels), after {idle_rss_mb:.0f} MB"
        )
    # The 15 s is a figure to print, not a timed assertion (the project's rule): on
    # this shared 2-core machine, with the 20 browsers rendering on the same cores, it held
    # in 4 of 6 runs (at most 5.5-10.1 s) and not in its slow periods (up to 33 s).
    slow = {i: wait for i, wait in enumerate(waits) if wait > FIRST_HEADLINE_S}
    with capsys.disabled():
        print(f"visitors over {FIRST_HEADLINE_S:g} s: {slow or 'none'}")
    assert kernels == 1
    assert VISITORS + 1 <= peak.kernels <= DEFAULT_MAX_KERNELS
    # every shutdown beacon accepted (the closed tabs' kernels were not left to the
    # culler); only the vanished pages' kernels were culled; nobody refused
    assert " 403 " not in text and "_xsrf" not in text
    assert text.count("Culling 'idle' kernel") == VISITORS // 2
    assert "waits at place" not in text  # nobody got the busy page
    assert peak.rss_mb < PEAK_TREE_RSS_MB
    assert idle_rss_mb < IDLE_TREE_RSS_MB
