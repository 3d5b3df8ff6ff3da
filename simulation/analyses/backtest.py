"""Back-tests anyone can rerun: fit with data up to Y−1 only, forecast Y, compare.

* :func:`backtest` — the whole model for one city and year: calibrate on the pack's
  rows up to Y−1, set Y's published drivers from the pack (FAI, industrial FAI and 技改
  growth, signings, new firms, PPI × pass-through, CPI), run the uncertainty scenario,
  and compare GDP, sectors, above-scale output and its real growth, and any year-to-date
  figures with the pack's outcomes for Y, with the p5–p95 band.
* :func:`equation_backtest` — the output equation alone on every city-year of the pack:
  refit on data before each year (rolling origin) and check the predictive 90% band.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..io import datapack as dp
from . import calibration as cal_mod
from .coverage import coverage
from .output_equation import rolling_origin
from .priors import PASS_THROUGH_PRIOR, PLAN_TIME_INDICATORS

#: Draws of the back-test's Monte Carlo and its seed.
DRAWS, SEED = 2000, 20211231


@dataclass
class Backtest:
    """The comparison of one back-test year."""

    city: str
    year: int
    drivers: dict[str, float]
    driver_sources: dict[str, str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            self.rows,
            columns=[
                "quantity",
                "key",
                "growth",
                "actual",
                "forecast",
                "error",
                "error_pct",
                "p5",
                "p95",
                "inside",
            ],
        )

    def coverage(self) -> tuple[int, int]:
        """(outcomes inside the p5–p95 band, outcomes compared)."""
        inside = [r["inside"] for r in self.rows if r["inside"] is not None]
        return int(sum(inside)), len(inside)


#: Quantity names of the whole-model back-test, by the result key (and year-to-date).
QUANTITY = {
    "gdp": "GDP 亿元",
    "va_primary": "VA primary 亿元",
    "va_secondary": "VA secondary 亿元",
    "va_tertiary": "VA tertiary 亿元",
    "gdp_real_growth": "GDP real growth %",
    "gio": "规上工业总产值 亿元",
    "gio_real_growth": "above-scale real growth %",
    "gdp_ytd": "GDP year-to-date 亿元",
    "gio_ytd": "规上工业总产值 year-to-date 亿元",
}


def whole_model_coverage(tests: list[Backtest]) -> dict[str, Any]:
    """Coverage of the whole-model back-tests (every city-year given), per quantity."""
    frames = [t.frame() for t in tests if t.rows]
    rows = pd.concat(frames, ignore_index=True) if frames else Backtest("", 0, {}, {}).frame()
    rows = rows.assign(quantity=rows["key"].map(QUANTITY))
    return coverage(rows)


def _drivers_for(pack: pd.DataFrame, city: str, year: int, theta: float) -> tuple[dict, dict]:
    """The drivers published for ``year``: values (fractions) and their sources."""
    out, src = {}, {}

    def put(driver: str, name: str, who: str = city, scale: float = 0.01) -> None:
        v = dp.annual_value(pack, who, name, year)
        if v is not None:
            out[driver] = v * scale
            src[driver] = (
                f"{who} {year} {name} = {v:g} ({dp.row_source(pack, who, name, str(year))})"
            )

    put("fai_growth_rate", "fai_growth_pct")
    put("industrial_fai_growth_rate", "fai_industrial_growth_pct")
    put("tech_fai_growth_rate", "fai_tech_upgrade_growth_pct")
    put("signed_100m_cny", "invest_promo_signed_amount", scale=1.0)
    put("new_above_scale_firms", "n_new_above_scale_industrial_firms", scale=1.0)
    put("consumer_price_change_rate", "cpi_yoy_pct")
    if "consumer_price_change_rate" not in out:
        put("consumer_price_change_rate", "cpi_yoy_pct", who="china")
    ppi = dp.annual_value(pack, "china", "ppi_yoy_pct", year)
    if ppi is not None:
        out["industrial_price_change_rate"] = theta * ppi / 100.0
        src["industrial_price_change_rate"] = (
            f"national PPI {year} {ppi:g}% × pass-through {theta} "
            f"({dp.row_source(pack, 'china', 'ppi_yoy_pct', str(year))})"
        )
    return out, src


def _drawn_prices(overrides: dict[str, Any]) -> dict[str, Any]:
    """The drivers with the city's industrial price change drawn around pass-through ×
    national PPI: the pass-through (:data:`~.priors.PASS_THROUGH_PRIOR`, mean θ, sd s) is
    uncertain even when the national PPI is known, so the driver's sd is s/θ of its mean."""
    key = "drivers.industrial_price_change_rate"
    if key not in overrides:
        return overrides
    theta, s_theta = PASS_THROUGH_PRIOR
    mean = float(overrides[key])
    sd = max(abs(mean) * s_theta / theta, 1e-6)
    spec = {
        "dist": "normal",
        "mean": mean,
        "sd": sd,
        "low": -0.2,
        "high": 0.3,
        "source": f"national PPI × pass-through {theta} ± {s_theta} [prior]",
    }
    return {**overrides, key: spec}


