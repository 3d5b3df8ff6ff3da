"""Goal seeking (倒排): what value of a lever meets the target, and the monthly path.

:func:`solve` finds the smallest value of a lever that meets a target (the largest, where
the lever works the other way), deterministically or with a given probability, by
scipy.optimize.brentq on the bracket of the lever's schema bounds (narrowed to values the
scenario accepts). With a probability the draws are the same at every trial value
(common random numbers), so the probability is a monotone step function of the lever and
the bracket still closes on the threshold. :func:`required_path` gives the cumulative
milestones month by month.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from .distributions import Dist
from .economy import schema
from .result import Result, simulate
from .scenario import Scenario, ScenarioError, load_scenario
from .summary import cumulative_path
from .uncertainty import DEFAULT_SEED, monte_carlo, uncertainty_for

Target = Literal["gdp", "industrial_output", "both"]
TARGETS = ("gdp", "industrial_output", "both")


@dataclass
class Solution:
    """Answer of :func:`solve`.

    ``value`` is the lever value found (None when out of reach); ``direction`` says
    whether more (``increase``) or less (``decrease``) of the lever helps; ``achieved``
    is the target metric at ``value`` (the smaller gap in 亿元, or the probability);
    ``best_value`` / ``best_achieved`` the best end of the bracket.
    """

    scenario: str
    lever: str
    unit: str
    target: str
    probability: float | None
    current_value: float
    value: float | None
    reachable: bool
    direction: str
    achieved: float | None
    best_value: float
    best_achieved: float
    bracket: tuple[float, float]
    evaluations: int
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


def _params_dir(sc: Scenario) -> Path:
    return Path(sc.files[0]).resolve().parent


def _with_lever(sc: Scenario, lever: str, x: float) -> Scenario:
    """The scenario with ``lever`` set to ``x`` explicitly (as the app would)."""
    return load_scenario(Path(sc.files[-1]), {**sc.overrides, lever: x}, _params_dir(sc))


def _valid_end(sc: Scenario, lever: str, end: float, inside: float) -> float:
    """``end`` if the scenario accepts it, else the nearest accepted value towards
    ``inside`` (cross-field rules, e.g. January signings ≤ the year's)."""
    try:
        _with_lever(sc, lever, end)
        return end
    except ScenarioError:
        pass
    bad, good = end, inside
    for _ in range(60):
        mid = (bad + good) / 2
        try:
            _with_lever(sc, lever, mid)
            good = mid
        except ScenarioError:
            bad = mid
        if abs(good - bad) <= 1e-9 * max(1.0, abs(good)):
            break
    return good


def solve(
    scenario: Scenario | str,
    lever: str,
    target: Target = "both",
    probability: float | None = None,
    draws: int = 500,
    seed: int = DEFAULT_SEED,
    uncertainty: Mapping[str, Dist] | None = None,
    params_dir: str | Path | None = None,
) -> Solution:
    """Find the lever value that meets the target.

    Parameters
    ----------
    scenario : Scenario or str
    lever : str
        Dotted parameter path (any real-valued parameter, e.g.
        ``pipeline.signed_annual_100m_cny``).
    target : {"gdp", "industrial_output", "both"}
    probability : float in (0, 1), optional
        Meet the target in at least this share of Monte Carlo draws; without it the
        deterministic run must meet it.
    draws, seed, uncertainty
        Monte Carlo settings (see :func:`simulation.uncertainty.monte_carlo`).
    params_dir : path, optional
        Parameter folder to load ``scenario`` (a name) from and whose ``uncertainty``
        scenario gives the distributions when the scenario has none.

    Returns
    -------
    Solution
        ``reachable`` False (and ``value`` None) when neither end of the bracket meets
        the target; the message says how close the best end comes.
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario, None, params_dir)
    paths = schema.numeric_paths()
    if lever not in paths or paths[lever]["integer"] or lever.startswith(("calendar.", "targets.")):
        raise ScenarioError(
            f"--lever {lever!r}: expected a real-valued parameter such as "
            + ", ".join(schema.lever_paths())
        )
    if target not in TARGETS:
        raise ScenarioError(f"--target {target!r}: expected one of {', '.join(TARGETS)}")
    if probability is not None and not 0 < probability < 1:
        raise ScenarioError(f"--probability {probability}: expected a share between 0 and 1")
    meta = paths[lever]
    section, key = lever.split(".")
    current = float(getattr(getattr(sc.params, section), key))
    dists = None
    if probability is not None:
        dists = dict(uncertainty) if uncertainty is not None else uncertainty_for(sc, params_dir)[0]
    n_eval = 0

    def metric(x: float) -> float:
        """Deterministic: the smaller gap (亿元); with a probability: P(meet)."""
        nonlocal n_eval
        n_eval += 1
        s = _with_lever(sc, lever, x)
        if probability is None:
            tg = simulate(s).targets()
            gaps = [tg[k]["gap_100m_cny"] for k in ("gdp", "industrial_output")]
            return {"gdp": gaps[0], "industrial_output": gaps[1], "both": min(gaps)}[target]
        return monte_carlo(s, draws, seed, uncertainty=dists).probability()[target]

    goal = 0.0 if probability is None else probability
    # a probability is a step function of the lever, flat at exactly `goal` over a whole
    # interval; the tiny offset keeps it off zero so that brentq closes on the step
    offset = 0.0 if probability is None else 1e-9
    f: Callable[[float], float] = lambda x: metric(x) - goal + offset  # noqa: E731
    lo = _valid_end(sc, lever, float(meta["lo"]), current)
    hi = _valid_end(sc, lever, float(meta["hi"]), current)
    f_lo, f_hi = f(lo), f(hi)
    increasing = f_hi >= f_lo
    direction = "increase" if increasing else "decrease"
    best_x, best_f = (hi, f_hi) if increasing else (lo, f_lo)
    what = (
        f"{target} ≥ target"
        if probability is None
        else f"P({target} ≥ target) ≥ {probability:.0%} over {draws} draws"
    )
    common = dict(
        scenario=sc.name,
        lever=lever,
        unit=meta["unit"],
        target=target,
        probability=probability,
        current_value=current,
        direction=direction,
        best_value=best_x,
        best_achieved=best_f + goal - offset,
        bracket=(lo, hi),
    )
    if best_f < 0:
        return Solution(
            **common,
            value=None,
            reachable=False,
            achieved=None,
            evaluations=n_eval,
            message=(
                f"out of reach: even at {lever} = {best_x:g} {meta['unit']} (the bound) "
                f"{what} fails ({_fmt(best_f + goal - offset, probability)})"
                + _what_it_moves(sc, lever, current, best_x, meta["unit"], params_dir)
            ),
        )
    worst_x, worst_f = (lo, f_lo) if increasing else (hi, f_hi)
    if worst_f >= 0:
        x = worst_x  # met across the whole bracket: the least effort is the far end
    else:
        xtol = (hi - lo) * 1e-7
        x = brentq(f, lo, hi, xtol=xtol)
        step = xtol if increasing else -xtol
        for _ in range(20):  # land on the side that meets the target
            if f(x) >= 0:
                break
            x = min(max(x + step, lo), hi)
            step *= 2
    achieved = f(x) + goal - offset
    verb = "at least" if increasing else "at most"
    return Solution(
        **common,
        value=float(x),
        reachable=True,
        achieved=achieved,
        evaluations=n_eval,
        message=(
            f"{lever} {verb} {x:.6g} {meta['unit']} (now {current:g}) meets {what} "
            f"({_fmt(achieved, probability)})"
        ),
    )


def _what_it_moves(
    sc: Scenario, lever: str, current: float, best: float, unit: str, params_dir
) -> str:
    """Why the lever falls short: its effect on this year and the next three (亿元)."""
    years = 4
    base_over = {**sc.overrides, "calendar.horizon_months": 12 * years}
    try:
        a = simulate(load_scenario(sc.files[-1], base_over, params_dir)).annual()
        b = simulate(load_scenario(sc.files[-1], {**base_over, lever: best}, params_dir)).annual()
    except (ScenarioError, ValueError):
        return ""
    a, b = a[a["year"] > a["year"].min()], b[b["year"] > b["year"].min()]
    parts, gio = [], "gross_industrial_output_100m_cny"
    for (_, ra), (_, rb) in zip(a.iterrows(), b.iterrows(), strict=True):
        parts.append(
            f"{int(ra['year'])}: 工业总产值 "
            f"{rb[gio] - ra[gio]:+.1f}, "
            f"GDP {rb['gdp_100m_cny'] - ra['gdp_100m_cny']:+.1f}, "
            f"FAI {rb['fai_100m_cny'] - ra['fai_100m_cny']:+.1f}"
        )
    return (
        f". Moving {lever} from {current:g} to {best:g} {unit} changes (亿元) "
        + "; ".join(parts)
        + ": within the year a lever of this kind moves investment more than output, and "
        "its output arrives in later years"
    )


def _fmt(v: float, probability: float | None) -> str:
    return f"gap {v:+.1f}亿" if probability is None else f"probability {v:.1%}"


def required_path(res: Result) -> pd.DataFrame:
    """Cumulative milestones by month for both targets (亿元): calendar pace (序时进度),
    seasonal pace (the target spread like the base year's months) and the scenario's
    projection, with its lead (+) or shortfall (−) on the seasonal pace.

    Returns
    -------
    DataFrame
        Index ``month`` 1..12; columns ``gdp_calendar``, ``gdp_seasonal``,
        ``gdp_projected``, ``gdp_vs_seasonal`` and the same for ``industrial_output``.
    """
    out = {}
    for ind in ("gdp", "industrial_output"):
        p = cumulative_path(res, ind)
        out[f"{ind}_calendar"] = p.calendar_pace
        out[f"{ind}_seasonal"] = p.seasonal_pace
        out[f"{ind}_projected"] = p.cumulative
        out[f"{ind}_vs_seasonal"] = p.cumulative - p.seasonal_pace
    return pd.DataFrame(out, index=pd.Index(np.arange(1, 13), name="month"))


def solved_scenario(sol: Solution, sc: Scenario) -> Scenario:
    """The scenario with the solved lever value applied (for its required path)."""
    if sol.value is None or not math.isfinite(sol.value):
        raise ValueError("no solution to apply")
    return _with_lever(sc, sol.lever, sol.value)
