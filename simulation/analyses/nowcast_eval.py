"""Rolling evaluation of the nowcast: past years replayed release by release.

For each year Y of the pack with the city's year-to-date releases and an annual outcome:
calibrate on the pack's rows up to Y−1 (as :func:`simulation.analyses.backtest.backtest` does, so
no later figure reaches the priors or the observation noise), then feed Y's releases as
they were known month by month (none, then through each month with a release) and compare
the nowcast of GDP, 工业总产值 and above-scale real growth with Y's published outcome.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..io import datapack as dp
from . import calibration as cal_mod
from .coverage import coverage
from .nowcast import USABLE, WEDGE_SD, YtdNoise, nowcast
from .priors import PLAN_TIME_INDICATORS


def _outcomes(pack: pd.DataFrame, city: str, year: int) -> dict[str, tuple[float, str]]:
    """The year's published outcomes: GDP and output levels (亿元), VA real growth (%)."""
    out = {}
    for name in ("gdp", "gdp_revised"):  # as first published: the releases' own basis
        gdp = dp.annual_value(pack, city, name, year)
        if gdp is not None:
            out["GDP 亿元"] = (gdp, name)
            break
    for name in ("gross_industrial_output_above_scale", "gross_industrial_output"):
        v = dp.annual_value(pack, city, name, year)
        if v is not None:
            out["规上工业总产值 亿元"] = (v, name)
            break
    v = dp.annual_value(pack, city, "va_industry_above_scale_real_growth_pct", year)
    if v is not None:
        out["above-scale VA real growth %"] = (v, "va_industry_above_scale_real_growth_pct")
    return out


def releases_in_year(pack: pd.DataFrame, city: str, year: int) -> pd.DataFrame:
    """The city's year-to-date and single-month releases of ``year`` the nowcast can use
    (and the national PPI)."""
    rel = pack[(pack["year"] == year) & ~pack["annual"] & pack["indicator"].isin(list(USABLE))]
    return rel[
        (rel["city"] == city) | ((rel["city"] == "china") & (rel["indicator"] == "ppi_yoy_pct"))
    ]


def evaluate(
    pack: pd.DataFrame,
    city: str,
    years: list[int] | None = None,
    draws: int = 200,
    risks: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, dict[int, str]]:
    """Nowcast error and band coverage by year and month of information (``risks``: a
    risk register; those known by the year before are drawn, as in the back-test).

    Returns
    -------
    rows : DataFrame
        ``year, through_month, releases, quantity, actual, p5, p50, p95, error, error_pct,
        inside`` (``through_month`` 0 = the model alone, before any release).
    skipped : dict
        Year → why it could not be evaluated.
    """
    from ..io.layering import load_scenario
    from . import paramfolder

    rows, skipped = [], {}
    outcome_years = set(
        pack.loc[
            (pack["city"] == city)
            & pack["annual"]
            & pack["indicator"].isin(["gdp", "gdp_revised", "gross_industrial_output_above_scale",
                                      "gross_industrial_output",
                                      "va_industry_above_scale_real_growth_pct"]),
            "year",
        ]
    )  # fmt: skip
    candidates = sorted(
        set(pack.loc[(pack["city"] == city) & ~pack["annual"], "year"]) & outcome_years
    )
    for year in years or candidates:
        rel = releases_in_year(pack, city, year)
        outcomes = _outcomes(pack, city, year)
        if rel[rel["city"] == city].empty or not outcomes:
            skipped[year] = "no year-to-date release or no annual outcome in the pack"
            continue
        known = pack[(pack["year"] < year) | pack["indicator"].isin(PLAN_TIME_INDICATORS)]
        try:
            cal = cal_mod.calibrate(known, city, year - 1, risks=risks)
        except cal_mod.CalibrationError as e:
            skipped[year] = str(e)
            continue
        with tempfile.TemporaryDirectory() as tmp:
            folder = paramfolder.write_folder(cal, Path(tmp) / "params", lambda c: "")
            sc = load_scenario("baseline", params_dir=folder)
            noise = YtdNoise(sc.params.tracking.ytd_sigma1, 0, "calibrated to Y−1")
            for m in [0, *sorted(set(rel["last_month"]))]:
                known_rel = rel[rel["last_month"] <= m]
                nc = nowcast(sc, known_rel, draws, params_dir=folder, noise=noise)
                for quantity, (actual, _) in outcomes.items():
                    if quantity.startswith("above-scale"):
                        band = nc.state.band(
                            np.array([1.0, 0.0, 0.0]), nc.state.prior.va_offset, WEDGE_SD**2
                        )
                        q = {k: 100 * float(np.expm1(v)) for k, v in band.items()}
                    else:
                        q = nc.state.quantiles(
                            "gdp" if quantity.startswith("GDP") else "industrial_output"
                        )
                    level = not quantity.endswith("%")
                    rows.append(
                        {
                            "year": year,
                            "through_month": m,
                            "releases": len(known_rel),
                            "quantity": quantity,
                            "actual": actual,
                            "p5": q["p5"],
                            "p50": q["p50"],
                            "p95": q["p95"],
                            "error": q["p50"] - actual,
                            "error_pct": (q["p50"] / actual - 1) * 100 if level else np.nan,
                            "inside": bool(q["p5"] <= actual <= q["p95"]),
                        }
                    )
    return pd.DataFrame(rows), skipped


def summary_by_month(rows: pd.DataFrame) -> pd.DataFrame:
    """Coverage and mean absolute error by month of information (levels in %, growth in
    points), pandemic years included."""
    if rows.empty:
        return rows
    r = rows.assign(
        abs_error=np.where(
            rows["quantity"].str.endswith("%"), rows["error"].abs(), rows["error_pct"].abs()
        )
    )
    return (
        r.groupby("through_month")
        .agg(
            cases=("inside", "size"), inside=("inside", "sum"), mean_abs_error=("abs_error", "mean")
        )
        .reset_index()
        .astype({"through_month": int, "cases": int, "inside": int})
    )


def nowcast_coverage(rows: pd.DataFrame) -> dict:
    """Coverage of the replayed nowcasts (:func:`simulation.analyses.coverage.coverage`),
    every year and month of information, per quantity."""
    if rows.empty:
        rows = pd.DataFrame(columns=["quantity", "actual", "p5", "p95", "inside", "error"])
    return coverage(rows.assign(growth=rows["quantity"].str.endswith("%")))