def _actuals(pack: pd.DataFrame, city: str, year: int) -> list[tuple[str, str, float, str]]:
    """(quantity, result key, actual, how) for every outcome of ``year`` in the pack."""
    rows = []
    gdp = dp.annual_value(pack, city, "gdp", year)
    if gdp is not None:
        rows.append((QUANTITY["gdp"], "gdp", gdp, "annual"))
    for sector in ("primary", "secondary", "tertiary"):
        v = dp.annual_value(pack, city, f"va_{sector}", year)
        share = dp.annual_value(pack, city, f"sector_share_{sector}_pct", year)
        if v is None and share is not None and gdp is not None:
            v = gdp * share / 100.0
        if v is not None:
            rows.append((QUANTITY[f"va_{sector}"], f"va_{sector}", v, "annual"))
    g = dp.annual_value(pack, city, "gdp_real_growth_pct", year)
    if g is not None:
        rows.append((QUANTITY["gdp_real_growth"], "gdp_real_growth", g, "annual"))
    out = dp.annual_value(pack, city, "gross_industrial_output_above_scale", year)
    if out is not None:
        rows.append((QUANTITY["gio"], "gio", out, "annual"))
    va = dp.annual_value(pack, city, "va_industry_above_scale_real_growth_pct", year)
    if va is not None:
        rows.append((QUANTITY["gio_real_growth"], "gio_real_growth", va, "annual"))
    sub = pack[
        (pack["city"] == city)
        & (pack["year"] == year)
        & ~pack["annual"]
        & pack["cumulative"]
        & pack["indicator"].isin(["gdp", "gross_industrial_output_above_scale"])
    ]
    for _, r in sub.iterrows():
        key = "gdp" if r["indicator"] == "gdp" else "gio"
        rows.append((f"{r['indicator']} {r['period']} 亿元", key, float(r["value"]), r["period"]))
    return rows


def _quantity(res, key: str, how: str) -> np.ndarray:
    """Per-draw value of a quantity in the first plan year (or its first months)."""
    a = res.arrays
    t = a["t"]
    plan = (t >= 0) & (t < 12)
    base = t < 0
    if how != "annual":
        last = dp.parse_period(how).last_month
        plan = (t >= 0) & (t < last)
        base = (t < 0) & (t < -12 + last)
    series = {
        "gdp": "gdp_100m_cny",
        "gio": "gross_industrial_output_100m_cny",
        "va_primary": "va_primary_100m_cny",
        "va_tertiary": "va_tertiary_100m_cny",
    }
    if key in series:
        return a[series[key]][:, plan].sum(axis=1)
    if key == "va_secondary":
        return (a["va_industry_100m_cny"] + a["va_construction_100m_cny"])[:, plan].sum(axis=1)
    if key == "gdp_real_growth":
        x = a["gdp_real_100m_cny"]
        return (x[:, plan].sum(axis=1) / x[:, base].sum(axis=1) - 1) * 100
    if key == "gio_real_growth":  # comparable basis: without the entrants, with the exits
        price = np.maximum(
            a["gross_industrial_output_100m_cny"] / a["gross_industrial_output_real_100m_cny"],
            1e-12,
        )
        x = (
            a["gross_industrial_output_real_100m_cny"]
            - (a["gio_new_firms_100m_cny"] + a["gio_exits_100m_cny"]) / price
        )
        return (x[:, plan].sum(axis=1) / x[:, base].sum(axis=1) - 1) * 100
    raise KeyError(key)


