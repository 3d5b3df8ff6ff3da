"""Views of a project register: funnel by month, breakdowns, league table, at risk.

All amounts are contract values in 亿元; counts are projects. Each function returns a
DataFrame with Chinese column headers (units in the headers), ready for a page or Excel.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import numpy as np
import pandas as pd

from .economy import pipeline
from .economy.schema import Params
from .economy.timeaxis import HISTORY_MONTHS
from .projects import register_flows
from .register import Register


def _month(d: _dt.date | None) -> pd.Period | None:
    return None if d is None else pd.Period(d, freq="M")


def funnel_by_month(reg: Register) -> pd.DataFrame:
    """Cumulative count and amount signed, started, producing and at full capacity (达产,
    status 已达产) by month, from the register's dates."""
    p = reg.projects
    events = {
        "签约": p["signed"],
        "开工": p["actual_start"],
        "投产": p["actual_production"],
    }
    first = min(_month(d) for d in p["signed"])
    last = _month(reg.as_of) if reg.as_of else max(_month(d) for d in p["signed"])
    months = pd.period_range(first, last, freq="M")
    out = pd.DataFrame(index=months.astype(str))
    out.index.name = "月份"
    for stage, dates in events.items():
        m = pd.Index(dates.map(_month).to_list())
        amounts = p["amount_100m_cny"].to_numpy()
        for label, values in (("个数", np.ones(len(p))), ("金额（亿元）", amounts)):
            s = pd.Series(values, index=m)
            s = s[s.index.notna()].groupby(level=0).sum()
            out[f"{stage}{label}"] = s.reindex(months).fillna(0).cumsum().to_numpy()
    done = p["status"] == "已达产"
    out["达产个数"] = int(done.sum())
    out["达产金额（亿元）"] = float(p.loc[done, "amount_100m_cny"].sum())
    return out


def breakdown(reg: Register, by: str = "county") -> pd.DataFrame:
    """Count and amount by county (``by="county"``) or industry, with the shares
    started and producing (by amount)."""
    p = reg.projects.assign(
        started=reg.projects["actual_start"].notna() | reg.projects["actual_production"].notna(),
        producing=reg.projects["actual_production"].notna(),
    )
    g = p.groupby(by)
    amount = g["amount_100m_cny"].sum()
    out = pd.DataFrame(
        {
            "项目个数": g.size(),
            "签约金额（亿元）": amount.round(2),
            "开工率（按金额，%）": (
                g.apply(
                    lambda x: x.loc[x["started"], "amount_100m_cny"].sum(), include_groups=False
                )
                / amount
                * 100
            ).round(1),
            "投产率（按金额，%）": (
                g.apply(
                    lambda x: x.loc[x["producing"], "amount_100m_cny"].sum(), include_groups=False
                )
                / amount
                * 100
            ).round(1),
        }
    )
    out.index.name = {"county": "县市区", "industry": "行业"}.get(by, by)
    return out.sort_values("签约金额（亿元）", ascending=False)


def output_this_year(reg: Register, params: Params, by: str = "county") -> pd.Series:
    """Output (亿元 at base-year prices) that each group's projects with known starts add in
    the first plan year, through the estimated output equation.

    A yuan more of industrial investment in the plan year than in the base year adds
    ``elasticity × Y0 / I0`` yuan of output (``industry.investment_elasticity``, base-year
    output ``Y0`` and industrial FAI ``I0``); the projects' industrial spending comes from
    the scenario's kernels (realised share, build periods).
    """
    pl, by_ = params.pipeline, params.base_year
    k = pipeline.build_kernels(
        np.array([[[pl.build_small_months], [pl.build_medium_months], [pl.build_large_months]]]),
        pl.ramp_start_share,
        pl.ramp_months,
        HISTORY_MONTHS + params.calendar.horizon_months,
    )
    per_yuan = (
        params.industry.investment_elasticity
        * by_.industrial_output_100m_cny
        / max(by_.industrial_fai_100m_cny, 1e-9)
    )
    plan = slice(HISTORY_MONTHS, HISTORY_MONTHS + 12)
    base = slice(HISTORY_MONTHS - 12, HISTORY_MONTHS)
    out = {}
    for group, sub in reg.projects.groupby(by):
        f = register_flows(Register(sub, reg.report, reg.source, reg.encoding, reg.as_of), params)
        # industrial starts (weighted by relative output intensity) → industrial spending
        flows = pipeline.flows_by_class(
            f.started_output,
            f.started_output,
            k,
            pl.realised_share,
            pl.output_to_investment_ratio,
            1.0,
        )
        spend = flows["spending_100m_cny"][0]
        out[group] = float(per_yuan * (spend[plan].sum() - spend[base].sum()))
    return pd.Series(out)


def league_table(reg: Register, params: Params) -> pd.DataFrame:
    """六比六看-style ranking of counties: signed amount and count, start share, months
    from signing to start, and contribution to this year's output."""
    p = reg.projects
    started = p[p["actual_start"].notna()]
    lag = (started["actual_start"].map(_month) - started["signed"].map(_month)).map(lambda x: x.n)
    lag_by = lag.groupby(started["county"]).median()
    t = breakdown(reg, "county")
    t.index.name = "county"
    t["签约到开工（月，中位数）"] = lag_by.reindex(t.index).round(1)
    t[f"今年产出贡献（亿元，{params.calendar.base_year}年价）"] = (
        output_this_year(reg, params).reindex(t.index).fillna(0).round(1)
    )
    t = t.sort_values(["签约金额（亿元）", "开工率（按金额，%）"], ascending=False)
    t.insert(0, "排名", range(1, len(t) + 1))
    t.index.name = "县市区"
    return t


def at_risk(reg: Register, months: int = 6) -> pd.DataFrame:
    """Projects signed more than ``months`` months before the as-of date and not started,
    and projects planned to produce this year that have not started."""
    p = reg.projects
    as_of = reg.as_of or max(p["signed"])
    not_started = p["actual_start"].isna() & p["actual_production"].isna()
    old = not_started & (p["signed"].map(lambda d: (as_of - d).days) > months * 30.4)
    due = not_started & p["planned_production"].map(
        lambda d: d is not None and d.year == as_of.year
    )
    rows = p[old | due].assign(
        原因=np.where(old[old | due], f"签约超过{months}个月未开工", "计划今年投产但未开工"),
        签约月数=p.loc[old | due, "signed"].map(lambda d: round((as_of - d).days / 30.4, 1)),
    )
    cols = {
        "row": "行号",
        "name": "项目名称",
        "county": "县市区",
        "industry": "行业",
        "amount_100m_cny": "签约金额（亿元）",
        "signed": "签约日期",
        "planned_start": "计划开工",
        "planned_production": "计划投产",
    }
    return (
        rows[[*cols, "原因", "签约月数"]]
        .rename(columns=cols)
        .sort_values("签约金额（亿元）", ascending=False)
    )


def to_excel(views: dict[str, pd.DataFrame], path: str | Path | None = None) -> bytes:
    """Workbook with one sheet per view; written atomically to ``path`` if given."""
    from .batch import write_atomic_bytes
    from .excel import frames_to_xlsx, named_index

    data = frames_to_xlsx(views, index=named_index)
    if path is not None:
        write_atomic_bytes(Path(path), data)
    return data
