"""Monte Carlo: how likely are the targets, given what we do not know.

Draws are made up front from an explicit seed (common random numbers: each uncertain
parameter has its own stream, keyed by the seed and the parameter's path, so that two
scenarios compared under one seed see the same draws of every parameter they share and
differ only by their levers), turned into parameter values by each distribution's inverse
CDF, shifted to the scenario's value of the parameter, and run through the core in one
vectorised call.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from .._lazy import pd
from ..economy.distributions import Dist, correlate
from ..economy.rules import DrawError, check_draws
from ..io.errors import ScenarioError
from ..io.layering import PARAMS_DIR, Scenario, load_scenario, scenario_path
from ..io.uncertain import uncertain_paths
from .result import Result, simulate

Sampler = Literal["random", "lhs", "sobol"]
DEFAULT_SEED = 20220208  # the day of the concentrated start; any fixed number would do
#: The shipped scenario whose distributions apply to scenarios that have none.
UNCERTAINTY_SCENARIO = "uncertainty"
QUANTILES = (5, 50, 95)
_EPS = 1e-12


def unit_draws(
    paths: Sequence[str], n: int, seed: int, sampler: Sampler = "random"
) -> dict[str, np.ndarray]:
    """Unit draws in (0, 1), shape (n,), for each path.

    ``random`` gives each path its own stream (``default_rng([seed, crc32(path)])``):
    common random numbers whatever else is uncertain. ``lhs`` and ``sobol`` are joint
    scrambled designs over the sorted paths (scipy.stats.qmc).
    """
    for name, value in (("draws", n), ("seed", seed)):
        if not isinstance(value, int | np.integer) or isinstance(value, bool):
            raise ValueError(
                f"{name} must be a whole number, got {value!r}"
                + (
                    " (the seed is recorded with the result so that a run can be repeated)"
                    if name == "seed"
                    else ""
                )
            )
    if n < 1:
        raise ValueError(f"draws must be at least 1, got {n}")
    if seed < 0:
        raise ValueError(f"seed must be 0 or more, got {seed}")
    paths = sorted(paths)
    if sampler == "random":
        return {p: np.random.default_rng([seed, zlib.crc32(p.encode())]).random(n) for p in paths}
    if not paths:
        return {}
    if sampler == "lhs":
        from scipy.stats import qmc

        u = qmc.LatinHypercube(d=len(paths), seed=seed).random(n)
    elif sampler == "sobol":
        from scipy.stats import qmc

        eng = qmc.Sobol(d=len(paths), scramble=True, seed=seed)
        m = int(np.ceil(np.log2(n)))
        u = eng.random_base2(m)[:n]
    else:
        raise ValueError(f"sampler must be random, lhs or sobol, got {sampler!r}")
    return {p: np.clip(u[:, i], _EPS, 1 - _EPS) for i, p in enumerate(paths)}


def current_value(sc: Scenario, path: str) -> float | None:
    """The scenario's (resolved) value of a parameter path (``None``: an unset driver)."""
    parts = path.split(".")
    if parts[0] == "shocks":
        return float(sc.params.shocks[parts[1]].depth_share)
    value = getattr(getattr(sc.params, parts[0]), parts[1])
    return None if value is None else float(value)


def uncertainty_for(
    sc: Scenario, params_dir: str | Path | None = None
) -> tuple[dict[str, Dist], str]:
    """The distributions to use for ``sc``: its own, else the shipped uncertainty
    scenario's (moved to ``sc``'s values when drawn).

    Returns
    -------
    dists, source
        ``source`` names where they come from (a scenario name).
    """
    if sc.uncertainty:
        return dict(sc.uncertainty), sc.name
    path = scenario_path(UNCERTAINTY_SCENARIO, Path(params_dir) if params_dir else PARAMS_DIR)
    if not path.is_file():
        raise ScenarioError(
            f"scenario '{sc.name}' has no uncertain parameters and {path} does not exist: give "
            "parameters as distributions (see simulation/economy/distributions.py)"
        )
    ref = load_scenario(path, params_dir=params_dir)
    unknown = set(ref.uncertainty) - set(uncertain_paths(sc.params.shocks))
    if unknown:
        raise ScenarioError(f"{path}: uncertain parameters {sorted(unknown)} unknown to {sc.name}")
    return dict(ref.uncertainty), ref.name


