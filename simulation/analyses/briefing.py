"""The monthly briefing's content (经济运行分析 / 冲刺目标进展): what a planning office sends
upward, assembled from the tracking (:mod:`simulation.analyses.tracking`), the register's
views (:mod:`simulation.analyses.register_views`) and the driver and lever analyses.

:func:`build_briefing` returns a :class:`Briefing`: sections in the planner's language (a
title, lines of text, tables as formatted cells, the charts they show by name) and the
provenance of every figure (the releases file and its rows, the register, the scenario's
files and hash, the seed and the draws). Rendering (charts, HTML, Word) is
:mod:`simulation.frontends.briefing`'s. Every number in a section is the tracking's own,
formatted: the same as ``track --format json`` gives for the same inputs.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..labels import Lang, param_label, tr
from . import register_views as views
from .driver_effects import STEPS, step_label
from .montecarlo import DEFAULT_SEED
from .result import created_utc, simulate
from .tracking import LEVELS, Tracking, release_label, track

#: The sections in their order (keys of the label table: ``brief_<key>``).
SECTIONS = (
    "headline",
    "changes",
    "remaining",
    "drivers",
    "pipeline",
    "risks",
    "levers",
    "methods",
)
#: The charts the sections show (rendered by :mod:`simulation.frontends.briefing`).
CHARTS = ("tracking_gdp", "tracking_industrial_output", "required")
#: How many projects at risk the briefing lists (the register's view has them all).
AT_RISK_ROWS = 10
#: How many closing drivers a target's lever table lists (fewest steps first).
LEVER_ROWS = 4


@dataclass
class Table:
    """A table as shown: a caption, the header and the rows, every cell formatted."""

    caption: str
    head: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    """One section of the briefing."""

    key: str
    title: str
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)


@dataclass
class Briefing:
    """The briefing: sections, the tracking they come from, and provenance."""

    lang: Lang
    title: str
    subtitle: str
    sections: list[Section]
    tracking: Tracking
    provenance: dict[str, Any]

    def numbers(self) -> dict[str, Any]:
        """The figures the headline states, as ``track --format json`` gives them."""
        d = self.tracking.to_dict()
        return {
            "forecast_quantiles": d.get("forecast_quantiles"),
            "probability": d["probability"],
            "status": d["status"],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "lang": self.lang,
            "sections": [
                {
                    "key": s.key,
                    "title": s.title,
                    "lines": s.lines,
                    "tables": [t.__dict__ for t in s.tables],
                    "charts": s.charts,
                }
                for s in self.sections
            ],
            "numbers": self.numbers(),
            "provenance": self.provenance,
        }


def _file_record(path: str | Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    p = Path(path)
    return {"name": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:,.1f}"


def build_briefing(
    scenario: Any,
    actuals: pd.DataFrame,
    register: Any = None,
    lang: Lang = "zh",
    draws: int = 300,
    seed: int = DEFAULT_SEED,
    params_dir: str | Path | None = None,
    actuals_path: str | Path | None = None,
    register_path: str | Path | None = None,
) -> Briefing:
    """The briefing for ``scenario`` from the releases ``actuals`` (and a register).

    Parameters
    ----------
    scenario : Scenario
    actuals : DataFrame
        :func:`simulation.analyses.tracking.read_actuals` of the releases file.
    register : Register, optional
    lang : {"zh", "en"}
    draws, seed
        The nowcast's Monte Carlo (as ``track``).
    params_dir : path, optional
    actuals_path, register_path : path, optional
        The files read, recorded in the provenance with their SHA-256.

    Returns
    -------
    Briefing

    Raises
    ------
    simulation.analyses.tracking.ActualsError
        Releases the tracking refuses (another year or city, implausible figures).
    """
    tk = track(sc := scenario, actuals, register, draws, seed, params_dir=params_dir)
    d = tk.to_dict()
    params = sc.params
    city = params.city.name_zh if lang == "zh" else params.city.name_en
    months = [s["through_month"] for s in d["status"].values() if s.get("through_month")]
    m = max(months) if months else 0
    sections = [
        _headline(d, lang),
        _changes(d, lang, m),
        _remaining(d, lang),
        _drivers(tk, sc, lang),
        _pipeline(register, params, lang),
        _risks(register, lang),
        _levers(d, sc, lang),
        _methods(d, sc, lang, actuals, register),
    ]
    res = simulate(sc)
    prov = {
        "created_utc": created_utc(),
        "city": city,
        "scenario": sc.name,
        "scenario_files": list(sc.files),
        "inputs_hash": res.provenance.get("inputs_hash"),
        "package_version": res.provenance.get("package_version"),
        "seed": seed,
        "draws": draws,
        "actuals": _file_record(actuals_path),
        "release_rows": sorted(int(r) for r in actuals["row"]) if "row" in actuals else [],
        "rows_left_out": d["rows_left_out"]["rows"],
        "register": _file_record(register_path),
        "model_runs": "track (nowcast of the scenario's Monte Carlo, draws and seed above); "
        "driver and lever effects by single runs of the scenario",
    }
    sections[-1].lines.append(provenance_line(prov, lang))
    return Briefing(
        lang,
        tr("brief_title", lang, city=city, year=tk.year, m=m),
        tr("brief_subtitle", lang, scenario=sc.name, date=prov["created_utc"][:10]),
        sections,
        tk,
        prov,
    )


def _headline(d: dict, lang: Lang) -> Section:
    charts = ["tracking_gdp", "tracking_industrial_output"]
    s = Section("headline", tr("brief_headline", lang), charts=charts)
    p = d["probability"] or {}
    q = d.get("forecast_quantiles") or {}
    for name in LEVELS.values():
        st, band = d["status"][name], q.get(name)
        target = st.get("target") or 0.0
        if st.get("actual") is None:
            s.lines.append(tr("p_no_actuals", lang, ind=tr(name, lang)))
            continue
        if target <= 0:  # a folder without targets: the actual against the plan instead
            s.lines.append(
                tr(
                    "brief_headline_untargeted",
                    lang,
                    ind=tr(name, lang),
                    m=st["through_month"],
                    a=st["actual"],
                    mod=st["model"],
                    dm=st["actual_vs_model_pct"],
                    p50=band["p50"],
                    p5=band["p5"],
                    p95=band["p95"],
                )
            )
            continue
        pace = tr("brief_on_pace" if st["on_seasonal_pace"] else "brief_behind_pace", lang)
        s.lines.append(
            tr(
                "brief_headline_line",
                lang,
                ind=tr(name, lang),
                m=st["through_month"],
                a=st["actual"],
                target=target,
                sea=st["seasonal_pace"],
                pace=pace,
                p50=band["p50"],
                p5=band["p5"],
                p95=band["p95"],
                p=_pct(p.get(name)),
            )
        )
    if p and all((d["status"][n].get("target") or 0) > 0 for n in LEVELS.values()):
        s.lines.append(tr("brief_both", lang, p=_pct(p.get("both"))))
    if d.get("illustrative"):
        s.lines.append(tr("p_illustrative", lang))
    shock = d.get("large_shock") or {}
    if shock.get("weight", 0) >= 0.5:
        s.lines.append(tr("brief_large_shock", lang, w=shock["weight"]))
    return s


def _changes(d: dict, lang: Lang, m: int) -> Section:
    """The news of the latest month's releases: what changed since last month and why."""
    s = Section("changes", tr("brief_changes", lang))
    latest = [n for n in d.get("news") or [] if _last_month(n["period"]) == m]
    if not latest:
        s.lines.append(tr("brief_no_news", lang))
        return s
    head = [
        tr("col_period", lang),
        tr("col_release", lang),
        tr("col_release_value", lang),
        tr("p_news_forecast", lang, ind=tr("gdp", lang)),
        tr("p_news_forecast", lang, ind=tr("industrial_output", lang)),
        tr("p_news_probability", lang),
    ]
    rows = [
        [
            n["period"],
            release_label(n["indicator"], lang),
            f"{n['value']:,.1f}",
            f"{n['gdp_forecast_change_100m_cny']:+,.1f}",
            f"{n['industrial_output_forecast_change_100m_cny']:+,.1f}",
            f"{n['both_probability_change_pts']:+.1f}",
        ]
        for n in latest
    ]
    total = {
        k: sum(n[f"{k}_forecast_change_100m_cny"] for n in latest)
        for k in ("gdp", "industrial_output")
    }
    s.lines.append(
        tr(
            "brief_changes_line",
            lang,
            m=m,
            n=len(latest),
            gdp=total["gdp"],
            out=total["industrial_output"],
        )
    )
    s.tables.append(Table(tr("p_news", lang), head, rows))
    return s


