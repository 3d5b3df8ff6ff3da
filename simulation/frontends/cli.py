"""Command line: ``python -m simulation COMMAND`` (run, params, validate, scenarios, mc,
sensitivity, solve, batch, register, track, app).

Every command takes ``--params-dir DIR``, the parameter folder (``base.yaml``,
``scenarios/``, ``batches/``) it reads; default ``$SIM_PARAMS_DIR``, else the package's
``params/``.

Bad input exits with status 2 and a one-paragraph message, no traceback, nothing written.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path
from typing import Any

from ..analyses.montecarlo import DEFAULT_SEED
from ..economy import schema
from ..errors import InputError
from ..io.atomic import write_text
from ..io.errors import ScenarioError
from ..io.layering import list_scenarios, load_scenario
from ..io.paths import parse_set
from ..io.yamlfile import read_yaml
from ..labels import Lang, context, tr
from . import cli_calibrate
from .cliargs import (
    EXIT_BAD_INPUT,
    add_params_dir,
    draws_or_zero,
    port,
    positive,
    resolve_params_dir,
    seed,
    whole,
)

#: Language of what the commands print: English, as the command line has always spoken
#: (its messages for bad input are English too).
PRINT_LANG: Lang = "en"
#: Language of the register's Excel views (sheet names, headers): Chinese, as the planners'
#: workbooks are.
EXCEL_LANG: Lang = "zh"


def _json_default(o: Any) -> Any:
    if hasattr(o, "item"):
        return o.item()
    raise TypeError(type(o).__name__)


def _clean(o: Any) -> Any:
    if isinstance(o, float) and not math.isfinite(o):
        return None
    if isinstance(o, dict):
        return {k: _clean(v) for k, v in o.items()}
    if isinstance(o, list):
        return [_clean(v) for v in o]
    return o


def _run_text(res, fmt: str) -> str:
    if fmt == "json":
        return (
            json.dumps(_clean(res.to_dict()), ensure_ascii=False, indent=1, default=_json_default)
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
    from ..analyses.result import simulate

    sc = load_scenario(args.scenario, parse_set(args.set), args.params_dir)
    text = _run_text(simulate(sc), args.format)
    if args.out:
        write_text(Path(args.out), text)
    else:
        sys.stdout.write(text)
    return 0


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


def cmd_validate(args: argparse.Namespace) -> int:
    path = Path(args.file)
    read_yaml(path)  # YAML errors first, naming the file and line
    sc = load_scenario(path, params_dir=args.params_dir)  # a scenario or a full file
    from ..economy import model

    model.run(sc.params)  # cross-checks that need the model (FAI residual)
    files = " → ".join(sc.files)
    print(tr("cli_valid", PRINT_LANG, path=path, name=sc.name, n=len(sc.files), files=files))
    return 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    from ..io.layering import saved_path as saved_file
    from ..io.saving import is_calibrated, restore_scenario, saved_info, scenario_history

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


def _json(d: Any) -> str:
    return json.dumps(_clean(d), ensure_ascii=False, indent=1, default=_json_default) + "\n"


def _emit(text: str, out: str | None) -> None:
    if out:
        write_text(Path(out), text)
    else:
        sys.stdout.write(text)


def cmd_mc(args: argparse.Namespace) -> int:
    from ..analyses.montecarlo import monte_carlo

    sc = load_scenario(args.scenario, parse_set(args.set), args.params_dir)
    mc = monte_carlo(sc, args.draws, args.seed, args.sampler, params_dir=args.params_dir)
    d = mc.to_dict()
    if args.format == "json":
        _emit(_json(d), args.out)
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
    _emit("\n".join(lines) + "\n", args.out)
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from ..analyses.sensitivity import sobol, tornado

    sc = load_scenario(args.scenario, parse_set(args.set), args.params_dir)
    if args.method == "tornado":
        df = tornado(sc, draws=args.draws, seed=args.seed, params_dir=args.params_dir)
    else:
        df = sobol(sc, n=args.samples, seed=args.seed, params_dir=args.params_dir)
    if args.format == "json":
        _emit(
            _json(
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
    _emit(text + "\n", args.out)
    return 0


def cmd_solve(args: argparse.Namespace) -> int:
    from ..analyses.goalseek import required_path, solve, solved_scenario
    from ..analyses.result import simulate

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
        _emit(_json(d), args.out)
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
    _emit("\n".join(lines) + "\n", args.out)
    return 0 if sol.reachable else 3


def cmd_batch(args: argparse.Namespace) -> int:
    from ..analyses.batch.run import run_batch
    from ..analyses.batch.spec import load_batch

    batch = load_batch(args.batch, args.params_dir)
    df = run_batch(
        batch,
        args.out,
        engine=args.engine,
        workers=args.workers,
        resume=args.resume,
        scheduler=args.scheduler,
        chunk_size=args.chunk,
        progress=not args.quiet,
        reuse_kernels=args.reuse_kernels,
    )
    failed = df[df["status"] != "ok"]
    ok = len(df) - len(failed)
    done = {
        "batch": batch.path.name,
        "ok": ok,
        "n": len(batch.points),
        "failed": len(failed),
        "parquet": Path(args.out) / "results.parquet",
    }
    print(tr("cli_batch_done", PRINT_LANG, **done))
    for r in failed.itertuples():
        print(tr("cli_batch_failed", PRINT_LANG, id=r.id, error=r.error), file=sys.stderr)
    return 1 if len(failed) or len(df) < len(batch.points) else 0


def _import_register(path: str, params: Any, strict: bool = False):
    from ..io.register import RegisterError, import_register

    try:
        return import_register(path, params, strict=strict)
    except FileNotFoundError:
        raise ScenarioError(f"{path}: file not found") from None
    except RegisterError as e:
        if not e.report.empty:
            lines = [
                f"  row {r.row}, {r.column}: {r.value!r}: expected {r.expected} [{r.severity}]"
                for r in e.report.itertuples()
            ]
            raise ScenarioError(f"{e}\n" + "\n".join(lines)) from None
        raise ScenarioError(str(e)) from None


def cmd_register(args: argparse.Namespace) -> int:
    from ..analyses import register_views as views

    sc = load_scenario(args.scenario, params_dir=args.params_dir)
    reg = _import_register(args.file, sc.params, args.strict)
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
        _emit(_json(d), None)
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


def cmd_track(args: argparse.Namespace) -> int:
    from ..analyses.tracking import ActualsError, read_actuals, track

    sc = load_scenario(args.scenario, parse_set(args.set), args.params_dir)
    try:
        actuals = read_actuals(args.actuals)
    except FileNotFoundError:
        raise ScenarioError(f"{args.actuals}: file not found") from None
    except ActualsError as e:
        raise ScenarioError(str(e)) from None
    reg = _import_register(args.register, sc.params) if args.register else None
    tr = track(sc, actuals, reg, args.draws, args.seed, params_dir=args.params_dir)
    d = tr.to_dict()
    d["register"] = None if reg is None else {"source": reg.source, "projects": len(reg.projects)}
    if args.format == "json":
        d.pop("monthly")
        _emit(_json(d), args.out)
        return 0
    from .tracking_report import tracking_text

    _emit(tracking_text(d, sc.name, reg.source if reg else None), args.out)
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    from .ui.serve import bind_problem, voila_command

    problem = bind_problem(args.host, args.port)
    if problem == "host":
        raise ScenarioError(
            f"cannot serve on --host {args.host!r}: not an address of this machine; use "
            "127.0.0.1 (this machine only) or 0.0.0.0 (every address), or SIM_HOST"
        )
    if problem == "port":
        raise ScenarioError(
            f"cannot serve on {args.host}:{args.port}: the port is in use; choose another "
            "with --port (or SIM_PORT)"
        )
    if args.page == "compare" and not args.batch_dir:
        raise ScenarioError("--page compare needs --batch-dir (a folder written by `batch`)")
    if args.batch_dir and not (Path(args.batch_dir) / "results.csv").is_file():
        raise ScenarioError(
            f"--batch-dir {args.batch_dir}: no results.csv there; expected a folder written by "
            "`python -m simulation batch ... --out FOLDER`"
        )
    # the office settings default to serve.py's (imported here: simulation.ui is heavy)
    office = {
        "cull_idle_timeout_s": args.cull_idle_timeout,
        "cull_interval_s": args.cull_interval,
        "cull_connected_timeout_s": args.cull_connected_timeout,
        "max_kernels": args.max_kernels,
    }
    try:
        argv, env = voila_command(
            args.host,
            args.port,
            args.params_dir,
            args.lang,
            args.preheat,
            args.page,
            args.batch_dir,
            **{k: v for k, v in office.items() if v is not None},
        )
    except ValueError as e:
        raise ScenarioError(f"app: {e}") from None
    print(tr("cli_serving", PRINT_LANG, page=args.page, host=args.host, port=args.port))
    sys.stdout.flush()
    os.execve(argv[0], argv, env)
    return 0  # not reached


def _common_outputs(p: argparse.ArgumentParser, func) -> None:
    """``--seed``, ``--set``, ``--format`` and ``--out`` of the uncertainty commands."""
    p.add_argument("--seed", type=seed, default=DEFAULT_SEED, help="seed of the draws")
    p.add_argument("--set", action="append", metavar="dotted.path=value")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.set_defaults(func=func)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m simulation",
        description="Scenario simulation of a city's GDP and industrial output: existing "
        "industry, fixed-asset investment and signed projects, month by month",
    )
    sub = p.add_subparsers(dest="command", required=True)
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
    q = sub.add_parser("params", help="resolved parameters with units, bounds and sources")
    q.add_argument("scenario", nargs="?", default="baseline")
    q.add_argument("--set", action="append", metavar="dotted.path=value")
    q.add_argument("--format", choices=("table", "json"), default="table")
    q.set_defaults(func=cmd_params)
    v = sub.add_parser("validate", help="check a parameter or scenario file")
    v.add_argument("file")
    v.set_defaults(func=cmd_validate)
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
    m = sub.add_parser("mc", help="Monte Carlo: probability of the targets, quantiles")
    m.add_argument("scenario", nargs="?", default="uncertainty")
    m.add_argument("--draws", type=positive, default=1000)
    m.add_argument("--sampler", choices=("random", "lhs", "sobol"), default="random")
    _common_outputs(m, cmd_mc)
    se = sub.add_parser("sensitivity", help="tornado or Sobol indices of the uncertain inputs")
    se.add_argument("scenario", nargs="?", default="uncertainty")
    se.add_argument("--method", choices=("tornado", "sobol"), default="tornado")
    se.add_argument("--draws", type=positive, default=400, help="tornado: draws per end")
    se.add_argument("--samples", type=positive, default=1024, help="sobol: base sample (2^k)")
    _common_outputs(se, cmd_sensitivity)
    so = sub.add_parser("solve", help=tr("cli_help_solve", PRINT_LANG))
    so.add_argument("scenario")
    so.add_argument("--lever", required=True, help="dotted parameter path")
    so.add_argument("--target", choices=("gdp", "industrial_output", "both"), default="both")
    so.add_argument("--probability", type=float, help="meet it in this share of draws")
    so.add_argument("--draws", type=positive, default=500)
    _common_outputs(so, cmd_solve)
    b = sub.add_parser(
        "batch", help="run a batch of scenarios (exit 1 if any failed, 2 if the batch is invalid)"
    )
    b.add_argument("batch", help="batch file (params/batches/NAME.yaml) or its name")
    b.add_argument("--out", required=True, help="output folder (new, or with --resume)")
    b.add_argument("--engine", choices=("papermill", "inprocess", "dask"), default="papermill")
    b.add_argument("--workers", type=positive, help="parallel workers (default: CPU count)")
    b.add_argument("--resume", action="store_true", help="continue an interrupted run")
    b.add_argument("--scheduler", help="dask: address of an existing scheduler")
    b.add_argument("--chunk", type=positive, help="inprocess/dask: points per task")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument(
        "--reuse-kernels",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="papermill: keep one kernel per worker across notebooks (default on)",
    )
    b.set_defaults(func=cmd_batch)
    rg = sub.add_parser("register", help=tr("cli_help_register", PRINT_LANG))
    rg.add_argument("file", help="CSV (UTF-8, UTF-8 with BOM, GBK) or xlsx")
    rg.add_argument("--strict", action="store_true", help="treat warnings as errors")
    rg.add_argument("--excel", help="write the views (funnel, league table, at risk) here")
    rg.add_argument("--scenario", default="baseline", help="scenario for the output views")
    rg.add_argument("--format", choices=("table", "json"), default="table")
    rg.set_defaults(func=cmd_register)
    tk = sub.add_parser("track", help="on pace? re-forecast from the actual figures")
    tk.add_argument("scenario")
    tk.add_argument("--actuals", required=True, help="CSV: indicator, period, value, unit")
    tk.add_argument("--register", help="a project register to simulate from")
    tk.add_argument(
        "--draws", type=draws_or_zero, default=300, help="Monte Carlo draws of the prior (≥ 50)"
    )
    _common_outputs(tk, cmd_track)
    a = sub.add_parser("app", help="serve the planner's dashboard with Voila")
    a.add_argument(
        "--host",
        default=os.environ.get("SIM_HOST", "127.0.0.1"),
        help="address to listen on (default 127.0.0.1, or SIM_HOST); 0.0.0.0 opens it to "
        "the network",
    )
    a.add_argument(
        "--port",
        type=port,
        default=int(os.environ.get("SIM_PORT", "8866")),
        help="port (default 8866, or SIM_PORT)",
    )
    a.add_argument("--lang", choices=("zh", "en"), default="zh", help="first language")
    a.add_argument(
        "--page",
        choices=("dashboard", "uncertainty", "compare", "projects"),
        default="dashboard",
        help="the planner's dashboard (default), the uncertainty page, a batch comparison or "
        "the register and tracking page",
    )
    a.add_argument("--batch-dir", help="compare: the batch output folder to show")
    a.add_argument(
        "--preheat",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="keep one kernel executed ahead of the next visitor (default on)",
    )
    # office server (docs/office_server.md); defaults: simulation/frontends/ui/serve.py
    a.add_argument(
        "--cull-idle-timeout",
        type=lambda v: whole(v, 0, 30 * 86400, "a number of seconds"),
        metavar="SECONDS",
        help="shut down a kernel whose page is closed or unreachable after this many idle "
        "seconds (default 120 = 2 min; 0 never)",
    )
    a.add_argument(
        "--cull-connected-timeout",
        type=lambda v: whole(v, 0, 30 * 86400, "a number of seconds"),
        metavar="SECONDS",
        help="shut down the kernel of a page left open but untouched after this many "
        "seconds (default 14400 = 4 h; 0 never)",
    )
    a.add_argument(
        "--cull-interval",
        type=lambda v: whole(v, 1, 86400, "a number of seconds"),
        metavar="SECONDS",
        help="how often idle kernels are looked for (default 30 s)",
    )
    a.add_argument(
        "--max-kernels",
        type=lambda v: whole(v, 0, 10_000, "a number of kernels"),
        metavar="N",
        help="most kernels at once, the preheated one included (default: as many of 300 MB "
        "as fit in half the memory, at most 12 a core: 24 on 2 cores and 24 GB); beyond it "
        "a visitor waits on a 'busy' page showing its place in the queue (0: no limit)",
    )
    a.set_defaults(func=cmd_app)
    for command in sub.choices.values():
        add_params_dir(command)
    cli_calibrate.add_parsers(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if getattr(args, "has_params_dir", False):  # commands without it don't read params
            args.params_dir = resolve_params_dir(args.params_dir, args.func is cmd_app)
        return int(args.func(args))
    except OSError as e:
        sys.stderr.write(f"error: {e.filename or ''}: {e.strerror or e}\n")
        return EXIT_BAD_INPUT
    except InputError as e:  # bad input: the message, exit 2 (anything else is a bug)
        sys.stderr.write(f"error: {e}\n")
        return EXIT_BAD_INPUT
