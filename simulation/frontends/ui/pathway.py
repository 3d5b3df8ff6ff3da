"""The planner's pathway as a link: scenario, lever settings and language in a query.

``?city=jingzhou&scenario=baseline&lang=zh&industry.tech_yield=0.5&campaigns.industry=strong&
shocks.heat_drought.enabled=1`` opens the dashboard on the same pathway. ``city`` (optional)
is the city's code: a server of several cities opens that city's page; a page of another
city refuses the link. A link is used
whole or not at all: any unknown key, unreadable or out-of-range value makes the page
open the baseline and say which parts it could not use (nothing is half-applied).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from ...economy import schema

#: Longest query read (characters): every lever set needs ≈1,500.
MAX_QUERY_CHARS = 4096
LEVELS = ("plan", "weak", "strong")


@dataclass
class Pathway:
    """What a link asks for; ``problems`` are ``(label key, fields)`` pairs."""

    scenario: str = "baseline"
    overrides: dict[str, Any] = field(default_factory=dict)
    lang: str | None = None
    problems: list[tuple[str, dict[str, str]]] = field(default_factory=list)


def to_query(
    scenario: str, overrides: Mapping[str, Any], lang: str, city: str | None = None
) -> str:
    """The query string of a pathway (keys in a stable order; ``city`` first when given)."""
    items = [("city", city)] if city else []
    items += [("scenario", scenario), ("lang", lang)]
    for key in sorted(overrides):
        v = overrides[key]
        if isinstance(v, bool):
            text = "1" if v else "0"
        elif isinstance(v, float):
            text = format(v, ".10g")
        else:
            text = str(v)
        items.append((key, text))
    return urlencode(items, safe=".")


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def from_query(
    query: str | None,
    scenarios: Iterable[str],
    shocks: Iterable[str],
    levers: Iterable[str],
    city: str | None = None,
) -> Pathway:
    """Read a link's query (``QUERY_STRING``) against what the folder offers.

    Parameters
    ----------
    query : str or None
        The query without ``?``; empty or None gives the baseline.
    scenarios, shocks, levers
        Scenario names, shock names and the numeric parameter paths the page shows.
    city : str, optional
        The page's city code: a link naming another city is refused.

    Returns
    -------
    Pathway
        With ``problems`` filled (and no overrides) when any part cannot be used.
    """
    out = Pathway()
    if not query:
        return out
    if len(query) > MAX_QUERY_CHARS:
        out.problems.append(("query_bad_value", {"field": "?", "value": f"{len(query)} chars"}))
        return out
    names, shock_names, lever_paths = set(scenarios), set(shocks), set(levers)
    numeric = schema.numeric_paths()
    overrides: dict[str, Any] = {}
    problems = out.problems
    seen: set[str] = set()
    for key, value in parse_qsl(query, keep_blank_values=True):
        bad = ("query_bad_value", {"field": _short(key), "value": _short(value)})
        if key in seen:  # which of two values was meant cannot be known
            problems.append(("query_twice", {"field": _short(key)}))
            continue
        seen.add(key)
        if key == "city":
            if city is not None and value != city:
                problems.append(("query_other_city", {"city": _short(value), "here": city}))
        elif key == "scenario":
            if value in names:
                out.scenario = value
            else:
                problems.append(("query_unknown_scenario", {"name": _short(value)}))
        elif key == "lang":
            if value in ("zh", "en"):
                out.lang = value
            else:
                problems.append(bad)
        elif key.startswith("campaigns.") and key[10:] in schema.CAMPAIGNS:
            if value in LEVELS:
                overrides[key] = value
            else:
                problems.append(bad)
        elif key.startswith("shocks.") and key.endswith(".enabled") and key[7:-8] in shock_names:
            if value in ("0", "1"):
                overrides[key] = value == "1"
            else:
                problems.append(bad)
        elif key in lever_paths:
            meta = numeric[key]
            try:
                x = float(value)
            except ValueError:
                problems.append(bad)
                continue
            if not math.isfinite(x) or not meta["lo"] <= x <= meta["hi"]:
                problems.append(bad)
            elif meta["integer"]:
                if x != int(x):
                    problems.append(bad)
                else:
                    overrides[key] = int(x)
            else:
                overrides[key] = x
        else:
            problems.append(("query_unknown_key", {"field": _short(key)}))
    if problems:
        out.scenario, out.overrides = "baseline", {}
    else:
        out.overrides = overrides
    return out
