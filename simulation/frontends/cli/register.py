"""``python -m simulation register``: import a project register (台账) and write its views."""

from __future__ import annotations

import argparse
from typing import Any

from ...io.layering import load_scenario
from ...labels import tr
from .common import EXCEL_LANG, PRINT_LANG, emit, json_text, read_register


def cmd_register(args: argparse.Namespace) -> int:
    from ...analyses import register_views as views

    sc = load_scenario(args.scenario, params_dir=args.params_dir)
    reg = read_register(args.file, sc.params, args.strict)
    p = reg.projects
    if args.excel:
        xl = EXCEL_LANG
        views.to_excel(
            {
                tr("v_sheet_register", xl): p,
                tr("v_sheet_funnel", xl): views.funnel_by_month(reg, xl),
                tr("v_sheet_league", xl): views.league_table(reg, sc.params, xl),
                tr("v_industry", xl): views.breakdown(reg, "industry", xl),
                tr("p_risk", xl): views.at_risk(reg, lang=xl),
                tr("v_sheet_report", xl): reg.report,
            },
            args.excel,
        )
    d = {
        "source": reg.source,
        "encoding": reg.encoding,
        "projects": int(len(p)),
        "amount_100m_cny": float(p["amount_100m_cny"].sum()),
        "started": int(p["actual_start"].notna().sum()),
        "producing": int(p["actual_production"].notna().sum()),
        "as_of": str(reg.as_of),
        "warnings": reg.report.to_dict("records"),
    }
    if args.format == "json":
        emit(json_text(d), None)
        return 0
    lg = PRINT_LANG
    print(
        tr(
            "cli_register_summary",
            lg,
            source=d["source"],
            encoding=d["encoding"],
            projects=d["projects"],
            amount=d["amount_100m_cny"],
            started=d["started"],
            producing=d["producing"],
            as_of=d["as_of"],
        )
    )
    for w in d["warnings"]:
        print(
            tr(
                "cli_register_warning",
                lg,
                **{k: w[k] for k in ("row", "column", "value", "expected")},
            )
        )
    if args.excel:
        print(tr("cli_views_written", lg, path=args.excel))
    return 0


def add_parser(sub: Any) -> None:
    """Register ``register``."""
    rg = sub.add_parser("register", help=tr("cli_help_register", PRINT_LANG))
    rg.add_argument("file", help="CSV (UTF-8, UTF-8 with BOM, GBK) or xlsx")
    rg.add_argument("--strict", action="store_true", help="treat warnings as errors")
    rg.add_argument("--excel", help="write the views (funnel, league table, at risk) here")
    rg.add_argument("--scenario", default="baseline", help="scenario for the output views")
    rg.add_argument("--format", choices=("table", "json"), default="table")
    rg.set_defaults(func=cmd_register)
