"""Views of a project register: funnel by month, breakdowns, league table, at risk.

All amounts are contract values in 亿元; counts are projects. Each function returns a
DataFrame with headers in ``lang`` (Chinese by default, as the command line's Excel views
have them; units in the headers), ready for a page or Excel.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from pathlib import Path

import numpy as np
import pandas as pd

from ..economy import model
from ..economy.schema import Params
from ..io.projects import register_flows
from ..io.register import REPORT_COLUMNS, STATUSES, Problem, Register
from ..labels import TEXT, Lang, tr


def _month(d: _dt.date | None) -> pd.Period | None:
    return None if d is None else pd.Period(d, freq="M")


def industry_label(industry: str, lang: Lang = "zh") -> str:
    """An industry of :data:`simulation.io.register.INDUSTRIES` in ``lang``; any other name
    as the register gives it."""
    key = f"industry_{industry}"
    return tr(key, lang) if key in TEXT else industry


def funnel_by_month(reg: Register, lang: Lang = "zh") -> pd.DataFrame:
    """Cumulative count and amount signed, started, producing and at full capacity (达产,
    status 已达产) by month, from the register's dates; headers in ``lang``."""
    p = reg.projects
    events = {
        "funnel_signed": p["signed"],
        "funnel_started": p["actual_start"],
        "funnel_producing": p["actual_production"],
    }
    first = min(_month(d) for d in p["signed"])
    last = _month(reg.as_of) if reg.as_of else max(_month(d) for d in p["signed"])
    months = pd.period_range(first, last, freq="M")
    out = pd.DataFrame(index=months.astype(str))
    out.index.name = tr("month", lang)
    amounts = p["amount_100m_cny"].to_numpy()
    for stage, dates in events.items():
        m = pd.Index(dates.map(_month).to_list())
        name = tr(stage, lang)
        for label, values in (("v_count", np.ones(len(p), dtype=int)), ("v_amount", amounts)):
            s = pd.Series(values, index=m)
            s = s[s.index.notna()].groupby(level=0).sum()
            cum = s.reindex(months).fillna(0).cumsum().to_numpy()
            out[tr(label, lang, stage=name)] = cum.astype(int) if label == "v_count" else cum
    done = p["status"] == STATUSES[-1]  # 已达产: at full capacity
    full = tr("funnel_full", lang)
    out[tr("v_count", lang, stage=full)] = int(done.sum())
    out[tr("v_amount", lang, stage=full)] = float(p.loc[done, "amount_100m_cny"].sum())
    return out


def breakdown(reg: Register, by: str = "county", lang: Lang = "zh") -> pd.DataFrame:
    """Count and amount by county (``by="county"``) or industry, with the shares
    started and producing (by amount); headers (and industries) in ``lang``."""
    p = reg.projects.assign(
        started=reg.projects["actual_start"].notna() | reg.projects["actual_production"].notna(),
        producing=reg.projects["actual_production"].notna(),
    )
    g = p.groupby(by)
    amount = g["amount_100m_cny"].sum()
    signed = tr("v_signed_amount", lang)
    out = pd.DataFrame(
        {
            tr("v_projects", lang): g.size(),
            signed: amount.round(2),
            tr("v_started_share", lang): (
                g.apply(
                    lambda x: x.loc[x["started"], "amount_100m_cny"].sum(), include_groups=False
                )
                / amount
                * 100
            ).round(1),
            tr("v_producing_share", lang): (
                g.apply(
                    lambda x: x.loc[x["producing"], "amount_100m_cny"].sum(), include_groups=False
                )
                / amount
                * 100
            ).round(1),
        }
    )
    if by == "industry":
        out.index = out.index.map(lambda x: industry_label(x, lang))
    out.index.name = tr(f"v_{by}", lang) if by in ("county", "industry") else by
    return out.sort_values(signed, ascending=False)


