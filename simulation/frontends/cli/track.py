"""``python -m simulation track``: on pace? re-forecast the year from released figures."""

from __future__ import annotations

import argparse
from typing import Any

from ...io.errors import ScenarioError
from ...io.layering import load_scenario
from ...io.paths import parse_set
from .args import draws_or_zero
from .common import common_outputs, emit, json_text, read_register


def cmd_track(args: argparse.Namespace) -> int:
    from ...analyses.tracking import ActualsError, read_actuals, track

    sc = load_scenario(args.scenario, parse_set(args.set), args.params_dir)
    try:
        actuals = read_actuals(args.actuals)
    except FileNotFoundError:
        raise ScenarioError(f"{args.actuals}: file not found") from None
    except ActualsError as e:
        raise ScenarioError(str(e)) from None
    reg = read_register(args.register, sc.params) if args.register else None
    tr = track(sc, actuals, reg, args.draws, args.seed, params_dir=args.params_dir)
    d = tr.to_dict()
    d["register"] = None if reg is None else {"source": reg.source, "projects": len(reg.projects)}
    if args.format == "json":
        d.pop("monthly")
        emit(json_text(d), args.out)
        return 0
    from ..tracking_report import tracking_text

    emit(tracking_text(d, sc.name, reg.source if reg else None), args.out)
    return 0


def add_parser(sub: Any) -> None:
    """Register ``track``."""
    tk = sub.add_parser("track", help="on pace? re-forecast from the actual figures")
    tk.add_argument("scenario")
    tk.add_argument("--actuals", required=True, help="CSV: indicator, period, value, unit")
    tk.add_argument("--register", help="a project register to simulate from")
    tk.add_argument(
        "--draws", type=draws_or_zero, default=300, help="Monte Carlo draws of the prior (≥ 50)"
    )
    common_outputs(tk, cmd_track)
