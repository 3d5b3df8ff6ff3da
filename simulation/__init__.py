"""Scenario simulation of how industry, investment and signed projects reach a city's targets.

Quick start::

    import simulation
    sc = simulation.load_scenario("baseline", overrides={"pipeline.start_share": 0.9})
    res = simulation.simulate(sc)
    res.annual(); res.targets(); res.contributions()
    mc = simulation.monte_carlo(simulation.load_scenario("uncertainty"), 2000, seed=1)

The package is laid out in floors, each importing only those below it:
``economy`` (pure numpy: schema, time axis, one module per mechanism, the model) →
``labels`` (the bilingual label table) → ``io`` (files ⇄ objects) → ``analyses``
(questions asked of the model) → ``frontends`` (command line, renderers, the Voila app).
This module is the public API; everything else is imported from the module that defines
it.
"""

from ._version import __version__

#: public names, each imported from its defining module on first use (``import simulation``
#: imports neither numpy nor pandas, so that ``python -m simulation`` can check its
#: environment first: see ``__main__``)
_LAZY = {
    "Scenario": "simulation.io.layering",
    "list_scenarios": "simulation.io.layering",
    "load_scenario": "simulation.io.layering",
    "ScenarioError": "simulation.io.errors",
    "InputError": "simulation.errors",
    "simulate": "simulation.analyses.result",
    "Result": "simulation.analyses.result",
    "monte_carlo": "simulation.analyses.montecarlo",
    "MonteCarlo": "simulation.analyses.montecarlo",
    "tornado": "simulation.analyses.sensitivity",
    "sobol": "simulation.analyses.sensitivity",
    "solve": "simulation.analyses.goalseek",
    "track": "simulation.analyses.tracking",
    "import_register": "simulation.io.register",
    "save_scenario": "simulation.io.saving",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'simulation' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