def output_this_year(reg: Register, params: Params, by: str = "county") -> pd.Series:
    """Output (亿元 at base-year prices) that each group's projects with known starts add in
    the first plan year, through the estimated output equation.

    A yuan more of industrial investment in the plan year than in the base year adds
    ``elasticity × Y0 / I0`` yuan of output (``industry.investment_elasticity``, base-year
    output ``Y0`` and industrial FAI ``I0``). The group's industrial spending is the
    model's own: :func:`simulation.economy.model.run` with the register
    (:func:`simulation.io.projects.register_flows`) and the group's known starts, less the
    same run without them (the project series ``fai_projects_industrial_100m_cny``; the
    scenario's kernels, realised share and construction time).
    """
    full = register_flows(reg, params)

    def spending(started: np.ndarray, started_output: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        flows = dataclasses.replace(full, started=started, started_output=started_output)
        out = model.run(params, register=flows)
        return out["t"], out["fai_projects_industrial_100m_cny"][0]

    t, without = spending(np.zeros_like(full.started), np.zeros_like(full.started_output))
    plan, base = (t >= 0) & (t < 12), t < 0
    by_ = params.base_year
    per_yuan = (
        params.industry.investment_elasticity
        * by_.industrial_output_100m_cny
        / max(by_.industrial_fai_100m_cny, 1e-9)
    )
    out = {}
    for group, sub in reg.projects.groupby(by):
        f = register_flows(Register(sub, reg.report, reg.source, reg.encoding, reg.as_of), params)
        spend = spending(f.started, f.started_output)[1] - without
        out[group] = float(per_yuan * (spend[plan].sum() - spend[base].sum()))
    return pd.Series(out)


def league_table(reg: Register, params: Params, lang: Lang = "zh") -> pd.DataFrame:
    """六比六看-style ranking of counties: signed amount and count, start share, months
    from signing to start, and contribution to this year's output; headers in ``lang``."""
    p = reg.projects
    started = p[p["actual_start"].notna()]
    lag = (started["actual_start"].map(_month) - started["signed"].map(_month)).map(lambda x: x.n)
    lag_by = lag.groupby(started["county"]).median()
    t = breakdown(reg, "county", lang)
    t[tr("v_lag", lang)] = lag_by.reindex(t.index).round(1)
    t[tr("v_output_this_year", lang, base_year=params.calendar.base_year)] = (
        output_this_year(reg, params).reindex(t.index).fillna(0).round(1)
    )
    t = t.sort_values([tr("v_signed_amount", lang), tr("v_started_share", lang)], ascending=False)
    t.insert(0, tr("v_rank", lang), range(1, len(t) + 1))
    t.index.name = tr("v_county", lang)
    return t


def at_risk(reg: Register, months: int = 6, lang: Lang = "zh") -> pd.DataFrame:
    """Projects signed more than ``months`` months before the as-of date and not started,
    and projects planned to produce this year that have not started; headers, reasons and
    industries in ``lang``."""
    p = reg.projects
    as_of = reg.as_of or max(p["signed"])
    not_started = p["actual_start"].isna() & p["actual_production"].isna()
    old = not_started & (p["signed"].map(lambda d: (as_of - d).days) > months * 30.4)
    due = not_started & p["planned_production"].map(
        lambda d: d is not None and d.year == as_of.year
    )
    reason, months_signed = tr("v_reason", lang), tr("v_months_signed", lang)
    rows = p[old | due].assign(
        **{
            reason: np.where(
                old[old | due],
                tr("v_reason_old", lang, months=months),
                tr("v_reason_due", lang),
            ),
            months_signed: p.loc[old | due, "signed"].map(
                lambda d: round((as_of - d).days / 30.4, 1)
            ),
        }
    )
    rows["industry"] = rows["industry"].map(lambda x: industry_label(x, lang))
    signed = tr("v_signed_amount", lang)
    cols = {
        "row": tr("v_row", lang),
        "name": tr("reg_col_name", lang),
        "county": tr("v_county", lang),
        "industry": tr("v_industry", lang),
        "amount_100m_cny": signed,
        "signed": tr("reg_col_signed", lang),
        "planned_start": tr("reg_col_planned_start", lang),
        "planned_production": tr("reg_col_planned_production", lang),
    }
    return (
        rows[[*cols, reason, months_signed]]
        .rename(columns=cols)
        .sort_values(signed, ascending=False)
    )


def import_report(problems: list[Problem], lang: Lang = "zh") -> pd.DataFrame:
    """The register's import report (one row per problem: row, column, value, what was
    expected, severity) with headers and text in ``lang``, indexed by row."""
    df = pd.DataFrame([p.record(lang) for p in problems], columns=REPORT_COLUMNS)
    df = df.rename(columns={c: tr(f"reg_report_{c}", lang) for c in REPORT_COLUMNS})
    return df.set_index(tr("reg_report_row", lang))


def to_excel(views: dict[str, pd.DataFrame], path: str | Path | None = None) -> bytes:
    """Workbook with one sheet per view; written atomically to ``path`` if given."""
    from ..io.atomic import write_bytes
    from ..io.excel import frames_to_xlsx, named_index

    data = frames_to_xlsx(views, index=named_index)
    if path is not None:
        write_bytes(Path(path), data)
    return data
