"""``python -m simulation params``: the resolved parameters with units, bounds and sources."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ...economy import schema
from ...io.layering import load_scenario
from ...io.paths import parse_set
from ...labels import tr
from .common import PRINT_LANG


def cmd_params(args: argparse.Namespace) -> int:
    sc = load_scenario(args.scenario, parse_set(args.set), args.params_dir)
    flat = {}
    for section, model in schema.NUMERIC_SECTIONS.items():
        obj = getattr(sc.params, section)
        for name in model.model_fields:
            flat[f"{section}.{name}"] = getattr(obj, name)
    meta = schema.numeric_paths()
    rows = []
    for path, value in flat.items():
        m = meta.get(path)
        if m is None:  # lists: show compactly
            rows.append(
                {
                    "parameter": path,
                    "value": value,
                    "unit": "",
                    "bounds": "",
                    "campaign": "",
                    "source": "",
                    "description": "",
                }
            )
            continue
        rows.append(
            {
                "parameter": path,
                "value": value,
                "unit": m["unit"],
                "bounds": f"{m['lo']:g} – {m['hi']:g}",
                "campaign": m["campaign"] or "",
                "source": sc.params.sources.get(path, m["source"]),
                "description": m["description"],
            }
        )
    if args.format == "json":
        sys.stdout.write(
            json.dumps(
                {
                    "scenario": sc.name,
                    "parameters": rows,
                    "campaigns": sc.params.campaigns.model_dump(),
                    "shocks": {k: s.model_dump() for k, s in sc.params.shocks.items()},
                },
                ensure_ascii=False,
                indent=1,
            )
            + "\n"
        )
        return 0
    lg = PRINT_LANG
    print(tr("cli_params_scenario", lg, name=sc.name, description=sc.description))
    print(tr("cli_params_campaigns", lg, campaigns=sc.params.campaigns.model_dump()))
    on = [k for k, s in sc.params.shocks.items() if s.enabled] or tr("none", lg)
    print(tr("cli_params_shocks", lg, shocks=on))
    for r in rows:
        val = r["value"]
        if val is None:  # an optional parameter left unset
            val = tr("cli_not_set", lg)
        else:
            val = (
                f"{val:g}" if isinstance(val, (int, float)) else tr("cli_n_values", lg, n=len(val))
            )
        print(
            f"{r['parameter']:46s} {val:>10s} {r['unit']:16s} {r['bounds']:18s} "
            f"{r['campaign']:11s} {r['source']}"
        )
    return 0


def add_parser(sub: Any) -> None:
    """Register ``params``."""
    q = sub.add_parser("params", help="resolved parameters with units, bounds and sources")
    q.add_argument("scenario", nargs="?", default="baseline")
    q.add_argument("--set", action="append", metavar="dotted.path=value")
    q.add_argument("--format", choices=("table", "json"), default="table")
    q.set_defaults(func=cmd_params)