def _last_month(period: str) -> int:
    from ..io.datapack import parse_period

    return parse_period(period).last_month


def _remaining(d: dict, lang: Lang) -> Section:
    s = Section("remaining", tr("brief_remaining", lang), charts=["required"])
    for name, req in (d.get("required_path") or {}).items():
        if not req:
            s.lines.append(tr("brief_no_remaining", lang, ind=tr(name, lang)))
            continue
        s.lines.append(
            tr(
                "brief_remaining_line",
                lang,
                ind=tr(name, lang),
                m=req["through_month"],
                a=req["ytd_100m_cny"],
                r50=req["p50"]["remaining_100m_cny"],
                g50=req["p50"]["growth_over_base_year_pct"],
                r80=req["p80"]["remaining_100m_cny"],
                g80=req["p80"]["growth_over_base_year_pct"],
            )
        )
        head = [tr("month", lang), "50%", "80%", tr("forecast", lang)]
        rows = [
            [str(mm), f"{a:,.1f}", f"{b:,.1f}", f"{c:,.1f}"]
            for mm, a, b, c in zip(
                req["months"],
                req["p50"]["monthly_100m_cny"],
                req["p80"]["monthly_100m_cny"],
                req["nowcast_monthly_100m_cny"],
                strict=True,
            )
        ]
        s.tables.append(Table(tr(name, lang), head, rows))
    return s


