"""``python -m simulation brief``: the monthly briefing (经济运行分析) as HTML and Word."""

from __future__ import annotations

import argparse
from typing import Any

from ...analyses.montecarlo import DEFAULT_SEED
from .args import draws_or_zero, seed
from .common import json_text


def cmd_brief(args: argparse.Namespace) -> int:
    from ..briefing import make_briefing

    made = make_briefing(
        args.actuals,
        args.out,
        register=args.register,
        scenario=args.scenario,
        lang=args.lang,
        params_dir=args.params_dir,
        draws=args.draws,
        seed=args.seed,
        pdf=args.pdf,
    )
    if args.format == "json":
        print(json_text(made), end="")
        return 0
    for kind, path in sorted(made["files"].items()):
        print(f"{kind:5} {path}")
    if args.pdf and made["pdf"]:
        print(f"pdf   not made: {made['pdf']}")
    return 0


def add_parser(sub: Any) -> None:
    """Register ``brief``."""
    p = sub.add_parser(
        "brief",
        help="the monthly briefing: the latest releases (and the register) as HTML and Word",
    )
    p.add_argument("--actuals", required=True, help="the releases (a data pack or the short CSV)")
    p.add_argument("--register", help="a project register (CSV or xlsx)")
    p.add_argument("--scenario", default="baseline", help="the plan scenario (default baseline)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="the briefing's language")
    p.add_argument("--out", required=True, help="folder for the files (made if missing)")
    p.add_argument("--pdf", action="store_true", help="also a PDF, where Chromium is present")
    p.add_argument(
        "--draws", type=draws_or_zero, default=300, help="Monte Carlo draws of the prior (≥ 50)"
    )
    p.add_argument("--seed", type=seed, default=DEFAULT_SEED, help="seed of the draws")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_brief)
