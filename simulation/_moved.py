"""Old import paths, kept for one release (0.2.x) after the package was laid out as
``economy/``, ``io/``, ``analyses/`` and ``frontends/``.

One table, :data:`MOVED`, instead of a file per old module: an import finder answers for
each old path with an alias module whose ``__getattr__`` returns the name from its new
home and warns (``DeprecationWarning``) where it lives now — QuantEcon's ``arma.py``
pattern, generated. ``import simulation.scenario`` and ``from simulation.ui import
Dashboard`` keep working in analysts' notebooks; new code uses the new paths.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any

#: old module path → new module path (0.1.0 → 0.2.0)
MOVED: dict[str, str] = {
    "simulation.accounts": "simulation.economy.accounts",
    "simulation.industry": "simulation.economy.industry",
    "simulation.investment": "simulation.economy.investment",
    "simulation.model": "simulation.economy.model",
    "simulation.pipeline": "simulation.economy.pipeline",
    "simulation.schema": "simulation.economy.schema",
    "simulation.shocks": "simulation.economy.shocks",
    "simulation.timeaxis": "simulation.economy.timeaxis",
    "simulation.distributions": "simulation.economy.distributions",
    "simulation.consistency": "simulation.economy.consistency",
    "simulation.scenario": "simulation.io.scenario",
    "simulation.datapack": "simulation.io.datapack",
    "simulation.register": "simulation.io.register",
    "simulation.projects": "simulation.io.projects",
    "simulation.excel": "simulation.io.excel",
    "simulation.result": "simulation.analyses.result",
    "simulation.summary": "simulation.analyses.summary",
    "simulation.uncertainty": "simulation.analyses.montecarlo",
    "simulation.sensitivity": "simulation.analyses.sensitivity",
    "simulation.goalseek": "simulation.analyses.goalseek",
    "simulation.estimation": "simulation.analyses.estimation",
    "simulation.calibration": "simulation.analyses.calibration",
    "simulation.paramfolder": "simulation.analyses.paramfolder",
    "simulation.backtest": "simulation.analyses.backtest",
    "simulation.nowcast": "simulation.analyses.nowcast",
    "simulation.nowcast_eval": "simulation.analyses.nowcast_eval",
    "simulation.tracking": "simulation.analyses.tracking",
    "simulation.register_views": "simulation.analyses.register_views",
    "simulation.driver_effects": "simulation.analyses.driver_effects",
    "simulation.plausibility": "simulation.analyses.plausibility",
    "simulation.batch": "simulation.analyses.batch.spec",
    "simulation.batch_run": "simulation.analyses.batch.run",
    "simulation.cli": "simulation.frontends.cli",
    "simulation.cli_calibrate": "simulation.frontends.cli_calibrate",
    "simulation.tracking_report": "simulation.frontends.tracking_report",
    "simulation.calibration_report": "simulation.frontends.calibration_report",
    "simulation.export": "simulation.frontends.export",
    "simulation.report": "simulation.frontends.figures",
    "simulation.compare": "simulation.frontends.compare",
    "simulation.ui": "simulation.frontends.ui",
    "simulation.ui.app": "simulation.frontends.ui.app",
    "simulation.ui.charts": "simulation.frontends.ui.charts",
    "simulation.ui.cities": "simulation.frontends.ui.cities",
    "simulation.ui.compare_page": "simulation.frontends.ui.compare_page",
    "simulation.ui.pathway": "simulation.frontends.ui.pathway",
    "simulation.ui.projects_page": "simulation.frontends.ui.projects_page",
    "simulation.ui.serve": "simulation.frontends.ui.serve",
    "simulation.ui.uncertainty_page": "simulation.frontends.ui.uncertainty_page",
    "simulation.ui.voila_main": "simulation.frontends.ui.voila_main",
}
#: the release in which the old paths go
REMOVED_IN = "0.3.0"


def moved(old: str, new: str) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` of the alias module ``old`` for module ``new``.

    Parameters
    ----------
    old, new : str
        Dotted module paths, e.g. ``"simulation.scenario"`` and ``"simulation.io.scenario"``.

    Returns
    -------
    tuple of callables
        Attribute access on ``old`` imports ``new``, warns with a ``DeprecationWarning``
        naming the new path, and returns ``new``'s attribute.
    """

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(f"module {old!r} has no attribute {name!r}")
        module = importlib.import_module(new)
        try:
            value = getattr(module, name)
        except AttributeError:
            raise AttributeError(
                f"module {old!r} (now {new!r}) has no attribute {name!r}"
            ) from None
        warnings.warn(
            f"{old}.{name} moved to {new}.{name}; the old path goes in {REMOVED_IN}",
            DeprecationWarning,
            stacklevel=2,
        )
        return value

    def __dir__() -> list[str]:
        return sorted(n for n in dir(importlib.import_module(new)) if not n.startswith("__"))

    return __getattr__, __dir__


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, new: str) -> None:
        self.new = new

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None  # the default module object

    def exec_module(self, module: ModuleType) -> None:
        module.__doc__ = f"Old import path of :mod:`{self.new}` (goes in {REMOVED_IN})."
        module.__getattr__, module.__dir__ = moved(module.__name__, self.new)  # type: ignore[method-assign]


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Any = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        new = MOVED.get(fullname)
        if new is None:
            return None
        is_package = any(k.startswith(fullname + ".") for k in MOVED)
        return importlib.util.spec_from_loader(fullname, _AliasLoader(new), is_package=is_package)


def install() -> None:
    """Put the alias finder on ``sys.meta_path`` (once; after the regular finders)."""
    if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        sys.meta_path.append(_AliasFinder())