def _drivers(tk: Tracking, sc: Any, lang: Lang) -> Section:
    """The drivers the releases set, against the plan scenario's values in force."""
    s = Section("drivers", tr("brief_drivers", lang))
    nc = tk.nowcast
    in_force = simulate(sc).drivers()
    head = [
        tr(k, lang)
        for k in ("brief_col_driver", "brief_col_released", "brief_col_plan", "brief_col_gap")
    ]
    rows = []
    for name, value in (nc.drivers if nc else {}).items():
        plan = float(in_force[name]["value"])
        scale = 100.0 if name.endswith("_rate") else 1.0
        rows.append(
            [
                param_label(f"drivers.{name}", lang),
                f"{value * scale:,.1f}",
                f"{plan * scale:,.1f}",
                f"{(value - plan) * scale:+,.1f}",
            ]
        )
    if tk.fai:
        s.lines.append(
            tr(
                "brief_fai_line",
                lang,
                m=tk.fai["through_month"],
                a=tk.fai["actual_growth_pct"],
                model=tk.fai["model_growth_pct"],
            )
        )
    if rows:
        s.tables.append(Table(tr("brief_drivers_table", lang), head, rows))
    else:
        s.lines.append(tr("brief_no_drivers", lang))
    return s


def _pipeline(register: Any, params: Any, lang: Lang) -> Section:
    s = Section("pipeline", tr("brief_pipeline", lang))
    if register is None:
        s.lines.append(tr("brief_no_register", lang))
        return s
    p = register.projects
    s.lines.append(
        tr(
            "brief_register_line",
            lang,
            n=len(p),
            amount=p["amount_100m_cny"].sum(),
            as_of=register.as_of,
        )  # fmt: skip
    )
    funnel = views.funnel_by_month(register, lang).tail(6)
    s.tables.append(_frame_table(tr("p_funnel", lang), funnel, index=True))
    league = views.league_table(register, params, lang)
    s.tables.append(_frame_table(tr("p_league", lang), league, index=True))
    return s


def _risks(register: Any, lang: Lang) -> Section:
    s = Section("risks", tr("brief_risks", lang))
    if register is None:
        s.lines.append(tr("brief_no_register", lang))
        return s
    risk = views.at_risk(register, lang=lang)
    s.lines.append(tr("brief_risks_line", lang, n=len(risk), shown=min(len(risk), AT_RISK_ROWS)))
    if len(risk):
        s.tables.append(_frame_table(tr("p_risk", lang), risk.head(AT_RISK_ROWS), index=False))
    return s


def _levers(d: dict, sc: Any, lang: Lang) -> Section:
    """The drivers that close the gap to the 50% path, fewest steps first (the tracking's
    own closing drivers), each with the value it needs and that value's plausibility: the
    plan year checked against the pack's record, and the chance of a value that
    favourable under the driver's fitted distribution, where it has one."""
    from .goalseek import plausibility_of

    s = Section("levers", tr("brief_levers", lang))
    in_force = simulate(sc).drivers()
    head = [
        tr(k, lang)
        for k in (
            "brief_col_driver",
            "brief_col_step",
            "brief_col_effect",
            "brief_col_steps",
            "brief_col_needed",
            "brief_col_plausible",
        )
    ]
    for name, req in (d.get("required_path") or {}).items():
        if not req:
            s.lines.append(tr("brief_no_remaining", lang, ind=tr(name, lang)))
            continue
        gap = req.get("gap_to_p50_100m_cny", 0.0)
        if gap <= 0:
            s.lines.append(tr("brief_no_gap", lang, ind=tr(name, lang)))
            continue
        rows = []
        for c in req.get("closing_drivers", [])[:LEVER_ROWS]:
            driver = c["driver"]
            needed = float(in_force[driver]["value"]) + c["steps_to_close"] * STEPS[driver][0]
            pl = plausibility_of(sc, f"drivers.{driver}", needed, {}, increasing=True)
            scale = 100.0 if driver.endswith("_rate") else 1.0
            rows.append(
                [
                    param_label(f"drivers.{driver}", lang),
                    step_label(driver, lang),
                    f"{c['effect_per_step_100m_cny']:,.1f}",
                    f"{c['steps_to_close']:,.1f}",
                    f"{needed * scale:,.1f}",
                    _plausible(pl, lang),
                ]
            )
        s.lines.append(tr("brief_gap_line", lang, ind=tr(name, lang), gap=gap))
        if rows:
            s.tables.append(Table(tr(name, lang), head, rows))
    s.lines.append(tr("brief_levers_note", lang))
    return s


