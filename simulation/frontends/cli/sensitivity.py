"""``python -m simulation sensitivity``: tornado or Sobol indices of the uncertain inputs."""

from __future__ import annotations

import argparse
from typing import Any

from ...io.layering import load_scenario
from ...io.paths import parse_set
from ...labels import tr
from .args import positive
from .common import PRINT_LANG, common_outputs, emit, json_text


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from ...analyses.sensitivity import sobol, tornado

    sc = load_scenario(args.scenario, parse_set(args.set), args.params_dir)
    if args.method == "tornado":
        df = tornado(sc, draws=args.draws, seed=args.seed, params_dir=args.params_dir)
    else:
        df = sobol(sc, n=args.samples, seed=args.seed, params_dir=args.params_dir)
    if args.format == "json":
        emit(
            json_text(
                {
                    "scenario": sc.name,
                    "method": args.method,
                    "seed": args.seed,
                    "rows": df.to_dict("records"),
                }
            ),
            args.out,
        )
        return 0
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_columns", 30):
        if args.method == "tornado":
            cols = [
                "parameter",
                "low_value",
                "high_value",
                "gdp_low",
                "gdp_high",
                "industrial_output_low",
                "industrial_output_high",
                "p_both_low",
                "p_both_high",
            ]
            head = tr("cli_tornado_head", PRINT_LANG, scenario=sc.name, draws=args.draws)
            text = head + "\n" + df[cols].round(3).to_string(index=False)
        else:
            wide = df.pivot(index="parameter", columns="output", values=["S1", "ST"])
            runs = int(df["runs"].iloc[0])
            head = tr("cli_sobol_head", PRINT_LANG, scenario=sc.name, runs=runs)
            text = head + "\n" + wide.round(3).to_string()
    emit(text + "\n", args.out)
    return 0


def add_parser(sub: Any) -> None:
    """Register ``sensitivity``."""
    se = sub.add_parser("sensitivity", help="tornado or Sobol indices of the uncertain inputs")
    se.add_argument("scenario", nargs="?", default="uncertainty")
    se.add_argument("--method", choices=("tornado", "sobol"), default="tornado")
    se.add_argument("--draws", type=positive, default=400, help="tornado: draws per end")
    se.add_argument("--samples", type=positive, default=1024, help="sobol: base sample (2^k)")
    common_outputs(se, cmd_sensitivity)
