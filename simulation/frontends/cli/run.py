"""``python -m simulation run``: simulate a scenario and print or write the result."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ...io.atomic import write_text
from ...io.layering import load_scenario
from ...io.paths import parse_set
from ...labels import tr
from .common import PRINT_LANG, clean, json_default


def run_text(res, fmt: str) -> str:
    if fmt == "json":
        return (
            json.dumps(clean(res.to_dict()), ensure_ascii=False, indent=1, default=json_default)
            + "\n"
        )
    if fmt == "csv":
        return res.monthly().to_csv(index=False)
    d = res.to_dict(monthly=False)
    a, lines, lg = d["annual"], [], PRINT_LANG
    city = d["city"]
    lines.append(
        tr(
            "cli_run_title",
            lg,
            city_en=city["name_en"],
            city_zh=city["name_zh"],
            scenario=d["scenario"],
        )
    )
    lines.append(f"  {res.scenario.description}")
    lines.append(tr("cli_run_year", lg, year=a["year"], base_year=a["year"] - 1))
    labels = {  # indented: the parts of GDP
        "gdp_100m_cny": tr("gdp", lg),
        "gross_industrial_output_100m_cny": tr("industrial_output", lg),
        "fai_100m_cny": tr("cli_fai", lg),
        "va_primary_100m_cny": "  " + tr("cli_va_primary", lg),
        "va_industry_100m_cny": "  " + tr("cli_va_industry", lg),
        "va_construction_100m_cny": "  " + tr("cli_va_construction", lg),
        "va_tertiary_100m_cny": "  " + tr("cli_va_tertiary", lg),
    }
    for k, lab in labels.items():
        lines.append(f"  {lab:42s} {a[k]:9.1f}  ({d['base_year'][k]:.1f})")
    lines.append(f"  {tr('cli_gdp_real_growth', lg):42s} {a['gdp_real_growth_pct']:9.2f}")
    lines.append(
        f"  {tr('cli_gio_real_growth', lg):42s} {a['gross_industrial_output_real_growth_pct']:9.2f}"
    )
    lines.append(tr("cli_targets", lg))
    for name, t in d["targets"].items():
        if t["target_100m_cny"] <= 0:
            lines.append(f"  {name:18s} {t['value_100m_cny']:8.1f} {tr('cli_no_target', lg)}")
            continue
        verdict = tr("cli_met" if t["met"] else "cli_not_met", lg)
        line = tr(
            "cli_target_line",
            lg,
            value=t["value_100m_cny"],
            target=t["target_100m_cny"],
            gap=t["gap_100m_cny"],
            verdict=verdict,
        )
        lines.append(f"  {name:18s} {line}")
    lines.append(tr("cli_contrib_head", lg))
    for m, v in d["contributions"]["gdp"].items():
        lines.append(f"  {m:20s} {v:+8.1f}")
    return "\n".join(lines) + "\n"


def cmd_run(args: argparse.Namespace) -> int:
    from ...analyses.result import simulate

    sc = load_scenario(args.scenario, parse_set(args.set), args.params_dir)
    text = run_text(simulate(sc), args.format)
    if args.out:
        write_text(Path(args.out), text)
    else:
        sys.stdout.write(text)
    return 0


def add_parser(sub: Any) -> None:
    """Register ``run``."""
    r = sub.add_parser("run", help="simulate a scenario and print or write the result")
    r.add_argument("scenario", help="scenario name (see `scenarios`) or YAML path")
    r.add_argument(
        "--set",
        action="append",
        metavar="dotted.path=value",
        help="override a parameter (repeatable)",
    )
    r.add_argument("--format", choices=("table", "json", "csv"), default="table")
    r.add_argument("--out", help="write to this file instead of standard output")
    r.set_defaults(func=cmd_run)