def _plausible(pl: Any, lang: Lang) -> str:
    """A plausibility as a cell: within the record, or the record checks it fails; and
    the fitted distribution's tail probability where there is one."""
    text = (
        tr("brief_within_record", lang)
        if not pl.flags
        else "; ".join(
            tr(f"warn_{f['check']}", lang, **{k: v for k, v in f.items() if k != "check"})
            for f in pl.flags
        )
    )
    if pl.lever_probability is not None:
        text += " " + tr("brief_tail", lang, p=_pct(pl.lever_probability))
    return text


def _methods(d: dict, sc: Any, lang: Lang, actuals: pd.DataFrame, register: Any) -> Section:
    s = Section("methods", tr("brief_methods", lang))
    used = d.get("indicators_used") or []
    names = tr("brief_name_sep", lang).join(release_label(u, lang) for u in used)
    s.lines.append(tr("brief_data_line", lang, n=len(actuals), k=len(used), names=names))
    left = d["rows_left_out"]["count"]
    if left:
        rows = ", ".join(str(r) for r in d["rows_left_out"]["rows"])
        s.lines.append(tr("brief_left_out", lang, n=left, rows=rows))
    s.lines.append(
        tr("brief_model_line", lang, scenario=sc.name, base=sc.params.calendar.base_year)
    )
    packs = calibration_packs(sc)
    if packs:
        base = sc.params.calendar.base_year
        s.lines.append(tr("brief_calibration_line", lang, packs=packs, base=base))
    coverage = calibration_coverage(sc, lang)
    if coverage:
        s.lines.append(tr("brief_coverage_line", lang, text=coverage))
    noise = d.get("ytd_noise") or {}
    if noise:
        s.lines.append(tr("brief_noise_line", lang, sigma=noise["sigma1"]))
    if register is not None:
        s.lines.append(tr("brief_register_source", lang, source=register.source))
    return s


def provenance_line(prov: dict[str, Any], lang: Lang) -> str:
    """Where the figures come from, in one line: the files (SHA-256, first 12), the model
    run's inputs hash, seed and draws."""
    files = [f"{f['name']} ({f['sha256'][:12]})" for f in (prov["actuals"], prov["register"]) if f]
    return tr("brief_provenance", lang, files=", ".join(files) or "—", hash=prov["inputs_hash"],
              seed=prov["seed"], draws=prov["draws"])  # fmt: skip


#: The back-tests of a folder's ``CALIBRATION.md`` coverage table, by the words its rows
#: open with → their label key.
COVERAGE_ROWS = {
    "the whole model": "brief_cov_whole",
    "the output equation": "brief_cov_equation",
    "the nowcast": "brief_cov_nowcast",
}


def calibration_coverage(sc: Any, lang: Lang = "zh") -> str:
    """The back-tests' coverage of the folder's ``CALIBRATION.md`` (its coverage table, as
    ``calibrate`` writes it) in ``lang``, or ``""`` when the folder has none."""
    report = _report(sc)
    if report is None:
        return ""
    rows = []
    for line in report.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        key = next((k for w, k in COVERAGE_ROWS.items() if cells[0].startswith(w)), None)
        if key and len(cells) >= 4 and cells[3].endswith("%"):
            rows.append(tr(key, lang, inside=cells[1], total=cells[2], share=cells[3]))
    return tr("brief_list_sep", lang).join(rows)


def calibration_packs(sc: Any) -> str:
    """The data packs the folder was calibrated from (the first line of its
    ``CALIBRATION.md`` that names them), or ``""``."""
    report = _report(sc)
    if report is None:
        return ""
    for line in report.read_text(encoding="utf-8").splitlines():
        if "from the data pack" in line:
            return ", ".join(re.findall(r"`([^`]+\.csv)`", line))
    return ""


def _report(sc: Any) -> Path | None:
    """The folder's ``CALIBRATION.md`` (None when it has none)."""
    folder = Path(sc.files[0]).parent if sc.files else None
    if folder is not None and folder.name == "scenarios":
        folder = folder.parent
    report = folder / "CALIBRATION.md" if folder else None
    return report if report is not None and report.is_file() else None


def _frame_table(caption: str, df: pd.DataFrame, index: bool) -> Table:
    frame = df.reset_index() if index else df
    head = [str(c) for c in frame.columns]
    rows = [
        [f"{v:,.1f}" if isinstance(v, float) else ("" if v is None else str(v)) for v in r]
        for r in frame.itertuples(index=False)
    ]
    return Table(caption, head, rows)
