"""Distributions in parameter files: which parameters may hold one, and taking them out.

A parameter file may give a real-valued parameter a distribution instead of a number
(:mod:`simulation.economy.distributions`); :func:`take_distributions` validates each one
against the parameter's bounds and replaces it with its centre, returning them by path.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..economy import distributions, schema
from .errors import ScenarioError

__all__ = ["take_distributions", "uncertain_paths"]


def uncertain_paths(shock_names: Iterable[str] = ()) -> dict[str, tuple[float, float]]:
    """Paths that may hold a distribution, with their bounds.

    Every real-valued parameter (not the calendar, the targets or whole-number settings)
    and each shock's ``depth_share``.

    Parameters
    ----------
    shock_names : iterable of str
        The scenario's shocks.

    Returns
    -------
    dict
        Dotted path → (lowest, highest) value allowed.
    """
    out = {
        p: (m["lo"], m["hi"])
        for p, m in schema.numeric_paths().items()
        if not m["integer"] and not p.startswith(("calendar.", "targets."))
    }
    out.update({f"shocks.{n}.depth_share": (0.0, 0.9) for n in shock_names})
    return out


def take_distributions(nested: dict[str, Any], source: str) -> dict[str, distributions.Dist]:
    """Find distribution mappings in nested parameter data, validate them and replace each
    with its centre (in place).

    Parameters
    ----------
    nested : dict
        Nested parameter mappings (a file's values or overrides), changed in place.
    source : str
        The file (or ``override``) they come from, for the messages.

    Returns
    -------
    dict
        Dotted path → distribution.

    Raises
    ------
    ScenarioError
        Naming the file, the parameter and what was wrong: a bad distribution, one outside
        the parameter's bounds, or one where no number is expected.
    """
    out: dict[str, distributions.Dist] = {}
    shocks = nested.get("shocks") if isinstance(nested.get("shocks"), dict) else {}
    allowed = uncertain_paths(shocks)

    def walk(node: dict[str, Any], prefix: str) -> None:
        for key, value in list(node.items()):
            path = f"{prefix}{key}"
            if distributions.is_spec(value):
                if path not in allowed:
                    raise ScenarioError(
                        f"{source}: {path}: a distribution is allowed only for a numeric "
                        "parameter or a shock's depth_share"
                    )
                try:
                    d = distributions.parse(value)
                except ValueError as e:
                    raise ScenarioError(f"{source}: {path}: {e}") from None
                lo, hi = allowed[path]
                a, b = d.support
                if a < lo or b > hi:
                    raise ScenarioError(
                        f"{source}: {path}: the distribution spans {a:g} to {b:g}, outside "
                        f"the parameter's bounds {lo:g} to {hi:g}"
                    )
                out[path] = d
                node[key] = d.center
            elif isinstance(value, dict) and not path.startswith("campaign_presets"):
                walk(value, path + ".")

    walk(nested, "")
    return out
