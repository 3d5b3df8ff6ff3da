"""CLI commands ``calibrate`` and ``backtest`` (registered by :mod:`simulation.frontends.cli`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

# the heavy modules (pandas, scipy) are imported by the commands that need them


def _mods() -> Any:
    from types import SimpleNamespace

    from ...analyses import backtest, calibration, coverage, paramfolder, priors
    from ...io import datapack
    from .. import calibration_report

    return SimpleNamespace(
        bt=backtest,
        cal=calibration,
        cov=coverage,
        dp=datapack,
        pf=paramfolder,
        priors=priors,
        rep=calibration_report,
    )


def _pack(args: argparse.Namespace):
    return _mods().dp.read_pack(*args.pack)


def _risks(args: argparse.Namespace):
    """The risk register of ``--risks`` (None without one)."""
    if not getattr(args, "risks", None):
        return None
    import yaml

    from ..._paths import PACKAGE_DATA
    from ...io.risks import read_risks

    template = yaml.safe_load((PACKAGE_DATA / "template.yaml").read_text(encoding="utf-8"))
    return read_risks(args.risks, set(template["values"]["shocks"]))


def _run_backtests(pack, city: str, last_year: int, risks=None):
    m = _mods()
    tests, skipped = [], {}
    for y in m.bt.backtest_years(pack, city):
        if y > last_year:
            continue
        try:
            tests.append(m.bt.backtest(pack, city, y, risks=risks))
        except m.cal.CalibrationError as e:
            skipped[y] = str(e)
    return tests, skipped


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Write a parameter folder and its calibration report from a data pack."""
    m = _mods()
    pack = _pack(args)
    city = args.city
    base_year = args.base_year or m.dp.last_outcome_year(pack, city, m.priors.PLAN_TIME_INDICATORS)
    targets = {
        "gdp_100m_cny": args.target_gdp,
        "industrial_output_100m_cny": args.target_output,
    }
    labels = {"city_zh": args.city_zh or city, "city_en": args.city_en or city.capitalize()}
    risks = _risks(args)
    cal = m.cal.calibrate(pack, city, base_year, targets, labels, risks=risks)
    if args.counties:
        cal.counties = m.dp.read_counties(args.counties)
    tests, skipped = ([], {}) if args.no_backtest else _run_backtests(pack, city, base_year, risks)
    equation = nowcast = None
    if not args.no_backtest:
        from ...analyses.nowcast_eval import evaluate

        known = m.dp.up_to(pack, base_year)
        equation = m.bt.equation_backtest(known, city)
        nowcast = evaluate(known, city, draws=500, risks=risks)[0]
    files = [str(p) for p in args.pack]
    out = m.pf.write_folder(
        cal, args.out, lambda c: m.rep.render(c, files, tests, skipped, equation, nowcast)
    )
    print(
        f"wrote {out}/base.yaml, {out}/scenarios/ and {out}/CALIBRATION.md "
        f"({city}, base year {base_year}, {len(cal.values)} calibrated values)"
    )
    return 0


def cmd_backtest(args: argparse.Namespace) -> int:
    """Print the back-test of one year (or every year the pack allows)."""
    m = _mods()
    pack = _pack(args)
    if args.all_cities:
        if args.city or args.year:
            from ...io.errors import ScenarioError

            raise ScenarioError("--all-cities takes every city and year: give no --city or --year")
        args.city = "all"
    elif not args.city:  # the city of the given parameter folder (never a silent default)
        import os

        from ...io.errors import ScenarioError
        from ...io.layering import load_scenario
        from .args import PARAMS_DIR_ENV, resolve_params_dir

        if not (args.params_dir or os.environ.get(PARAMS_DIR_ENV)):
            raise ScenarioError("backtest needs --city CODE or --params-dir FOLDER (its city)")
        folder = resolve_params_dir(args.params_dir)
        args.city = load_scenario("base", params_dir=folder).params.city.code
    if args.nowcast:
        return _nowcast_backtest(pack, args)
    cities = m.bt.outcome_cities(pack) if args.all_cities else [args.city]
    tests, skipped = [], {}
    risks = _risks(args)
    for city in cities:
        for y in args.year or m.bt.backtest_years(pack, city):
            try:
                tests.append(m.bt.backtest(pack, city, y, draws=args.draws, risks=risks))
            except m.cal.CalibrationError as e:
                skipped[f"{city} {y}" if args.all_cities else y] = str(e)
    # the equation's own-city effect marks no city when every city is tested
    own = "" if args.all_cities else args.city
    equation = m.bt.equation_backtest(pack, own) if args.equation else None
    whole = m.bt.whole_model_coverage(tests)
    eq_cov = None if equation is None else m.cov.coverage(equation)
    if args.format == "json":
        d = {
            "city": args.city,
            "coverage": whole,
            "years": [
                {
                    "city": t.city,
                    "year": t.year,
                    "drivers": t.drivers,
                    "rows": t.frame().to_dict("records"),
                    "inside": t.coverage()[0],
                    "compared": t.coverage()[1],
                }
                for t in tests
            ],
            "not_possible": {str(k): v for k, v in skipped.items()},
        }
        if equation is not None:
            d["equation"] = equation.to_dict("records")
            d["equation_coverage"] = eq_cov
        print(json.dumps(d, ensure_ascii=False, indent=2))
        return 0
    print(m.rep.backtest_table(tests))
    for t in tests:
        i, n = t.coverage()
        print(
            f"\n{t.city + ' ' if args.all_cities else ''}{t.year}: {i} of {n} outcomes inside "
            "p5-p95; drivers: " + "; ".join(t.driver_sources.values())
        )
        for note in t.notes:
            print(f"  {note}")
    for y, why in skipped.items():
        print(f"\n{y}: not possible: {why}")
    print("\n" + m.cov.line(whole, f"Whole model, {args.city}"))
    if equation is not None:
        print("\nOutput equation, rolling origin:\n" + m.rep.equation_table(equation))
        print("\n" + m.cov.line(eq_cov, "Output equation, rolling origin"))
    return 0 if tests or equation is not None else 3


