"""What the dashboard shows, computed from a :class:`~simulation.analyses.result.Result`.

Pure functions, no widgets: each turns a result into the small arrays one chart or card
needs, so the numbers on screen are testable without a browser. Money in 亿元 at current
prices; the first plan year is months ``t = 0..11``. With several draws, the median draw
value per month is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .result import ANNUAL_KEYS, GDP_MECHANISMS, GIO_MECHANISMS, Result

#: Headline indicators: name → (series, real series, target attribute of ``params.targets``).
INDICATORS = {
    "gdp": ("gdp_100m_cny", "gdp_real_100m_cny", "gdp_100m_cny"),
    "industrial_output": (
        "gross_industrial_output_100m_cny",
        "gross_industrial_output_real_100m_cny",
        "industrial_output_100m_cny",
    ),
}
FUNNEL_STAGES = ("signed", "started", "producing", "full")
#: Rows of the results tables (app, reports): annual sums and real growth.
TABLE_KEYS = (*ANNUAL_KEYS, "gdp_real_growth_pct", "gross_industrial_output_real_growth_pct")


def _months(res: Result, key: str, year: int = 0) -> np.ndarray:
    """Monthly values of ``key`` in plan year ``year`` (0 = first; -1 = base year), (12,)."""
    t = res.arrays["t"]
    sel = (t >= 12 * year) & (t < 12 * (year + 1))
    return np.median(res.arrays[key][:, sel], axis=0)


def headline(res: Result) -> dict[str, dict[str, float | bool]]:
    """Annual value, target, gap, met and growth of GDP and industrial output.

    Returns
    -------
    dict
        ``{"gdp": {...}, "industrial_output": {...}}``, each with ``value_100m_cny``,
        ``target_100m_cny``, ``gap_100m_cny``, ``met``, ``real_growth_pct``,
        ``nominal_growth_pct`` (over the base year, %) and, with several draws,
        ``probability``.
    """
    targets = res.targets()
    out = {}
    for name, (key, real, _) in INDICATORS.items():
        rec = dict(targets[name])
        rec["nominal_growth_pct"] = (rec["value_100m_cny"] / _months(res, key, -1).sum() - 1) * 100
        rec["real_growth_pct"] = (_months(res, real).sum() / _months(res, real, -1).sum() - 1) * 100
        out[name] = rec
    return out


@dataclass(frozen=True)
class Path:
    """Cumulative path of one indicator through the first plan year (亿元).

    ``cumulative``, ``calendar_pace`` and ``seasonal_pace`` have shape (12,): end of
    months 1..12. Calendar pace (序时进度) is target × m/12; seasonal pace is the target
    spread like the base year's own months (where the year should stand by month m if it
    follows the usual seasonal pattern and ends exactly on target).
    """

    cumulative: np.ndarray
    calendar_pace: np.ndarray
    seasonal_pace: np.ndarray
    target: float
    base_cumulative: np.ndarray  # the base year's months, cumulated (亿元)

    def growth_pct(self, cumulative: np.ndarray) -> np.ndarray:
        """Cumulative growth on the same months of the base year (%), any shape (..., 12)."""
        return 100.0 * (np.asarray(cumulative) / self.base_cumulative - 1.0)


def cumulative_path(res: Result, indicator: str) -> Path:
    """Cumulative path of ``indicator`` ("gdp" or "industrial_output")."""
    key, _, target_attr = INDICATORS[indicator]
    target = float(getattr(res.scenario.params.targets, target_attr))
    base = _months(res, key, -1)
    m = np.arange(1, 13)
    return Path(
        cumulative=np.cumsum(_months(res, key)),
        calendar_pace=target * m / 12,
        seasonal_pace=target * np.cumsum(base) / base.sum(),
        target=target,
        base_cumulative=np.cumsum(base),
    )


@dataclass(frozen=True)
class Waterfall:
    """Bars of a waterfall from the base-year total to the plan-year total (亿元).

    ``steps`` are the mechanism names between ``"base"`` and ``"total"``; ``bottom`` and
    ``height`` (non-negative) place each bar; ``change`` is signed. The changes add up
    to ``total − base`` exactly.
    """

    names: tuple[str, ...]
    bottom: np.ndarray
    height: np.ndarray
    change: np.ndarray
    kind: tuple[str, ...]  # "total", "up" or "down"


def waterfall(res: Result, indicator: str) -> Waterfall:
    """Waterfall of the change of ``indicator`` over the base year, by mechanism."""
    c = res.contributions(indicator).set_index("mechanism")["change_100m_cny"]
    key = INDICATORS[indicator][0]
    base = float(np.mean(res.arrays[key][:, res.arrays["t"] < 0].sum(axis=1)))
    mechs = GDP_MECHANISMS if indicator == "gdp" else tuple(GIO_MECHANISMS)
    changes = np.array([c[m] for m in mechs])
    level = base + np.concatenate([[0.0], np.cumsum(changes)])
    bottom = np.concatenate([[0.0], np.minimum(level[:-1], level[1:]), [0.0]])
    height = np.concatenate([[base], np.abs(changes), [level[-1]]])
    kind = ("total", *("up" if x >= 0 else "down" for x in changes), "total")
    return Waterfall(
        names=("base", *mechs, "total"),
        bottom=bottom,
        height=height,
        change=np.concatenate([[base], changes, [level[-1]]]),
        kind=kind,
    )


def fai_by_month(res: Result) -> dict[str, np.ndarray]:
    """Monthly fixed-asset investment (亿元): ``plan`` and ``base_year``, each (12,)."""
    return {"plan": _months(res, "fai_100m_cny"), "base_year": _months(res, "fai_100m_cny", -1)}


def funnel(res: Result) -> dict[str, float]:
    """Contract value (亿元) of the signing history and the plan year's signings by the
    stage reached at the end of the first plan year: signed ≥ started ≥ producing ≥ full
    capacity (stocks, so the stages are nested; the year's flows are not, as the
    concentrated start draws on earlier years' backlog)."""
    t = res.arrays["t"]
    return {
        stage: float(np.median(res.arrays[f"{stage}_cum_100m_cny"][:, t == 11]))
        for stage in FUNNEL_STAGES
    }
