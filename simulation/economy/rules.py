"""The parameters' cross-field rules: one small named rule each, used three ways.

* **Validation** (:class:`simulation.economy.schema.Params`): every rule on the scenario's
  values; a broken one is refused with its explanation.
* **Draws** (:func:`check_draws`): the same rules vectorised over per-draw values, for the
  combination of the scenario's values and the drawn arrays; the first offending draw is
  named.
* **Sliders** (:func:`interval`): the values one parameter may take with every other held,
  answered directly from the rule (no trial runs), so that a slider cannot reach a
  refused setting.

A :class:`Rule` reads its parameters through a :class:`View` (a drawn path is an array of
shape (D,), any other path the scenario's value), says where it is broken, explains a
broken draw in plain words and, for the parameters it can solve for, gives the interval
that keeps it.

One condition is not a rule of the parameters alone: the base-year residual investment
(FAI less project spending and 技改) must not be negative, and project spending comes out
of the pipeline. :func:`realised_share_interval` answers it from the base-year project
spending of one run.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError

__all__ = [
    "IMPLIED_VA_RATE_RANGE",
    "RULES",
    "DrawError",
    "Rule",
    "View",
    "broken_rules",
    "check_draws",
    "implied_va_rate",
    "interval",
    "realised_share_interval",
]

#: Range of the above-scale value-added rate the base year may imply (share): output at
#: above-scale firms against their value added; outside it the base-year data disagree
#: (a construction share, a below-scale share or an output level mistyped) [judgement:
#: Chinese prefecture cities report 0.2-0.35].
IMPLIED_VA_RATE_RANGE = (0.15, 0.45)
INF = math.inf


class DrawError(InputError):
    """Per-draw parameter values break a bound or a cross-field rule; the message names
    the parameter(s), the first offending draw, the values and the rule."""


class _Unset(Exception):
    """A rule read an optional parameter that is not set (``None``)."""


def _fmt(x: Any) -> str:
    return f"{float(x):g}"


def _at(x: Any, i: int) -> Any:
    """Draw ``i`` of a per-draw array, or the scalar itself."""
    return x[i] if np.ndim(x) else x


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


class View:
    """The parameters as a rule reads them: a path in ``draws`` is its array of shape (D,),
    any other the value in ``params``. Records which paths were read.

    Parameters
    ----------
    params : simulation.economy.schema.Params (or any object with the same attributes)
    draws : mapping of dotted path to array, optional
    """

    def __init__(self, params: Any, draws: Mapping[str, np.ndarray] | None = None):
        self.params, self.draws = params, draws or {}
        self.read: list[str] = []

    def __call__(self, path: str) -> Any:
        """The value (or array of draws) of ``path``."""
        if path not in self.read:
            self.read.append(path)
        if path in self.draws:
            return self.draws[path]
        v = _scalar(self.params, path)
        if v is None:
            raise _Unset(path)
        return v

    def at(self, path: str, i: int = 0) -> str:
        """``path (value)`` in draw ``i``."""
        v = _at(self.draws[path], i) if path in self.draws else _scalar(self.params, path)
        return f"{path} ({_fmt(v)})"


@dataclass(frozen=True)
class Rule:
    """A cross-field rule.

    Attributes
    ----------
    name : str
    paths : tuple of str
        The parameters it reads.
    broken : callable
        ``broken(view)``: true (per draw) where the rule is broken.
    explain : callable
        ``explain(view, i)``: the broken rule in plain words for draw ``i`` (0 for values).
    interval : callable, optional
        ``interval(view, path)``: (lo, hi) that ``path`` may take with the others held
        (either end may be infinite); ``None`` for a rule that cannot be solved for it.
    """

    name: str
    paths: tuple[str, ...]
    broken: Callable[[View], Any]
    explain: Callable[[View, int], str]
    interval: Callable[[View, str], tuple[float, float] | None] | None = None


# --- the rules -----------------------------------------------------------------------------
JAN, YEAR = "pipeline.january_signed_100m_cny", "pipeline.signed_annual_100m_cny"
LARGE, MEDIUM = "pipeline.large_share", "pipeline.medium_share"
BUILD = (
    "pipeline.build_small_months",
    "pipeline.build_medium_months",
    "pipeline.build_large_months",
)
PRIMARY, SECONDARY = "base_year.primary_share", "base_year.secondary_share"
GDP, OUTPUT = "base_year.gdp_100m_cny", "base_year.industrial_output_100m_cny"
CONSTRUCTION = "base_year.construction_share_of_secondary"
BELOW = "industry.below_scale_share_of_industrial_va"
#: Below 1 means strictly below: the largest value a slider may take is this much under.
STRICT = 1e-9


def _january_interval(v: View, path: str) -> tuple[float, float]:
    return (-INF, float(v(YEAR))) if path == JAN else (float(v(JAN)), INF)


def _size_interval(v: View, path: str) -> tuple[float, float]:
    other = MEDIUM if path == LARGE else LARGE
    return -INF, 1.0 - float(v(other))


def _build_interval(v: View, path: str) -> tuple[float, float]:
    s, m, g = (float(v(p)) for p in BUILD)
    return {BUILD[0]: (-INF, m), BUILD[1]: (s, g), BUILD[2]: (m, INF)}[path]


def _sector_interval(v: View, path: str) -> tuple[float, float]:
    other = SECONDARY if path == PRIMARY else PRIMARY
    return -INF, 1.0 - float(v(other)) - STRICT


def implied_va_rate(v: Callable[[str], Any]) -> Any:
    """The above-scale value-added rate the base year implies (share; per draw for arrays):
    industrial VA (secondary less construction) less the below-scale part, over above-scale
    output. ``v`` maps a dotted path to its value (a :class:`View`)."""
    va_industry = v(GDP) * v(SECONDARY) * (1 - v(CONSTRUCTION))
    return va_industry * (1 - v(BELOW)) / v(OUTPUT)


def _va_rate_interval(v: View, path: str) -> tuple[float, float] | None:
    """The rate is G·s·(1 − c)·(1 − b)/Y: linear in (1 − c) and in (1 − b)."""
    if path not in (CONSTRUCTION, BELOW):
        return None
    lo, hi = IMPLIED_VA_RATE_RANGE
    other = BELOW if path == CONSTRUCTION else CONSTRUCTION
    k = float(v(GDP)) * float(v(SECONDARY)) * (1 - float(v(other))) / float(v(OUTPUT))
    if k <= 0:
        return None
    return 1 - hi / k, 1 - lo / k


def _va_rate_explain(v: View, i: int) -> str:
    rate = _at(implied_va_rate(v), i)
    lo, hi = IMPLIED_VA_RATE_RANGE
    return (
        f"the base year implies an above-scale value-added rate of {rate:.3f}, outside "
        f"{lo:g}-{hi:g}, with "
        + ", ".join(v.at(p, i) for p in (GDP, SECONDARY, CONSTRUCTION, BELOW, OUTPUT))
    )


RULES: tuple[Rule, ...] = (
    Rule(
        "january_within_year",
        (JAN, YEAR),
        lambda v: v(JAN) > v(YEAR),
        lambda v, i: (
            f"{v.at(JAN, i)} exceeds {v.at(YEAR, i)}: the January signing is part of the "
            "year's signings"
        ),
        _january_interval,
    ),
    Rule(
        "size_shares_within_one",
        (LARGE, MEDIUM),
        lambda v: v(LARGE) + v(MEDIUM) > 1,
        lambda v, i: (
            f"{v.at(LARGE, i)} + {v.at(MEDIUM, i)} = {_fmt(_at(v(LARGE) + v(MEDIUM), i))} "
            "exceeds 1: pipeline.large_share + pipeline.medium_share must not exceed 1 "
            "(small projects are the rest of the signed value)"
        ),
        _size_interval,
    ),
    Rule(
        "build_periods_ordered",
        BUILD,
        lambda v: np.logical_not((v(BUILD[0]) <= v(BUILD[1])) & (v(BUILD[1]) <= v(BUILD[2]))),
        lambda v, i: (
            f"{', '.join(v.at(p, i) for p in BUILD)} are out of order: build periods must "
            "grow with project size (small ≤ medium ≤ large)"
        ),
        _build_interval,
    ),
    Rule(
        "sector_shares_below_one",
        (PRIMARY, SECONDARY),
        lambda v: v(PRIMARY) + v(SECONDARY) >= 1,
        lambda v, i: (
            f"{v.at(PRIMARY, i)} + {v.at(SECONDARY, i)} = "
            f"{_fmt(_at(v(PRIMARY) + v(SECONDARY), i))} is not below 1: tertiary is the rest "
            "of base-year GDP"
        ),
        _sector_interval,
    ),
    Rule(
        "implied_va_rate_plausible",
        (GDP, SECONDARY, CONSTRUCTION, BELOW, OUTPUT),
        lambda v: (
            (implied_va_rate(v) < IMPLIED_VA_RATE_RANGE[0])
            | (implied_va_rate(v) > IMPLIED_VA_RATE_RANGE[1])
        ),
        _va_rate_explain,
        _va_rate_interval,
    ),
)


# --- the three uses --------------------------------------------------------------------------
def broken_rules(
    params: Any, draws: Mapping[str, np.ndarray] | None = None
) -> list[tuple[int, str]]:
    """The rules broken by ``params`` (with ``draws`` in place of their paths): one
    ``(first offending draw, explanation)`` per broken rule. With draws, a rule that reads
    no drawn path is skipped (the scenario's values were validated already)."""
    draws = draws or {}
    n = next(iter(draws.values())).size if draws else 1
    problems: list[tuple[int, str]] = []
    for rule in RULES:
        view = View(params, draws)
        try:
            bad = rule.broken(view)
        except _Unset:
            continue
        if draws and not any(p in draws for p in view.read):
            continue
        bad = np.broadcast_to(np.asarray(bad), (n,))
        if bad.any():
            i = int(np.argmax(bad))
            problems.append((i, rule.explain(view, i)))
    return problems


def interval(params: Any, path: str) -> tuple[float, float]:
    """The values ``path`` may take with every other parameter held, by the rules that
    read it (their intersection; (−inf, inf) when no rule limits it). The parameter's own
    bounds are the schema's, not included here."""
    lo, hi = -INF, INF
    for rule in RULES:
        if path not in rule.paths or rule.interval is None:
            continue
        try:
            got = rule.interval(View(params), path)
        except _Unset:
            continue
        if got is not None:
            lo, hi = max(lo, got[0]), min(hi, got[1])
    return lo, hi


def realised_share_interval(
    share: float,
    fai: float,
    industrial_fai: float,
    tech: float,
    projects: float,
    projects_industrial: float,
) -> tuple[float, float]:
    """The realised share of project contracts the base year's investment allows.

    Project spending in the base year is proportional to the realised share ``share``;
    the residuals other industrial FAI = industrial FAI − industrial project spending −
    技改 and other FAI = FAI − industrial FAI − other project spending must stay ≥ 0
    (:func:`simulation.economy.investment.base_residuals` refuses a run otherwise).

    Parameters
    ----------
    share : float
        The realised share of the run the spending comes from.
    fai, industrial_fai, tech : float
        Base-year FAI, industrial FAI and 技改 (亿元).
    projects, projects_industrial : float
        Base-year project spending of that run, all and industrial (亿元).

    Returns
    -------
    (lo, hi) : tuple of float
    """
    hi = INF
    per_unit_ind = projects_industrial / share if share > 0 else 0.0
    per_unit_other = (projects - projects_industrial) / share if share > 0 else 0.0
    if per_unit_ind > 0:
        hi = min(hi, (industrial_fai - tech) / per_unit_ind)
    if per_unit_other > 0:
        hi = min(hi, (fai - industrial_fai) / per_unit_other)
    return 0.0, hi


def _bounds(params: Any, path: str) -> tuple[float | None, float | None]:
    """A parameter's bounds (``ge``/``le`` of its field), read from the model ``params`` is
    an instance of (this module does not import the schema: the schema imports it)."""
    parts = path.split(".")
    if parts[0] == "shocks" and len(parts) == 3:
        owner: Any = getattr(params, "shocks", {}).get(parts[1])
    else:
        owner = params
        for p in parts[:-1]:
            owner = getattr(owner, p, None)
    fld = getattr(type(owner), "model_fields", {}).get(parts[-1]) if owner is not None else None
    if fld is None:
        return None, None
    lo = hi = None
    for m in fld.metadata:
        lo = getattr(m, "ge", lo)
        hi = getattr(m, "le", hi)
    return lo, hi


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
            problems.append((i, f"{path} ({a[i]}) is not a finite number"))
            continue
        lo, hi = _bounds(params, path)
        if lo is not None and (a < lo).any():
            i = int(np.argmax(a < lo))
            problems.append((i, f"{path} ({_fmt(a[i])}) is below its lower bound {lo:g}"))
        if hi is not None and (a > hi).any():
            i = int(np.argmax(a > hi))
            problems.append((i, f"{path} ({_fmt(a[i])}) is above its upper bound {hi:g}"))
    if not problems:  # the rules on values that are numbers within their bounds
        problems = broken_rules(params, arrays)
    if problems:
        problems.sort(key=lambda x: x[0])
        raise DrawError("\n".join(f"draw {i}: {msg}" for i, msg in problems))
