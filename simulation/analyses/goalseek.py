"""Goal seeking (倒排): what value of a lever meets the target, and the monthly path.

:func:`solve` finds the smallest value of a lever that meets a target (the largest, where
the lever works the other way), deterministically or with a given probability, within the
lever's schema bounds (narrowed to values the scenario's cross-field rules accept). The
scenario is resolved once and many lever values go to the model in one call, as per-draw
values (:class:`_Trials`); with a probability every draw keeps its own random numbers at
every lever value (common random numbers), each draw's crossing is found in the same
calls, and the answer is the crossing at which the share of draws meeting the target
reaches the probability. Levers the model does not take per draw (the base year's data)
fall back to trials one by one on the reloaded scenario (scipy.optimize.brentq).
:func:`required_path` gives the cumulative milestones month by month.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from ..economy import model, schema
from ..economy.distributions import Dist
from ..economy.rules import DrawError, check_draws
from ..io.errors import ScenarioError
from ..io.layering import Scenario, load_scenario, reload, scenario_folder
from .montecarlo import DEFAULT_SEED, draw_values, monte_carlo, uncertainty_for, unit_draws
from .plausibility import flags as plausibility_flags
from .result import Result, simulate
from .summary import cumulative_path

Target = Literal["gdp", "industrial_output", "both"]
TARGETS = ("gdp", "industrial_output", "both")


@dataclass
class Solution:
    """Answer of :func:`solve`.

    ``value`` is the lever value found (None when out of reach); ``direction`` says
    whether more (``increase``) or less (``decrease``) of the lever helps; ``achieved``
    is the target metric at ``value`` (the smaller gap in 亿元, or the probability);
    ``best_value`` / ``best_achieved`` the best end of the bracket.

    Plausibility (:func:`plausibility_of`): ``flags`` are the record checks the plan year
    fails at the answer (or at the best end when out of reach; see
    :mod:`simulation.analyses.plausibility`), ``plausible`` whether there are none;
    ``lever_probability`` the probability of a lever value at least as favourable under
    its fitted distribution (``None`` when the lever has none). Out of reach, ``reason``
    says why: ``"economics"`` (the lever's effect flattens: a straight line through the
    last tenth of its range would need more than twice the range again) or ``"bound"``
    (the schema's bound, or a cross-field rule, stops a lever that still works;
    ``needed_estimate`` is that straight line's answer).
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
    flags: list[dict] = field(default_factory=list)
    plausible: bool = True
    lever_probability: float | None = None
    reason: str | None = None
    needed_estimate: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def _with_lever(sc: Scenario, lever: str, x: float) -> Scenario:
    """The scenario with ``lever`` set to ``x`` explicitly (as the app would)."""
    return reload(sc, {**sc.overrides, lever: x})


def _accepts(sc: Scenario, lever: str, x: float) -> bool:
    """Whether the scenario accepts ``lever`` = ``x``: its bounds and the cross-field rules
    (:func:`simulation.economy.rules.check_draws`, the schema's rules draw by draw),
    checked on the resolved parameters without reloading any file."""
    try:
        check_draws(sc.params, {lever: np.array([float(x)])})
    except DrawError:
        return False
    return True


def _valid_end(sc: Scenario, lever: str, end: float, inside: float) -> float:
    """``end`` if the scenario accepts it, else the nearest accepted value towards
    ``inside`` (cross-field rules, e.g. January signings ≤ the year's), to 1e-9."""
    if _accepts(sc, lever, end):
        return end
    bad, good = end, inside
    for _ in range(60):
        mid = (bad + good) / 2
        if _accepts(sc, lever, mid):
            good = mid
        else:
            bad = mid
        if abs(good - bad) <= 1e-9 * max(1.0, abs(good)):
            break
    return good


class _NotVectorisable(Exception):
    """The per-draw search cannot stand in for the trial loop (see :class:`_Trials`)."""


@dataclass
class _Trials:
    """The target gaps (亿元) of many lever values at once, one model call per batch.

    Each row of a batch is one draw of the Monte Carlo (the only row, deterministically)
    at its own lever value: the lever's values go to the model as per-draw values, the
    other uncertain parameters keep their draws whatever the lever (common random
    numbers), exactly as :func:`simulation.analyses.montecarlo.monte_carlo` draws them
    with the lever ``fixed``.

    Attributes
    ----------
    sc : Scenario
        The resolved scenario (loaded once).
    lever : str
    target : {"gdp", "industrial_output", "both"}
    dists : dict of str to Dist
        Distributions drawn (empty: deterministic, one row).
    units : dict of str to ndarray
        Unit draws of ``dists``, shape (n,).
    n : int
        Number of draws (1 deterministically).
    calls : int
        Model calls made so far.
    last : Result or None
        The last call's result (rows: draw by draw, the ``m`` values of each in turn).
    """

    sc: Scenario
    lever: str
    target: str
    dists: dict[str, Dist]
    units: dict[str, np.ndarray]
    n: int
    calls: int = 0
    last: Result | None = None

    def _values(self, x: np.ndarray) -> dict[str, np.ndarray]:
        """Parameter values of every draw with the lever at ``x`` (shape (n,))."""
        if not self.dists:
            return {self.lever: x}
        if self.lever in self.dists:  # drawn around each draw's own lever value
            return draw_values(self.sc, self.dists, self.units, {self.lever: x})
        values = draw_values(self.sc, self.dists, self.units)
        values[self.lever] = x
        return values

    def gaps(self, rows: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Gaps to the target of draws ``rows`` at lever values ``x``.

        Parameters
        ----------
        rows : ndarray of int, shape (R,)
            Draws to evaluate.
        x : ndarray, shape (R, m)
            ``m`` lever values for each of those draws.

        Returns
        -------
        ndarray, shape (R, m)
            Plan-year value − target (亿元): of GDP, of industrial output, or the smaller
            of the two for ``both``; ≥ 0 where the draw meets the target.
        """
        R, m = x.shape
        cols = []
        for j in range(m):
            full = np.full(self.n, x[0, j])
            full[rows] = x[:, j]
            cols.append({k: v[rows] for k, v in self._values(full).items()})
        draws = {k: np.stack([c[k] for c in cols], axis=1).reshape(-1) for k in cols[0]}
        self.calls += 1
        res = self.last = simulate(self.sc, draws=draws)
        t = self.sc.params.targets
        g = {
            "gdp": res.plan_year("gdp_100m_cny") - t.gdp_100m_cny,
            "industrial_output": res.plan_year("gross_industrial_output_100m_cny")
            - t.industrial_output_100m_cny,
        }
        out = (
            np.minimum(g["gdp"], g["industrial_output"])
            if self.target == "both"
            else g[self.target]
        )
        return out.reshape(R, m)


def _same_as_reloaded(trials: _Trials, x: float, col: int, seed: int) -> bool:
    """Whether the last call's column ``col`` (lever values ``x``) gives every monthly
    series the way the trial loop does: the scenario reloaded with the lever set (and,
    with draws, a Monte Carlo of it). Not so for a parameter the model reads from the
    scenario alone (the base year's data)."""
    assert trials.last is not None
    s = _with_lever(trials.sc, trials.lever, x)
    if trials.dists:
        ref = monte_carlo(s, trials.n, seed, uncertainty=trials.dists).result
    else:
        ref = simulate(s)
    m = trials.last.n_draws // trials.n
    for k in model.SERIES:
        mine = trials.last.arrays[k].reshape(trials.n, m, -1)[:, col]
        if not np.allclose(mine, ref.arrays[k], rtol=1e-9, atol=1e-9):
            return False
    return True


def _refine(
    trials: _Trials,
    rows: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    ga: np.ndarray,
    gb: np.ndarray,
    xtol: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Narrow each draw's bracket on its crossing to ``xtol``, all draws in one call a round.

    ``a`` fails the target (``ga`` < 0), ``b`` meets it (``gb`` ≥ 0); ``a`` may lie on
    either side of ``b``. Each round tries, per draw, the false-position point ± xtol/2
    (the gap is smooth in the lever, so these two usually close the bracket at once)
    and evenly spaced points (many for one draw, the midpoint for hundreds: at least
    halving the bracket), then keeps the first meeting point seen from ``a`` and the
    point before it.

    Returns
    -------
    a, b, ga, gb
        The narrowed brackets, ``|b − a|`` ≤ ``xtol`` for every draw.
    """
    a, b, ga, gb = (np.array(v, dtype=float) for v in (a, b, ga, gb))
    n_grid = max(1, min(30, 256 // max(1, rows.size)))
    grid = np.arange(1, n_grid + 1) / (n_grid + 1)
    for _ in range(200):
        todo = np.abs(b - a) > xtol
        if not todo.any():
            break
        w = b[todo] - a[todo]
        t_fp = ga[todo] / (ga[todo] - gb[todo])  # in (0, 1]
        d = xtol / 2 / np.abs(w)
        ts = np.column_stack([t_fp - d, t_fp + d, np.broadcast_to(grid, (w.size, n_grid))])
        ts = np.sort(np.clip(ts, 0.0, 1.0), axis=1)
        x = a[todo, None] + ts * w[:, None]
        g = trials.gaps(rows[todo], x)
        xs = np.column_stack([a[todo], x, b[todo]])
        gs = np.column_stack([ga[todo], g, gb[todo]])
        first = np.argmax(gs >= 0, axis=1)  # the last column meets: always found
        i = np.arange(w.size)
        a[todo], ga[todo] = xs[i, first - 1], gs[i, first - 1]
        b[todo], gb[todo] = xs[i, first], gs[i, first]
    return a, b, ga, gb


def _search(
    trials: _Trials,
    lo: float,
    hi: float,
    current: float,
    probability: float | None,
    seed: int,
) -> tuple[float, float, float | None, float | None]:
    """The vectorised search: the target function at both ends and, where it crosses,
    the least-effort value meeting the target.

    The function is the trial loop's: the gap (亿元) deterministically, the probability
    less ``probability`` plus 1e-9 with draws; ≥ 0 meets the target.

    Returns
    -------
    f_lo, f_hi : float
        The function at the ends.
    x, f_x : float or None
        The value found and the function there (None when the best end fails or the
        worst end already meets).

    Raises
    ------
    _NotVectorisable
        The model does not take the lever per draw (its series at the far end differ
        from a run of the scenario with the lever set), or the crossing is not where a
        search draw by draw puts it.
    ValueError
        A cross-field rule broken by some draw at an end, or a run the model refuses.
    """
    every = np.arange(trials.n)
    ends = trials.gaps(every, np.tile([lo, hi], (trials.n, 1)))

    def f(g: np.ndarray) -> float:
        if probability is None:
            return float(g[0])
        return float(np.mean(g >= 0)) - probability + 1e-9

    f_lo, f_hi = f(ends[:, 0]), f(ends[:, 1])
    far = 0 if not abs(hi - current) >= abs(lo - current) else 1
    if not _same_as_reloaded(trials, (lo, hi)[far], far, seed):
        raise _NotVectorisable
    increasing = f_hi >= f_lo
    worst, best = (0, 1) if increasing else (1, 0)
    if (f_lo, f_hi)[best] < 0 or (f_lo, f_hi)[worst] >= 0:
        return f_lo, f_hi, None, None
    xw, xb = (lo, hi)[worst], (lo, hi)[best]
    xtol = (hi - lo) * 1e-7
    gw, gb = ends[:, worst], ends[:, best]
    cross = (gw < 0) & (gb >= 0)
    rows = every[cross]
    a, b, _, g_b = _refine(
        trials, rows, np.full(rows.size, xw), np.full(rows.size, xb), gw[cross], gb[cross], xtol
    )
    if probability is None:
        return f_lo, f_hi, float(b[0]), float(g_b[0])
    # each draw meets the target from its own value on (seen from the worst end): at
    # once where it meets at the worst end, never where it fails at the best end
    t_meet = np.where(gw >= 0, xw, np.inf)
    t_fail = np.full(trials.n, xw)
    t_meet[rows], t_fail[rows] = b, a
    k = np.argsort(np.abs(t_meet - xw), kind="stable")[_draws_needed(probability, trials.n) - 1]
    x, below = float(t_meet[k]), float(t_fail[k])
    if not math.isfinite(x):
        raise _NotVectorisable
    check = trials.gaps(every, np.tile([below, x], (trials.n, 1)))
    f_below, f_x = f(check[:, 0]), f(check[:, 1])
    if f_x < 0 or f_below >= 0:
        raise _NotVectorisable  # some draw's gap is not monotone in the lever
    return f_lo, f_hi, x, f_x


def _draws_needed(probability: float, n: int) -> int:
    """The fewest draws ``k`` meeting the target with ``k / n`` ≥ the probability
    (less 1e-9, as the trial loop's test is)."""
    k = max(1, math.ceil((probability - 1e-9) * n))
    while k > 1 and (k - 1) / n - probability + 1e-9 >= 0:
        k -= 1
    while k < n and k / n - probability + 1e-9 < 0:
        k += 1
    return k


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

    The scenario is resolved once; lever values are tried many at a time, as per-draw
    values of one model call (:class:`_Trials`): both ends of the bracket, then rounds
    that narrow the bracket on the crossing to 1e-7 of its width (with draws, each
    draw's own crossing, all draws in one call a round; the answer is the crossing
    of the draw that brings the share of draws meeting the target up to
    ``probability``). Where that cannot stand in for trials of the reloaded scenario
    (a lever the model does not take per draw, a rule broken by some draw at an end, a
    gap not monotone draw by draw) the trials run one by one (scipy.optimize.brentq).

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
        Monte Carlo settings (see :func:`simulation.analyses.montecarlo.monte_carlo`).
    params_dir : path, optional
        Parameter folder to load ``scenario`` (a name) from and whose ``uncertainty``
        scenario gives the distributions when the scenario has none.

    Returns
    -------
    Solution
        ``reachable`` False (and ``value`` None) when neither end of the bracket meets
        the target; the message says how close the best end comes. ``evaluations``
        counts model calls (one vectorised call counts once).
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
    current = getattr(getattr(sc.params, section), key)
    if current is None:  # a driver left to the model: start from the value in force
        current = simulate(sc).drivers()[key]["value"]
    current = float(current)
    dists: dict[str, Dist] = {}
    if probability is not None:
        dists = dict(uncertainty) if uncertainty is not None else uncertainty_for(sc, params_dir)[0]
    n = 1 if probability is None else draws
    units = unit_draws(list(dists), n, seed) if dists else {}
    trials = _Trials(sc, lever, target, dists, units, n)
    goal = 0.0 if probability is None else probability
    # a probability is a step function of the lever, flat at exactly `goal` over a whole
    # interval; the tiny offset keeps it off zero so that brentq closes on the step
    offset = 0.0 if probability is None else 1e-9
    lo = _valid_end(sc, lever, float(meta["lo"]), current)
    hi = _valid_end(sc, lever, float(meta["hi"]), current)
    try:
        f_lo, f_hi, x, f_x = _search(trials, lo, hi, current, probability, seed)
        n_eval = trials.calls + 1  # and the check at the far end
    except (_NotVectorisable, ValueError):  # the loop raises its own errors, as before
        f_lo, f_hi, x, f_x, n_loop = _trial_loop(
            sc, lever, target, probability, draws, seed, dists, lo, hi
        )
        n_eval = trials.calls + n_loop
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
        schema_end = float(meta["hi"] if increasing else meta["lo"])
        limit = "the schema's bound" if best_x == schema_end else "a cross-field rule's limit"
        reason, needed = _why_out_of_reach(sc, lever, target, current, best_x)
        why = (
            f"; the economics: the lever's effect flattens (a straight line through the last "
            f"tenth of its range would need {_num(needed)} {meta['unit']})"
            if reason == "economics"
            else f"; {limit} stops a lever that still works (a straight line would need "
            f"≈{_num(needed)} {meta['unit']})"
        )
        plaus = plausibility_of(sc, lever, best_x, dists, increasing)
        return Solution(
            **common,
            value=None,
            reachable=False,
            achieved=None,
            evaluations=n_eval,
            message=(
                f"out of reach: even at {lever} = {best_x:g} {meta['unit']} ({limit}) "
                f"{what} fails ({_fmt(best_f + goal - offset, probability)}){why}"
                + _what_it_moves(sc, lever, current, best_x, meta["unit"], params_dir)
            ),
            **plaus.fields(),
            reason=reason,
            needed_estimate=needed,
        )
    if x is None:  # met across the whole bracket: the least effort is the far end
        x, f_x = (lo, f_lo) if increasing else (hi, f_hi)
    achieved = f_x + goal - offset
    verb = "at least" if increasing else "at most"
    plaus = plausibility_of(sc, lever, float(x), dists, increasing)
    return Solution(
        **common,
        value=float(x),
        reachable=True,
        achieved=achieved,
        evaluations=n_eval,
        message=(
            f"{lever} {verb} {x:.6g} {meta['unit']} (now {current:g}) meets {what} "
            f"({_fmt(achieved, probability)}){plaus.sentence()}"
        ),
        **plaus.fields(),
    )


def _trial_loop(
    sc: Scenario,
    lever: str,
    target: str,
    probability: float | None,
    draws: int,
    seed: int,
    dists: dict[str, Dist],
    lo: float,
    hi: float,
) -> tuple[float, float, float | None, float | None, int]:
    """The search one trial at a time, each on the scenario reloaded with the lever set
    (scipy.optimize.brentq), for what :func:`_search` cannot do.

    Returns
    -------
    f_lo, f_hi, x, f_x, evaluations
        As :func:`_search`, and the number of trials.
    """
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
    offset = 0.0 if probability is None else 1e-9
    f: Callable[[float], float] = lambda x: metric(x) - goal + offset  # noqa: E731
    f_lo, f_hi = f(lo), f(hi)
    increasing = f_hi >= f_lo
    best_f = f_hi if increasing else f_lo
    worst_f = f_lo if increasing else f_hi
    if best_f < 0 or worst_f >= 0:
        return f_lo, f_hi, None, None, n_eval
    xtol = (hi - lo) * 1e-7
    x = brentq(f, lo, hi, xtol=xtol)
    step = xtol if increasing else -xtol
    for _ in range(20):  # land on the side that meets the target
        if f(x) >= 0:
            break
        x = min(max(x + step, lo), hi)
        step *= 2
    return f_lo, f_hi, float(x), f(x), n_eval


def _what_it_moves(
    sc: Scenario, lever: str, current: float, best: float, unit: str, params_dir
) -> str:
    """Why the lever falls short: its effect on this year and the next three (亿元)."""
    years = 4
    base_over = {**sc.overrides, "calendar.horizon_months": 12 * years}
    try:
        a = simulate(reload(sc, base_over)).annual()
        b = simulate(reload(sc, {**base_over, lever: best})).annual()
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


@dataclass(frozen=True)
class Plausibility:
    """How an answer compares with the record and with the lever's fitted distribution.

    ``flags``: the failed record checks of the plan year with the lever at the answer
    (:class:`simulation.analyses.plausibility.Flag` as dicts: ``check`` and its values);
    ``lever_probability``: P(lever at least as favourable as the answer) under the
    lever's fitted distribution, ``None`` without one.
    """

    flags: list[dict]
    lever_probability: float | None

    def fields(self) -> dict:
        return {
            "flags": self.flags,
            "plausible": not self.flags,
            "lever_probability": self.lever_probability,
        }

    def sentence(self) -> str:
        """What the answer means against the record, in one clause (English)."""
        from ..labels import tr

        parts = []
        if self.lever_probability is not None:
            parts.append(
                f"a value this favourable has probability {self.lever_probability:.2%} under "
                "the lever's fitted distribution"
            )
        for f in self.flags:
            values = {k: v for k, v in f.items() if k != "check"}
            parts.append("implausible: " + tr(f"warn_{f['check']}", "en", **values))
        if not self.flags:
            parts.append("within the range the data pack records")
        return "; " + "; ".join(parts)


#: Points of a lever's fitted distribution's quantile function that give its tail
#: probability (exact to 1e-5).
_TAIL_GRID = (np.arange(100_000) + 0.5) / 100_000


def plausibility_of(
    sc: Scenario, lever: str, x: float, dists: Mapping[str, Dist], increasing: bool
) -> Plausibility:
    """Record checks of the plan year with ``lever`` = ``x``, and the lever's tail
    probability under its fitted distribution (the scenario's uncertainty).

    The distribution is the one ``solve`` drew with, else the scenario's own uncertainty
    (:func:`simulation.analyses.montecarlo.uncertainty_for`), when it has one for
    ``lever``.
    """
    try:
        res = simulate(_with_lever(sc, lever, x))
    except (ScenarioError, ValueError):
        return Plausibility([], None)
    flags = [{"check": f.check, **f.values} for f in plausibility_flags(res)]
    dist = dists.get(lever)
    if dist is None:
        try:
            dist = uncertainty_for(sc, scenario_folder(sc))[0].get(lever)
        except (ScenarioError, ValueError):
            dist = None
    p = None
    if dist is not None:
        q = dist.ppf(_TAIL_GRID)
        p = float(np.mean(q >= x if increasing else q <= x))
    return Plausibility(flags, p)


def _why_out_of_reach(
    sc: Scenario, lever: str, target: str, current: float, best: float
) -> tuple[str, float]:
    """Whether the economics or a bound stops the lever (deterministic gaps).

    A straight line through the gaps at the best end and a tenth of the range inward
    gives the lever value that would close the gap. ``"economics"`` when that line
    needs more than twice the range again (or never gets there: the effect has
    flattened or turned), else ``"bound"``.

    Returns
    -------
    reason, needed
        ``needed`` is ``inf`` (or ``-inf``) when the line never closes the gap.
    """
    span = best - current
    inner = best - 0.1 * span
    trials = _Trials(sc, lever, target, {}, {}, 1)
    g_inner, g_best = trials.gaps(np.array([0]), np.array([[inner, best]]))[0]
    gain = g_best - g_inner
    if gain <= 0 or span == 0:
        return "economics", math.copysign(math.inf, span or 1.0)
    needed = best + (-g_best) / gain * (best - inner)
    reason = "economics" if abs(needed - best) > 2 * abs(span) else "bound"
    return reason, float(needed)


def _num(x: float) -> str:
    return "more than any finite value" if math.isinf(x) else f"{x:.4g}"


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
