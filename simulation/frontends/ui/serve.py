"""Start the dashboard under Voila: the command line, environment and checks.

``python -m simulation app`` (and the README's main command) calls :func:`voila_command`;
the browser tests start their server with the same function, so they test what planners
run.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from pathlib import Path

from ..._paths import REPO_ROOT
from ...io.errors import ScenarioError
from ...io.layering import load_scenario
from ...labels import context, tr

ROOT = REPO_ROOT
PAGES = {
    "dashboard": ROOT / "notebooks" / "dashboard.ipynb",
    "uncertainty": ROOT / "notebooks" / "uncertainty.ipynb",
    "compare": ROOT / "notebooks" / "compare_scenarios.ipynb",
    "projects": ROOT / "notebooks" / "projects_and_tracking.ipynb",
}
TEMPLATE_PATH = Path(__file__).resolve().parent / "jupyter"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8866
#: Largest websocket message the server accepts: above the upload limit (20 MB) so that
#: the page's own message, not a cut connection, answers a large file.
WEBSOCKET_MAX_BYTES = 64 * 1024 * 1024

# Kernels of an office server (docs/office_server.md). Each page view runs its own kernel
# (≈300 MB with the model, pandas, scipy and bqplot loaded); these settings decide how long
# one outlives its visitor and how many can exist at once.
#: A kernel whose page is closed or unreachable (no websocket) and that has done nothing for
#: this long is shut down. A closed tab normally shuts its kernel at once (the page's
#: shutdown beacon); this catches what the beacon misses (a crashed browser, a laptop put
#: to sleep, a lost network, a script that fetched the page). 2 minutes (issue 22: abandoned
#: tabs held kernels for 15 and locked an office out) still outlasts the longest page load
#: measured under load (a kernel is unconnected between running the notebook and the
#: browser connecting) and a short Wi-Fi or VPN drop; a longer drop reloads the page.
DEFAULT_CULL_IDLE_TIMEOUT_S = 2 * 60
#: A kernel whose page is still open but untouched (no lever moved, no click) for this long
#: is shut down too: 4 hours keeps a page alive over a long lunch break or an afternoon of
#: meetings, and frees the tabs left open overnight or over a weekend, which would otherwise
#: hold a kernel each for days and fill the limit. The planner then reloads the page.
DEFAULT_CULL_CONNECTED_TIMEOUT_S = 4 * 60 * 60
#: How often the culler looks (s); a check is cheap, so a kernel outlives its timeout by at
#: most half a minute.
DEFAULT_CULL_INTERVAL_S = 30
#: Seconds Voila waits, after a cell's reply, for the rest of the cell's output (nbclient's
#: ``iopub_timeout``, 4 s by default). The dashboard's cell sends hundreds of widget
#: messages before its display: with 10 first page views at once on a 2-core machine the
#: server fell more than 4 s behind, 8 of 10 pages lost their display and stayed blank.
#: Waiting longer costs nothing when the output is on time. It was 120 s until one CI run
#: of the office test left a page without its display for 400 s (the log of that run was
#: not kept, so the cause is not known); 600 s removes this candidate.
IOPUB_TIMEOUT_S = 600
#: The server's log lines carry the time: an office reading why a page failed, or a test
#: reading the order of kernel starts, connections and culls, needs it.
LOG_FORMAT = "[%(name)s %(asctime)s]%(highlevel)s %(message)s"
#: Memory a page's kernel is planned at (MB). Measured (benchmarks/bench_server_memory.py,
#: 2026-12-07, 2-core x86_64): 185 MB resident (115 MB of it its own, the rest libraries
#: shared with the other kernels) once the dashboard is built; the figure leaves room for
#: what a planner's use adds (uploads, Monte Carlo draws, history) [judgement].
KERNEL_PLAN_MB = 300
#: Share of the machine's memory the office's kernels may take; the rest is the server's,
#: the system's and other programs' [judgement].
KERNEL_MEMORY_SHARE = 0.5
#: Kernels per CPU core at most. Measured: 20 visitors arriving within a minute on 2 cores
#: each saw their first headline within ≈6 s with 21 kernels alive (tests/test_office_load.py);
#: beyond ≈12 open pages a core, lever moves would queue behind one another [judgement].
KERNELS_PER_CORE = 12


def default_max_kernels(memory_mb: float | None = None, cores: int | None = None) -> int:
    """The office's kernel limit sized from this machine: as many kernels of
    :data:`KERNEL_PLAN_MB` as fit in :data:`KERNEL_MEMORY_SHARE` of its memory, at most
    :data:`KERNELS_PER_CORE` a core, at least 4 (a preheated kernel and three visitors).

    Parameters
    ----------
    memory_mb : float, optional
        The machine's memory (MB); this machine's by default.
    cores : int, optional
        CPU cores; this machine's by default.
    """
    if memory_mb is None:
        memory_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20
    cores = cores or os.cpu_count() or 1
    by_memory = int(memory_mb * KERNEL_MEMORY_SHARE // KERNEL_PLAN_MB)
    return max(4, min(by_memory, KERNELS_PER_CORE * cores))


#: Most kernels at once, the preheated one included (24 on this 2-core, 24 GiB machine).
#: Beyond it a visitor gets a bilingual "busy" page (HTTP 503) with its place in the queue.
DEFAULT_MAX_KERNELS = default_max_kernels()


def bind_problem(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be bound now, or None (Voila would silently move on to
    another port otherwise): ``"host"`` when the host is not an address of this machine (or
    not an address at all), ``"port"`` when the port is taken."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return "host"
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        try:
            s.bind(address)
        except OSError as e:
            return "host" if e.errno == errno.EADDRNOTAVAIL else "port"
    return None


def voila_command(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    params_dir: str | Path | None = None,
    lang: str = "zh",
    preheat: bool = False,
    page: str = "dashboard",
    batch_dir: str | Path | None = None,
    cull_idle_timeout_s: int = DEFAULT_CULL_IDLE_TIMEOUT_S,
    cull_interval_s: int = DEFAULT_CULL_INTERVAL_S,
    cull_connected_timeout_s: int = DEFAULT_CULL_CONNECTED_TIMEOUT_S,
    max_kernels: int = DEFAULT_MAX_KERNELS,
) -> tuple[list[str], dict[str, str]]:
    """Arguments and environment that serve a page (notebook) of the app with Voila.

    Parameters
    ----------
    host, port
        Address to listen on (loopback by default; Voila may not move to another port).
    params_dir : path, optional
        Parameter folder the app reads and saves scenarios into (``SIM_PARAMS_DIR``).
    lang : {"zh", "en"}
        First language of the page (``SIM_LANG``).
    preheat : bool
        Keep one kernel executed ahead of the next page view (faster first render, one
        more idle kernel).
    page : {"dashboard", "uncertainty", "compare", "projects"}
        Which notebook to serve.
    batch_dir : path, optional
        The batch run the comparison page shows (``SIM_BATCH_DIR``).
    cull_idle_timeout_s : int
        Shut down a kernel with no open page after this many idle seconds (0: never).
    cull_interval_s : int
        Seconds between two passes of the culler.
    cull_connected_timeout_s : int
        Shut down the kernel of a page still open after this many idle seconds (0: never).
    max_kernels : int
        Most kernels at once, the preheated pool included (0: no limit); beyond it a page
        view gets the "busy" page (HTTP 503).

    Returns
    -------
    argv, env

    Raises
    ------
    ValueError
        A negative setting, a cull interval below 1 s, or a limit that leaves no kernel
        for a visitor (the preheated one counts).
    """
    if min(cull_idle_timeout_s, cull_connected_timeout_s, max_kernels) < 0 or cull_interval_s < 1:
        raise ValueError("culling times and the kernel limit must be ≥ 0, the interval ≥ 1 s")
    if 0 < max_kernels <= (1 if preheat else 0):
        raise ValueError(
            f"a limit of {max_kernels} kernel(s) leaves none for a visitor: the preheated "
            "kernel counts, use at least 2 (or --no-preheat, or 0 for no limit)"
        )
    try:
        params = load_scenario("base", None, params_dir).params
    except ScenarioError:
        params = None  # the page itself will say what is wrong with the folder
    loading = "<br>".join(tr("loading", lg, **context(params, lg)) for lg in ("zh", "en"))
    argv = [
        sys.executable,
        "-m",
        "simulation.frontends.ui.voila_main",  # Voila, with the guard against its websocket bug
        str(PAGES[page]),
        "--no-browser",
        f"--Voila.ip={host}",
        f"--port={port}",
        "--Voila.port_retries=0",
        "--template=sim",
        "--theme=light",
        f"--VoilaConfiguration.resources=sim_loading={loading}",
        f"--preheat_kernel={preheat}",
        "--pool_size=1",
        # uploads travel over the kernel's websocket: above tornado's 10 MiB default the
        # connection was cut before the page's own 20 MB limit could say so
        f'--Voila.tornado_settings={{"websocket_max_message_size": {WEBSOCKET_MAX_BYTES}}}',
        # kernels: the office limit and culling (frontends/ui/voila_main.py); Voila wraps
        # this class with its preheated pool, so the MappingKernelManager settings reach it
        "--VoilaConfiguration.multi_kernel_manager_class="
        "simulation.frontends.ui.voila_main.OfficeKernelManager",
        f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT_S}",
        f"--Voila.log_format={LOG_FORMAT}",
        f"--MappingKernelManager.cull_idle_timeout={int(cull_idle_timeout_s)}",
        f"--MappingKernelManager.cull_interval={int(cull_interval_s)}",
        "--MappingKernelManager.cull_connected=False",  # open pages: the longer time below
        f"--OfficeKernelManager.cull_connected_timeout={int(cull_connected_timeout_s)}",
        f"--OfficeKernelManager.max_kernels={int(max_kernels)}",
    ]
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(TEMPLATE_PATH), env.get("JUPYTER_PATH", "")) if p
    )
    env["SIM_LANG"] = lang
    if params_dir:
        env["SIM_PARAMS_DIR"] = str(Path(params_dir).resolve())
    if batch_dir:
        env["SIM_BATCH_DIR"] = str(Path(batch_dir).resolve())
    return argv, env


def wait_for_visitor() -> None:
    """In a kernel Voila preheated, wait until a visitor opens the page; elsewhere return.

    Lets a preheated kernel do its imports ahead of time but build the page (scenario list
    included) when it is requested, so that a scenario saved in the meantime is listed.
    What Voila's own ``voila.utils.wait_for_request`` does (ask the server's
    ``/voila/query/<kernel id>`` over a websocket, which answers with the visitor's request
    as environment variables), without importing ``voila.utils``: that import (Jupyter
    server, JupyterLab server) cost ≈1.6 s of CPU in every preheated kernel, ≈45% of a
    kernel's start, and an office's burst of visitors is bound by CPU.
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    import asyncio
    import json
    import threading

    from websockets.asyncio.client import connect

    env = os.environ
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    url = (
        f"{env.get('VOILA_WS_PROTOCOL', 'ws')}://{env.get('VOILA_APP_IP', '127.0.0.1')}:"
        f"{env.get('VOILA_APP_PORT', '8866')}{base}voila/query/{env.get('VOILA_KERNEL_ID')}"
    )
    answer: list[str | bytes] = []

    async def ask() -> None:
        async with connect(url, open_timeout=5, max_size=None) as ws:
            answer.append(await ws.recv())

    # the kernel's own event loop is running: ask from a thread with a loop of its own
    thread = threading.Thread(target=lambda: asyncio.run(ask()), daemon=True)
    thread.start()
    thread.join()
    if answer:
        env.update({str(k): str(v) for k, v in json.loads(answer[0]).items()})
