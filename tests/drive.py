"""Serve the dashboard and drive it in Debian's Chromium (browser tests, benchmark, shots).

Needs the dev extras (``playwright``) and ``/usr/bin/chromium`` from Debian
(``bash scripts/setup.sh --browser``); Playwright's own browser download is never used.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulation.frontends.ui.serve import (
    DEFAULT_CULL_CONNECTED_TIMEOUT_S,
    DEFAULT_CULL_IDLE_TIMEOUT_S,
    DEFAULT_CULL_INTERVAL_S,
    voila_command,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve(
    params_dir: str | Path | None = None,
    port: int | None = None,
    preheat: bool = True,
    log: str | Path | None = None,
    timeout_s: float = 60.0,
    page: str = "dashboard",
    lang: str = "zh",
    cull_idle_timeout_s: int = DEFAULT_CULL_IDLE_TIMEOUT_S,
    cull_interval_s: int = DEFAULT_CULL_INTERVAL_S,
    cull_connected_timeout_s: int = DEFAULT_CULL_CONNECTED_TIMEOUT_S,
    max_kernels: int = 0,
    batch_dir: str | Path | None = None,
) -> Iterator[str]:
    """Run Voila on the dashboard (as the README's command does); yield its URL.

    Waits for the port by TCP connect (a GET would execute the notebook) and stops the
    server and its kernels on exit. The culling times (s) and the kernel limit are those of
    :func:`~simulation.frontends.ui.serve.voila_command` (tests pass short ones); the culling times
    default to the app's, the limit to none (a test module opens more pages on one server
    than the app's limit, closing them without the shutdown beacon).
    """
    port = port or free_port()
    argv, env = voila_command(
        "127.0.0.1",
        port,
        params_dir,
        lang,
        preheat,
        page,
        batch_dir,
        cull_idle_timeout_s=cull_idle_timeout_s,
        cull_interval_s=cull_interval_s,
        cull_connected_timeout_s=cull_connected_timeout_s,
        max_kernels=max_kernels,
    )
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"voila exited with status {proc.returncode} (log: {log})")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise TimeoutError(f"voila did not listen on port {port} in {timeout_s} s")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        if log:
            out.close()


def launch(playwright: Any, nice: int = 0, wrapper_dir: str | Path | None = None) -> Any:
    """Headless Debian Chromium through Playwright.

    ``nice`` > 0 runs the browser (and the renderers it starts) at that lower CPU priority,
    through a two-line wrapper written into ``wrapper_dir``: for a test of the server's
    capacity, where the visitors' browsers would run on their own machines, not on the
    server's cores.
    """
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} missing: run `bash scripts/setup.sh --browser`")
    executable = CHROMIUM
    if nice:
        wrapper = Path(wrapper_dir or ".") / "chromium-niced"
        wrapper.write_text(f'#!/bin/sh\nexec nice -n {int(nice)} {CHROMIUM} "$@"\n')
        wrapper.chmod(0o755)
        executable = str(wrapper)
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


@dataclass
class Watch:
    """What a page asked for outside its own host and what its console reported."""

    host: str
    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


def open_page(
    browser: Any,
    url: str,
    ready: str,
    timeout_ms: float = 60_000,
    height: int = 2000,
    **context: Any,
):
    """Open a page of the app in a new browser page, watching its requests and console,
    and wait for the ``ready`` selector.

    Returns
    -------
    page, watch, seconds
        The Playwright page, its :class:`Watch`, and the time from navigation to the
        ``ready`` selector (s).
    """
    host = url.split("/")[2]
    page = browser.new_page(viewport={"width": 1500, "height": height}, **context)
    watch = Watch(host)

    def on_request(req):
        if not req.url.startswith(("data:", "blob:")) and req.url.split("/")[2] != host:
            watch.foreign_requests.append(req.url)

    page.on("request", on_request)
    page.on("console", lambda m: watch.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.page_errors.append(str(e)))
    t0 = time.perf_counter()
    page.goto(url, timeout=timeout_ms)
    page.wait_for_selector(ready, timeout=timeout_ms)
    return page, watch, time.perf_counter() - t0


def open_dashboard(browser: Any, url: str, timeout_ms: float = 60_000, **context: Any):
    """Open the dashboard and wait until the headline cards and the GDP chart are drawn
    (see :func:`open_page`)."""
    page, watch, _ = open_page(browser, url, ".sim-headline-gdp .sim-card", timeout_ms, **context)
    page.wait_for_selector(".sim-chart-path-gdp path.line", state="attached", timeout=timeout_ms)
    return page, watch, _


def lever(page: Any, path: str) -> Any:
    """Locator of the lever widget of a parameter (its test hook)."""
    return page.locator(f".sim-lever-{path.replace('.', '-')}")


def headline(page: Any, which: str = "gdp") -> str:
    """Text of a headline card (``gdp`` or ``industrial-output``)."""
    return page.locator(f".sim-headline-{which}").inner_text()


def headline_value(page: Any, which: str = "gdp") -> float:
    """The annual value (亿元) shown on a headline card."""
    return float(page.locator(f".sim-headline-{which} .v").inner_text().split()[0])


_ARM = """
() => {
  (window.__simObservers || []).forEach((o) => o.disconnect());
  const s = window.__sim = {t0: null, head: null, chart: null, done: null};
  const mark = (k) => { if (s.t0 !== null && s[k] === null) { s[k] = performance.now();
    if (s.head !== null && s.chart !== null)
      requestAnimationFrame(() => { s.done = performance.now(); }); } };
  const head = new MutationObserver(() => mark('head'));
  head.observe(document.querySelector('.sim-headline-gdp'),
    {subtree: true, childList: true, characterData: true});
  const chart = new MutationObserver(() => mark('chart'));
  chart.observe(document.querySelector('.sim-chart-path-gdp'), {subtree: true, attributes: true});
  window.__simObservers = [head, chart];
  document.addEventListener('keydown', () => { if (s.t0 === null) s.t0 = performance.now(); },
    {capture: true});
}
"""


_ARM_SETTLED = """
() => {
  (window.__simObservers || []).forEach((o) => o.disconnect());
  const s = window.__simAll = {t0: null, last: null};
  const all = new MutationObserver(() => { if (s.t0 !== null) s.last = performance.now(); });
  all.observe(document.querySelector('.sim-results'),
    {subtree: true, childList: true, characterData: true, attributes: true});
  window.__simObservers = [all];
  document.addEventListener('keydown', () => { if (s.t0 === null) s.t0 = performance.now(); },
    {capture: true});
}
"""


def timed_key_settled(
    page: Any, path: str, key: str = "ArrowRight", quiet_ms: float = 400, timeout_ms: float = 10_000
) -> float:
    """Press ``key`` on a lever's handle; milliseconds from the key event to the last change
    anywhere in the results panel (cards, all charts, the table), once nothing has changed
    for ``quiet_ms``: every chart settled."""
    handle = lever(page, path).locator(".noUi-handle")
    handle.focus()
    page.evaluate(_ARM_SETTLED)
    page.keyboard.press(key)
    page.wait_for_function("window.__simAll.last !== null", timeout=timeout_ms)
    page.wait_for_function(
        f"performance.now() - window.__simAll.last > {quiet_ms}", timeout=timeout_ms
    )
    return float(page.evaluate("window.__simAll.last - window.__simAll.t0"))


def timed_key(page: Any, path: str, key: str = "ArrowRight", timeout_ms: float = 10_000) -> float:
    """Press ``key`` on a lever's handle; milliseconds from the key event to the next
    frame after both the GDP headline and the GDP path chart changed."""
    handle = lever(page, path).locator(".noUi-handle")
    handle.focus()
    page.evaluate(_ARM)
    page.keyboard.press(key)
    page.wait_for_function("window.__sim.done !== null", timeout=timeout_ms)
    return float(page.evaluate("window.__sim.done - window.__sim.t0"))
