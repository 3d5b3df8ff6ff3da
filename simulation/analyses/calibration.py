"""Calibration from a data pack: every value of a city's parameter folder, with its source.

:func:`calibrate` takes a pack (:func:`simulation.io.datapack.read_pack`), a city and a base
year and returns a :class:`Calibration`: each value with its method (DATA, DERIVED, FIT,
ESTIMATED, PRIOR, JUDGEMENT) and source, the posterior of the output equation, the
price forecasts and the Monte Carlo distributions. Only rows for years up to the base
year are used, except the plan-time inputs named in :data:`PLAN_TIME_INDICATORS` (a
January signing ceremony or a concentrated start already held when the plan is made).
Writing the folder is :mod:`simulation.analyses.paramfolder`'s job; nothing here touches a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .._paths import PACKAGE_DATA
from ..errors import InputError
from ..io import datapack as dp
from ..io.risks import known_by
from .estimation import AR1, Posterior, ar1_forecast
from .fits import (
    deflator_gaps,
    fit_exit_rate,
    fit_growth_trend,
    fit_slope,
    fit_start_lag,
    gdp_level,
    pack_source,
    pack_value,
    sector_sample,
    share_drift,
    share_of,
)
from .output_equation import (
    fit_output_equation,
    output_sample,
    proxy_error,
    rolling_origin,
    spread_factor,
)
from .priors import (
    CENSUS_REVISION_YEARS,
    CONSTRUCTION_SHARE_RANGE,
    EXIT_RELATIVE_SIZE,
    FAI_GROWTH_PRIOR,
    H1_INVESTMENT_SHARE,
    INDUSTRIAL_SHARE_OF_FAI_PRIOR,
    JAN_AUG_INDUSTRIAL_SHARE_PRIOR,
    NEW_FIRMS_PRIOR,
    PANDEMIC_YEARS,
    PASS_THROUGH_PRIOR,
    PLAN_TIME_INDICATORS,
    PRIMARY_GROWTH_PRIOR,
    SHARE_DRIFT_PRIOR,
    SIGNED_PER_GDP_PRIOR,
    START_MEDIAN_PRIOR,
    START_PLATEAU,
    TERTIARY_GROWTH_PRIOR,
    VA_RATE_PRIOR,
    VA_RATE_RANGE,
)
from .ytdnoise import fit_ytd_noise, level_pairs

DATA = PACKAGE_DATA


class CalibrationError(InputError):
    """The pack lacks what a parameter folder cannot do without; the message says what."""


@dataclass
class Value:
    """One calibrated value: dotted path, value, method and source."""

    path: str
    value: Any
    method: str  # DATA, DERIVED, FIT, ESTIMATED, PRIOR, JUDGEMENT
    source: str
    fit: str = ""

    @property
    def text(self) -> str:
        return f"{self.method}: {self.source}" + (f" ({self.fit})" if self.fit else "")


@dataclass
class Calibration:
    """Everything :func:`calibrate` found, ready to be written as a parameter folder."""

    city: str
    base_year: int
    values: dict[str, Value] = field(default_factory=dict)
    distributions: dict[str, dict[str, Any]] = field(default_factory=dict)
    output: Posterior | None = None
    output_sample: pd.DataFrame | None = None
    prices: dict[str, AR1 | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    counties: Any = None  # datapack.Counties, when calibrate was given a counties file
    risks: pd.DataFrame | None = None  # the known risks drawn as events (io.risks)
    level_pairs: pd.DataFrame | None = None  # year-to-date and annual levels (ytdnoise)

    def set(self, path: str, value: Any, method: str, source: str, fit: str = "") -> None:
        self.values[path] = Value(path, value, method, source, fit)

    def get(self, path: str) -> Any:
        return self.values[path].value

    def nested(self) -> dict[str, Any]:
        """The values as nested sections (``{"industry": {"va_rate": ...}}``)."""
        out: dict[str, Any] = {}
        for path, v in self.values.items():
            node = out
            *head, last = path.split(".")
            for k in head:
                node = node.setdefault(k, {})
            node[last] = v.value
        return out


# --- small fits kept from the first calibration ------------------------------------------


# --- the calibration ----------------------------------------------------------------------


def _mean_normal_years(pack: pd.DataFrame, name: str, cities: list[str], up_to: int) -> list:
    rows = pack[
        pack["annual"]
        & (pack["indicator"] == name)
        & pack["city"].isin(cities)
        & (pack["year"] <= up_to)
        & ~pack["year"].isin(PANDEMIC_YEARS)
        & ~pack["year"].isin([y + 1 for y in PANDEMIC_YEARS])
    ]
    return [float(v) / 100.0 for v in rows["value"]]


def calibrate(
    pack: pd.DataFrame,
    city: str,
    base_year: int,
    targets: dict[str, float] | None = None,
    labels: dict[str, str] | None = None,
    risks: pd.DataFrame | None = None,
) -> Calibration:
    """Estimate a city's parameters from a data pack, with data up to ``base_year``.

    Parameters
    ----------
    pack : DataFrame
        From :func:`simulation.io.datapack.read_pack` (any cities; peers are pooled).
    city : str
        The city to calibrate (the pack's ``city`` code).
    base_year : int
        The last year whose figures are used; the plan year is ``base_year + 1``.
    targets : dict, optional
        ``gdp_100m_cny`` and ``industrial_output_100m_cny`` for the plan year; by default
        the pack's ``gdp_target`` / ``gross_industrial_output_above_scale_target`` rows of
        the plan year, else 0 (no target).
    risks : DataFrame, optional
        A risk register (:func:`simulation.io.risks.read_risks`): the risks known by
        ``base_year`` are drawn as events in the uncertainty scenario.

    Returns
    -------
    Calibration

    Raises
    ------
    CalibrationError
        The pack lacks the base year's GDP, sector split or industrial output for the city.
    """
    plan = base_year + 1
    plan_inputs = pack[
        (pack["year"] == plan)
        & pack["indicator"].isin(PLAN_TIME_INDICATORS)
        & (pack["city"] == city)
    ]
    pk = dp.up_to(pack, base_year)
    if city not in set(pk["city"]):
        raise CalibrationError(
            f"the pack has no rows for city '{city}' up to {base_year}; cities in it: "
            + ", ".join(sorted(set(pack["city"])))
        )
    cal = Calibration(city, base_year, labels=dict(labels or {}))
    cal.risks = known_by(risks, base_year)
    _base_levels(cal, pk, city, base_year)
    _targets(cal, pack, city, plan, targets)
    _output_equation(cal, pk, city, base_year)
    _prices(cal, pk, city, base_year)
    _sectors(cal, pk, city, base_year)
    _investment(cal, pk, city, base_year)
    _pipeline(cal, pk, plan_inputs, city, base_year)
    _seasonality(cal, pk, city, base_year)
    _tracking(cal, pk)
    _plausibility(cal, pk)
    return cal


#: Plausibility limit → pack indicator (annual rows, percent) whose range it takes.
_RECORD_RANGES = {
    "gdp_real_growth": "gdp_real_growth_pct",
    "industrial_real_growth": "va_industry_above_scale_real_growth_pct",
    "fai_growth": "fai_growth_pct",
    "industrial_fai_share": "fai_industrial_share_of_fai_pct",
}
#: Limits used where the pack has fewer than 3 annual rows; the industrial share of FAI is
#: a judgement range (annual shares are rarely published; the pack's one figure, Jingzhou's
#: January-August 2021, is 33%) widened by any annual rows.
_RECORD_PRIORS = {
    "gdp_real_growth": (-0.10, 0.15),
    "industrial_real_growth": (-0.15, 0.20),
    "fai_growth": (-0.30, 0.30),
    "industrial_fai_share": (0.20, 0.60),
}


def _plausibility(cal: Calibration, pk: pd.DataFrame) -> None:
    """The warnings strip's limits: the range the pack's cities recorded (any city)."""
    for name, indicator in _RECORD_RANGES.items():
        rows = pk[(pk["indicator"] == indicator) & pk["annual"]]
        lo, hi = _RECORD_PRIORS[name]
        if name == "industrial_fai_share":  # few rows anywhere: widen the prior with them
            v = rows["value"] / 100.0
            lo, hi = min([lo, *v]), max([hi, *v])
            src = f"judgement range 0.20-0.60 widened by {len(v)} annual row(s) of the pack"
            cal.set(f"plausibility.{name}_lo", round(lo, 4), "PRIOR", src)
            cal.set(f"plausibility.{name}_hi", round(hi, 4), "PRIOR", src)
            continue
        if len(rows) >= 3:
            i, j = rows["value"].idxmin(), rows["value"].idxmax()
            for bound, k in (("lo", i), ("hi", j)):
                r = rows.loc[k]
                cal.set(
                    f"plausibility.{name}_{bound}",
                    round(float(r["value"]) / 100.0, 4),
                    "DATA",
                    f"{'lowest' if bound == 'lo' else 'highest'} of {len(rows)} annual "
                    f"{indicator} rows ({rows['city'].nunique()} cities, "
                    f"{int(rows['year'].min())}-{int(rows['year'].max())}): "
                    + (  # a peer's row is found in the pack by its value; no peer named here
                        f"{r['period']} {r['source_url']}"
                        if r["city"] == cal.city
                        else f"a peer city's {r['period']} figure (its page is in the pack)"
                    ),
                )
        else:
            src = f"the pack has {len(rows)} annual {indicator} row(s): judgement range"
            cal.set(f"plausibility.{name}_lo", lo, "PRIOR", src)
            cal.set(f"plausibility.{name}_hi", hi, "PRIOR", src)
    cal.set(
        "plausibility.signed_vs_history_max",
        1.5,
        "JUDGEMENT",
        "half as much again as the best year of the city's own signing history",
    )


def _tracking(cal: Calibration, pk: pd.DataFrame) -> None:
    # measured against the model's shares (fit_share_noise), out of sample: the city's
    # base-year January-August output fixed the industry profile (_seasonality)
    pairs = level_pairs(pk)
    fitted = (
        (pairs["city"] == cal.city)
        & (pairs["year"] == cal.base_year)
        & (pairs["indicator"] == "gross_industrial_output_above_scale")
        & (pairs["last_month"] == 8)
    )
    cal.level_pairs = pairs[~fitted].reset_index(drop=True)
    noise = fit_ytd_noise(pk)
    cal.set(
        "tracking.ytd_sigma1",
        noise.sigma1,
        "ESTIMATED" if noise.n >= 3 else "PRIOR",
        noise.source,
        f"{noise.n} pairs",
    )


def _base_levels(cal: Calibration, pk: pd.DataFrame, city: str, Y: int) -> None:
    cal.set("calendar.base_year", Y, "DATA", f"last year with data in the pack ({Y})")
    gdp, name = gdp_level(pk, city, Y)
    if gdp is None:
        raise CalibrationError(f"the pack has no annual 'gdp' for {city} in {Y}")
    cal.set("base_year.gdp_100m_cny", gdp, "DATA", pack_source(pk, city, name, str(Y)))
    shares = {}
    for sector in ("primary", "secondary"):
        shares[sector] = _sector_share(pk, city, sector, Y)
        cal.set(f"base_year.{sector}_share", *shares[sector][:3])
    out = pack_value(pk, city, "gross_industrial_output_above_scale", Y)
    name = "gross_industrial_output_above_scale"
    if out is None:
        out, name = pack_value(pk, city, "gross_industrial_output", Y), "gross_industrial_output"
    if out is not None:
        cal.set(
            "base_year.industrial_output_100m_cny", out, "DATA", pack_source(pk, city, name, str(Y))
        )
        out_low = out
    else:
        out, how = _output_from_value_added(gdp * shares["secondary"][0])
        cal.set("base_year.industrial_output_100m_cny", out, "PRIOR", how)
        out_low = round(out * VA_RATE_PRIOR / VA_RATE_RANGE[1], 1)
        cal.distributions["base_year.industrial_output_100m_cny"] = {
            "dist": "triangular",
            "low": out_low,
            "mode": round(out, 1),
            "high": round(out * VA_RATE_PRIOR / VA_RATE_RANGE[0], 1),
            "source": f"the VA rate's range {VA_RATE_RANGE[0]}-{VA_RATE_RANGE[1]} (MODEL.md §3.1)",
        }
        cal.notes.append(
            f"The pack has no above-scale gross industrial output for {city} in {Y}: the "
            f"base-year level {out:.1f}亿 is derived from secondary value added and a VA-rate "
            "prior, and is drawn in the uncertainty scenario."
        )
    for sector, (v, _, _, year) in shares.items():
        if year < Y:  # a stand-in from an earlier year: drawn with the measured drift
            sd_year, n = share_drift(pk, sector)
            sd = v * sd_year * np.sqrt(Y - year)
            high = v + 4 * sd
            if sector == "secondary":  # no draw may imply an impossible VA rate of output
                high = min(high, 0.99 * _share_at_va_limit(gdp, out_low))
            cal.distributions[f"base_year.{sector}_share"] = _normal(
                v,
                sd,
                max(v - 4 * sd, 0.0),
                min(high, 1.0),
                f"the {year} share carried {Y - year} year(s): its log drifts {sd_year:.3f} a "
                f"year (sd, {n} pairs of a city's shares in the pack, pooled with the prior "
                f"{SHARE_DRIFT_PRIOR[0]} worth {SHARE_DRIFT_PRIOR[1]:g} pairs [judgement])",
            )


def _share_at_va_limit(gdp: float, output: float) -> float:
    """The secondary share at which the base year's above-scale VA rate reaches the upper
    end of :data:`simulation.economy.rules.IMPLIED_VA_RATE_RANGE`, with the lowest
    construction share drawn (:data:`CONSTRUCTION_SHARE_RANGE`)."""
    from ..economy.rules import IMPLIED_VA_RATE_RANGE

    values = yaml.safe_load((DATA / "template.yaml").read_text(encoding="utf-8"))["values"]
    below = float(values["industry"]["below_scale_share_of_industrial_va"])
    va = IMPLIED_VA_RATE_RANGE[1] * output
    return va / (gdp * (1 - CONSTRUCTION_SHARE_RANGE[0]) * (1 - below))


def _output_from_value_added(va_secondary: float) -> tuple[float, str]:
    """Above-scale gross output from secondary VA when the pack has no output figure.

    Industry's VA = secondary VA × (1 − construction's share); above-scale = that × (1 − the
    below-scale share); output = above-scale VA / the VA rate (MODEL.md §3.1: ≈0.27).
    """
    values = yaml.safe_load((DATA / "template.yaml").read_text(encoding="utf-8"))["values"]
    con = float(values["base_year"]["construction_share_of_secondary"])
    below = float(values["industry"]["below_scale_share_of_industrial_va"])
    out = va_secondary * (1 - con) * (1 - below) / VA_RATE_PRIOR
    return out, (
        f"no output figure in the pack: secondary VA {va_secondary:.1f} × (1 − construction "
        f"{con}) × (1 − below-scale {below}) / VA rate {VA_RATE_PRIOR} (MODEL.md §3.1 prior)"
    )


def _sector_share(pk: pd.DataFrame, city: str, sector: str, Y: int) -> tuple:
    """A sector's share of GDP in ``Y`` (published, from its level, or the latest earlier):
    value, method, source and the year it is of."""
    found = share_of(pk, city, sector, Y)
    if found is not None:
        return found[0], "DERIVED" if found[1].startswith("va_") else "DATA", found[1], Y
    for y in range(Y - 1, Y - 6, -1):
        found = share_of(pk, city, sector, y)
        if found is not None:
            return found[0], "DERIVED", f"{y} share (no {Y} figure in the pack), {found[1]}", y
    raise CalibrationError(
        f"the pack has neither sector_share_{sector}_pct nor va_{sector} for {city} in {Y} "
        "or the five years before"
    )


def _targets(cal: Calibration, pack: pd.DataFrame, city: str, plan: int, targets) -> None:
    targets = targets or {}
    for path, name in (
        ("gdp_100m_cny", "gdp_target"),
        ("industrial_output_100m_cny", "gross_industrial_output_above_scale_target"),
    ):
        if path in targets and targets[path] is not None:
            cal.set(
                f"targets.{path}", float(targets[path]), "DATA", "given to calibrate (--target-*)"
            )
            continue
        v = pack_value(pack, city, name, plan)
        if v is not None:
            cal.set(f"targets.{path}", v, "DATA", pack_source(pack, city, name, str(plan)))
        else:
            cal.set(f"targets.{path}", 0.0, "JUDGEMENT", "no target in the pack (0 = none)")


def _output_equation(cal: Calibration, pk: pd.DataFrame, city: str, Y: int) -> None:
    sample = output_sample(pk, city, Y)
    proxy = proxy_error(pk, Y)
    fit = fit_output_equation(sample, Y + 1, proxy.sd)
    post, xbar = fit.post, fit.xbar
    cal.output, cal.output_sample = post, sample
    k, k_how = spread_factor(rolling_origin(pk, city, Y))
    n, n_own = len(sample), int(sample["own"].sum())
    fit_text = f"n = {n} city-years ({n_own} normal years of {city}), residual sd {post.sigma:.4f}"
    a, sa = post.of("intercept")
    u, su = post.of("city")
    cov = post.cov
    i_a, i_b, i_u = (post.names.index(x) for x in ("intercept", "elasticity", "city"))
    sd_org = float(np.sqrt(cov[i_a, i_a] + cov[i_u, i_u] + 2 * cov[i_a, i_u]))
    b, sb = post.of("elasticity")
    cal.set(
        "industry.organic_real_growth_rate",
        a + u,
        "ESTIMATED",
        f"output equation: pooled growth of {Y + 1} at mean investment growth (intercept with "
        "the trend) + the city's own deviation in its normal years",
        f"{a:+.4f} {u:+.4f} ± {sd_org:.4f}; {fit_text}",
    )
    cal.set(
        "industry.investment_elasticity",
        max(b, 0.0),
        "ESTIMATED",
        "output equation",
        f"{b:.4f} ± {sb:.4f}; {fit_text}",
    )
    cal.set(
        "industry.investment_growth_mean_rate",
        xbar,
        "DATA",
        f"mean investment growth of the sample's normal years "
        f"({int(sample['normal'].sum())} city-years)",
    )
    if Y in PANDEMIC_YEARS:
        m, s, how = fit.rebound()
        cal.set(
            "industry.recovery_rate",
            float(np.clip(m, 0.0, 0.5)),
            "ESTIMATED",
            f"the base year {Y} was a pandemic year: the output equation's rebound",
            f"{m:.4f} ± {s:.4f}; {how}",
        )
        cal.distributions["industry.recovery_rate"] = _normal(
            m, s, 0.0, 0.5, f"the output equation's rebound ({how})"
        )
    else:
        cal.set("industry.recovery_rate", 0.0, "DATA", f"the base year {Y} was not a pandemic year")
    cal.distributions["industry.organic_real_growth_rate"] = _normal(
        a + u, sd_org, -0.3, 0.3, f"posterior of the output equation ({fit_text})"
    )
    cal.distributions["industry.investment_elasticity"] = _normal(
        max(b, 0.0), sb, 0.0, 1.0, f"posterior of the output equation ({fit_text})"
    )
    # organic = intercept + city: its covariance with the elasticity, as a correlation
    rho = float((cov[i_a, i_b] + cov[i_u, i_b]) / (sd_org * sb))
    cal.distributions["industry.organic_real_growth_rate"]["corr"] = [
        ["industry.investment_elasticity", round(rho, 4)]
    ]
    cal.distributions["industry.growth_shock_rate"] = _normal(
        0.0,
        k * post.sigma,
        -0.3,
        0.3,
        f"residual sd of the output equation ({fit_text}) × out-of-sample spread {k:.2f} ({k_how})",
    )
    if sample["proxy"].any():
        cal.notes.append(
            f"Output equation: {int(sample['proxy'].sum())} of {n} rows use total FAI growth "
            f"for industrial FAI growth; industrial FAI growth strays from it by {proxy.how}. "
            "The industrial series swings more than the total (a Berkson error: no "
            "attenuation of the slope), so each proxy row's residual variance is σ² + "
            "E[b²]·σ_u² and the fit weights it by that."
        )
    cal.notes.append(
        f"Output equation: the organic growth and the elasticity are drawn jointly "
        f"(correlation {rho:+.2f} in the posterior, a Gaussian copula on their unit draws); "
        f"the year's residual with sd σ × {k:.2f}, the out-of-sample spread ({k_how})."
    )


def _normal(mean: float, sd: float, lo: float, hi: float, source: str) -> dict[str, Any]:
    mean = float(np.clip(mean, lo, hi))
    return {
        "dist": "normal",
        "mean": round(mean, 6),
        "sd": round(max(float(sd), 1e-6), 6),
        "low": lo,
        "high": hi,
        "source": source,
    }


def _prices(cal: Calibration, pk: pd.DataFrame, city: str, Y: int) -> None:
    nat = pk[pk["annual"] & (pk["city"] == "china")]
    for key, name in (("ppi", "ppi_yoy_pct"), ("cpi", "cpi_yoy_pct")):
        rows = nat[nat["indicator"] == name]
        cal.prices[key] = ar1_forecast(rows["year"].to_numpy(), rows["value"].to_numpy() / 100.0, Y)
    ppi = cal.prices["ppi"]
    theta, s_theta = PASS_THROUGH_PRIOR
    if ppi is None:
        mean, sd = 0.0, 0.03
        how = ("PRIOR", "no national PPI series in the pack: 0 ± 3 points [judgement]", "")
    else:
        mean = theta * ppi.forecast
        sd = float(np.sqrt((theta * ppi.forecast_sd) ** 2 + (s_theta * ppi.forecast) ** 2))
        how = (
            "ESTIMATED",
            f"AR(1) forecast of national PPI for {Y + 1} × pass-through {theta} ± {s_theta} "
            "[prior]",
            f"PPI {ppi.forecast:+.4f} ± {ppi.forecast_sd:.4f}, ρ {ppi.rho:.2f}, n {ppi.n}",
        )
    cal.set("industry.price_change_rate", mean, *how)
    cal.distributions["industry.price_change_rate"] = _normal(mean, sd, -0.2, 0.3, how[1])
    cpi = cal.prices["cpi"]
    own = pack_value(pk, city, "cpi_yoy_pct", Y)
    if cpi is None:
        m, s = 0.02, 0.01
        how = ("PRIOR", "no national CPI series in the pack: 2% ± 1 point [judgement]", "")
    else:
        m, s = cpi.forecast, cpi.forecast_sd
        how = (
            "ESTIMATED",
            f"AR(1) forecast of national CPI for {Y + 1}",
            f"{m:+.4f} ± {s:.4f}, ρ {cpi.rho:.2f}, n {cpi.n}"
            + (f"; the city's {Y} CPI was {own:.1f}%" if own is not None else ""),
        )
    for sector in ("tertiary", "primary"):
        path = f"accounts.{sector}_price_change_rate"
        gaps = deflator_gaps(pk, sector)
        if cpi is None or len(gaps) < 3:  # CPI alone: too few sector deflators measured
            cal.set(path, m, *how)
            cal.distributions[path] = _normal(m, s, -0.1, 0.2, how[1])
            continue
        # the mean from years without a census revision (a level jump, not prices); the
        # spread from every year (a revision is a risk of the published figure too)
        normal = gaps[~gaps["year"].isin(CENSUS_REVISION_YEARS)]
        # rounded as base.yaml writes them, so that the deflator less its gap is exactly
        # the CPI forecast in every sector (a pinned CPI driver then changes nothing)
        gap = round(float((normal if len(normal) else gaps)["gap"].mean()), 6)
        m = round(m, 6)
        gap_sd = float(gaps["gap"].std(ddof=1))
        sd = float(np.sqrt(s**2 + gap_sd**2 * (1 + 1 / len(gaps))))
        years = f"{gaps['year'].min()}-{gaps['year'].max()}"
        text = (
            f"AR(1) forecast of national CPI for {Y + 1} plus the mean gap of the {sector} "
            f"deflator over CPI, {len(gaps)} years ({years}) of first-published nominal and "
            f"real {sector} value added ({', '.join(sorted(set(gaps['city'])))}): the mean of "
            f"the {len(normal)} years without a census revision, the spread of all (a "
            "revision moves the published figure a forecast is judged against)"
        )
        fit = (
            f"CPI {m:+.4f} ± {s:.4f}; gap {gap:+.4f} ± {gap_sd:.4f} (sd of the years); sd {sd:.4f}"
        )
        cal.set(path, m + gap, "ESTIMATED", text, fit)
        cal.distributions[path] = _normal(m + gap, sd, -0.1, 0.2, text)
        # with a CPI driver (a back-test, a planner's CPI) the gap alone is drawn
        gap_path = f"accounts.{sector}_price_gap_rate"
        gap_text = f"mean gap of the {sector} deflator over CPI, {len(gaps)} years ({years})"
        cal.set(gap_path, gap, "ESTIMATED", gap_text, fit)
        gap_draw_sd = gap_sd * float(np.sqrt(1 + 1 / len(gaps)))
        cal.distributions[gap_path] = _normal(gap, gap_draw_sd, -0.1, 0.1, gap_text)


def _sectors(cal: Calibration, pk: pd.DataFrame, city: str, Y: int) -> None:
    spill = 0.3  # accounts.services_spillover_elasticity (template)
    sec = fit_growth_trend(sector_sample(pk, "va_secondary_real_growth_pct", Y), Y + 1, 0.07)
    for sector, prior in (("primary", PRIMARY_GROWTH_PRIOR), ("tertiary", TERTIARY_GROWTH_PRIOR)):
        sample = sector_sample(pk, f"va_{sector}_real_growth_pct", Y)
        post = fit_growth_trend(sample, Y + 1, prior)
        m, s = post.of("intercept")
        path = f"accounts.{sector}_real_growth_rate"
        fit = (
            f"n {post.n}, trend {post.of('trend')[0]:+.4f}/yr, residual sd {post.sigma:.4f}; "
            f"share of precision from data {post.data_weight()[0]:.2f}"
        )
        how = (
            f"Bayesian trend regression of {sector} real growth on {len(sample)} city-years, "
            f"value for {Y + 1}"
        )
        if sector == "tertiary":  # own growth: less the spill-over of the secondary sector's
            m -= spill * sec.of("intercept")[0]
            how += (
                f", less the spill-over {spill} × secondary growth ({sec.of('intercept')[0]:.4f})"
            )
        method = "ESTIMATED" if post.n >= 3 else "PRIOR"
        cal.set(path, m, method, how, fit)
        sd = float(np.sqrt(s**2 + post.sigma**2))
        cal.distributions[path] = _normal(m, sd, -0.3, 0.3, how + " (coefficient and residual sd)")


def _investment(cal: Calibration, pk: pd.DataFrame, city: str, Y: int) -> None:
    def find(name: str, year: int) -> float | None:
        return pack_value(pk, city, name, year)

    # 技改: level and the year before
    tech = find("fai_tech_upgrade", Y)
    tg = find("fai_tech_upgrade_growth_pct", Y)
    prev = find("fai_tech_upgrade", Y - 1)
    out = cal.get("base_year.industrial_output_100m_cny")
    # industrial FAI level
    ind = find("fai_industrial", Y)
    ind_g = find("fai_industrial_growth_pct", Y)
    fai_g = find("fai_growth_pct", Y)
    if ind is not None:
        cal.set(
            "base_year.industrial_fai_100m_cny",
            ind,
            "DATA",
            pack_source(pk, city, "fai_industrial", str(Y)),
        )
    else:
        ind_prev = find("fai_industrial", Y - 1)
        share = find("fai_tech_upgrade_share_of_industrial_fai_pct", Y - 1)
        tech_prev = (
            prev
            if prev is not None
            else (tech / (1 + tg / 100) if tech is not None and tg is not None else None)
        )
        how = ""
        if ind_prev is None and share is not None and tech_prev is not None:
            ind_prev = tech_prev / (share / 100.0)
            how = f"技改 {Y - 1} {tech_prev:.1f} / its share of industrial FAI {share:.1f}%"
        elif ind_prev is not None:
            how = pack_source(pk, city, "fai_industrial", str(Y - 1))
        g = ind_g if ind_g is not None else fai_g
        if ind_prev is not None and g is not None:
            val = ind_prev * (1 + g / 100.0)
            proxy = (
                ""
                if ind_g is not None
                else " (industrial FAI growth not published: total FAI growth as proxy)"
            )
            cal.set(
                "base_year.industrial_fai_100m_cny",
                val,
                "DERIVED",
                f"{how} × (1 + {g:.1f}%){proxy}",
            )
        else:
            cal.set(
                "base_year.industrial_fai_100m_cny",
                0.17 * out,
                "PRIOR",
                "no industrial FAI level or share in the pack: 0.17 × output [judgement]",
            )
    I0 = cal.get("base_year.industrial_fai_100m_cny")
    if tech is None:
        tech = 0.3 * I0
        cal.set(
            "base_year.tech_investment_100m_cny",
            tech,
            "PRIOR",
            "no 技改 level in the pack: 30% of industrial FAI [judgement]",
        )
    else:
        cal.set(
            "base_year.tech_investment_100m_cny",
            tech,
            "DATA",
            pack_source(pk, city, "fai_tech_upgrade", str(Y)),
        )
    if tg is not None:
        cal.set(
            "base_year.tech_investment_prev_100m_cny",
            tech / (1 + tg / 100.0),
            "DERIVED",
            f"{tech:g} / (1 + {tg:g}%), "
            + pack_source(pk, city, "fai_tech_upgrade_growth_pct", str(Y)),
        )
    elif prev is not None:
        cal.set(
            "base_year.tech_investment_prev_100m_cny",
            prev,
            "DATA",
            pack_source(pk, city, "fai_tech_upgrade", str(Y - 1)),
        )
    else:
        cal.set(
            "base_year.tech_investment_prev_100m_cny",
            tech,
            "JUDGEMENT",
            "no 技改 growth in the pack: flat",
        )
    g = ind_g if ind_g is not None else fai_g
    if g is not None:
        name = "fai_industrial_growth_pct" if ind_g is not None else "fai_growth_pct"
        cal.set(
            "base_year.industrial_fai_growth_rate",
            g / 100.0,
            "DATA" if ind_g is not None else "DERIVED",
            pack_source(pk, city, name, str(Y))
            + ("" if ind_g is not None else " (total FAI growth as proxy)"),
        )
    else:
        cal.set(
            "base_year.industrial_fai_growth_rate",
            cal.get("industry.investment_growth_mean_rate"),
            "PRIOR",
            "no investment growth for the base year: the sample mean",
        )
    fai = find("fai", Y)
    share = pk[
        (pk["city"] == city)
        & (pk["year"] == Y)
        & (pk["indicator"] == "fai_industrial_share_of_fai_pct")
    ]
    if fai is not None:
        cal.set("base_year.fai_100m_cny", fai, "DATA", pack_source(pk, city, "fai", str(Y)))
    elif len(share):
        r = share.iloc[-1]
        cal.set(
            "base_year.fai_100m_cny",
            I0 / (r["value"] / 100.0),
            "DERIVED",
            f"industrial FAI / its share of FAI {r['value']:g}% ({city} {r['period']}, "
            f"{r['source_url']}); FAI levels are not published",
        )
    else:
        cal.set(
            "base_year.fai_100m_cny",
            I0 / INDUSTRIAL_SHARE_OF_FAI_PRIOR,
            "ESTIMATED",
            f"industrial FAI / {INDUSTRIAL_SHARE_OF_FAI_PRIOR} (industrial share of FAI in Hubei "
            "prefecture cities ≈30-35% [judgement]); FAI levels are not published",
        )
    # growth of the other components in the plan year: the city's normal-year FAI growth
    own = _mean_normal_years(pk, "fai_growth_pct", [city], Y)
    peers = _mean_normal_years(pk, "fai_growth_pct", sorted(set(pk["city"]) - {"china"}), Y)
    if own:
        m, how = float(np.mean(own)), f"mean FAI growth of {city}'s {len(own)} normal year(s)"
    elif peers:
        m, how = float(np.mean(peers)), f"mean FAI growth of {len(peers)} normal peer city-years"
    else:
        m, how = FAI_GROWTH_PRIOR, "no normal-year FAI growth in the pack [judgement]"
    sd = float(np.std(peers, ddof=1)) if len(peers) > 2 else 0.05
    for path in (
        "investment.other_growth_rate",
        "investment.other_industrial_growth_rate",
        "industry.tech_investment_growth_rate",
    ):
        cal.set(
            path,
            m,
            "ESTIMATED" if (own or peers) else "PRIOR",
            how + " (no plan: components grow alike)",
        )
        cal.distributions[path] = _normal(
            m, sd, -0.5, 1.0, how + f"; sd of peers' normal years {sd:.3f}"
        )
    firms = pk[
        (pk["city"] == city)
        & pk["annual"]
        & (pk["indicator"] == "n_new_above_scale_industrial_firms")
    ]
    if len(firms):
        cal.set(
            "industry.new_firms_per_year",
            float(firms["value"].mean()),
            "DATA",
            "mean of published entrants: "
            + ", ".join(
                f"{int(y)} {v:g}" for y, v in zip(firms["year"], firms["value"], strict=True)
            ),
        )
    else:
        cal.set(
            "industry.new_firms_per_year",
            NEW_FIRMS_PRIOR,
            "PRIOR",
            "no count of entrants in the pack [judgement]",
        )
    rate, how = fit_exit_rate(pk, Y)
    lo, mode, hi = EXIT_RELATIVE_SIZE
    cal.set(
        "industry.exit_output_share_rate",
        rate * mode,
        "PRIOR",
        f"{how} × an exiting firm's output relative to the average, {mode} [judgement: {lo}-{hi}]",
    )
    cal.distributions["industry.exit_output_share_rate"] = {
        "dist": "triangular",
        "low": rate * lo,
        "mode": rate * mode,
        "high": rate * hi,
        "source": f"the exit rate {rate:.3f} × relative size {lo}-{hi} (mode {mode}) [judgement]",
    }


def _signings(pk: pd.DataFrame, city: str, year: int) -> tuple[list[float], str]:
    """Monthly contract value signed in ``year`` from the pack (annual, H1, January)."""
    annual = pack_value(pk, city, "invest_promo_signed_amount", year)
    h1 = pk[
        (pk["city"] == city)
        & (pk["period"] == f"{year}H1")
        & (pk["indicator"] == "invest_promo_contract_amount")
    ]
    h1v = float(h1["value"].iloc[0]) if len(h1) else None
    jan = pk[
        (pk["city"] == city)
        & (pk["year"] == year)
        & (pk["indicator"] == "kaimenhong_signed_amount")
    ]
    janv = float(jan["value"].iloc[0]) if len(jan) else None
    how = []
    if annual is None and h1v is not None:
        annual, how = 2 * h1v, [f"year = 2 × H1 {h1v:g}"]
    if annual is None:
        return [], ""
    if h1v is None:
        h1v = annual / 2
        how.append("H1 = half the year")
    if janv is None:
        janv = h1v / 6
        how.append("January = a sixth of H1")
    months = [janv] + [(h1v - janv) / 5.0] * 5 + [(annual - h1v) / 6.0] * 6
    return months, f"{year}: year {annual:.1f}, H1 {h1v:.1f}, January {janv:.1f}" + (
        f" ({'; '.join(how)})" if how else ""
    )


def _pipeline(
    cal: Calibration, pk: pd.DataFrame, plan_inputs: pd.DataFrame, city: str, Y: int
) -> None:
    fit = fit_start_lag()
    txt = (
        f"least squares on MODEL.md §3.2 cohort points (45% by month 7, 78% by month 18) with "
        f"plateau {START_PLATEAU} and median {START_MEDIAN_PRIOR} as weighted priors"
    )
    res = ", ".join(f"{r:+.3f}" for r in fit.residuals)
    cal.set("pipeline.start_share", fit.start_share, "FIT", txt, f"residuals {res}")
    cal.set("pipeline.start_lag_median_months", fit.median_months, "FIT", txt)
    cal.set("pipeline.start_lag_sigma", fit.sigma, "FIT", txt)
    years, hist, notes = list(range(Y - 3, Y + 1)), [], []
    known = {y: _signings(pk, city, y) for y in years}
    have = {y: m for y, (m, _) in known.items() if m}
    prior = not have
    if prior:  # no signing figure at all: a stated prior scaled by the city's GDP
        year = SIGNED_PER_GDP_PRIOR * float(cal.get("base_year.gdp_100m_cny"))
        have = {Y: [year / 12.0] * 12}
        known[Y] = (
            have[Y],
            f"{Y}: no signings in the pack (invest_promo_signed_amount or an H1 "
            f"invest_promo_contract_amount): {SIGNED_PER_GDP_PRIOR} × GDP = {year:.0f} spread "
            "evenly [prior, judgement]",
        )
        cal.notes.append(
            f"The pack has no 招商 signings for {city} in {Y - 3}-{Y}: the history and the plan "
            f"year's signings are a prior of {SIGNED_PER_GDP_PRIOR} × GDP, drawn from half to "
            "one and a half times it in the uncertainty scenario."
        )
    mean_year = float(np.mean([sum(m) for m in have.values()]))
    for y in years:
        if y in have:
            hist += have[y]
            notes.append(known[y][1])
        else:
            months = [mean_year / 12.0] * 12
            if y in PANDEMIC_YEARS:  # lockdown months: a fifth of the pace [judgement]
                months[1] = months[2] = mean_year / 60.0
            hist += months
            notes.append(
                f"{y}: not in the pack, the mean of the known years ({mean_year:.0f}) spread evenly"
                + (
                    ", February-March at a fifth (lockdown) [judgement]"
                    if y in PANDEMIC_YEARS
                    else ""
                )
            )
    cal.set(
        "pipeline.history_signed_100m_cny", [round(x, 2) for x in hist], "DERIVED", "; ".join(notes)
    )
    last = sum(have[max(have)])
    cal.set(
        "pipeline.signed_annual_100m_cny",
        last,
        "PRIOR" if prior else "DATA",
        f"{max(have)} signings carried into the plan year (no plan figure: the same amount)"
        + (f"; {known[Y][1]}" if prior else ""),
    )
    spread = 0.5 if prior else 0.3
    cal.distributions["pipeline.signed_annual_100m_cny"] = {
        "dist": "triangular",
        "low": round((1 - spread) * last, 1),
        "mode": round(last, 1),
        "high": round((1 + spread) * last, 1),
        "source": (
            "±50% around the GDP-scaled prior [judgement]"
            if prior
            else "±30% around last year's signings [judgement]; city records swing by more"
        ),
    }
    jan = plan_inputs[plan_inputs["indicator"] == "kaimenhong_signed_amount"]
    if len(jan):
        cal.set(
            "pipeline.january_signed_100m_cny",
            float(jan["value"].iloc[0]),
            "DATA",
            "plan-time input: "
            + pack_source(
                plan_inputs, city, "kaimenhong_signed_amount", str(jan["period"].iloc[0])
            ),
        )
    else:
        cal.set(
            "pipeline.january_signed_100m_cny",
            have[max(have)][0],
            "PRIOR" if prior else "DATA",
            f"January {max(have)} carried forward" + (" (a twelfth of the prior)" if prior else ""),
        )
    cs = plan_inputs[plan_inputs["indicator"] == "concentrated_start_total_investment"]
    if len(cs):
        period = str(cs["period"].iloc[0])
        month = dp.parse_period(period).last_month
        cal.set(
            "pipeline.concentrated_start_100m_cny",
            float(cs["value"].iloc[0]),
            "DATA",
            "plan-time input: "
            + pack_source(plan_inputs, city, "concentrated_start_total_investment", period),
        )
        cal.set("pipeline.concentrated_start_month", month, "DATA", f"period {period}")
    ind_count = pack_value(pk, city, "invest_promo_industrial_projects_100m_plus_signed", Y)
    all_count = pack_value(pk, city, "invest_promo_projects_100m_plus_signed", Y)
    cal.set(
        "pipeline.history_industrial_share",
        0.65,
        "JUDGEMENT",
        "industrial share of contract value: MODEL.md prior, a 开门红 ceremony 59% by value; "
        + (
            f"{ind_count:g}/{all_count:g} = {ind_count / all_count:.0%} by count in {Y}"
            if ind_count and all_count
            else "count share not in the pack"
        )
        + "; value share below count share",
    )


def _seasonality(cal: Calibration, pk: pd.DataFrame, city: str, Y: int) -> None:
    dip = 0.20
    rows = pk[
        (pk["city"] == city)
        & (pk["period"] == f"{Y}M1-8")
        & (pk["indicator"] == "gross_industrial_output_above_scale")
    ]
    out = cal.get("base_year.industrial_output_100m_cny")
    if len(rows):
        share = float(rows["value"].iloc[0]) / out
        how = (
            "DATA",
            f"January-August {Y} output share {share:.3f} ({rows['source_url'].iloc[0]})",
        )
    else:
        share = JAN_AUG_INDUSTRIAL_SHARE_PRIOR
        how = (
            "PRIOR",
            f"MODEL.md §3.1 prior: January-August share ≈{share:.3f}; "
            f"the pack has no {Y}M1-8 output",
        )
    cal.set(
        "seasonality.industry_slope",
        fit_slope(share, 8, dip),
        "FIT",
        f"brentq on the profile: {how[1]}",
    )
    cal.set(
        "seasonality.fai_slope",
        fit_slope(H1_INVESTMENT_SHARE, 6, 0.35),
        "FIT",
        "brentq on the profile: MODEL.md §3.1 national H1 investment share ≈47%",
    )
