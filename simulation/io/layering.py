"""Scenarios resolved from their files: layers, campaign presets, validation.

A scenario file (``params/scenarios/NAME.yaml``, or ``params/scenarios/saved/NAME.yaml``
for one a planner saved from the app) holds::

    extends: base            # "base" (params/base.yaml) or another scenario's name
    description: one line shown by `python -m simulation scenarios`
    overrides:               # nested mappings or dotted keys
      campaigns.industry: strong
      pipeline:
        start_share: 0.9

(a planner's save also says who saved it and when: ``saved_by``, ``saved_at``). The files
directly in ``scenarios/`` are the calibrated ones, written by ``calibrate``; the app never
writes them (:mod:`simulation.io.saving`). A name means the calibrated file if there is
one, else the saved one.

Layers resolve root first; then campaign presets add their changes to every lever not
set explicitly by a layer or an override; then everything is validated against the
schema. Duplicate keys, unknown keys, wrong types, values out of bounds and broken
cross-field rules raise :class:`~simulation.io.errors.ScenarioError` naming the file, the
field and what was expected.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .._paths import REPO_ROOT
from ..economy import distributions
from ..economy.schema import CAMPAIGNS, Params
from .errors import ScenarioError, explain_error, validate_dict
from .paths import deep_merge, flatten, leaves, nest, pop_leaf
from .uncertain import take_distributions
from .yamlfile import read_yaml

__all__ = [
    "PARAMS_DIR",
    "SCENARIO_KEYS",
    "Scenario",
    "apply_presets",
    "list_scenarios",
    "load_scenario",
    "reload",
    "saved_path",
    "scenario_folder",
    "scenario_path",
]

PARAMS_DIR = REPO_ROOT / "params"
SCENARIO_KEYS = ("extends", "description", "overrides", "name", "saved_by", "saved_at")
#: The planners' area of a folder's ``scenarios/``: what the app saves goes here.
SAVED = "saved"


@dataclass(frozen=True)
class Scenario:
    """A resolved scenario: validated parameters plus where each value came from.

    ``uncertainty`` maps parameter paths to the distributions the files gave them (see
    :mod:`simulation.distributions`); ``params`` holds their centres, moved by presets and
    overrides like any value.
    """

    name: str
    params: Params
    files: tuple[str, ...]
    overrides: dict[str, Any] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)
    description: str = ""
    uncertainty: dict[str, distributions.Dist] = field(default_factory=dict)

    @property
    def inputs_hash(self) -> str:
        """SHA-256 (first 16 hex digits) of the resolved parameters."""
        data: dict[str, Any] = self.params.model_dump(mode="json")
        if self.uncertainty:
            data["uncertainty"] = {k: d.model_dump() for k, d in self.uncertainty.items()}
        blob = json.dumps(data, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def differences(self, other: Scenario) -> dict[str, tuple[Any, Any]]:
        """Parameters whose values differ from ``other``: path → (other, self)."""
        a, b = flatten(other.params.model_dump()), flatten(self.params.model_dump())
        return {k: (a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)}


def scenario_path(name_or_path: str | Path, params_dir: Path | None = None) -> Path:
    """Resolve a scenario name (``params/scenarios/NAME.yaml``) or a path.

    Parameters
    ----------
    name_or_path : str or Path
        A scenario name, ``"base"``, or a YAML path.
    params_dir : Path, optional
        Folder holding ``base.yaml`` and ``scenarios/`` (default: the repository's).

    Returns
    -------
    Path
        The file (which may not exist).
    """
    given = params_dir is not None
    params_dir = params_dir or PARAMS_DIR
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.is_file():
        if given:  # a folder was named (the command line always names one): the file's own?
            _check_own_folder(p, params_dir)
        return p
    if len(p.parts) != 1 or str(name_or_path) in (".", ".."):
        # a name is looked up in this folder: never a path into another city's folder
        raise ScenarioError(
            f"scenario {str(name_or_path)!r}: a scenario of the folder is named without a path "
            "(e.g. baseline); to run a file, give its path ending in .yaml"
        )
    return _named_path(str(name_or_path), params_dir)


def _check_own_folder(path: Path, params_dir: Path) -> None:
    """A scenario file of another parameter folder (``…/scenarios/[saved/]NAME.yaml`` beside
    a ``base.yaml``) is refused: run with this folder's base, it would be the other city's
    scenario on this city's numbers, labelled as this city's."""
    here = path.resolve().parent
    if here.name == SAVED:
        here = here.parent
    if here.name != "scenarios" or not (here.parent / "base.yaml").is_file():
        return
    if here.parent != Path(params_dir).resolve():
        raise ScenarioError(
            f"{path}: a scenario of the parameter folder {here.parent}, not of {params_dir}; "
            f"run it with --params-dir {here.parent}"
        )


def _named_path(name: str, params_dir: Path) -> Path:
    """``params_dir/base.yaml`` for ``base``, else ``params_dir/scenarios/NAME.yaml`` (a
    calibrated scenario) or, when there is none, the planner's ``scenarios/saved/NAME.yaml``."""
    if name == "base":
        return params_dir / "base.yaml"
    shipped = params_dir / "scenarios" / f"{name}.yaml"
    saved = saved_path(name, params_dir)
    return saved if not shipped.is_file() and saved.is_file() else shipped


def saved_path(name: str, params_dir: Path) -> Path:
    """Where a planner's saved scenario ``name`` lives: ``scenarios/saved/NAME.yaml``."""
    return params_dir / "scenarios" / SAVED / f"{name}.yaml"


def _is_name(ref: str) -> bool:
    """Whether ``extends: REF`` names a scenario (no folder, no .yaml) rather than a file."""
    p = Path(ref)
    return p.suffix not in (".yaml", ".yml") and len(p.parts) == 1


def _layers(path: Path, params_dir: Path) -> list[tuple[Path, dict[str, Any]]]:
    """The files a scenario reads, root (the base file) first, each with its content."""
    chain: list[tuple[Path, dict[str, Any]]] = []
    seen: list[Path] = []
    while True:
        rp = path.resolve()
        if rp in seen:
            names = " → ".join(str(s) for s in [*seen, rp])
            raise ScenarioError(f"{path}: scenarios extend each other in a circle: {names}")
        seen.append(rp)
        data = read_yaml(path)
        if "extends" not in data:  # the base file: every value
            chain.append((path, data))
            return chain[::-1]
        unknown = set(data) - set(SCENARIO_KEYS)
        if unknown:
            raise ScenarioError(
                f"{path}: unknown top-level key(s) {sorted(unknown)}; a "
                f"scenario file holds only {', '.join(SCENARIO_KEYS)}"
            )
        over = data.get("overrides") or {}
        if not isinstance(over, Mapping):
            raise ScenarioError(
                f"{path}: 'overrides' must be a mapping of parameter paths to "
                f"values, got {type(over).__name__}"
            )
        chain.append((path, data))
        parent = data["extends"]
        if not isinstance(parent, str) or not parent:
            raise ScenarioError(f"{path}: 'extends' must name a scenario or 'base'")
        # a name resolves in params_dir (never a file of that name in the working folder)
        nxt = (
            _named_path(parent, params_dir)
            if _is_name(parent)
            else scenario_path(parent, params_dir)
        )
        if not nxt.is_file():
            raise ScenarioError(f"{path}: extends '{parent}', but {nxt} does not exist")
        path = nxt


def load_scenario(
    name_or_path: str | Path = "baseline",
    overrides: Mapping[str, Any] | None = None,
    params_dir: str | Path | None = None,
) -> Scenario:
    """Load, layer, apply campaign presets and validate a scenario.

    Parameters
    ----------
    name_or_path : str or Path
        A scenario name in ``params/scenarios/``, ``"base"``, or a YAML path.
    overrides : mapping, optional
        Dotted paths (or nested mappings) to values, applied last (e.g.
        ``{"pipeline.start_share": 0.9, "campaigns.industry": "strong"}``).
    params_dir : path, optional
        Folder holding ``base.yaml`` and ``scenarios/`` (default: the repository's).

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Naming the file (or ``override``), the field and what was expected.

    See Also
    --------
    read_layers, scenario_from_layers : the two halves, for a page that reads a scenario's
        files once and applies its planner's changes in memory.
    """
    return scenario_from_layers(read_layers(name_or_path, params_dir), overrides)


@dataclass(frozen=True)
class Layers:
    """A scenario's files as read: the scenario file and the files it extends, base first,
    each with its content (never changed by :func:`scenario_from_layers`)."""

    path: Path
    files: tuple[tuple[Path, dict[str, Any]], ...]


def read_layers(name_or_path: str | Path, params_dir: str | Path | None = None) -> Layers:
    """Read the files of a scenario (by name in ``params_dir``, ``"base"``, or a path).

    Raises
    ------
    ScenarioError
        A folder without ``base.yaml``, an unknown scenario, a bad file or ``extends``.
    """
    params_dir = Path(params_dir) if params_dir else PARAMS_DIR
    if not (params_dir / "base.yaml").is_file():
        cities = sorted(p.name for p in params_dir.glob("*/base.yaml") if p.is_file())
        what = (
            f"a folder of city folders ({', '.join(q.split('/')[0] for q in cities)}): pass one "
            "of them (the app alone shows a city picker for such a folder)"
            if cities
            else "no base.yaml in it (make one with `python -m simulation calibrate`)"
        )
        raise ScenarioError(f"parameter folder {params_dir}: {what}")
    path = scenario_path(name_or_path, params_dir)
    if not path.is_file():
        known = ", ".join(n for n, _ in list_scenarios(params_dir)) or "none"
        raise ScenarioError(
            f"scenario '{name_or_path}': {path} does not exist; known scenarios: {known}"
        )
    return Layers(path, tuple(_layers(path, params_dir)))


def scenario_from_layers(layers: Layers, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """A scenario from files already read, with ``overrides`` applied last (merged and
    validated in memory: no file is read).

    Raises
    ------
    ScenarioError
        Naming the file (or ``override``), the field and what was expected.
    """
    path, files = layers.path, list(layers.files)
    base_path, base = files[0]
    data = copy.deepcopy(base)
    uncertainty = take_distributions(data, str(base_path))
    origin = {leaf: str(base_path) for k, v in base.items() for leaf in leaves(v, k)}
    explicit: dict[str, str] = {}
    description = str(base.get("description", ""))
    # copies: the layers are kept (a page applies its changes to them again and again)
    sources = [
        (str(lp), nest(copy.deepcopy(layer.get("overrides") or {}))) for lp, layer in files[1:]
    ]
    if overrides:
        sources.append(("override", nest(overrides)))
    for source, nested in sources:  # the base year is the data's, not a scenario's choice
        if isinstance(nested.get("calendar"), dict) and "base_year" in nested["calendar"]:
            raise ScenarioError(
                f"{source}: calendar.base_year comes with the data (base.yaml, written by "
                "calibrate); a scenario cannot move it (calibrate --base-year does)"
            )
    for source, nested in sources:
        dists = take_distributions(nested, source)
        # a distribution's centre is the value, but not an explicit setting: presets still
        # move the parameter (and the distribution with it)
        centres = {p: d.center for p, d in dists.items()}
        for p in dists:
            pop_leaf(nested, p)
        deep_merge(data, nested, explicit, source)
        deep_merge(data, nest(centres), origin, source)
        uncertainty.update(dists)
    for _, layer in files[1:]:
        description = str(layer.get("description") or description)
    origin.update(explicit)
    name = path.stem if len(files) > 1 else "base"
    data["name"] = name
    data["description"] = description
    params = validate_dict(data, origin, str(path))
    params = apply_presets(params, set(explicit), origin)
    return Scenario(
        name=name,
        params=params,
        files=tuple(str(p) for p, _ in files),
        overrides=dict(overrides or {}),
        origin=origin,
        description=description,
        uncertainty=uncertainty,
    )


def apply_presets(params: Params, explicit: set[str], origin: Mapping[str, str]) -> Params:
    """Add each campaign's weak/strong changes to the levers not set explicitly.

    Parameters
    ----------
    params : Params
        Validated parameters, presets not yet applied.
    explicit : set of str
        Dotted paths a scenario layer or an override set (presets leave them alone).
    origin : mapping
        Dotted path → source (kept for callers; the messages name the preset).

    Returns
    -------
    Params
        ``params`` itself when no preset changes anything.

    Raises
    ------
    ScenarioError
        A preset moves a lever out of its bounds.
    """
    data = params.model_dump()
    for campaign in CAMPAIGNS:
        level = getattr(params.campaigns, campaign)
        if level == "plan":
            continue
        for path, delta in params.campaign_presets.get(campaign, {}).get(level, {}).items():
            if path in explicit:
                continue
            section, key = path.split(".")
            data[section][key] = data[section][key] + delta
    if data == params.model_dump():
        return params
    try:
        return Params.model_validate(data)
    except ValidationError as e:
        lines = [explain_error(err, {}, "campaign preset") for err in e.errors()]
        raise ScenarioError(
            "a campaign preset moves a lever out of bounds:\n" + "\n".join(lines)
        ) from None


def list_scenarios(params_dir: str | Path | None = None) -> list[tuple[str, str]]:
    """(name, description) of every scenario file: the calibrated ones sorted by name, then
    the planners' saved ones (``scenarios/saved/``) sorted by name.

    Parameters
    ----------
    params_dir : path, optional
        Folder holding ``scenarios/`` (default: the repository's ``params/``).

    Returns
    -------
    list of (str, str)
        An unreadable file's description starts with ``INVALID:`` and says why.
    """
    params_dir = Path(params_dir) if params_dir else PARAMS_DIR
    out = []
    shipped = sorted((params_dir / "scenarios").glob("*.yaml"))
    names = {p.stem for p in shipped}
    saved = [p for p in sorted((params_dir / "scenarios" / SAVED).glob("*.yaml"))]
    for p in [*shipped, *(p for p in saved if p.stem not in names)]:
        try:
            desc = str(read_yaml(p).get("description", ""))
        except ScenarioError as e:
            desc = f"INVALID: {e}"
        out.append((p.stem, desc))
    return out


def scenario_folder(sc: Scenario) -> Path:
    """The parameter folder a resolved scenario came from (its base file's folder)."""
    return Path(sc.files[0]).resolve().parent


def reload(sc: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """``sc``'s own file again with ``overrides``, resolved in its own folder (never in
    another city's: a scenario of one folder run on another's base is refused)."""
    return load_scenario(Path(sc.files[-1]), overrides, scenario_folder(sc))
