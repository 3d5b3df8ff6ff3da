"""Tracking against the target with the actual figures (序时进度, re-forecast, 倒排).

Actuals file (CSV, UTF-8 or GBK): columns ``indicator``, ``period``, ``value``, ``unit``
(others, e.g. ``note``, are kept and ignored). Indicators: ``gdp_100m_cny`` and
``gross_industrial_output_100m_cny`` (亿元, year-to-date as published) and
``fai_growth_pct`` (year-to-date growth, %). Periods are cumulative from January of the
first plan year, as the statistics office publishes them: ``2022M1-5`` (1–5月; 1–2月
come combined as ``2022M1-2``), ``2022M5`` (the same as ``2022M1-5``), ``2022Q2``
(Q1 to Q2, i.e. the first half, as quarterly GDP is published), ``2022H1`` and ``2022``.

For each of GDP and output, with ``A`` the latest year-to-date actual through month
``m`` and ``M`` the model's year-to-date value:

* **on pace**: ``A`` against the calendar pace ``T·m/12`` and the seasonal pace
  (``T`` × the base year's share of the year reached by month ``m``);
* **re-forecast**: the rest of the year keeps the observed level relative to the model,
  ``A + (A / M) × (the model's months m+1..12)``: the model's dynamics (seasonality,
  projects coming on stream, shocks) carry forward from where the actuals put the year;
* **probability**: the same re-forecast in every Monte Carlo draw (each with its own
  ``M``), the share of draws reaching the target;
* **required growth**: what the remaining months must grow year on year to reach the
  target, ``(T − A) / (the base year's months m+1..12) − 1``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .register import RegisterError, decode
from .result import Result, simulate
from .scenario import Scenario
from .summary import INDICATORS
from .uncertainty import DEFAULT_SEED, monte_carlo

LEVELS = {
    "gdp_100m_cny": "gdp",
    "gross_industrial_output_100m_cny": "industrial_output",
}
UNITS = {
    "gdp_100m_cny": "亿元",
    "gross_industrial_output_100m_cny": "亿元",
    "fai_growth_pct": "pct",
}
_PERIOD = re.compile(r"^(\d{4})(?:M(?:1-)?(\d{1,2})|Q(?:1-)?([1-4])|H([12]))?$")


class ActualsError(ValueError):
    """An actuals file is not valid; the message names the file, row and field."""


def parse_period(period: str) -> tuple[int, int]:
    """``(year, last month)`` of a year-to-date period (see the module's notes)."""
    m = _PERIOD.match(str(period).strip().upper().replace(" ", ""))
    if not m:
        raise ValueError(
            "a year-to-date period such as YYYYM1-5, YYYYM5, YYYYQ2, YYYYH1 or YYYY (a year)"
        )
    year, mon, q, h = m.groups()
    last = int(mon) if mon else int(q) * 3 if q else int(h) * 6 if h else 12
    if not 1 <= last <= 12:
        raise ValueError("a month between 1 and 12")
    return int(year), last


def read_actuals(path: str | Path, data: bytes | None = None) -> pd.DataFrame:
    """Validated actuals: ``indicator``, ``period``, ``year``, ``month`` (last month of
    the year-to-date period), ``value``, ``unit``, ``row``."""
    path = Path(path)
    raw = data if data is not None else path.read_bytes()
    try:
        text, _ = decode(raw)
    except RegisterError as e:
        raise ActualsError(f"{path.name}: {e}") from None
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    missing = {"indicator", "period", "value", "unit"} - set(df.columns)
    if missing:
        raise ActualsError(
            f"{path.name}: missing column(s) {sorted(missing)}; has {list(df.columns)}"
        )
    rows, problems = [], []
    for i, r in df.iterrows():
        row = i + 2
        ind = r["indicator"].strip()
        if ind not in UNITS:
            problems.append(
                f"{path.name} row {row}: indicator {ind!r}: expected one of {', '.join(UNITS)}"
            )
            continue
        try:
            year, month = parse_period(r["period"])
        except ValueError as e:
            problems.append(f"{path.name} row {row}: period {r['period']!r}: expected {e}")
            continue
        try:
            value = float(r["value"].replace(",", ""))
        except ValueError:
            problems.append(f"{path.name} row {row}: value {r['value']!r}: expected a number")
            continue
        unit = r["unit"].strip()
        if unit != UNITS[ind] and not (UNITS[ind] == "pct" and unit == "%"):
            problems.append(
                f"{path.name} row {row}: unit {unit!r}: expected {UNITS[ind]} for {ind}"
            )
            continue
        rows.append(
            {
                "indicator": ind,
                "period": r["period"].strip(),
                "year": year,
                "month": month,
                "value": value,
                "unit": UNITS[ind],
                "row": row,
            }
        )
    if problems:
        raise ActualsError("\n".join(problems))
    out = pd.DataFrame(rows)
    if out.empty:
        raise ActualsError(f"{path.name}: no actual figures")
    dup = out.duplicated(["indicator", "year", "month"], keep=False)
    if dup.any():
        bad = out[dup]["row"].tolist()
        raise ActualsError(f"{path.name}: rows {bad} give the same indicator and period twice")
    return out


@dataclass
class Tracking:
    """Result of :func:`track`."""

    scenario: str
    year: int
    status: dict[str, dict[str, Any]]
    forecast: dict[str, float]
    probability: dict[str, float] | None
    required_remaining_growth_pct: dict[str, float | None]
    monthly: pd.DataFrame  # month, actual, model, re-forecast and paces (cumulative, 亿元)
    fai: dict[str, float] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "year": self.year,
            "status": self.status,
            "forecast": self.forecast,
            "probability": self.probability,
            "required_remaining_growth_pct": self.required_remaining_growth_pct,
            "fai": self.fai,
            "monthly": self.monthly.to_dict("records"),
        }


