"""``python -m simulation mc``: Monte Carlo: the probability of the targets and quantiles."""

from __future__ import annotations

import argparse
from typing import Any

from ...io.layering import load_scenario
from ...io.paths import parse_set
from ...labels import context, tr
from .args import positive
from .common import PRINT_LANG, common_outputs, emit, json_text


def cmd_mc(args: argparse.Namespace) -> int:
    from ...analyses.montecarlo import monte_carlo

    sc = load_scenario(args.scenario, parse_set(args.set), args.params_dir)
    mc = monte_carlo(sc, args.draws, args.seed, args.sampler, params_dir=args.params_dir)
    d = mc.to_dict()
    if args.format == "json":
        emit(json_text(d), args.out)
        return 0
    p, q = d["probability"], d["quantiles"]
    tg, lg = sc.params.targets, PRINT_LANG
    ctx = context(sc.params, lg)
    lines = [
        tr(
            "cli_mc_head",
            lg,
            city=ctx["city"],
            plan_year=ctx["plan_year"],
            scenario=sc.name,
            draws=d["draws"],
            seed=d["seed"],
            sampler=d["sampler"],
            source=d["uncertainty_source"],
            n=len(d["uncertain"]),
        ),
    ]
    if tg.gdp_100m_cny > 0 or tg.industrial_output_100m_cny > 0:
        gdp, gio = tg.gdp_100m_cny, tg.industrial_output_100m_cny
        lines.append(tr("cli_mc_probability", lg, gdp=gdp, gio=gio))
        for k, label in (
            ("gdp", tr("gdp", lg)),
            ("industrial_output", tr("industrial_output", lg)),
            ("both", tr("cli_both", lg)),
        ):
            lines.append(f"  {label:25s} {p[k]:6.1%}")
    else:
        lines.append(tr("cli_mc_no_targets", lg))
    lines.append(tr("cli_mc_quantiles", lg))
    for k in ("gdp", "industrial_output"):
        label = tr(k, lg)
        lines.append(f"  {label:25s} {q[k]['p5']:8.1f} {q[k]['p50']:8.1f} {q[k]['p95']:8.1f}")
    emit("\n".join(lines) + "\n", args.out)
    return 0


def add_parser(sub: Any) -> None:
    """Register ``mc``."""
    m = sub.add_parser("mc", help="Monte Carlo: probability of the targets, quantiles")
    m.add_argument("scenario", nargs="?", default="uncertainty")
    m.add_argument("--draws", type=positive, default=1000)
    m.add_argument("--sampler", choices=("random", "lhs", "sobol"), default="random")
    common_outputs(m, cmd_mc)
