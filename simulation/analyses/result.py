"""Simulation results: tidy tables, targets, contributions and provenance."""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._lazy import pd
from ..economy import model, schema
from ..economy.rules import check_draws
from ..io.errors import ScenarioError
from ..io.layering import Scenario, load_scenario

#: Mechanisms of the GDP change over the base year, in the order of a waterfall.
GDP_MECHANISMS = (
    "existing_industry",
    "tech",
    "new_firms",
    "new_projects",
    "construction",
    "services",
    "primary",
    "shocks",
)
#: Mechanisms of the change of gross industrial output.
GIO_MECHANISMS = {
    "existing_industry": "gio_existing_100m_cny",
    "tech": "gio_tech_100m_cny",
    "new_firms": "gio_new_firms_100m_cny",
    "exits": "gio_exits_100m_cny",
    "new_projects": ("gio_projects_initial_100m_cny", "gio_projects_new_100m_cny"),
    "shocks": "gio_shock_100m_cny",
}
ANNUAL_KEYS = (
    "gdp_100m_cny",
    "gross_industrial_output_100m_cny",
    "fai_100m_cny",
    "va_primary_100m_cny",
    "va_industry_100m_cny",
    "va_construction_100m_cny",
    "va_tertiary_100m_cny",
)


def _is_stock(name: str) -> bool:
    return "_cum_" in name


def draw_paths() -> set[str]:
    """Numeric parameters that may carry per-draw values."""
    return set(schema.numeric_paths())


