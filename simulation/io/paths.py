"""Dotted parameter paths: nesting and flattening mappings, merging layers, ``--set``.

``{"pipeline.start_share": 0.9}`` and ``{"pipeline": {"start_share": 0.9}}`` say the same;
:func:`nest` turns the first into the second, :func:`flatten` the second into the first.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import yaml

from .errors import ScenarioError
from .yamlfile import MAX_YAML_DEPTH

__all__ = ["deep_merge", "flatten", "leaves", "nest", "parse_set", "pop_leaf"]


def nest(flat: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Turn dotted keys into nested mappings (nested input passes through, merged).

    Keys of a campaign preset (``campaign_presets.C.LEVEL``) are parameter paths and
    stay dotted.

    Parameters
    ----------
    flat : mapping
        Dotted paths (or nested mappings) to values.
    prefix : str
        Dotted path of ``flat`` itself (ending in ``.``), for presets and messages.

    Returns
    -------
    dict

    Raises
    ------
    ScenarioError
        A key that is not text, has too many parts, or is set both as a value and as a
        section.
    """
    out: dict[str, Any] = {}
    if prefix.startswith("campaign_presets.") and prefix.count(".") == 3:
        return dict(flat)
    for key, value in flat.items():
        if not isinstance(key, str):
            raise ScenarioError(f"override key {key!r}: expected a text key")
        parts = key.split(".")
        if len(parts) > MAX_YAML_DEPTH:
            raise ScenarioError(
                f"override key '{key[:60]}…': {len(parts)} parts; a parameter path has at most "
                f"{MAX_YAML_DEPTH} (section.name)"
            )
        node = out
        for p in parts[:-1]:
            node = node.setdefault(p, {})
            if not isinstance(node, dict):
                raise ScenarioError(
                    f"override '{key}': '{p}' is set both as a value and as a section"
                )
        full_key = f"{prefix}{key}."
        value = nest(value, full_key) if isinstance(value, Mapping) else value
        if isinstance(value, dict) and isinstance(node.get(parts[-1]), dict):
            deep_merge(node[parts[-1]], value, {}, "", "")
        else:
            node[parts[-1]] = value
    return out


def flatten(d: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings as dotted paths to their leaf values (the inverse of :func:`nest`).

    Parameters
    ----------
    d : mapping
        Nested mappings (e.g. ``Params.model_dump()``).
    prefix : str
        Put before every path (ending in ``.``).

    Returns
    -------
    dict
        ``{"section.name": value, ...}`` in the mappings' order.
    """
    out: dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, Mapping):
            out.update(flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def deep_merge(
    base: dict, over: Mapping, origin: dict[str, str], source: str, prefix: str = ""
) -> None:
    """Merge ``over`` into ``base`` in place, recording which source set each leaf.

    Parameters
    ----------
    base : dict
        Nested mappings, changed in place.
    over : mapping
        Nested mappings whose leaves replace those of ``base``.
    origin : dict
        Dotted path → source, updated with every leaf ``over`` sets.
    source : str
        The file (or ``override``) ``over`` comes from.
    prefix : str
        Dotted path of ``base`` itself (ending in ``.``).
    """
    for key, value in over.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            deep_merge(base[key], value, origin, source, path + ".")
        else:
            base[key] = copy.deepcopy(value)
            for leaf in leaves(value, path):
                origin[leaf] = source


def leaves(value: Any, path: str) -> list[str]:
    """Dotted paths of every leaf of ``value`` found at ``path`` (``[path]`` for a leaf or
    an empty mapping).

    Parameters
    ----------
    value : Any
        A value or nested mappings.
    path : str
        Its dotted path.

    Returns
    -------
    list of str
    """
    if isinstance(value, Mapping):
        return [x for k, v in value.items() for x in leaves(v, f"{path}.{k}")] or [path]
    return [path]


def pop_leaf(nested: dict[str, Any], path: str) -> None:
    """Remove the leaf at dotted ``path`` from nested mappings, and sections it empties.

    Parameters
    ----------
    nested : dict
        Nested mappings, changed in place.
    path : str
        Dotted path of an existing leaf.
    """
    parts = path.split(".")
    node = nested
    for p in parts[:-1]:
        node = node[p]
    del node[parts[-1]]
    if not node and len(parts) > 1:
        pop_leaf(nested, ".".join(parts[:-1]))


def parse_set(items: list[str] | None) -> dict[str, Any]:
    """Parse ``--set dotted.path=value`` items; values are read as YAML scalars.

    Parameters
    ----------
    items : list of str, optional
        ``dotted.path=value`` items as typed.

    Returns
    -------
    dict
        Dotted path → value.

    Raises
    ------
    ScenarioError
        An item without ``=`` or with an unreadable value.
    """
    out: dict[str, Any] = {}
    for item in items or []:
        if "=" not in item:
            raise ScenarioError(f"--set {item!r}: expected dotted.path=value")
        key, raw = item.split("=", 1)
        try:
            out[key.strip()] = yaml.safe_load(raw)
        except yaml.YAMLError:
            raise ScenarioError(f"--set {item!r}: value is not readable") from None
    return out
