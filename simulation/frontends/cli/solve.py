"""``python -m simulation solve``: goal seeking (倒排): the lever value that meets a target."""

from __future__ import annotations

import argparse
from typing import Any

from ...io.layering import load_scenario
from ...io.paths import parse_set
from ...labels import tr
from .args import positive
from .common import PRINT_LANG, common_outputs, emit, json_text


def cmd_solve(args: argparse.Namespace) -> int:
    from ...analyses.goalseek import required_path, solve, solved_scenario
    from ...analyses.result import simulate

    sc = load_scenario(args.scenario, parse_set(args.set), args.params_dir)
    sol = solve(
        sc,
        args.lever,
        args.target,
        args.probability,
        args.draws,
        args.seed,
        params_dir=args.params_dir,
    )
    path = required_path(simulate(solved_scenario(sol, sc) if sol.reachable else sc))
    if args.format == "json":
        d = sol.to_dict()
        d["required_path"] = path.reset_index().to_dict("records")
        emit(json_text(d), args.out)
        return 0 if sol.reachable else 3
    lines, lg = [sol.message, ""], PRINT_LANG
    what = tr("cli_solve_at_solved" if sol.reachable else "cli_solve_as_is", lg)
    lines.append(tr("cli_solve_head", lg, what=what))
    short = {"gdp": "GDP", "industrial_output": tr("c_short_industry", lg)}
    cols = {
        f"{k}_{pace}": f"{short[k]} {tr(pace, lg)}"
        for k in ("gdp", "industrial_output")
        for pace in ("calendar", "seasonal", "projected")
    }
    lines.append(path[list(cols)].rename(columns=cols).round(1).to_string())
    emit("\n".join(lines) + "\n", args.out)
    return 0 if sol.reachable else 3


def add_parser(sub: Any) -> None:
    """Register ``solve``."""
    so = sub.add_parser("solve", help=tr("cli_help_solve", PRINT_LANG))
    so.add_argument("scenario")
    so.add_argument("--lever", required=True, help="dotted parameter path")
    so.add_argument("--target", choices=("gdp", "industrial_output", "both"), default="both")
    so.add_argument("--probability", type=float, help="meet it in this share of draws")
    so.add_argument("--draws", type=positive, default=500)
    common_outputs(so, cmd_solve)
