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
from ...io.scenario import ScenarioError, load_scenario
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
#: Most kernels at once, the preheated one included (≈12 × 300 MB ≈ 3.6 GB at the limit).
#: Beyond it a visitor gets a bilingual "busy, try again in a minute" page (HTTP 503).
DEFAULT_MAX_KERNELS = 12


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
    ``voila.utils`` is imported only then: importing it costs ≈1.4 s.
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    from voila.utils import wait_for_request

    wait_for_request()