def _nowcast_backtest(pack, args: argparse.Namespace) -> int:
    """The nowcast replayed on past years, release by release (``backtest --nowcast``)."""
    from ...analyses.coverage import line
    from ...analyses.nowcast_eval import evaluate, nowcast_coverage, summary_by_month
    from .. import calibration_report as rep

    rows, skipped = evaluate(
        pack, args.city, args.year, draws=min(args.draws, 500), risks=_risks(args)
    )
    cov = nowcast_coverage(rows)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "city": args.city,
                    "coverage": cov,
                    "rows": rows.to_dict("records"),
                    "by_month": summary_by_month(rows).to_dict("records"),
                    "not_possible": {str(k): v for k, v in skipped.items()},
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0 if len(rows) else 3
    if len(rows):
        print(rep.table(rows))
        print("\nBy month of information (0 = the model alone):")
        print(rep.table(summary_by_month(rows)))
        print("\n" + line(cov, f"Nowcast, {args.city}, every release"))
    for y, why in skipped.items():
        print(f"{y}: not possible: {why}")
    return 0 if len(rows) else 3


def cmd_drivers(args: argparse.Namespace) -> int:
    """The drivers in force in a scenario and what a step of each does to the plan year."""
    from ...analyses.driver_effects import driver_effects

    table = driver_effects(args.scenario, params_dir=args.params_dir)
    if args.format == "json":
        print(table.to_json(orient="records", force_ascii=False, indent=2))
        return 0
    print(f"Drivers of '{args.scenario}' in the first plan year (set = given by the scenario)")
    print(
        f"{'driver':32s} {'in force':>10s} {'set':>5s} {'step':>10s} {'GDP':>8s} "
        f"{'output':>8s} {'FAI':>8s} {'out+1':>8s}   (change, 100m CNY; out+1: output "
        "the year after)"
    )
    for r in table.itertuples():
        print(
            f"{r.driver:32s} {r.in_force:10.4g} {'yes' if r.set else 'no':>5s} {r.step:>10s} "
            f"{r.gdp_change_100m_cny:+8.1f} {r.industrial_output_change_100m_cny:+8.1f} "
            f"{r.fai_change_100m_cny:+8.1f} "
            f"{r.industrial_output_change_next_year_100m_cny:+8.1f}"
        )
    return 0


def _draws(value: str) -> int:
    from .args import positive

    return positive(value)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register ``calibrate`` and ``backtest``."""
    c = sub.add_parser("calibrate", help="write a parameter folder and report from a data pack")
    c.add_argument(
        "--pack",
        action="append",
        required=True,
        type=Path,
        help="data pack CSV (repeat for several files)",
    )
    c.add_argument("--out", required=True, type=Path, help="parameter folder to write")
    c.add_argument("--city", required=True, help="the pack's city code (its `city` column)")
    c.add_argument("--city-zh", help="the city's Chinese name for titles (default: the code)")
    c.add_argument("--city-en", help="the city's English name (default: the code, capitalised)")
    c.add_argument(
        "--counties",
        type=Path,
        help="CSV county,aliases,source_url: the counties a project register may name",
    )
    c.add_argument("--base-year", type=int, help="last year of data to use (default: the latest)")
    c.add_argument("--target-gdp", type=float, help="plan-year GDP target, 100m CNY")
    c.add_argument(
        "--target-output", type=float, help="plan-year gross industrial output target, 100m CNY"
    )
    c.add_argument("--no-backtest", action="store_true", help="skip the back-tests in the report")
    c.add_argument(
        "--risks",
        type=Path,
        help="known risks (CSV shock,known_from,probability,low,high,basis,source_url): those "
        "known by the base year are drawn as events in the uncertainty scenario",
    )
    c.set_defaults(func=cmd_calibrate, params_dir=None)
    b = sub.add_parser("backtest", help="fit with data up to Y-1, forecast Y, compare")
    b.add_argument("--pack", action="append", required=True, type=Path)
    b.add_argument("--year", type=int, action="append", help="year to test (repeat; default all)")
    b.add_argument("--city", help="the pack's city code (default: the --params-dir folder's)")
    b.add_argument(
        "--all-cities",
        action="store_true",
        help="every city and year of the pack with outcomes and base-year levels",
    )
    b.add_argument("--params-dir", help="a parameter folder: back-test its city")
    b.add_argument("--draws", type=_draws, default=2000)
    b.add_argument(
        "--equation",
        action="store_true",
        help="also the rolling-origin back-test of the output equation",
    )
    b.add_argument(
        "--nowcast",
        action="store_true",
        help="replay the nowcast on past years, release by release (rolling evaluation)",
    )
    b.add_argument(
        "--risks",
        type=Path,
        help="known risks (CSV shock,known_from,probability,low,high,basis,source_url): those "
        "known by the base year are drawn as events in the uncertainty scenario",
    )
    b.add_argument("--format", choices=("text", "json"), default="text")
    b.set_defaults(func=cmd_backtest)
    d = sub.add_parser("drivers", help="drivers in force and the effect of a step in each")
    d.add_argument("scenario", nargs="?", default="baseline")
    d.add_argument("--params-dir", help="parameter folder (default SIM_PARAMS_DIR or params/)")
    d.add_argument("--format", choices=("text", "json"), default="text")
    d.set_defaults(func=cmd_drivers)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(0)
