"""Start the dashboard under Voila: the command line, environment and checks.

``python -m simulation app`` (and the README's main command) calls :func:`voila_command`;
the browser tests start their server with the same function, so they test what planners
run.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from ..labels import context, tr
from ..scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[2]
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


def port_is_free(host: str, port: int) -> bool:
    """Whether ``host:port`` can be bound now (Voila would silently move on otherwise)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def voila_command(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    params_dir: str | Path | None = None,
    lang: str = "zh",
    preheat: bool = False,
    page: str = "dashboard",
    batch_dir: str | Path | None = None,
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

    Returns
    -------
    argv, env
    """
    try:
        params = load_scenario("base", None, params_dir).params
    except ScenarioError:
        params = None  # the page itself will say what is wrong with the folder
    loading = "<br>".join(tr("loading", lg, **context(params, lg)) for lg in ("zh", "en"))
    argv = [
        sys.executable,
        "-m",
        "simulation.ui.voila_main",  # Voila, with the guard against its websocket bug
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
