"""Scenario simulation of how industry, investment and signed projects reach a city's targets.

Quick start::

    import simulation
    sc = simulation.load_scenario("baseline", overrides={"pipeline.start_share": 0.9})
    res = simulation.simulate(sc)
    res.annual(); res.targets(); res.contributions()
"""

from .scenario import Scenario, ScenarioError, list_scenarios, load_scenario

__version__ = "0.1.0"

__all__ = [
    "Scenario",
    "ScenarioError",
    "list_scenarios",
    "load_scenario",
    "simulate",
    "Result",
    "__version__",
]


def __getattr__(name: str):
    if name in ("simulate", "Result"):
        from . import result

        return getattr(result, name)
    raise AttributeError(name)
