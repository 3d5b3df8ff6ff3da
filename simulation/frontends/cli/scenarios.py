"""``python -m simulation scenarios``: list the scenarios, a saved one's history, restore
a version."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ...io.layering import list_scenarios
from ...labels import tr
from .common import PRINT_LANG


def cmd_scenarios(args: argparse.Namespace) -> int:
    from ...io.layering import saved_path as saved_file
    from ...io.saving import is_calibrated, restore_scenario, saved_info, scenario_history

    folder = Path(args.params_dir)
    if args.restore:
        path = restore_scenario(args.restore, folder, version_id=args.version)
        print(tr("cli_restored", PRINT_LANG, name=path.name))
        return 0
    if args.history:
        kept = scenario_history(args.history, folder)
        if not kept:
            print(tr("cli_no_history", PRINT_LANG, name=args.history))
        for v in kept:
            print(f"{v.version_id:24s} {v.saved_at:19s} {v.saved_by or '-':12s} {v.description}")
        return 0
    for name, desc in list_scenarios(folder):
        if is_calibrated(name, folder):
            print(f"{name:24s} {desc}")
        else:
            by, at, _ = saved_info(saved_file(name, folder))
            who = tr("cli_saved_by", PRINT_LANG, by=by or "-", at=at)
            print(f"{name:24s} {desc}  [{who}]")
    return 0


def add_parser(sub: Any) -> None:
    """Register ``scenarios``."""
    s = sub.add_parser(
        "scenarios", help="list the scenarios (calibrated, then saved), a history, or restore"
    )
    s.add_argument(
        "--restore",
        metavar="NAME",
        help="put back a kept version of the saved scenario NAME (the newest, or --version)",
    )
    s.add_argument("--version", metavar="ID", help="with --restore: the version (see --history)")
    s.add_argument("--history", metavar="NAME", help="list the kept versions of NAME")
    s.set_defaults(func=cmd_scenarios)
