"""Nowcast of the plan year from what the statistics bureau publishes (a Kalman update).

The state is three annual log changes of the plan year over the base year:

* ``a`` = log(real 工业总产值 / base-year 工业总产值) (real: at base-year prices),
* ``q`` = log(nominal / real 工业总产值): the year's industrial price change,
* ``d`` = log(nominal GDP / base-year GDP).

The **prior** is the scenario's Monte Carlo (the model and its coefficient uncertainty): the
mean and covariance of ``(a, q, d)`` over the draws. Investment releases (total, industrial,
技改 FAI growth) are drivers of the model: the prior is re-simulated with the drivers set to
their latest year-to-date growth. Every other release is an **observation** ``y = H z + e``:

=============================================  ===============================  =========
release (year to date unless a single month)   ``y``                             ``H``
=============================================  ===============================  =========
工业总产值 level ``A`` through month m           log(A / base-year months 1..m)   a + q
工业总产值 growth ``g`` (nominal)                log(1 + g)                        a + q
规上工业增加值 real growth ``g``                  log(1 + g) − VA offset            a
PPI change ``π`` (national or the city's)      κ · log(1 + π)                    q
GDP level (quarters)                           log(A / base-year months 1..m)   d
GDP real growth ``g``                          log(1 + g) + log(GDP deflator)   d
=============================================  ===============================  =========

with ``e ~ N(0, R)``: ``R = σ(m)²`` for growth rates, where ``σ(m) = σ₁·√((12 − m)/(11 m))``
is how far a year-to-date growth rate through month ``m`` strays from the full year's
(``σ₁`` fitted by maximum likelihood to the pack's pairs of year-to-date and full-year growth,
normal years; :func:`fit_ytd_noise`), plus the share error of a level (the model's seasonal
split, ``s·(12 − m)/11`` with ``s`` = ``tracking.ytd_share_sd``, measured by the
calibration on the pack's published year-to-date and annual levels), the VA–output wedge
(0.015 [judgement]), the pass-through's uncertainty (κ = 0.8 ± 0.25, MODEL.md) or the
deflator's spread in the draws. Releases update the state one at a time in the order of
their last month; the **news** of
a release is the change of the year-end nowcast and of the probability it makes.

**A year unlike the record.** The noise above is measured on normal years, in which the
months still to come stray from the months released by little. After a shock (a pandemic
quarter at −35%) nobody knows how much of the departure persists into the months not yet
released. So the filter weighs two regimes:

* *normal* (prior probability 1 − :data:`SHOCK_PROBABILITY`): as above;
* *large shock* (:data:`SHOCK_PROBABILITY`): a release's departure from the model, ``δ``,
  covers the months it covers (share ``w`` of the base year's level) and persists into the
  remaining ones by a share ``φ``, uniform on 0..1 (:data:`PERSISTENCE`: from full recovery
  to no recovery at all, [judgement]); the release then says the year departs by
  ``(w + (1 − w)·φ)·δ``, with the normal noise on top.

The regimes' weights follow Bayes' rule on the releases' innovations (a shock regime adds
:data:`SHOCK_SD`² to their variance), so a normal year keeps the normal band (weight of
the shock regime ≈ 0) and a pandemic quarter gives a band from "the rest of the year
recovers" to "the year stays where the quarter was". The nowcast is then a mixture of
Gaussians (one per ``φ`` and the normal one); its quantiles and probabilities are the
mixture's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from ..io.layering import Scenario, reload
from .montecarlo import DEFAULT_SEED, monte_carlo
from .priors import PASS_THROUGH_PRIOR
from .ytdnoise import SIGMA1_PRIOR, YtdNoise, fit_ytd_noise, noise_shape, ytd_pairs  # noqa: F401

#: release indicator → (kind, the model driver it sets for investment releases)
USABLE: dict[str, tuple[str, str | None]] = {
    "gross_industrial_output_above_scale": ("level_out", None),
    "gross_industrial_output_above_scale_growth_pct": ("growth_out", None),
    "va_industry_above_scale_real_growth_pct": ("real_va", None),
    "ppi_yoy_pct": ("ppi", None),
    "gdp": ("level_gdp", None),
    "gdp_real_growth_pct": ("real_gdp", None),
    "fai_growth_pct": ("driver", "fai_growth_rate"),
    "fai_industrial_growth_pct": ("driver", "industrial_fai_growth_rate"),
    "fai_tech_upgrade_growth_pct": ("driver", "tech_fai_growth_rate"),
}
#: the old three-indicator actuals file, in pack terms
OLD_NAMES = {
    "gdp_100m_cny": "gdp",
    "gross_industrial_output_100m_cny": "gross_industrial_output_above_scale",
    "fai_growth_pct": "fai_growth_pct",
}
WEDGE_SD = 0.015  # [judgement] VA real growth against output real growth in one year
#: Huber-type down-weighting of extreme innovations (``kalman_update``): off. Measured on
#: the rolling evaluation, down-weighting innovations beyond 3 sd did worse in 2020 (the
#: nowcast stayed near the model while the year fell) than taking the releases at face value.
ROBUST_C: float | None = None
#: Prior probability that the plan year holds a shock whose persistence is unknown
#: [judgement]: about one year in twenty (Hubei's record since 1978 holds such years,
#: 1989, 1998's flood and 2020, in about forty). Not fitted: no normal-year release tells it.
SHOCK_PROBABILITY = 0.05
#: sd (log) that such a shock adds to a release's departure from the model [judgement]:
#: a departure of ±10% in a year to date, against ≈1–2% in normal years.
SHOCK_SD = 0.10
#: The share of a shock's departure that persists into the months not yet released: an
#: even grid on 0..1 (uniform [judgement]: full recovery and no recovery alike possible).
PERSISTENCE = np.linspace(0.0, 1.0, 11)
#: Below this posterior weight the shock regime is left out (the normal filter alone).
SHOCK_MIN_WEIGHT = 1e-4
H_ROWS = {
    "level_out": (1.0, 1.0, 0.0),
    "growth_out": (1.0, 1.0, 0.0),
    "real_va": (1.0, 0.0, 0.0),
    "ppi": (0.0, 1.0, 0.0),
    "level_gdp": (0.0, 0.0, 1.0),
    "real_gdp": (0.0, 0.0, 1.0),
}
#: Releases of one family measure the same months of the same quantity: a year-to-date
#: release carries every earlier release of its family through its month (one
#: observation per release, never the same months twice).
FAMILY = {
    "level_out": "output",
    "growth_out": "output",
    "real_va": "va",
    "ppi": "ppi",
    "level_gdp": "gdp",
    "real_gdp": "gdp_real",
}
TARGET_H = {"industrial_output": np.array([1.0, 1.0, 0.0]), "gdp": np.array([0.0, 0.0, 1.0])}
TARGET_KEY = {"industrial_output": "gross_industrial_output_100m_cny", "gdp": "gdp_100m_cny"}


@dataclass
class Prior:
    """The model's view of the plan year (from a Monte Carlo), in state terms."""

    mean: np.ndarray  # (3,)
    cov: np.ndarray  # (3, 3)
    base: dict[str, float]  # base-year annual levels (亿元)
    base_months: dict[str, np.ndarray]  # base-year monthly levels (亿元), (12,)
    plan_months: dict[str, np.ndarray]  # the model's plan-year monthly levels (亿元), (12,)
    va_offset: float
    gdp_deflator: tuple[float, float]  # mean and variance of log(GDP / real GDP)
    drivers: dict[str, float]
    share_sd: float  # tracking.ytd_share_sd: the noise of the model's year-to-date share