@dataclass
class Result:
    """Output of :func:`simulate`.

    Attributes
    ----------
    scenario : Scenario
    arrays : dict of str to ndarray
        Monthly series, shape (D, 12 + H), from January of the base year.
    seed : int or None
    provenance : dict
    """

    scenario: Scenario
    arrays: dict[str, np.ndarray]
    seed: int | None = None
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def n_draws(self) -> int:
        return int(self.arrays["gdp_100m_cny"].shape[0])

    @property
    def months(self) -> pd.PeriodIndex:
        """Calendar months of the arrays (base year first)."""
        start = pd.Period(f"{self.scenario.params.calendar.base_year}-01", freq="M")
        return pd.period_range(start, periods=self.arrays["t"].size, freq="M")

    def monthly(self, include_base_year: bool = False) -> pd.DataFrame:
        """One row per month (and draw, when there are several), one column per series.

        Money in 亿元 per month at current prices unless the column says ``real``;
        ``_cum_`` columns are cumulative contract value (pipeline funnel).
        """
        t = self.arrays["t"]
        keep = np.ones(t.size, bool) if include_base_year else t >= 0
        months = self.months[keep].astype(str)
        D = self.n_draws
        frame = {"month": np.tile(months, D)}
        if D > 1:
            frame["draw"] = np.repeat(np.arange(D), keep.sum())
        for k in model.SERIES:
            frame[k] = self.arrays[k][:, keep].reshape(-1)
        return pd.DataFrame(frame)

    def annual_arrays(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Annual values as arrays: the calendar years and, per key, shape (D, years).

        Flows are annual sums, stocks (``_cum``) year-end values, ``months`` the months
        simulated in each year, and ``_growth_pct`` keys the growth over the previous
        year (NaN for the first). :meth:`annual` is the same as a table.
        """
        t = self.arrays["t"]
        years = self.scenario.params.calendar.base_year + 1 + np.floor_divide(t, 12)
        uniq = np.unique(years)
        out = {}
        for k in model.SERIES:
            a = self.arrays[k]
            if _is_stock(k):
                out[k] = np.stack([a[:, years == y][:, -1] for y in uniq], axis=1)
            else:
                out[k] = np.stack([a[:, years == y].sum(axis=1) for y in uniq], axis=1)
        months = np.array([(years == y).sum() for y in uniq])
        out["months"] = np.broadcast_to(months, out["gdp_100m_cny"].shape)
        for name, key in (
            ("gdp_real_growth_pct", "gdp_real_100m_cny"),
            ("gross_industrial_output_real_growth_pct", "gross_industrial_output_real_100m_cny"),
            ("gdp_growth_pct", "gdp_100m_cny"),
            ("gross_industrial_output_growth_pct", "gross_industrial_output_100m_cny"),
            ("fai_growth_pct", "fai_100m_cny"),
        ):
            a = out[key]
            g = np.full(a.shape, np.nan)
            g[:, 1:] = (a[:, 1:] / a[:, :-1] - 1) * 100
            out[name] = g
        return uniq, out

    def annual(self) -> pd.DataFrame:
        """One row per calendar year (and draw): annual sums, year-end stocks, growth.

        Growth columns (``_growth_pct``) are over the previous year; real growth at
        base-year prices. A year with fewer than 12 months has ``months < 12``.
        """
        years, out = self.annual_arrays()
        D = self.n_draws
        frame: dict[str, Any] = {"year": np.tile(years, D)}
        if D > 1:
            frame["draw"] = np.repeat(np.arange(D), years.size)
        for k, a in out.items():
            frame[k] = np.asarray(a).reshape(-1)
        return pd.DataFrame(frame)

    def plan_year(self, key: str) -> np.ndarray:
        """The plan year's total of a monthly series per draw, shape (D,), 亿元."""
        t = self.arrays["t"]
        return self.arrays[key][:, (t >= 0) & (t < 12)].sum(axis=1)

    def _base_year(self, key: str) -> np.ndarray:
        t = self.arrays["t"]
        return self.arrays[key][:, t < 0].sum(axis=1)

    def targets(self) -> dict[str, dict[str, Any]]:
        """The first plan year against the targets.

        Returns
        -------
        dict
            ``{"gdp": {...}, "industrial_output": {...}}`` each with ``target_100m_cny``,
            ``value_100m_cny``, ``gap_100m_cny`` (value − target; negative = shortfall),
            ``met``; with several draws the value is the median and ``probability`` the
            share of draws meeting the target.
        """
        p = self.scenario.params.targets
        out = {}
        for name, key, target in (
            ("gdp", "gdp_100m_cny", p.gdp_100m_cny),
            ("industrial_output", "gross_industrial_output_100m_cny", p.industrial_output_100m_cny),
        ):
            vals = self.plan_year(key)
            value = float(np.median(vals))
            rec = {
                "target_100m_cny": float(target),
                "value_100m_cny": value,
                "gap_100m_cny": value - float(target),
                "met": bool(value >= target),
            }
            if vals.size > 1:
                rec["probability"] = float(np.mean(vals >= target))
            out[name] = rec
        return out

    def contributions(self, indicator: str = "gdp") -> pd.DataFrame:
        """Change of the first plan year over the base year, by mechanism.

        Parameters
        ----------
        indicator : {"gdp", "industrial_output"}

        Returns
        -------
        DataFrame
            ``mechanism``, ``change_100m_cny`` (亿元), ``contribution_pct`` (贡献率: share
            of the total change, %), ``pull_pts`` (拉动: change over the base-year total,
            percentage points); a last row ``total``. Draws are averaged. The changes add
            up to the total exactly.
        """
        if indicator == "gdp":
            parts = {m: self.plan_year(f"contrib_{m}_100m_cny") for m in GDP_MECHANISMS}
            total_key = "gdp_100m_cny"
            base_parts = {}
        elif indicator == "industrial_output":
            total_key = "gross_industrial_output_100m_cny"
            parts, base_parts = {}, {}
            for m, keys in GIO_MECHANISMS.items():
                keys = keys if isinstance(keys, tuple) else (keys,)
                parts[m] = sum(self.plan_year(k) for k in keys)
                base_parts[m] = sum(self._base_year(k) for k in keys)
        else:
            raise ValueError(f"indicator must be 'gdp' or 'industrial_output', got {indicator!r}")
        base_total = self._base_year(total_key)
        change_total = self.plan_year(total_key) - base_total
        rows = []
        for m, vals in parts.items():
            change = vals - base_parts.get(m, 0.0)
            rows.append(
                {
                    "mechanism": m,
                    "change_100m_cny": float(np.mean(change)),
                    "contribution_pct": float(np.mean(change / change_total) * 100),
                    "pull_pts": float(np.mean(change / base_total) * 100),
                }
            )
        rows.append(
            {
                "mechanism": "total",
                "change_100m_cny": float(np.mean(change_total)),
                "contribution_pct": 100.0,
                "pull_pts": float(np.mean(change_total / base_total) * 100),
            }
        )
        return pd.DataFrame(rows)

    def drivers(self, year: int = 0) -> dict[str, dict[str, Any]]:
        """The drivers in force in plan year ``year`` (0 = the first): each driver's value
        (median over draws; rates as fractions, signings in 亿元, firms a count) and
        whether the scenario set it (``set``) or the model computed it.
        """
        values = self.arrays["drivers"]
        given = self.scenario.params.drivers
        return {
            name: {
                "value": float(np.median(values[name][:, year])),
                "set": getattr(given, name) is not None
                or f"drivers.{name}" in self.provenance.get("drawn_parameters", []),
            }
            for name in schema.DRIVERS
        }

    def to_dict(self, monthly: bool = True) -> dict[str, Any]:
        """JSON-ready summary: ``city``, ``annual`` (first plan year), ``base_year``, ``targets``,
        ``contributions``, ``monthly`` records (first draw) and ``provenance``."""
        years, out = self.annual_arrays()
        plan = int(np.searchsorted(years, self.scenario.params.calendar.base_year + 1))
        annual = {k: float(np.median(out[k][:, plan])) for k in ANNUAL_KEYS}
        base = {k: float(np.median(out[k][:, plan - 1])) for k in ANNUAL_KEYS}
        annual["gdp_real_growth_pct"] = float(np.median(out["gdp_real_growth_pct"][:, plan]))
        annual["gross_industrial_output_real_growth_pct"] = float(
            np.median(out["gross_industrial_output_real_growth_pct"][:, plan])
        )
        annual["fai_growth_pct"] = float(np.median(out["fai_growth_pct"][:, plan]))
        annual["va_secondary_100m_cny"] = (
            annual["va_industry_100m_cny"] + annual["va_construction_100m_cny"]
        )
        base["va_secondary_100m_cny"] = (
            base["va_industry_100m_cny"] + base["va_construction_100m_cny"]
        )
        drivers = self.drivers()
        annual["industrial_fai_growth_pct"] = drivers["industrial_fai_growth_rate"]["value"] * 100
        annual["tech_fai_growth_pct"] = drivers["tech_fai_growth_rate"]["value"] * 100
        annual["year"] = int(years[plan])
        city = self.scenario.params.city
        d: dict[str, Any] = {
            "scenario": self.scenario.name,
            "city": {"code": city.code, "name_zh": city.name_zh, "name_en": city.name_en},
            "annual": annual,
            "base_year": base,
            "targets": self.targets(),
            "contributions": {
                ind: {
                    r["mechanism"]: r["change_100m_cny"]
                    for r in self.contributions(ind).to_dict("records")
                }
                for ind in ("gdp", "industrial_output")
            },
            "drivers": drivers,
            "provenance": self.provenance,
        }
        if monthly:
            m = self.monthly()
            if self.n_draws > 1:
                m = m[m["draw"] == 0].drop(columns="draw")
            d["monthly"] = m.to_dict("records")
        return d


def _check_draws(draws: Mapping[str, Any], shock_names: set[str]) -> dict[str, np.ndarray]:
    paths = schema.numeric_paths()
    out = {}
    for k, v in draws.items():
        a = np.asarray(v, dtype=float).reshape(-1)
        if k in paths:
            lo, hi = paths[k]["lo"], paths[k]["hi"]
        elif (
            k.startswith("shocks.")
            and k.endswith(".depth_share")
            and k.split(".")[1] in shock_names
        ):
            lo, hi = 0.0, 0.9
        else:
            raise ScenarioError(
                f"draws: '{k}' is not a numeric parameter; valid ones are "
                + ", ".join(sorted(paths))
            )
        if not np.all(np.isfinite(a)) or a.min() < lo or a.max() > hi:
            raise ScenarioError(
                f"draws: '{k}' has values outside {lo} to {hi} (min {a.min():g}, max {a.max():g})"
            )
        out[k] = a
    return out


def created_utc() -> str:
    """Now in UTC (seconds), or ``SOURCE_DATE_EPOCH`` when set: a fixed time makes ``run``
    and ``mc`` JSON byte-identical between runs (for diffing)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            when = _dt.datetime.fromtimestamp(int(epoch), _dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise ValueError(
                f"SOURCE_DATE_EPOCH={epoch!r}: expected whole seconds since 1970-01-01"
            ) from None
        return when.isoformat(timespec="seconds")
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def simulate(
    scenario: Scenario | str = "baseline",
    draws: Mapping[str, Any] | None = None,
    seed: int | None = None,
    register: Any = None,
) -> Result:
    """Run a scenario, deterministically or over per-draw parameter values.

    Parameters
    ----------
    scenario : Scenario or str
        A loaded scenario or a scenario name/path for :func:`load_scenario`.
    draws : mapping of dotted path to array of shape (D,), optional
        Per-draw parameter values, made by the caller from an explicit seed (the core
        draws no random numbers).
    seed : int, optional
        The seed the draws were made with, recorded in the provenance.
    register : simulation.io.register.Register, optional
        A project register: its projects replace the aggregate signings of the months it
        covers and follow their own stages (:mod:`simulation.io.projects`).

    Returns
    -------
    Result

    Raises
    ------
    ScenarioError
        A drawn path the schema does not know, or drawn values outside its bounds.
    simulation.economy.rules.DrawError
        Drawn values that, with the scenario's other values, break a cross-field rule
        (e.g. January signings above the year's), naming the first offending draw.
    """
    from .._version import __version__

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    checked = _check_draws(draws or {}, set(sc.params.shocks))
    if checked:
        check_draws(sc.params, checked)  # the cross-field rules, draw by draw
    flows = None
    if register is not None:
        from ..io.projects import register_flows

        flows = register_flows(register, sc.params)
    arrays = model.run(sc.params, checked, flows)
    prov = {
        "scenario": sc.name,
        "files": list(sc.files),
        "overrides": sc.overrides,
        "inputs_hash": sc.inputs_hash,
        "seed": seed,
        "n_draws": int(arrays["gdp_100m_cny"].shape[0]),
        "drawn_parameters": sorted(checked),
        "register": None
        if register is None
        else {
            "source": register.source,
            "projects": int(len(register.projects)),
            "as_of": str(register.as_of),
        },
        "package_version": __version__,
        "created_utc": created_utc(),
        "parameters": sc.params.model_dump(mode="json"),
    }
    return Result(sc, arrays, seed, prov)