def _months(res: Result, key: str, year: int) -> np.ndarray:
    """(D, 12) monthly values of ``key`` in plan year ``year`` (0 first, -1 base year)."""
    t = res.arrays["t"]
    return res.arrays[key][:, (t >= 12 * year) & (t < 12 * (year + 1))]


def track(
    scenario: Scenario,
    actuals: pd.DataFrame,
    register=None,
    draws: int = 500,
    seed: int = DEFAULT_SEED,
    params_dir: str | Path | None = None,
) -> Tracking:
    """On-pace status, re-forecast, probability and required growth (see the module).

    ``params_dir`` is the parameter folder whose ``uncertainty`` scenario gives the
    distributions when ``scenario`` has none (default: the package's ``params/``).
    """
    plan_year = scenario.params.calendar.base_year + 1
    act = actuals[actuals["year"] == plan_year]
    if act.empty:
        raise ActualsError(f"no actual figures for {plan_year}, the first plan year")
    res = simulate(scenario, register=register)
    mc = None
    if draws:
        mc = monte_carlo(scenario, draws, seed, params_dir=params_dir, register=register)
    status, forecast, required = {}, {}, {}
    met_draws = {}
    monthly = {"month": np.arange(1, 13)}
    for key, name in LEVELS.items():
        target = float(getattr(scenario.params.targets, INDICATORS[name][2]))
        model = _months(res, key, 0)[0]
        base = _months(res, key, -1)[0]
        monthly[f"{name}_model"] = np.cumsum(model)
        monthly[f"{name}_calendar_pace"] = target * np.arange(1, 13) / 12
        monthly[f"{name}_seasonal_pace"] = target * np.cumsum(base) / base.sum()
        rows = act[act["indicator"] == key].sort_values("month")
        actual_path = np.full(12, np.nan)
        actual_path[rows["month"].to_numpy() - 1] = rows["value"].to_numpy()
        monthly[f"{name}_actual"] = actual_path
        if rows.empty:
            forecast[key] = float(model.sum())
            required[name] = None
            status[name] = {"actual": None, "through_month": 0}
            if mc is not None:
                met_draws[name] = mc.result._plan_year(key) >= target
            continue
        m = int(rows["month"].iloc[-1])
        A = float(rows["value"].iloc[-1])
        M = float(model[:m].sum())
        ratio = A / M
        rest = float(model[m:].sum())
        fc = A + ratio * rest
        monthly[f"{name}_forecast"] = np.concatenate(
            [np.cumsum(model[:m]) * ratio, A + ratio * np.cumsum(model[m:])]
        )
        cal, sea = target * m / 12, target * base[:m].sum() / base.sum()
        status[name] = {
            "through_month": m,
            "actual": A,
            "model": M,
            "actual_vs_model_pct": (ratio - 1) * 100,
            "calendar_pace": cal,
            "seasonal_pace": sea,
            "vs_calendar_pace": A - cal,
            "vs_seasonal_pace": A - sea,
            "on_calendar_pace": bool(A >= cal),
            "on_seasonal_pace": bool(A >= sea),
            "target": target,
        }
        forecast[key] = fc
        last_year_rest = float(base[m:].sum())
        required[name] = ((target - A) / last_year_rest - 1) * 100 if m < 12 else None
        if mc is not None:
            mm = _months(mc.result, key, 0)
            annual = A + A / mm[:, :m].sum(axis=1) * mm[:, m:].sum(axis=1)
            met_draws[name] = annual >= target
    for name in LEVELS.values():
        monthly.setdefault(f"{name}_forecast", monthly[f"{name}_model"])
    probability = None
    if mc is not None:
        probability = {
            "gdp": float(np.mean(met_draws["gdp"])),
            "industrial_output": float(np.mean(met_draws["industrial_output"])),
            "both": float(np.mean(met_draws["gdp"] & met_draws["industrial_output"])),
        }
    fai = None
    f = act[act["indicator"] == "fai_growth_pct"].sort_values("month")
    if not f.empty:
        m = int(f["month"].iloc[-1])
        model_growth = (
            _months(res, "fai_100m_cny", 0)[0, :m].sum()
            / _months(res, "fai_100m_cny", -1)[0, :m].sum()
            - 1
        ) * 100
        fai = {
            "through_month": m,
            "actual_growth_pct": float(f["value"].iloc[-1]),
            "model_growth_pct": float(model_growth),
        }
    return Tracking(
        scenario.name,
        plan_year,
        status,
        forecast,
        probability,
        required,
        pd.DataFrame(monthly),
        fai,
    )