def backtest(
    pack: pd.DataFrame,
    city: str,
    year: int,
    draws: int = DRAWS,
    seed: int = SEED,
    risks: pd.DataFrame | None = None,
) -> Backtest:
    """Fit with data up to ``year − 1``, run ``year`` with its published drivers, compare.

    ``risks``: a risk register (:mod:`simulation.io.risks`); those known by ``year − 1``
    are drawn as events, as a planner of ``year`` could have.

    Raises
    ------
    simulation.analyses.calibration.CalibrationError
        The pack lacks the base-year levels for ``year − 1``.
    """
    from ..io.layering import load_scenario
    from . import paramfolder
    from .montecarlo import monte_carlo
    from .result import simulate

    known = pack[(pack["year"] < year) | (pack["indicator"].isin(PLAN_TIME_INDICATORS))]
    cal = cal_mod.calibrate(known, city, year - 1, risks=risks)
    drivers, sources = _drivers_for(pack, city, year, PASS_THROUGH_PRIOR[0])
    bt = Backtest(city, year, drivers, sources)
    for path in (
        "base_year.primary_share",
        "base_year.secondary_share",
        "base_year.industrial_output_100m_cny",
        "pipeline.signed_annual_100m_cny",
    ):  # base-year figures the pack lacked: the back-test rests on their stand-ins
        v = cal.values[path]
        if v.method != "DATA":
            bt.notes.append(f"base year {year - 1} `{path}` = {v.value:.3f}: {v.text}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = paramfolder.write_folder(cal, Path(tmp) / "params", lambda c: "")
        overrides = {f"drivers.{k}": v for k, v in drivers.items()}
        det = simulate(load_scenario("baseline", overrides, params_dir=folder))
        unc = load_scenario("uncertainty", _drawn_prices(overrides), params_dir=folder)
        mc = monte_carlo(unc, draws, seed=seed, params_dir=folder)
    for label, key, actual, how in _actuals(pack, city, year):
        f = float(_quantity(det, key, how)[0])
        vals = _quantity(mc.result, key, how)
        p5, p95 = (float(x) for x in np.percentile(vals, [5, 95]))
        growth = key.endswith("growth")
        bt.rows.append(
            {
                "quantity": label,
                "key": key if how == "annual" else f"{key}_ytd",
                "growth": growth,
                "actual": actual,
                "forecast": f,
                "error": f - actual,
                "error_pct": None if growth else (f / actual - 1) * 100,
                "p5": p5,
                "p95": p95,
                "inside": bool(p5 <= actual <= p95),
            }
        )
    return bt


def outcome_cities(pack: pd.DataFrame) -> list[str]:
    """Cities of the pack with an annual GDP or output figure (national rows left out)."""
    rows = pack[
        pack["annual"]
        & (pack["city"] != "china")
        & pack["indicator"].isin(["gdp", "gross_industrial_output_above_scale"])
    ]
    return sorted(set(rows["city"]))


def backtest_years(pack: pd.DataFrame, city: str) -> list[int]:
    """Years whose outcomes the pack has for ``city`` (a GDP or output figure)."""
    rows = pack[
        (pack["city"] == city)
        & pack["annual"]
        & pack["indicator"].isin(["gdp", "gross_industrial_output_above_scale"])
    ]
    return sorted(int(y) for y in set(rows["year"]))


def equation_backtest(pack: pd.DataFrame, city: str) -> pd.DataFrame:
    """Rolling-origin back-test of the output equation on every city-year of the pack.

    Each city-year is forecast from the rows of earlier years only
    (:func:`simulation.analyses.output_equation.rolling_origin`): a pandemic year is
    predicted as normal (a forecaster could not know of it), the year after one carries
    the rebound as known then, and the band's residual spread is measured on the errors
    of the earlier years' forecasts.

    Returns
    -------
    DataFrame
        ``city, year, actual, forecast, error, sd, p5, p95, inside, normal, spread, n_fit,
        quantity, growth`` (growth in percent).
    """
    rows = rolling_origin(pack, city)
    return rows.assign(quantity="above-scale real growth %", growth=True)