def _months(res: Any, key: str, year: int) -> np.ndarray:
    t = res.arrays["t"]
    return res.arrays[key][:, (t >= 12 * year) & (t < 12 * (year + 1))]


def model_prior(
    scenario: Scenario,
    drivers: dict[str, float],
    draws: int,
    seed: int,
    params_dir: Any = None,
    register: Any = None,
) -> Prior:
    """The prior of the state from ``draws`` Monte Carlo draws of ``scenario`` with
    ``drivers`` (name → rate) set."""
    sc = scenario
    if drivers:
        overrides = {**scenario.overrides, **{f"drivers.{k}": v for k, v in drivers.items()}}
        sc = reload(scenario, overrides)
    mc = monte_carlo(sc, max(draws, 50), seed, params_dir=params_dir, register=register)
    res = mc.result

    def annual(key: str, year: int) -> np.ndarray:
        return _months(res, key, year).sum(axis=1)

    out, out_r = (
        annual("gross_industrial_output_100m_cny", 0),
        annual("gross_industrial_output_real_100m_cny", 0),
    )
    b_out = annual("gross_industrial_output_100m_cny", -1)
    gdp, gdp_r = annual("gdp_100m_cny", 0), annual("gdp_real_100m_cny", 0)
    b_gdp = annual("gdp_100m_cny", -1)
    a, q, d = np.log(out_r / b_out), np.log(out / out_r), np.log(gdp / b_gdp)
    z = np.stack([a, q, d], axis=1)
    cov = np.cov(z, rowvar=False) + np.eye(3) * 1e-8
    va = np.log(annual("va_industry_real_100m_cny", 0) / annual("va_industry_real_100m_cny", -1))
    deflator = np.log(gdp / gdp_r)
    det = {  # the median draw's paths stand for the deterministic split of the year
        k: np.median(_months(res, TARGET_KEY[k], y), axis=0)
        for k, y in (("industrial_output", -1), ("gdp", -1))
    }
    plan = {k: np.median(_months(res, TARGET_KEY[k], 0), axis=0) for k in TARGET_KEY}
    return Prior(
        mean=z.mean(axis=0),
        cov=cov,
        base={k: float(v.sum()) for k, v in det.items()},
        base_months=det,
        plan_months=plan,
        va_offset=float(np.mean(va - a)),
        gdp_deflator=(float(deflator.mean()), float(deflator.var())),
        drivers=dict(drivers),
        share_sd=float(sc.params.tracking.ytd_share_sd),
    )


