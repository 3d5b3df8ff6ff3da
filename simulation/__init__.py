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

import os as _os
import sys as _sys

# numpy (through scipy) reads SOURCE_DATE_EPOCH as an integer on import and fails with a
# traceback otherwise: say what is wrong first (see simulation.analyses.result.created_utc)
_epoch = _os.environ.get("SOURCE_DATE_EPOCH", "").strip()
if _epoch and not _epoch.isdigit():
    _sys.stderr.write(
        f"error: SOURCE_DATE_EPOCH={_epoch!r}: expected whole seconds since 1970-01-01\n"
    )
    raise SystemExit(2)

from ._version import __version__  # noqa: E402
from .io.scenario import Scenario, ScenarioError, list_scenarios, load_scenario  # noqa: E402

#: public names imported on first use (pandas, scipy and SALib stay out of ``import simulation``)
_LAZY = {
    "simulate": "simulation.analyses.result",
    "Result": "simulation.analyses.result",
    "monte_carlo": "simulation.analyses.montecarlo",
    "MonteCarlo": "simulation.analyses.montecarlo",
    "tornado": "simulation.analyses.sensitivity",
    "sobol": "simulation.analyses.sensitivity",
    "solve": "simulation.analyses.goalseek",
    "track": "simulation.analyses.tracking",
    "import_register": "simulation.io.register",
    "save_scenario": "simulation.io.scenario",
}

__all__ = [
    "Scenario",
    "ScenarioError",
    "list_scenarios",
    "load_scenario",
    "__version__",
    *_LAZY,
]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'simulation' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
