"""Per-draw consistency: the schema's cross-field rules, checked for every draw.

:class:`simulation.economy.schema.Params` checks its cross-field rules (January signings
within the year's, project-size shares, build periods by size, sector shares, the
implied value-added rate) for the scalar values only. Draws replace some of those values
with arrays (one value per draw), so the same rules are checked here, vectorised over the
draws, for the combination of the scalar parameters and the drawn arrays.

Each rule is a small named function taking a :class:`_View` (scalar or drawn value of any
parameter path) and returning ``(bad, explain)``: a boolean array, true where a draw
breaks the rule, and a function giving the plain-words explanation for one draw. One loop
(:func:`check_draws`) runs them all; a rule runs only when one of the values it reads is
drawn and none is unset (``None``: optional parameters the schema may add).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from . import schema

#: Range of the above-scale value-added rate the base year may imply (as in the schema).
IMPLIED_VA_RATE_RANGE = (0.15, 0.45)

Explain = Callable[[int], str]
Rule = Callable[["_View"], tuple[np.ndarray, Explain] | None]


class DrawError(ValueError):
    """Per-draw parameter values break a bound or a cross-field rule; the message names
    the parameter(s), the first offending draw, the values and the rule."""


class _Unset(Exception):
    """A rule read an optional parameter that is not set (``None``)."""


def _fmt(x: Any) -> str:
    return f"{float(x):g}"


def _at(x: Any, i: int) -> Any:
    """Draw ``i`` of a per-draw array, or the scalar itself."""
    return x[i] if np.ndim(x) else x


class _Section:
    """Attribute access to one section of a :class:`_View` (``view.pipeline.large_share``)."""

    def __init__(self, view: _View, section: str):
        self._view, self._section = view, section

    def __getattr__(self, name: str) -> Any:
        return self._view.value(f"{self._section}.{name}")


class _View:
    """The parameters as a rule sees them: a drawn path is an array of shape (D,), any
    other path the scenario's scalar. Records which paths were read."""

    def __init__(self, params: Any, draws: Mapping[str, np.ndarray]):
        self.params, self.draws = params, draws
        self.read: list[str] = []

    def __getattr__(self, section: str) -> _Section:
        if section.startswith("_"):
            raise AttributeError(section)
        return _Section(self, section)

    def value(self, path: str) -> Any:
        if path not in self.read:
            self.read.append(path)
        if path in self.draws:
            return self.draws[path]
        v = _scalar(self.params, path)
        if v is None:
            raise _Unset(path)
        return v

    def at(self, path: str, i: int) -> str:
        """``path (value)`` in draw ``i``."""
        v = _at(self.draws[path], i) if path in self.draws else _scalar(self.params, path)
        return f"{path} ({_fmt(v)})"


def _scalar(params: Any, path: str) -> Any:
    parts = path.split(".")
    try:
        if parts[0] == "shocks" and len(parts) == 3:
            return getattr(params.shocks[parts[1]], parts[2])
        obj = params
        for p in parts:
            obj = getattr(obj, p)
        return obj
    except (AttributeError, KeyError, TypeError):
        return None


# --- the rules -----------------------------------------------------------------------------
def january_within_year(v: _View):
    jan = v.pipeline.january_signed_100m_cny
    year = v.pipeline.signed_annual_100m_cny
    return (
        np.asarray(jan > year),
        lambda i: (
            f"{v.at('pipeline.january_signed_100m_cny', i)} exceeds "
            f"{v.at('pipeline.signed_annual_100m_cny', i)}: the January signing is part of the "
            "year's signings"
        ),
    )


def size_shares_within_one(v: _View):
    total = v.pipeline.large_share + v.pipeline.medium_share
    return (
        np.asarray(total > 1),
        lambda i: (
            f"{v.at('pipeline.large_share', i)} + {v.at('pipeline.medium_share', i)} = "
            f"{_fmt(_at(total, i))} exceeds 1: small projects are the rest "
            "of the signed value"
        ),
    )


def build_periods_ordered(v: _View):
    s, m, g = (
        v.pipeline.build_small_months,
        v.pipeline.build_medium_months,
        v.pipeline.build_large_months,
    )
    return (
        np.asarray(~((s <= m) & (m <= g))),
        lambda i: (
            f"{v.at('pipeline.build_small_months', i)}, {v.at('pipeline.build_medium_months', i)}"
            f", {v.at('pipeline.build_large_months', i)} are out of order: build periods must "
            "grow with project size (small ≤ medium ≤ large)"
        ),
    )


