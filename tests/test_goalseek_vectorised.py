"""Goal seeking with many lever values per model call gives the answer of trials one by
one: checked against brute force (separate runs of the reloaded scenario), with the
time of both printed (``pytest -s``; no timed asserts)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from simulation.analyses.goalseek import solve
from simulation.analyses.montecarlo import monte_carlo
from simulation.analyses.result import simulate
from simulation.io.errors import ScenarioError
from simulation.io.layering import load_scenario


def _gap(name: str, lever: str, x: float, target: str) -> float:
    t = simulate(load_scenario(name, {lever: x})).targets()
    g = {k: t[k]["gap_100m_cny"] for k in ("gdp", "industrial_output")}
    return min(g.values()) if target == "both" else g[target]


def _brute_root(name: str, lever: str, target: str, lo: float, hi: float) -> float:
    """The smallest value meeting the target (increasing lever): a grid of separate
    runs for the bracket, then bisection to 1e-10 of the bracket's width."""
    xs = np.linspace(lo, hi, 21)
    gaps = [_gap(name, lever, x, target) for x in xs]
    i = next(i for i, g in enumerate(gaps) if g >= 0)
    a, b = xs[i - 1], xs[i]
    while b - a > (hi - lo) * 1e-10:
        m = (a + b) / 2
        a, b = (a, m) if _gap(name, lever, m, target) >= 0 else (m, b)
    return float(b)


@pytest.mark.parametrize(
    "lever, target",
    [
        ("industry.organic_real_growth_rate", "both"),
        ("investment.other_growth_rate", "gdp"),
        ("accounts.tertiary_real_growth_rate", "gdp"),
    ],
)
def test_deterministic_solution_equals_brute_force(lever, target):
    sc = load_scenario("baseline")
    t0 = time.perf_counter()
    sol = solve(sc, lever, target)
    t1 = time.perf_counter()
    lo, hi = sol.bracket
    root = _brute_root("baseline", lever, target, lo, hi)
    t2 = time.perf_counter()
    xtol = (hi - lo) * 1e-7
    print(
        f"\n{lever} {target}: vectorised {t1 - t0:.3f} s ({sol.evaluations} model calls), "
        f"brute force {t2 - t1:.3f} s; {sol.value!r} vs {root!r}"
    )
    assert sol.reachable and sol.direction == "increase"
    assert abs(sol.value - root) <= xtol
    assert _gap("baseline", lever, sol.value, target) >= 0  # on the meeting side
    assert sol.achieved == pytest.approx(_gap("baseline", lever, sol.value, target), abs=1e-9)
    assert sol.best_achieved == pytest.approx(_gap("baseline", lever, hi, target), abs=1e-9)


@pytest.mark.parametrize(
    "lever, target, probability, draws",
    [
        ("industry.organic_real_growth_rate", "both", 0.8, 200),  # uncertain itself
        ("investment.other_growth_rate", "gdp", 0.6, 150),
    ],
)
def test_probability_solution_sits_on_the_step(lever, target, probability, draws):
    """With draws (common random numbers) the answer is within the old tolerance of the
    step where the share of draws meeting the target reaches ``probability``."""
    t0 = time.perf_counter()
    sol = solve("uncertainty", lever, target, probability=probability, draws=draws, seed=5)
    t1 = time.perf_counter()
    xtol = (sol.bracket[1] - sol.bracket[0]) * 1e-7

    def p(x: float) -> float:
        return monte_carlo(load_scenario("uncertainty", {lever: x}), draws, seed=5).probability()[
            target
        ]

    at, below = p(sol.value), p(sol.value - xtol)
    print(f"\n{lever} P≥{probability}: vectorised {t1 - t0:.3f} s ({sol.evaluations} calls)")
    assert sol.reachable
    assert at >= probability > below
    assert sol.achieved == at


def test_a_lever_the_model_reads_only_from_the_scenario_falls_back_to_trials():
    """Base-year data are not taken per draw by the model: the solution still matches
    separate runs (the trial loop answers)."""
    lever, target = "base_year.industrial_fai_growth_rate", "gdp"
    sol = solve("baseline", lever, target)
    assert sol.reachable
    step = (sol.bracket[1] - sol.bracket[0]) * 1e-5
    assert (
        _gap("baseline", lever, sol.value, target)
        >= 0
        > _gap("baseline", lever, sol.value - step, target)
    )


def test_bracket_ends_are_those_the_scenario_accepts():
    """The lower bound of signings is raised to the January signings (a cross-field
    rule), found without reloading: the same end as bisection on reloads."""
    lever = "pipeline.signed_annual_100m_cny"
    sol = solve("baseline", lever, "both")
    assert not sol.reachable and "out of reach" in sol.message
    lo = sol.bracket[0]
    with pytest.raises(ScenarioError):
        load_scenario("baseline", {lever: lo - 1e-3})
    load_scenario("baseline", {lever: lo})  # accepted
    assert sol.bracket[1] == 20000.0


def test_a_rule_broken_by_a_draw_at_an_end_is_reported_as_before():
    """Drawn January signings above a low signed total: the Monte Carlo's own error."""
    with pytest.raises(ValueError, match="Monte Carlo of 'uncertainty'"):
        solve("uncertainty", "pipeline.signed_annual_100m_cny", "both", probability=0.5, draws=50)


def test_a_driver_left_to_the_model_is_solved_from_the_value_in_force():
    """``solve`` on a driver the scenario leaves unset starts from the value the model
    computes (it used to stop with a TypeError on the unset value)."""
    sc = load_scenario("baseline")
    assert sc.params.drivers.industrial_price_change_rate is None
    in_force = simulate(sc).drivers()["industrial_price_change_rate"]["value"]
    sol = solve(sc, "drivers.industrial_price_change_rate", "industrial_output")
    assert sol.current_value == pytest.approx(in_force)
    assert sol.reachable and sol.value > in_force
    at = load_scenario("baseline", {"drivers.industrial_price_change_rate": sol.value})
    assert simulate(at).targets()["industrial_output"]["gap_100m_cny"] >= -1e-6
