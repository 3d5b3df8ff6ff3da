"""``python -m simulation app``: serve a page of the app with Voila."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from ...io.errors import ScenarioError
from ...labels import tr
from .args import port, whole
from .common import PRINT_LANG


def cmd_app(args: argparse.Namespace) -> int:
    from ..ui.serve import bind_problem, voila_command

    problem = bind_problem(args.host, args.port)
    if problem == "host":
        raise ScenarioError(
            f"cannot serve on --host {args.host!r}: not an address of this machine; use "
            "127.0.0.1 (this machine only) or 0.0.0.0 (every address), or SIM_HOST"
        )
    if problem == "port":
        raise ScenarioError(
            f"cannot serve on {args.host}:{args.port}: the port is in use; choose another "
            "with --port (or SIM_PORT)"
        )
    if args.page == "compare" and not args.batch_dir:
        raise ScenarioError("--page compare needs --batch-dir (a folder written by `batch`)")
    if args.batch_dir and not (Path(args.batch_dir) / "results.csv").is_file():
        raise ScenarioError(
            f"--batch-dir {args.batch_dir}: no results.csv there; expected a folder written by "
            "`python -m simulation batch ... --out FOLDER`"
        )
    # the office settings default to serve.py's (imported here: simulation.ui is heavy)
    office = {
        "cull_idle_timeout_s": args.cull_idle_timeout,
        "cull_interval_s": args.cull_interval,
        "cull_connected_timeout_s": args.cull_connected_timeout,
        "max_kernels": args.max_kernels,
    }
    try:
        argv, env = voila_command(
            args.host,
            args.port,
            args.params_dir,
            args.lang,
            args.preheat,
            args.page,
            args.batch_dir,
            **{k: v for k, v in office.items() if v is not None},
        )
    except ValueError as e:
        raise ScenarioError(f"app: {e}") from None
    print(tr("cli_serving", PRINT_LANG, page=args.page, host=args.host, port=args.port))
    sys.stdout.flush()
    os.execve(argv[0], argv, env)
    return 0  # not reached


def add_parser(sub: Any) -> None:
    """Register ``app``."""
    a = sub.add_parser("app", help="serve the planner's dashboard with Voila")
    a.add_argument(
        "--host",
        default=os.environ.get("SIM_HOST", "127.0.0.1"),
        help="address to listen on (default 127.0.0.1, or SIM_HOST); 0.0.0.0 opens it to "
        "the network",
    )
    a.add_argument(
        "--port",
        type=port,
        default=int(os.environ.get("SIM_PORT", "8866")),
        help="port (default 8866, or SIM_PORT)",
    )
    a.add_argument("--lang", choices=("zh", "en"), default="zh", help="first language")
    a.add_argument(
        "--page",
        choices=("dashboard", "uncertainty", "compare", "projects"),
        default="dashboard",
        help="the planner's dashboard (default), the uncertainty page, a batch comparison or "
        "the register and tracking page",
    )
    a.add_argument("--batch-dir", help="compare: the batch output folder to show")
    a.add_argument(
        "--preheat",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="keep one kernel executed ahead of the next visitor (default on)",
    )
    # office server (docs/office_server.md); defaults: simulation/frontends/ui/serve.py
    a.add_argument(
        "--cull-idle-timeout",
        type=lambda v: whole(v, 0, 30 * 86400, "a number of seconds"),
        metavar="SECONDS",
        help="shut down a kernel whose page is closed or unreachable after this many idle "
        "seconds (default 120 = 2 min; 0 never)",
    )
    a.add_argument(
        "--cull-connected-timeout",
        type=lambda v: whole(v, 0, 30 * 86400, "a number of seconds"),
        metavar="SECONDS",
        help="shut down the kernel of a page left open but untouched after this many "
        "seconds (default 14400 = 4 h; 0 never)",
    )
    a.add_argument(
        "--cull-interval",
        type=lambda v: whole(v, 1, 86400, "a number of seconds"),
        metavar="SECONDS",
        help="how often idle kernels are looked for (default 30 s)",
    )
    a.add_argument(
        "--max-kernels",
        type=lambda v: whole(v, 0, 10_000, "a number of kernels"),
        metavar="N",
        help="most kernels at once, the preheated one included (default: as many of 300 MB "
        "as fit in half the memory, at most 12 a core: 24 on 2 cores and 24 GB); beyond it "
        "a visitor waits on a 'busy' page showing its place in the queue (0: no limit)",
    )
    a.set_defaults(func=cmd_app)