@dataclass
class MonteCarlo:
    """A Monte Carlo run: the result over draws plus what was drawn.

    Attributes
    ----------
    result : Result
        Arrays of shape (draws, months).
    values : dict of str to ndarray
        The drawn parameter values, shape (draws,).
    uncertainty : dict of str to distribution
        What was drawn, before moving to the scenario's values.
    seed, sampler, uncertainty_source
    """

    result: Result
    values: dict[str, np.ndarray]
    uncertainty: dict[str, Dist]
    seed: int
    sampler: str
    uncertainty_source: str

    @property
    def n(self) -> int:
        return self.result.n_draws

    def _plan(self) -> dict[str, np.ndarray]:
        r = self.result
        gdp = r.plan_year("gdp_100m_cny")
        gio = r.plan_year("gross_industrial_output_100m_cny")
        t = r.scenario.params.targets
        return {
            "gdp": gdp,
            "industrial_output": gio,
            "gdp_met": gdp >= t.gdp_100m_cny,
            "industrial_output_met": gio >= t.industrial_output_100m_cny,
            "both_met": (gdp >= t.gdp_100m_cny) & (gio >= t.industrial_output_100m_cny),
        }

    def annual_values(self) -> pd.DataFrame:
        """First plan year by draw (亿元): ``gdp``, ``industrial_output`` and whether each
        and both meet their targets."""
        return pd.DataFrame(self._plan())

    def probability(self) -> dict[str, float]:
        """Share of draws meeting the GDP target, the output target and both."""
        a = self._plan()
        return {
            "gdp": float(a["gdp_met"].mean()),
            "industrial_output": float(a["industrial_output_met"].mean()),
            "both": float(a["both_met"].mean()),
        }

    def quantiles(self, qs: Sequence[float] = QUANTILES) -> dict[str, dict[str, float]]:
        """Annual values (亿元) of the first plan year at percentiles ``qs``."""
        a = self._plan()
        return {
            k: {f"p{q:g}": float(np.percentile(a[k], q)) for q in qs}
            for k in ("gdp", "industrial_output")
        }

    def monthly_band(
        self, key: str = "gdp_100m_cny", qs: Sequence[float] = QUANTILES, cumulative: bool = True
    ) -> pd.DataFrame:
        """Percentiles over draws of a monthly series in the first plan year (亿元).

        Returns
        -------
        DataFrame
            Index ``month`` (1..12); columns ``p5``, ``p50``, ``p95`` (or as ``qs``).
        """
        t = self.result.arrays["t"]
        a = self.result.arrays[key][:, (t >= 0) & (t < 12)]
        if cumulative:
            a = np.cumsum(a, axis=1)
        q = np.percentile(a, qs, axis=0)
        return pd.DataFrame(
            {f"p{x:g}": q[i] for i, x in enumerate(qs)}, index=pd.Index(range(1, 13), name="month")
        )

    def _band_records(self, key: str) -> list[dict[str, float]]:
        """:meth:`monthly_band` as records (month, p5, p50, p95), without pandas."""
        t = self.result.arrays["t"]
        a = np.cumsum(self.result.arrays[key][:, (t >= 0) & (t < 12)], axis=1)
        q = np.percentile(a, QUANTILES, axis=0)
        return [
            {"month": m + 1, **{f"p{x:g}": float(q[i, m]) for i, x in enumerate(QUANTILES)}}
            for m in range(12)
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: ``probability``, ``quantiles``, ``draws``, ``seed``,
        ``sampler``, ``uncertain`` (path → distribution), ``bands`` and ``provenance``."""
        return {
            "scenario": self.result.scenario.name,
            "probability": self.probability(),
            "quantiles": self.quantiles(),
            "draws": self.n,
            "seed": self.seed,
            "sampler": self.sampler,
            "uncertainty_source": self.uncertainty_source,
            "uncertain": {k: d.model_dump() for k, d in self.uncertainty.items()},
            "bands": {
                k: self._band_records(key)
                for k, key in (
                    ("gdp", "gdp_100m_cny"),
                    ("industrial_output", "gross_industrial_output_100m_cny"),
                )
            },
            "provenance": {k: v for k, v in self.result.provenance.items() if k != "parameters"},
        }


def monte_carlo(
    scenario: Scenario | str = "uncertainty",
    draws: int = 1000,
    seed: int = DEFAULT_SEED,
    sampler: Sampler = "random",
    uncertainty: Mapping[str, Dist] | None = None,
    fixed: Mapping[str, float] | None = None,
    params_dir: str | Path | None = None,
    register: Any = None,
) -> MonteCarlo:
    """Run a scenario over ``draws`` draws of its uncertain parameters, in one call.

    Parameters
    ----------
    scenario : Scenario or str
    draws : int
        Number of draws (rows of the result).
    seed : int
        Seed of the unit draws; recorded in the result.
    sampler : {"random", "lhs", "sobol"}
    uncertainty : mapping of path to distribution, optional
        Default: the scenario's own, else the shipped ``uncertainty`` scenario's
        (:func:`uncertainty_for`).
    fixed : mapping of path to float, optional
        Parameters set to a value in every draw (a lever being solved for); an uncertain
        one keeps its spread around the new value.
    params_dir : path, optional
    register : simulation.io.register.Register, optional
        A project register (see :func:`simulation.simulate`).

    Returns
    -------
    MonteCarlo

    Raises
    ------
    simulation.economy.rules.DrawError
        Sampling keeps each drawn value within its parameter's bounds, but does not
        repair the cross-field rules: if a draw breaks one (e.g. drawn January signings
        above the year's, or large + medium project shares above 1), the run stops
        before the model with the parameters and the first offending draw named
        (:func:`simulation.economy.rules.check_draws`), rather than resampling or clipping.
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario, None, params_dir)
    if uncertainty is None:
        dists, source = uncertainty_for(sc, params_dir)
    else:
        dists, source = dict(uncertainty), "given"
    units = unit_draws(list(dists), draws, seed, sampler)
    values = draw_values(sc, dists, units, fixed)
    try:
        check_draws(sc.params, values)
    except DrawError as e:
        raise DrawError(
            f"Monte Carlo of '{sc.name}' (seed {seed}, {sampler} sampling, uncertainty from "
            f"'{source}'):\n{e}"
        ) from None
    res = simulate(sc, draws=values, seed=seed, register=register)
    return MonteCarlo(res, values, dists, seed, sampler, source)


def draw_values(
    sc: Scenario,
    dists: Mapping[str, Dist],
    units: Mapping[str, np.ndarray],
    fixed: Mapping[str, float] | None = None,
) -> dict[str, np.ndarray]:
    """Parameter values per draw, shape (n,).

    Uncertain ones: quantile at the unit draw − the distribution's centre + the scenario's
    value (or the ``fixed`` value), kept within the parameter's bounds. ``fixed`` ones that
    are not uncertain: the same value in every draw.
    """
    n = len(next(iter(units.values()))) if units else 1
    bounds = uncertain_paths(sc.params.shocks)
    fixed = fixed or {}
    values = {}
    units = correlate(dict(dists), dict(units))
    for path, d in dists.items():
        lo, hi = bounds[path]
        centre = fixed.get(path, current_value(sc, path))
        if centre is None:  # an unset driver: the distribution as written
            centre = d.center
        values[path] = np.clip(d.ppf(units[path]) - d.center + centre, lo, hi)
    for path, x in fixed.items():
        if path not in dists:
            values[path] = np.full(n, float(x))
    return values