@dataclass
class Observation:
    """One release as a linear observation of the state."""

    indicator: str
    period: str
    value: float
    unit: str
    month: int
    kind: str
    y: float
    h: np.ndarray
    r: float
    source: str = ""
    covered: float = 1.0  # share of the base year's level in the months it covers


def observe(rel: pd.Series, prior: Prior, noise: YtdNoise) -> Observation:
    """The observation a release gives (see the module's table)."""
    kind = USABLE[rel["indicator"]][0]
    m, v = int(rel["last_month"]), float(rel["value"])
    single = rel["first_month"] == rel["last_month"] and m > 1  # one month, not to date
    months = slice(m - 1, m) if single else slice(0, m)
    sd = noise.sd(1 if single else m)  # a single month strays as a first month does
    share_var = (prior.share_sd * (12 - m) / 11) ** 2
    levels = prior.base_months["gdp" if kind in ("level_gdp", "real_gdp") else "industrial_output"]
    covered = 1.0 if kind == "ppi" else float(levels[months].sum() / levels.sum())
    if kind in ("level_out", "level_gdp"):
        key = "industrial_output" if kind == "level_out" else "gdp"
        base = float(prior.base_months[key][months].sum())
        y, r = float(np.log(v / base)), sd**2 + share_var
    elif kind == "growth_out":
        y, r = float(np.log1p(v / 100)), sd**2
    elif kind == "real_va":
        y, r = float(np.log1p(v / 100)) - prior.va_offset, sd**2 + WEDGE_SD**2
    elif kind == "ppi":
        k, ksd = PASS_THROUGH_PRIOR
        y = k * float(np.log1p(v / 100))
        r = (ksd * float(np.log1p(v / 100))) ** 2 + (k * sd) ** 2
    elif kind == "real_gdp":
        y = float(np.log1p(v / 100)) + prior.gdp_deflator[0]
        r = sd**2 + prior.gdp_deflator[1]
    else:  # pragma: no cover - drivers are not observations
        raise ValueError(kind)
    return Observation(
        rel["indicator"],
        rel["period"],
        v,
        rel["unit"],
        m,
        kind,
        y,
        np.array(H_ROWS[kind]),
        max(r, 1e-8),
        str(rel.get("source_url", "") or ""),
        covered,
    )


