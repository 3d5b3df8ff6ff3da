"""A project register as model input: each project follows its own stages.

:func:`register_flows` turns an imported register into arrays on the model's month axis
(48 months of history, then the plan horizon; :func:`simulation.model.run` takes them):

* months the register covers (its first signing month to its as-of month) take their
  signings from the register instead of the scenario's aggregate signings, and the
  scenario's concentrated-start event is switched off (the register holds those starts);
* a project with an actual start starts in that month (no start lag, no start share: it
  has started); one with an actual production date but no start date is placed so that
  its production begins in that month (start = production − its class's build period);
  one with a planned start after the as-of month starts then;
* a project not started by the as-of month (no dates, or a planned start already
  overdue) starts later following the scenario's start-lag distribution *conditional on
  not having started yet*: of each yuan signed ``s`` months before the as-of month,
  ``ρ·pmf(L) / (1 − ρ·F(s))`` starts ``L`` months after signing, for ``L ≥ s``;
* size classes come from the amounts (≥ 50亿 large, 10-50亿 medium, else small); output
  counts only for industrial projects, with the project's output-to-investment ratio where
  the register gives one (relative to the scenario's), and the scenario's additionality.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np

from ..economy.registerflows import RegisterFlows
from ..economy.schema import Params
from ..economy.timeaxis import HISTORY_MONTHS
from .register import Register

__all__ = ["RegisterFlows", "register_flows"]

LARGE_100M_CNY, MEDIUM_100M_CNY = 50.0, 10.0


def month_index(d: _dt.date, params: Params) -> int:
    """Position of a date's month on the extended axis (0 = 48 months before the plan)."""
    first_plan_year = params.calendar.base_year + 1
    return (d.year - first_plan_year) * 12 + (d.month - 1) + HISTORY_MONTHS


def size_class(amount_100m_cny: float) -> int:
    """0 small (< 10亿), 1 medium (10-50亿), 2 large (≥ 50亿)."""
    return (
        2 if amount_100m_cny >= LARGE_100M_CNY else 1 if amount_100m_cny >= MEDIUM_100M_CNY else 0
    )


def _kappa(value: object, default: float) -> float:
    try:
        k = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return k if k == k and k > 0 else default


def register_flows(reg: Register, params: Params) -> RegisterFlows:
    """Arrays for :func:`simulation.model.run` from an imported register."""
    T = HISTORY_MONTHS + params.calendar.horizon_months
    covered = np.zeros(T, bool)
    signed = np.zeros(T)
    pending = np.zeros(T)
    started = np.zeros((3, T))
    started_output = np.zeros((3, T))
    if reg.projects.empty:
        return RegisterFlows(covered, signed, pending, started, started_output, 0)
    pl = params.pipeline
    build = (pl.build_small_months, pl.build_medium_months, pl.build_large_months)
    as_of_date = reg.as_of or max(reg.projects["signed"])
    as_of = min(max(month_index(as_of_date, params), 0), T - 1)
    first = min(max(month_index(min(reg.projects["signed"]), params), 0), T - 1)
    covered[first : as_of + 1] = True
    for p in reg.projects.itertuples():
        s = month_index(p.signed, params)
        if 0 <= s < T:
            signed[s] += p.amount_100m_cny
        c = size_class(p.amount_100m_cny)
        start = None
        if p.actual_start is not None:
            start = month_index(p.actual_start, params)
        elif p.actual_production is not None:
            start = month_index(p.actual_production, params) - int(round(build[c]))
        elif p.planned_start is not None and month_index(p.planned_start, params) > as_of:
            start = month_index(p.planned_start, params)
        if start is None:
            if 0 <= s < T:
                pending[s] += p.amount_100m_cny
            continue
        if not 0 <= start < T:
            continue  # started before the window (its output is in the base year) or after
        started[c, start] += p.amount_100m_cny
        if p.industrial:
            kappa = _kappa(p.output_to_investment, pl.output_to_investment_ratio)
            started_output[c, start] += p.amount_100m_cny * kappa / pl.output_to_investment_ratio
    return RegisterFlows(covered, signed, pending, started, started_output, as_of)
