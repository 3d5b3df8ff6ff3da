"""The output equation: its sample, its fit, its forecasts and their measured spread.

Real growth of above-scale industrial output (comparable basis) on centred investment
growth, pooled over the pack's cities::

    g = a + b (x − x̄) + τ (year − origin) + γ₀ P + γ₁ A + u · own + ε

``P`` = 1 in a pandemic year, ``A`` = 1 in the year after (its coefficient is the
rebound, estimated once such a year is observed; before that, a stated share of the dip,
:data:`~.priors.REBOUND_SHARE_PRIOR`), ``own`` = 1 for the target city's **normal** years
only, so that its pandemic-year shortfall does not leak into its intercept.

The regressor ``x`` is industrial FAI growth where published, else total FAI growth, a proxy
with its own error: industrial FAI growth scatters around total FAI growth in the same
city-year with sd ``σ_u`` (:func:`proxy_error`, measured on the city-years that publish both).
That error is of the Berkson kind (the industrial series swings more than the total, not
less), so it does not attenuate the slope; it adds ``b²σ_u²`` to a proxy row's residual
variance, and the fit weights those rows accordingly (:func:`fit_output_equation`).

* :func:`output_sample` — the city-years of a pack.
* :func:`proxy_error` — how far total FAI growth strays from industrial FAI growth.
* :func:`fit_output_equation` — the Bayesian regression.
* :func:`forecast` — mean and predictive sd of one city-year from a fit.
* :func:`rolling_origin` — every city-year forecast from the years before it only, with the
  band's spread measured on the earlier forecasts' errors (:func:`spread_factor`).

Pure functions of data frames (no I/O).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtri

from .estimation import Posterior, bayes_regression
from .priors import (
    OUTPUT_PRIOR,
    PANDEMIC_YEARS,
    PROXY_ERROR_PRIOR,
    REBOUND_SHARE_PRIOR,
    SIGMA_PRIOR,
    SPREAD_PRIOR_DOF,
)

NAMES = ("intercept", "elasticity", "trend", "pandemic", "after", "city")
Z95 = float(ndtri(0.95))


def output_sample(pack: pd.DataFrame, city: str, up_to_year: int) -> pd.DataFrame:
    """City-years with above-scale VA growth and an investment growth, up to a year.

    The regressor is industrial FAI growth where published, else total FAI growth (a
    proxy; column ``proxy``). National rows (``china``) are left out.

    Returns
    -------
    DataFrame
        ``city, year, growth, invest_growth, proxy, regressor, pandemic, after, normal,
        own, source_growth, source_investment`` (growth rates as fractions).
    """
    annual = pack[pack["annual"] & (pack["year"] <= up_to_year) & (pack["city"] != "china")]

    def table(name: str) -> pd.DataFrame:
        t = annual[annual["indicator"] == name][["city", "year", "value", "source_url"]]
        return t.drop_duplicates(["city", "year"]).set_index(["city", "year"])

    va = table("va_industry_above_scale_real_growth_pct")
    ind = table("fai_industrial_growth_pct")
    tot = table("fai_growth_pct")
    rows = []
    for (c, y), r in va.iterrows():
        if (c, y) in ind.index:
            x, src, proxy = ind.loc[(c, y)], "industrial FAI", False
        elif (c, y) in tot.index:
            x, src, proxy = tot.loc[(c, y)], "total FAI", True
        else:
            continue
        pandemic, after = float(y in PANDEMIC_YEARS), float(y - 1 in PANDEMIC_YEARS)
        normal = not (pandemic or after)
        rows.append(
            {
                "city": c,
                "year": int(y),
                "growth": r["value"] / 100.0,
                "invest_growth": x["value"] / 100.0,
                "proxy": proxy,
                "regressor": src,
                "pandemic": pandemic,
                "after": after,
                "normal": normal,
                "own": 1.0 if c == city and normal else 0.0,
                "source_growth": r["source_url"],
                "source_investment": x["source_url"],
            }
        )
    cols = [
        "city",
        "year",
        "growth",
        "invest_growth",
        "proxy",
        "regressor",
        "pandemic",
        "after",
        "normal",
        "own",
        "source_growth",
        "source_investment",
    ]
    return pd.DataFrame(rows, columns=cols).sort_values(["city", "year"]).reset_index(drop=True)


@dataclass(frozen=True)
class ProxyError:
    """sd (fraction) of industrial FAI growth around total FAI growth in one city-year."""

    sd: float
    n: int
    how: str


def proxy_error(pack: pd.DataFrame, up_to_year: int) -> ProxyError:
    """How far total FAI growth strays from industrial FAI growth, from the pack's city-years
    (national rows left out) that publish both, up to ``up_to_year``.

    ``σ_u² = (ν₀σ₀² + Σ d²) / (ν₀ + n)`` with ``d`` = industrial − total growth and the
    prior :data:`~.priors.PROXY_ERROR_PRIOR` (a conjugate scale update).
    """
    annual = pack[pack["annual"] & (pack["year"] <= up_to_year) & (pack["city"] != "china")]
    pairs = annual[annual["indicator"].isin(["fai_growth_pct", "fai_industrial_growth_pct"])]
    t = pairs.pivot_table(index=["city", "year"], columns="indicator", values="value",
                          aggfunc="first")  # fmt: skip
    t = t.dropna() if set(t.columns) == {"fai_growth_pct", "fai_industrial_growth_pct"} else t[:0]
    d = ((t["fai_industrial_growth_pct"] - t["fai_growth_pct"]) / 100).to_numpy() if len(t) else []
    s0, nu = PROXY_ERROR_PRIOR
    sd = float(np.sqrt((nu * s0**2 + float(np.sum(np.square(d)))) / (nu + len(d))))
    where = ", ".join(f"{c} {y}" for c, y in t.index)
    swings = (
        f"; across them industrial FAI growth has sd {t['fai_industrial_growth_pct'].std():.1f} "
        f"points, total FAI growth {t['fai_growth_pct'].std():.1f}"
        if len(t) > 1
        else ""
    )
    return ProxyError(
        sd,
        len(d),
        f"σ_u = {sd:.3f}: {len(d)} city-years with both growth rates ({where or 'none'}) and "
        f"a prior of {s0} worth {nu:g} pairs [judgement]{swings}",
    )


@dataclass(frozen=True)
class Fit:
    """A fitted output equation.

    Attributes
    ----------
    post : Posterior
        Coefficients :data:`NAMES`.
    xbar : float
        Centre of the investment regressor: mean investment growth of the normal years.
    after_observed : bool
        Whether the sample holds a year after a pandemic year (the rebound is then the
        ``after`` coefficient; otherwise a share of the dip, :func:`rebound`).
    """

    post: Posterior
    xbar: float
    after_observed: bool
    proxy_sd: float = 0.0

    def rebound(self) -> tuple[float, float, str]:
        """Extra growth of the year after a pandemic year: (mean, sd, how), fractions."""
        if self.after_observed:
            m, s = self.post.of("after")
            dip = -self.post.of("pandemic")[0]
            share = f"; rebound share {m / dip:.2f} of the dip" if dip > 0 else ""
            return m, s, f"estimated on the years after a pandemic year{share}"
        g, sg = self.post.of("pandemic")
        r, sr = REBOUND_SHARE_PRIOR
        mean = -r * g
        sd = float(np.sqrt((sr * g) ** 2 + (r * sg) ** 2 + (sr * sg) ** 2))
        return (
            mean,
            sd,
            f"no year after a pandemic year observed yet: rebound share {r} ± {sr} "
            f"[judgement: uniform 0-1] of the estimated dip {-g:.4f} ± {sg:.4f}",
        )


def fit_output_equation(sample: pd.DataFrame, origin: int, proxy_sd: float = 0.0) -> Fit:
    """Bayesian regression of real output growth (module docstring).

    ``a`` is the growth of the year ``origin`` at mean investment growth. Priors
    :data:`~.priors.OUTPUT_PRIOR`, residual sd prior :data:`~.priors.SIGMA_PRIOR`. A row
    whose regressor is the total-FAI proxy has residual variance ``σ² + E[b²]·σ_u²``
    (``proxy_sd`` = σ_u, :func:`proxy_error`): the fit is repeated with those weights until
    they settle.
    """
    normal = sample[sample["normal"].astype(bool)]
    xbar = float(normal["invest_growth"].mean()) if len(normal) else 0.1
    X = np.column_stack(
        [
            np.ones(len(sample)),
            sample["invest_growth"].to_numpy() - xbar,
            sample["year"].to_numpy() - origin,
            sample["pandemic"].to_numpy(),
            sample["after"].to_numpy(),
            sample["own"].to_numpy(),
        ]
    ).reshape(len(sample), len(NAMES))
    m0 = np.array([OUTPUT_PRIOR[n][0] for n in NAMES])
    s0 = np.array([OUTPUT_PRIOR[n][1] for n in NAMES])
    y = sample["growth"].to_numpy()
    proxy = sample["proxy"].to_numpy(dtype=bool) if len(sample) else np.zeros(0, bool)
    post = bayes_regression(X, y, NAMES, m0, s0, *SIGMA_PRIOR)
    for _ in range(10 if proxy_sd > 0 and proxy.any() else 0):
        b, sb = post.of("elasticity")
        scale = 1.0 + proxy * (b**2 + sb**2) * proxy_sd**2 / post.sigma**2
        new = bayes_regression(X, y, NAMES, m0, s0, *SIGMA_PRIOR, noise_scale=scale)
        settled = abs(new.of("elasticity")[0] - b) < 1e-7
        post = new
        if settled:
            break
    return Fit(post, xbar, bool(sample["after"].astype(bool).any()), proxy_sd)


def forecast(
    fit: Fit, invest_growth: float, own_city: bool, after: bool, spread: float = 1.0
) -> tuple[float, float]:
    """Mean and predictive sd of growth in the fit's origin year (fractions).

    A pandemic year is not foreseen (a forecaster cannot know of it); the year after one
    carries :meth:`Fit.rebound`. ``spread`` scales the residual sd (:func:`spread_factor`).
    """
    post = fit.post
    x = np.array([1.0, invest_growth - fit.xbar, 0.0, 0.0, 0.0, float(own_city)])
    mean = float(x @ post.mean)
    var = float(x @ post.cov @ x) + (spread * post.sigma) ** 2
    if after:
        m, s, _ = fit.rebound()
        mean += m
        var += s**2
    return mean, float(np.sqrt(var))


def spread_factor(errors: pd.DataFrame) -> tuple[float, str]:
    """How much wider the out-of-sample errors are than the model's predictive sd.

    ``k² = (ν₀ + Σ z²) / (ν₀ + n)``: the mean square of the standardised errors
    ``z = error / sd`` (columns of :func:`rolling_origin`, same unit) of normal-year
    forecasts, shrunk towards 1 by :data:`~.priors.SPREAD_PRIOR_DOF` pseudo-errors (a
    conjugate scale update: with no errors, ``k = 1``). A pandemic year is an event, not
    a residual: its forecasts are reported but not used here.

    Returns
    -------
    factor, how
    """
    e = errors[errors["normal"].astype(bool)] if len(errors) else errors
    z = (e["error"] / e["sd"]).to_numpy(dtype=float) if len(e) else np.zeros(0)
    k = float(np.sqrt((SPREAD_PRIOR_DOF + np.sum(z**2)) / (SPREAD_PRIOR_DOF + len(z))))
    if not len(z):
        return k, "no out-of-sample error yet: the model's own predictive sd"
    rms = float(np.sqrt(np.mean(z**2)))
    return k, (
        f"{k:.2f}: RMS {rms:.2f} of {len(z)} standardised out-of-sample errors of normal "
        f"years (rolling origin, {int(e['year'].min())}-{int(e['year'].max())}) shrunk to 1 "
        f"by {SPREAD_PRIOR_DOF:g} pseudo-errors"
    )


def rolling_origin(pack: pd.DataFrame, city: str, up_to_year: int = 9999) -> pd.DataFrame:
    """Every city-year forecast from the city-years before it only, with its 90% band.

    Needs at least 5 earlier observations. The band's residual sd is scaled by
    :func:`spread_factor` of the forecasts of *earlier* years (so a band never uses its
    own error). ``own`` marks ``city``.

    Returns
    -------
    DataFrame
        ``city, year, actual, forecast, error, sd, p5, p95, inside, normal, spread, n_fit``
        (growth, its error, sd and band in percent).
    """
    full = output_sample(pack, city, up_to_year)
    rows: list[dict] = []
    for year in sorted(set(full["year"])):
        earlier = full[full["year"] < year]
        if len(earlier) < 5:
            continue
        fit = fit_output_equation(earlier, int(year), proxy_error(pack, int(year) - 1).sd)
        past = pd.DataFrame(rows, columns=["year", "error", "sd", "normal"])
        k, _ = spread_factor(past[past["year"] < year])
        for _, r in full[full["year"] == year].iterrows():
            mean, sd = forecast(fit, r["invest_growth"], r["city"] == city, bool(r["after"]), k)
            lo, hi = mean - Z95 * sd, mean + Z95 * sd
            actual = r["growth"]
            rows.append(
                {
                    "city": r["city"],
                    "year": int(year),
                    "actual": actual * 100,
                    "forecast": mean * 100,
                    "error": (mean - actual) * 100,
                    "sd": sd * 100,
                    "p5": lo * 100,
                    "p95": hi * 100,
                    "inside": bool(lo <= actual <= hi),
                    "normal": bool(r["normal"]),
                    "spread": k,
                    "n_fit": len(earlier),
                }
            )
    cols = ["city", "year", "actual", "forecast", "error", "sd", "p5", "p95", "inside"]
    cols += ["normal", "spread", "n_fit"]
    return pd.DataFrame(rows, columns=cols)