def sector_shares_below_one(v: _View):
    total = v.base_year.primary_share + v.base_year.secondary_share
    return (
        np.asarray(total >= 1),
        lambda i: (
            f"{v.at('base_year.primary_share', i)} + {v.at('base_year.secondary_share', i)} = "
            f"{_fmt(_at(total, i))} is not below 1: tertiary is the rest of "
            "base-year GDP"
        ),
    )


def implied_va_rate_plausible(v: _View):
    rate = schema.implied_base_va_rate(v)  # the schema's formula, on arrays
    lo, hi = IMPLIED_VA_RATE_RANGE
    read = list(v.read)
    return (
        np.asarray((rate < lo) | (rate > hi)),
        lambda i: (
            "the base year implies an above-scale value-added rate of "
            f"{_at(rate, i):.3f}, outside {lo:g}-{hi:g}, with "
            + ", ".join(v.at(p, i) for p in read)
        ),
    )


RULES: tuple[Rule, ...] = (
    january_within_year,
    size_shares_within_one,
    build_periods_ordered,
    sector_shares_below_one,
    implied_va_rate_plausible,
)


# --- the loop ------------------------------------------------------------------------------
def _bounds(path: str) -> tuple[float | None, float | None]:
    meta = schema.numeric_paths().get(path)
    if meta is not None:
        return meta.get("lo"), meta.get("hi")
    parts = path.split(".")
    if parts[0] == "shocks" and len(parts) == 3:
        fld = schema.Shock.model_fields.get(parts[2])
        if fld is not None:
            lo = hi = None
            for m in fld.metadata:
                lo = getattr(m, "ge", lo)
                hi = getattr(m, "le", hi)
            return lo, hi
    return None, None


def check_draws(params: Any, draws: Mapping[str, Any]) -> None:
    """Check per-draw values against the bounds and cross-field rules of the schema.

    Parameters
    ----------
    params : simulation.economy.schema.Params
        The scenario's (scalar) parameters; a path not drawn takes its value from here.
    draws : mapping of dotted path to array of shape (D,)
        Per-draw values. Paths with no rule and no known bounds pass unchecked (refusing
        unknown paths is :func:`simulation.analyses.result.simulate`'s job).

    Raises
    ------
    DrawError
        One line per broken check: the first offending draw, the parameter(s) and their
        values and the rule in plain words, e.g. ``draw 1: pipeline.january_signed_100m_cny
        (4000) exceeds pipeline.signed_annual_100m_cny (3300): the January signing is part
        of the year's signings``.
    """
    arrays = {k: np.asarray(v, dtype=float).reshape(-1) for k, v in draws.items()}
    if not arrays:
        return
    sizes = {k: a.size for k, a in arrays.items()}
    if len(set(sizes.values())) > 1:
        raise DrawError(
            "draws: every drawn parameter needs the same number of draws, got "
            + ", ".join(f"{k} ({n})" for k, n in sizes.items())
        )
    problems: list[tuple[int, str]] = []
    for path, a in arrays.items():
        bad = ~np.isfinite(a)
        if bad.any():
            i = int(np.argmax(bad))
            problems.append((i, f"draw {i}: {path} ({a[i]}) is not a finite number"))
            continue
        lo, hi = _bounds(path)
        if lo is not None and (a < lo).any():
            i = int(np.argmax(a < lo))
            problems.append((i, f"draw {i}: {path} ({_fmt(a[i])}) is below its lower bound {lo:g}"))
        if hi is not None and (a > hi).any():
            i = int(np.argmax(a > hi))
            problems.append((i, f"draw {i}: {path} ({_fmt(a[i])}) is above its upper bound {hi:g}"))
    if not problems:  # the rules on values that are numbers within their bounds
        problems = _broken_rules(params, arrays)
    if problems:
        problems.sort(key=lambda x: x[0])
        raise DrawError("\n".join(msg for _, msg in problems))


def _broken_rules(params: Any, arrays: dict[str, np.ndarray]) -> list[tuple[int, str]]:
    n = next(iter(arrays.values())).size
    problems: list[tuple[int, str]] = []
    for rule in RULES:
        view = _View(params, arrays)
        try:
            out = rule(view)
        except _Unset:
            continue
        if out is None or not any(p in arrays for p in view.read):
            continue  # scalars only: the schema checked them
        bad, explain = out
        bad = np.broadcast_to(bad, (n,))
        if bad.any():
            i = int(np.argmax(bad))
            problems.append((i, f"draw {i}: {explain(i)}"))
    return problems
