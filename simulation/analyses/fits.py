"""The calibration's estimators: each a function of a data pack's rows (or of the
parameters and the pack), returning the estimate and how it was reached. The per-section
calibrators that call them and the :class:`~simulation.analyses.calibration.Calibration`
they fill are :mod:`simulation.analyses.calibration`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize
from scipy.special import ndtr

from ..economy.timeaxis import seasonal_weights
from ..io import datapack as dp
from .estimation import Posterior, bayes_regression
from .priors import (
    EXIT_RATE_PRIOR,
    PANDEMIC_YEARS,
    PROJECT_SHARE_OF_INDUSTRIAL_FAI,
    SHARE_DRIFT_PRIOR,
    SIGMA_PRIOR,
    START_MEDIAN_PRIOR,
    START_PLATEAU,
    START_POINTS,
)
from .ytdnoise import LEVELS, fit_share_noise


def pack_source(pack: pd.DataFrame, city: str, name: str, period: str) -> str:
    return f"{city} {period} {name} ({dp.row_source(pack, city, name, period)})"


def gdp_level(pk: pd.DataFrame, city: str, year: int) -> tuple[float | None, str]:
    """GDP of a year: the census-revised figure where the pack has one, else ``gdp``."""
    for name in ("gdp_revised", "gdp"):
        v = pack_value(pk, city, name, year)
        if v is not None:
            return v, name
    return None, "gdp"


def pack_value(pack: pd.DataFrame, city: str, name: str, year: int) -> float | None:
    return dp.annual_value(pack, city, name, year)


def share_of(pk: pd.DataFrame, city: str, sector: str, y: int) -> tuple[float, str] | None:
    """A sector's share of GDP in year ``y`` and its source, or None: published, or its
    level over GDP."""
    s = pack_value(pk, city, f"sector_share_{sector}_pct", y)
    if s is not None:
        return s / 100.0, pack_source(pk, city, f"sector_share_{sector}_pct", str(y))
    lvl, g = pack_value(pk, city, f"va_{sector}", y), gdp_level(pk, city, y)[0]
    if lvl is not None and g is not None:
        return lvl / g, f"va_{sector} / gdp, {pack_source(pk, city, f'va_{sector}', str(y))}"
    return None


def fit_slope(target_share: float, months: int, dip: float) -> float:
    """Seasonal slope such that the first ``months`` months hold ``target_share``."""

    def gap(slope: float) -> float:
        return float(seasonal_weights(slope, dip)[0, :months].sum() - target_share)

    return float(optimize.brentq(gap, -0.99, 0.99, xtol=1e-12))


@dataclass(frozen=True)
class StartLagFit:
    """Fitted start share (plateau), median lag (months) and lognormal sigma."""

    start_share: float
    median_months: float
    sigma: float
    residuals: tuple[float, ...]


def fit_start_lag(
    points=START_POINTS,
    plateau=START_PLATEAU,
    median_prior=START_MEDIAN_PRIOR,
    prior_weight: float = 0.5,
) -> StartLagFit:
    """Least-squares fit of ``ρ · F(L)`` (lognormal) to cohort start shares.

    The published points (45% of signed value started by month 7, 78% by month 18) are
    not consistent with a median of 5 months among starters and a plateau of 0.85
    at the same time, so plateau and median enter as weighted priors.
    """

    def res(x: np.ndarray) -> np.ndarray:
        rho, log_med, log_sig = x
        sig = np.exp(log_sig)
        r = [rho * ndtr((np.log(L) - log_med) / sig) - share for L, share in points]
        r.append(prior_weight * (rho - plateau))
        r.append(prior_weight * 0.1 * (log_med - np.log(median_prior)))
        return np.array(r)

    sol = optimize.least_squares(
        res, x0=[plateau, np.log(median_prior), 0.0], bounds=([0.2, 0.0, -3.0], [1.0, 4.0, 1.5])
    )
    rho, log_med, log_sig = sol.x
    return StartLagFit(
        float(rho), float(np.exp(log_med)), float(np.exp(log_sig)), tuple(float(r) for r in sol.fun)
    )


def share_drift(pk: pd.DataFrame, sector: str) -> tuple[float, int]:
    """How far a sector's share of GDP strays in a year: the sd of the yearly change of its
    log share, from every city's successive shares in the pack (a pair ``k`` years apart
    counts its squared change ÷ ``k``: a random walk), pooled with
    :data:`SHARE_DRIFT_PRIOR`.

    Returns
    -------
    sd : float
        Per year, in logs.
    n : int
        The pairs used.
    """
    z = []
    for city in sorted(set(pk["city"]) - {"china"}):
        years = sorted(set(pk.loc[pk["city"] == city, "year"]))
        seen = [(y, v[0]) for y in years if (v := share_of(pk, city, sector, y)) is not None]
        for (y1, s1), (y2, s2) in zip(seen, seen[1:], strict=False):
            z.append(np.log(s2 / s1) ** 2 / (y2 - y1))
    sd0, nu0 = SHARE_DRIFT_PRIOR
    return float(np.sqrt((nu0 * sd0**2 + sum(z)) / (nu0 + len(z)))), len(z)


def deflator_gaps(pk: pd.DataFrame, sector: str) -> pd.DataFrame:
    """A sector's deflator against national CPI, year by year, where the pack has the
    sector's nominal value added for two successive years and its real growth for the
    second: ``gap = log(VA_t / VA_{t−1}) − log(1 + g_t) − log(1 + CPI_t)``.

    Returns
    -------
    DataFrame
        ``city, year, deflator, gap`` (fractions, log points).
    """
    cpi = pk[pk["annual"] & (pk["city"] == "china") & (pk["indicator"] == "cpi_yoy_pct")]
    cpi_by_year = dict(zip(cpi["year"], cpi["value"] / 100.0, strict=False))
    rows = []
    for city in sorted(set(pk["city"])):
        for y in sorted(set(pk.loc[pk["city"] == city, "year"])):
            now, before = (
                pack_value(pk, city, f"va_{sector}", y),
                pack_value(pk, city, f"va_{sector}", y - 1),
            )
            g = pack_value(pk, city, f"va_{sector}_real_growth_pct", y)
            if None in (now, before, g) or y not in cpi_by_year:
                continue
            deflator = float(np.log(now / before) - np.log1p(g / 100.0))
            rows.append({"city": city, "year": y, "deflator": deflator,
                         "gap": deflator - float(np.log1p(cpi_by_year[y]))})  # fmt: skip
    return pd.DataFrame(rows, columns=["city", "year", "deflator", "gap"])


def sector_sample(pack: pd.DataFrame, name: str, up_to_year: int) -> pd.DataFrame:
    """City-years of a sector's real growth (``name``, percent) up to a year, as fractions,
    with the pandemic year (``pandemic``) and the year after (``after``) marked."""
    rows = pack[
        pack["annual"]
        & (pack["indicator"] == name)
        & (pack["year"] <= up_to_year)
        & (pack["city"] != "china")
    ]
    years = rows["year"].to_numpy().astype(int)
    return pd.DataFrame(
        {
            "city": rows["city"].to_numpy(),
            "year": years,
            "growth": rows["value"].to_numpy() / 100.0,
            "pandemic": np.isin(years, PANDEMIC_YEARS).astype(float),
            "after": np.isin(years - 1, PANDEMIC_YEARS).astype(float),
        }
    )


def fit_growth_trend(sample: pd.DataFrame, origin: int, prior_mean: float) -> Posterior:
    """Bayesian regression of a growth rate on a trend, a pandemic year and the year after.

    ``g = a + τ (year − origin) + γ₀ P + γ₁ A + ε`` (as the output equation codes them:
    the rebound is its own coefficient, not the dip reversed); priors ``a ~
    N(prior_mean, 0.03²)``, ``τ ~ N(0, 0.004²)`` (few city-years: a trend is barely
    identified), ``γ₀ ~ N(−0.05, 0.10²)``, ``γ₁ ~ N(0.025, 0.10²)`` (half the dip back)
    [judgement], residual sd as :data:`SIGMA_PRIOR`.
    """
    X = np.column_stack(
        [
            np.ones(len(sample)),
            sample["year"].to_numpy() - origin,
            sample["pandemic"].to_numpy(),
            sample["after"].to_numpy(),
        ]
    ).reshape(len(sample), 4)
    return bayes_regression(
        X,
        sample["growth"].to_numpy(),
        ("intercept", "trend", "pandemic", "after"),
        np.array([prior_mean, 0.0, -0.05, 0.025]),
        np.array([0.03, 0.004, 0.10, 0.10]),
        *SIGMA_PRIOR,
    )


def fit_capacity_reference(params: Any) -> tuple[float, str]:
    """The projects' new capacity in the first plan year at the base-year pace, as a share
    of base-year output: the part of the output equation's growth that the capacity
    channel now carries (divided by κ × realised share it is
    ``industry.capacity_reference_per_yield``: the model subtracts it from the organic
    growth, so that the baseline's total growth stays the equation's estimate and only
    departures from that pace move output).

    One deterministic run of ``params`` with no industrial price change (real = nominal).
    """
    from ..economy import model

    flat = params.model_copy(
        update={
            "industry": params.industry.model_copy(update={"price_change_rate": 0.0}),
            "drivers": params.drivers.model_copy(update={"industrial_price_change_rate": None}),
        }
    )
    out = model.run(flat)
    plan = (out["t"] >= 0) & (out["t"] < 12)
    added = float(
        (out["gio_projects_initial_100m_cny"] + out["gio_projects_new_100m_cny"])[0, plan].sum()
    )
    y0 = params.base_year.industrial_output_100m_cny
    pp = params.pipeline
    return added / y0, (
        f"capacity the base-year pipeline adds in {params.calendar.base_year + 1}: "
        f"{added:.1f}亿 of {y0:.1f}亿 = {added / y0:.4f} at κ {pp.output_to_investment_ratio:g} "
        f"× realised share {pp.realised_share:.4f} (× industrial share × ramp from "
        f"{pp.ramp_start_share:g} over {pp.ramp_months:g} months), per unit of κ × realised "
        "share"
    )


def fit_realised_share(params: Any) -> tuple[float, str]:
    """Realised share such that base-year industrial project spending is
    :data:`PROJECT_SHARE_OF_INDUSTRIAL_FAI` of industrial FAI less 技改.

    Linear in the share: one run at share 1 gives the spending per unit.
    """
    from ..economy import model

    by = params.base_year
    big = params.model_copy(
        update={
            "base_year": by.model_copy(
                update={"fai_100m_cny": 2e4, "industrial_fai_100m_cny": 1e4}
            ),
            "pipeline": params.pipeline.model_copy(update={"realised_share": 1.0}),
        }
    )
    out = model.run(big)
    base = out["t"] < 0
    per_unit_ind = float(out["fai_projects_industrial_100m_cny"][0, base].sum())
    target = PROJECT_SHARE_OF_INDUSTRIAL_FAI * (
        by.industrial_fai_100m_cny - by.tech_investment_100m_cny
    )
    share = float(np.clip(target / per_unit_ind, 0.02, 1.0))
    return share, (
        f"base-year industrial project spending = {PROJECT_SHARE_OF_INDUSTRIAL_FAI} × "
        f"(industrial FAI {by.industrial_fai_100m_cny:.1f} − 技改 "
        f"{by.tech_investment_100m_cny:.1f}) [judgement share]; at share 1 the history "
        f"signings would spend {per_unit_ind:.1f}亿 on industrial projects in "
        f"{params.calendar.base_year}"
    )


def fit_share_sd(params: Any, pairs: pd.DataFrame) -> tuple[float, str, str]:
    """``tracking.ytd_share_sd``: the model's year-to-date shares of GDP and output (one
    deterministic run of ``params``, base year) against the pack's published pairs
    (:func:`simulation.analyses.ytdnoise.fit_share_noise`).

    Returns
    -------
    value, method, source
    """
    from ..economy import model

    out = model.run(params)
    base = (out["t"] >= -12) & (out["t"] < 0)
    shares = {}
    for indicator, key in LEVELS.items():
        months = out[key][0, base]
        shares[indicator] = np.cumsum(months) / months.sum()
    noise = fit_share_noise(pairs, shares)
    return noise.sd, "ESTIMATED" if noise.n else "PRIOR", noise.source


def fit_exit_rate(pk: pd.DataFrame, up_to_year: int) -> tuple[float, str]:
    """Share of the above-scale register's firms leaving it in a year.

    From the pack's city-years (national rows left out) with the count of firms at the end
    of the year before and of the year, and the year's entrants: exits = N₋₁ + entrants − N.
    Each city-year's rate exits / N₋₁ counts once beside the prior
    :data:`~.priors.EXIT_RATE_PRIOR` (its weight in city-years).

    Returns
    -------
    rate, how
    """
    a = pk[pk["annual"] & (pk["year"] <= up_to_year) & (pk["city"] != "china")]
    count = a[a["indicator"] == "n_above_scale_industrial_firms"].set_index(["city", "year"])
    new = a[a["indicator"] == "n_new_above_scale_industrial_firms"].set_index(["city", "year"])
    rates, where = [], []
    for (c, y), r in count.iterrows():
        if (c, y - 1) in count.index and (c, y) in new.index:
            before = float(count.loc[(c, y - 1), "value"])
            exits = before + float(new.loc[(c, y), "value"]) - float(r["value"])
            if before > 0 and exits >= 0:
                rates.append(exits / before)
                where.append(f"{c} {y}: {exits:g} of {before:g}")
    r0, nu = EXIT_RATE_PRIOR
    rate = (nu * r0 + sum(rates)) / (nu + len(rates))
    return rate, (
        f"firms' exit rate {rate:.3f} = prior {r0} [judgement] worth {nu:g} city-years and "
        f"{len(rates)} measured ({'; '.join(where) or 'no count pairs in the pack'}: firms at "
        "the end of the year before + entrants − firms at the end of the year)"
    )