def kalman_update(
    mean: np.ndarray, cov: np.ndarray, obs: Observation, robust: float | None = ROBUST_C
) -> tuple[np.ndarray, np.ndarray]:
    """One scalar Kalman update of the state's mean and covariance.

    ``robust``: an innovation beyond ``robust`` standard deviations is taken as a sign of
    a year unlike the record (a pandemic quarter): the observation's noise is raised until
    the innovation is exactly that many standard deviations (a Huber-type robust filter),
    so one extreme release moves the nowcast less and widens its band.
    """
    h = obs.h
    hph = float(h @ cov @ h)
    nu = obs.y - float(h @ mean)
    r = obs.r
    if robust is not None and nu * nu > robust**2 * (hph + r):
        r = nu * nu / robust**2 - hph
    s = hph + r
    k = cov @ h / s
    mean = mean + k * nu
    cov = cov - np.outer(k, h @ cov)
    return mean, (cov + cov.T) / 2


@dataclass
class State:
    """The nowcast after some releases: a mixture of Gaussian states.

    ``components`` are (weight, mean, cov) of the state ``(a, q, d)``, the weights summing
    to 1: one component in a normal year, or the normal one and one per persistence
    ``φ`` of a large shock (see the module's text). ``mean`` and ``cov`` are the mixture's.
    """

    mean: np.ndarray
    cov: np.ndarray
    prior: Prior
    components: list[tuple[float, np.ndarray, np.ndarray]] = field(default_factory=list)
    shock_weight: float = 0.0  # posterior weight of the large-shock regime

    def __post_init__(self) -> None:
        if not self.components:
            self.components = [(1.0, self.mean, self.cov)]

    def _parts(
        self, h: np.ndarray, offset: float = 0.0, extra_var: float = 0.0
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Weights, means and sds of ``h·z + offset`` in each component."""
        w = np.array([c[0] for c in self.components])
        mu = np.array([float(h @ c[1]) for c in self.components]) + offset
        sd = np.sqrt(np.maximum([float(h @ c[2] @ h) + extra_var for c in self.components], 1e-16))
        return w, mu, sd

    def band(self, h: np.ndarray, offset: float = 0.0, extra_var: float = 0.0) -> dict[str, float]:
        """p5, p25, p50, p75 and p95 of ``h·z + offset`` (log terms), ``extra_var`` added
        to each component's variance."""
        w, mu, sd = self._parts(h, offset, extra_var)
        return {f"p{p}": mixture_quantile(w, mu, sd, p / 100) for p in (5, 25, 50, 75, 95)}

    def log_moments(self, target: str) -> tuple[float, float]:
        """Mean and sd of log(annual value) of ``target`` (the mixture's)."""
        h = TARGET_H[target]
        base = self.prior.base[target]
        return float(np.log(base) + h @ self.mean), float(np.sqrt(max(h @ self.cov @ h, 0.0)))

    def quantiles(self, target: str) -> dict[str, float]:
        base = np.log(self.prior.base[target])
        return {k: float(np.exp(base + v)) for k, v in self.band(TARGET_H[target]).items()}

    def probability(self, targets: dict[str, float], draws: int = 20000) -> dict[str, float]:
        """P(reaching each target) and P(both) (0 targets: always reached)."""
        rng = np.random.default_rng(DEFAULT_SEED)
        w = np.array([c[0] for c in self.components])
        n = rng.multinomial(draws, w / w.sum())
        z = np.concatenate(
            [
                rng.multivariate_normal(c[1], c[2], size=k, method="cholesky")
                for c, k in zip(self.components, n, strict=True)
                if k
            ]
        )
        met = {}
        for t, h in TARGET_H.items():
            met[t] = np.log(self.prior.base[t]) + z @ h >= np.log(max(targets[t], 1e-9))
        out = {t: float(np.mean(v)) for t, v in met.items()}
        out["both"] = float(np.mean(met["gdp"] & met["industrial_output"]))
        for t, h in TARGET_H.items():  # the closed form where it exists (no sampling noise)
            wt, mu, sd = self._parts(h, float(np.log(self.prior.base[t])))
            level = np.log(max(targets[t], 1e-9))
            out[t] = 1.0 if targets[t] <= 0 else float(wt @ ndtr((mu - level) / sd))
        return out


def mixture_quantile(w: np.ndarray, mu: np.ndarray, sd: np.ndarray, p: float) -> float:
    """The ``p`` quantile of a mixture of normals (weights ``w``, means ``mu``, sds ``sd``):
    closed form for one component, else bisection on the mixture's CDF (to 1e-10)."""
    if len(w) == 1:
        return float(mu[0] + sd[0] * ndtri(p))
    lo = float(np.min(mu - 10 * sd))
    hi = float(np.max(mu + 10 * sd))
    for _ in range(60):
        mid = (lo + hi) / 2
        if float(w @ ndtr((mid - mu) / sd)) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


#: Observation kinds that measure activity (a shock's departure shows in them); prices do not.
ACTIVITY = frozenset({"level_out", "growth_out", "real_va", "level_gdp", "real_gdp"})


def _filter(prior: Prior, observations: list[Observation]) -> tuple[np.ndarray, np.ndarray, float]:
    """The normal regime's filter: mean, cov and the log likelihood ratio of a large shock
    against a normal year, from the releases' innovations."""
    mean, cov = prior.mean.copy(), prior.cov.copy()
    ratio = 0.0
    for obs in observations:
        if obs.kind in ACTIVITY:
            s = float(obs.h @ cov @ obs.h) + obs.r
            nu2 = (obs.y - float(obs.h @ mean)) ** 2
            big = s + SHOCK_SD**2
            ratio += 0.5 * (np.log(s / big) + nu2 / s - nu2 / big)
        mean, cov = kalman_update(mean, cov, obs)
    return mean, cov, ratio


def shock_weight(log_ratio: float) -> float:
    """Posterior weight of the large-shock regime from its log likelihood ratio."""
    odds = np.log(SHOCK_PROBABILITY / (1 - SHOCK_PROBABILITY)) + log_ratio
    return float(1 / (1 + np.exp(-np.clip(odds, -700, 700))))


def persisting(obs: Observation, prior: Prior, phi: float) -> Observation:
    """``obs`` under a large shock that persists by ``phi`` into the months it does not
    cover: its departure ``δ`` from the model's prior says the year departs by
    ``(w + (1 − w)·φ)·δ``."""
    if obs.kind not in ACTIVITY:
        return obs
    expected = float(obs.h @ prior.mean)
    scale = obs.covered + (1 - obs.covered) * phi
    return replace(obs, y=expected + scale * (obs.y - expected))


def run_filter(prior: Prior, observations: list[Observation]) -> State:
    """The nowcast from ``observations``: the normal regime and, weighted by its posterior,
    the large-shock regime at each persistence of :data:`PERSISTENCE`."""
    mean, cov, ratio = _filter(prior, observations)
    p = shock_weight(ratio) if observations else 0.0
    if p < SHOCK_MIN_WEIGHT:
        return State(mean, cov, prior)
    parts = [(1 - p, mean, cov)]
    for phi in PERSISTENCE:
        m, c, _ = _filter(prior, [persisting(o, prior, phi) for o in observations])
        parts.append((p / len(PERSISTENCE), m, c))
    w = np.array([x[0] for x in parts])
    means = np.array([x[1] for x in parts])
    mix = w @ means
    dev = means - mix
    mix_cov = sum(wi * (c + np.outer(d, d)) for wi, (_, _, c), d in zip(w, parts, dev, strict=True))
    return State(mix, (mix_cov + mix_cov.T) / 2, prior, parts, p)


@dataclass
class Nowcast:
    """What :func:`nowcast` found: the year-end nowcast, its band, the news, the path."""

    year: int
    state: State
    targets: dict[str, float]
    news: list[dict[str, Any]]
    indicators_used: list[str]
    indicators_ignored: list[str]
    noise: YtdNoise
    drivers: dict[str, float]
    required: dict[str, Any]

    def forecast_quantiles(self) -> dict[str, dict[str, float]]:
        return {
            t: {k: v for k, v in self.state.quantiles(t).items() if k in ("p5", "p50", "p95")}
            for t in TARGET_H
        }

    def probability(self) -> dict[str, float]:
        return self.state.probability(self.targets)


def _bounds(path: str) -> tuple[float, float]:
    from ..economy import schema

    meta = schema.numeric_paths()[path]
    return float(meta["lo"]), float(meta["hi"])


def _step(state: State, targets: dict[str, float]) -> dict[str, Any]:
    q = {t: state.quantiles(t)["p50"] for t in TARGET_H}
    return {"p50": q, "probability": state.probability(targets)}


def nowcast(
    scenario: Scenario,
    releases: pd.DataFrame,
    draws: int = 300,
    seed: int = DEFAULT_SEED,
    params_dir: Any = None,
    register: Any = None,
    noise: YtdNoise | None = None,
) -> Nowcast:
    """Update the model's plan year with the year's releases, one at a time.

    Parameters
    ----------
    scenario : Scenario
    releases : DataFrame
        Rows of a data pack (:func:`simulation.io.datapack.read_pack`) or of
        :func:`releases_from_actuals`: ``indicator, period, year, first_month, last_month,
        value, unit`` (and ``source_url``). Rows of other years are left out; indicators not
        in :data:`USABLE` are listed as ignored.
    draws, seed
        Monte Carlo of the prior.
    noise : YtdNoise, optional
        Default: :data:`SIGMA1_PRIOR` (pass :func:`fit_ytd_noise` of a pack for the fitted one).

    Returns
    -------
    Nowcast
    """
    noise = noise or YtdNoise(SIGMA1_PRIOR, 0, "prior [judgement]")
    year = scenario.params.calendar.base_year + 1
    tg = scenario.params.targets
    targets = {"gdp": tg.gdp_100m_cny, "industrial_output": tg.industrial_output_100m_cny}
    rel = releases[releases["year"] == year].copy()
    usable = rel["indicator"].isin(list(USABLE))
    ignored = sorted(set(rel.loc[~usable, "indicator"]))
    rel = rel[usable]
    drivers_rows = rel["indicator"].isin([k for k, (kind, _) in USABLE.items() if kind == "driver"])
    rel = rel[~drivers_rows | (rel["first_month"] == 1)]  # a single month's FAI is no driver
    rel = rel.assign(_driver=drivers_rows).sort_values(
        ["last_month", "_driver", "row"], ascending=[True, False, True], kind="stable"
    )
    drivers: dict[str, float] = {}
    prior = model_prior(scenario, drivers, draws, seed, params_dir, register)
    state = run_filter(prior, [])
    before = _step(state, targets)
    news, used_rows = [], []
    for _, r in rel.iterrows():
        kind, driver = USABLE[r["indicator"]]
        note = ""
        if kind == "driver":
            lo, hi = _bounds(f"drivers.{driver}")
            value = float(r["value"]) / 100
            drivers[driver] = float(np.clip(value, lo, hi))
            if drivers[driver] != value:
                note = f"clipped to the driver's range {lo:g}..{hi:g}"
            prior = model_prior(scenario, drivers, draws, seed, params_dir, register)
        else:
            used_rows, note = carry(used_rows, r)
        state = run_filter(prior, [observe(x, prior, noise) for x in used_rows])
        after = _step(state, targets)
        news.append(
            {
                "indicator": r["indicator"],
                "period": r["period"],
                "value": float(r["value"]),
                "unit": r["unit"],
                "as": "driver" if kind == "driver" else "observation",
                "note": note,
                **{
                    f"{t}_forecast_change_100m_cny": after["p50"][t] - before["p50"][t]
                    for t in TARGET_H
                },
                **{
                    f"{t}_probability_change_pts": 100
                    * (after["probability"][t] - before["probability"][t])
                    for t in (*TARGET_H, "both")
                },
                **{f"{t}_forecast_100m_cny": after["p50"][t] for t in TARGET_H},
            }
        )
        before = after
    used = sorted(set(rel["indicator"]))
    out = Nowcast(year, state, targets, news, used, ignored, noise, drivers, {})
    out.required = required_paths(out, rel, prior)
    _closing_drivers(out, scenario, params_dir)
    return out


def carry(used: list[pd.Series], r: pd.Series) -> tuple[list[pd.Series], str]:
    """The observations after release ``r``: one per release, never the same months twice.

    A year-to-date release (from month 1) of a family (:data:`FAMILY`) replaces every
    earlier one of that family through its month: it holds the same months and more. Of a
    level and its growth rate through the same month (one release), the level counts:
    the growth is listed in the news as carried by it. A single month stands alone.

    Returns
    -------
    used, note
        The observations in force, and what happened to ``r`` (empty when it counts).
    """
    family = FAMILY[USABLE[r["indicator"]][0]]
    ytd = int(r["first_month"]) == 1
    same = [x for x in used if FAMILY[USABLE[x["indicator"]][0]] == family]
    level_first = [
        x
        for x in same
        if int(x["last_month"]) == int(r["last_month"])
        and int(x["first_month"]) == int(r["first_month"])
        and USABLE[x["indicator"]][0].startswith("level")
        and not USABLE[r["indicator"]][0].startswith("level")
    ]
    if level_first:
        return (
            used,
            f"the same months as {level_first[0]['indicator']} {r['period']}: not counted again",
        )
    if not ytd:
        return [*used, r], ""
    keep = [
        x
        for x in used
        if FAMILY[USABLE[x["indicator"]][0]] != family
        or int(x["last_month"]) > int(r["last_month"])
    ]
    dropped = len(used) - len(keep)
    note = f"carries {dropped} earlier release(s) of the same months" if dropped else ""
    return [*keep, r], note


def _closing_drivers(nc: Nowcast, scenario: Scenario, params_dir: Any) -> None:
    """Add to each required path the drivers' steps that close the gap to the 50% path,
    fewest steps first (a driver's effect from :func:`simulation.analyses.driver_effects`)."""
    from .driver_effects import STEPS, driver_effects

    if not any(nc.required.values()):
        return
    sc = scenario
    if nc.drivers:
        overrides = {**scenario.overrides, **{f"drivers.{k}": v for k, v in nc.drivers.items()}}
        sc = reload(scenario, overrides)
    effects = driver_effects(sc, params_dir=params_dir)
    col = {"gdp": "gdp_change_100m_cny", "industrial_output": "industrial_output_change_100m_cny"}
    for t, req in nc.required.items():
        if not req:
            continue
        gap = nc.targets[t] - nc.state.quantiles(t)["p50"]
        rows = []
        for e in effects.itertuples():
            effect = float(getattr(e, col[t]))
            if effect <= 1e-9 or e.driver.endswith("price_change_rate"):
                continue  # prices are not a lever a planner pulls
            rows.append(
                {
                    "driver": e.driver,
                    "step": STEPS[e.driver][1],
                    "effect_per_step_100m_cny": effect,
                    "steps_to_close": max(gap, 0.0) / effect,
                }
            )
        req["gap_to_p50_100m_cny"] = gap
        req["closing_drivers"] = sorted(rows, key=lambda r: r["steps_to_close"])


def latest_ytd(rel: pd.DataFrame, target: str, prior: Prior) -> tuple[int, float | None]:
    """The latest year-to-date level of a target the releases give (month, 亿元)."""
    level = "gross_industrial_output_above_scale" if target == "industrial_output" else "gdp"
    growth = (
        "gross_industrial_output_above_scale_growth_pct" if target == "industrial_output" else None
    )
    best: tuple[int, float | None] = (0, None)
    for _, r in rel[rel["first_month"] == 1].iterrows():
        m = int(r["last_month"])
        if r["indicator"] == level and m >= best[0]:
            best = (m, float(r["value"]))
        elif growth and r["indicator"] == growth and m > best[0]:
            best = (m, float(prior.base_months[target][:m].sum() * (1 + r["value"] / 100)))
    return best


def required_paths(nc: Nowcast, rel: pd.DataFrame, prior: Prior) -> dict[str, Any]:
    """For each target: what the remaining months must bring to reach it with a 50% and
    an 80% chance, month by month, against the nowcast's own path (亿元)."""
    out: dict[str, Any] = {}
    for t in TARGET_H:
        target = nc.targets[t]
        m, ytd = latest_ytd(rel, t, prior)
        mu, sd = nc.state.log_moments(t)
        median = float(np.exp(mu))
        if target <= 0 or m >= 12:
            out[t] = None
            continue
        ytd = ytd if ytd is not None else 0.0
        rest_base = prior.base_months[t][m:]
        w = rest_base / rest_base.sum()
        paths = {}
        for p in (0.5, 0.8):
            need = target * float(np.exp(ndtri(p) * sd)) - ytd
            paths[f"p{int(p * 100)}"] = {
                "remaining_100m_cny": need,
                "monthly_100m_cny": (need * w).round(2).tolist(),
                "growth_over_base_year_pct": (need / rest_base.sum() - 1) * 100,
            }
        out[t] = {
            "through_month": m,
            "ytd_100m_cny": ytd,
            "months": list(range(m + 1, 13)),
            "nowcast_monthly_100m_cny": ((median - ytd) * w).round(2).tolist(),
            **paths,
        }
    return out
