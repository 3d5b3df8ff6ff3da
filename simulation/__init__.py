"""Scenario simulation of how industry, investment and signed projects reach a city's targets.

Quick start::

    import simulation
    sc = simulation.load_scenario("baseline", overrides={"pipeline.start_share": 0.9})
    res = simulation.simulate(sc)
    res.annual(); res.targets(); res.contributions()
"""

import os as _os
import sys as _sys

# numpy (through scipy) reads SOURCE_DATE_EPOCH as an integer on import and fails with a
# traceback otherwise: say what is wrong first (see simulation.result.created_utc)
_epoch = _os.environ.get("SOURCE_DATE_EPOCH", "").strip()
if _epoch and not _epoch.isdigit():
    _sys.stderr.write(
        f"error: SOURCE_DATE_EPOCH={_epoch!r}: expected whole seconds since 1970-01-01\n"
    )
    raise SystemExit(2)

from .scenario import Scenario, ScenarioError, list_scenarios, load_scenario  # noqa: E402

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
