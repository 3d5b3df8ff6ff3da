"""Scenario files: a base file with every value, scenario files with overrides only.

A scenario file (``params/scenarios/NAME.yaml``) holds::

    extends: base            # "base" (params/base.yaml) or another scenario's name
    description: one line shown by `python -m simulation scenarios`
    overrides:               # nested mappings or dotted keys
      campaigns.industry: strong
      pipeline:
        start_share: 0.9

Layers resolve root first; then campaign presets add their changes to every lever not
set explicitly by a layer or an override; then everything is validated against the
schema. YAML is loaded safely; duplicate keys, unknown keys, wrong types, values out of
bounds and broken cross-field rules raise :class:`ScenarioError` naming the file, the
field and what was expected.
"""

from __future__ import annotations

import copy
import datetime as _dt
import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from . import distributions
from .economy import schema
from .economy.schema import CAMPAIGNS, Params

PARAMS_DIR = Path(__file__).resolve().parent.parent / "params"
SCENARIO_KEYS = ("extends", "description", "overrides", "name")


class ScenarioError(ValueError):
    """A parameter or scenario file, or an override, is not valid."""


#: Parameter and batch files larger than this are refused before parsing (base.yaml ≈20 KB).
MAX_YAML_BYTES = 1_000_000
#: Deepest nesting a parameter file may have (the schema needs 4; recursion is refused).
MAX_YAML_DEPTH = 20


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe loader that refuses duplicate keys instead of keeping the last one, and aliases
    (``*name``: a 500-byte "billion laughs" file would expand to gigabytes) and nesting
    deeper than :data:`MAX_YAML_DEPTH`, before anything is built."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not accepted in parameter files", mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_YAML_DEPTH} levels", mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, Any] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        seen[key] = True
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


#: Parsed files by (resolved path, modification time, size): the app re-resolves the
#: scenario on every slider move and parsing base.yaml alone costs ≈8 ms.
_YAML_CACHE: dict[tuple[str, int, int], dict[str, Any]] = {}


def read_yaml(path: Path) -> dict[str, Any]:
    """Load one YAML mapping safely; errors name the file and line.

    Returns a fresh copy each time; files are re-read when they change on disk.
    """
    if not path.is_file():
        raise ScenarioError(f"{path}: file not found")
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    if key not in _YAML_CACHE:
        _YAML_CACHE[key] = _parse_yaml(path)
    return copy.deepcopy(_YAML_CACHE[key])


def _parse_yaml(path: Path) -> dict[str, Any]:
    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        raise ScenarioError(
            f"{path}: {size / 1e6:.1f} MB is too large for a parameter file (limit "
            f"{MAX_YAML_BYTES / 1e6:.0f} MB)"
        )
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(e, "problem", None) or str(e)
        raise ScenarioError(f"{path}{where}: not valid YAML: {problem}") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not UTF-8 text") from None
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{path}: expected a mapping of keys to values at the top level, "
            f"got {type(data).__name__}"
        )
    return data


def nest(flat: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Turn dotted keys into nested mappings (nested input passes through, merged).

    Keys of a campaign preset (``campaign_presets.C.LEVEL``) are parameter paths and
    stay dotted.
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


def deep_merge(
    base: dict, over: Mapping, origin: dict[str, str], source: str, prefix: str = ""
) -> None:
    """Merge ``over`` into ``base`` in place, recording which source set each leaf."""
    for key, value in over.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            deep_merge(base[key], value, origin, source, path + ".")
        else:
            base[key] = copy.deepcopy(value)
            for leaf in _leaves(value, path):
                origin[leaf] = source


def _leaves(value: Any, path: str) -> list[str]:
    if isinstance(value, Mapping):
        return [x for k, v in value.items() for x in _leaves(v, f"{path}.{k}")] or [path]
    return [path]


def _model_at(loc: tuple) -> type[BaseModel] | None:
    model: Any = Params
    for part in loc:
        if model is None:
            return None
        if model is Params and part == "shocks":
            model = "shocks"
            continue
        if model == "shocks":
            model = schema.Shock
            continue
        fld = model.model_fields.get(part) if isinstance(model, type) else None
        ann = getattr(fld, "annotation", None)
        model = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return model if isinstance(model, type) else None


def _explain(err: dict, origin: Mapping[str, str], default_source: str) -> str:
    loc = tuple(str(x) for x in err["loc"])
    path = ".".join(loc)
    src = default_source
    for i in range(len(loc), 0, -1):
        key = ".".join(loc[:i])
        if key in origin:
            src = origin[key]
            break
    typ = err["type"]
    if typ == "extra_forbidden":
        parent = _model_at(loc[:-1])
        valid = ", ".join(parent.model_fields) if parent else "see `python -m simulation params`"
        return f"{src}: unknown key '{path}'; valid keys here are: {valid}"
    if typ == "missing":
        return f"{src}: '{path}' is missing; expected a value for it"
    got = err.get("input")
    ctx = err.get("ctx") or {}
    if typ in ("greater_than_equal", "less_than_equal"):
        meta = schema.numeric_paths().get(path, {})
        unit = meta.get("unit", "")
        lo, hi = meta.get("lo", ctx.get("ge")), meta.get("hi", ctx.get("le"))
        return (
            f"{src}: field '{path}' = {got!r} is out of bounds; expected a value from "
            f"{lo} to {hi} {unit}".rstrip()
        )
    if not loc:
        return f"{src}: {err['msg'].removeprefix('Value error, ')}"
    return f"{src}: field '{path}' = {got!r}: {err['msg'].removeprefix('Value error, ')}"


def validate_dict(data: dict[str, Any], origin: Mapping[str, str], default_source: str) -> Params:
    """Validate a resolved parameter mapping; raise :class:`ScenarioError` listing problems."""
    try:
        return Params.model_validate(data)
    except ValidationError as e:
        lines = [_explain(err, origin, default_source) for err in e.errors()]
        raise ScenarioError("\n".join(dict.fromkeys(lines))) from None


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
        a, b = _flatten(other.params.model_dump()), _flatten(self.params.model_dump())
        return {k: (a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)}


def _flatten(d: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, Mapping):
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def scenario_path(name_or_path: str | Path, params_dir: Path | None = None) -> Path:
    """Resolve a scenario name (``params/scenarios/NAME.yaml``) or a path."""
    params_dir = params_dir or PARAMS_DIR
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.is_file():
        return p
    return _named_path(str(name_or_path), params_dir)


def _named_path(name: str, params_dir: Path) -> Path:
    """``params_dir/base.yaml`` for ``base``, else ``params_dir/scenarios/NAME.yaml``."""
    if name == "base":
        return params_dir / "base.yaml"
    return params_dir / "scenarios" / f"{name}.yaml"


def _is_name(ref: str) -> bool:
    """Whether ``extends: REF`` names a scenario (no folder, no .yaml) rather than a file."""
    p = Path(ref)
    return p.suffix not in (".yaml", ".yml") and len(p.parts) == 1


def _layers(path: Path, params_dir: Path) -> list[tuple[Path, dict[str, Any]]]:
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
    layers = _layers(path, params_dir)
    base_path, base = layers[0]
    data = copy.deepcopy(base)
    uncertainty = take_distributions(data, str(base_path))
    origin = {leaf: str(base_path) for k, v in base.items() for leaf in _leaves(v, k)}
    explicit: dict[str, str] = {}
    description = str(base.get("description", ""))
    sources = [(str(lp), nest(layer.get("overrides") or {})) for lp, layer in layers[1:]]
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
            _pop_leaf(nested, p)
        deep_merge(data, nested, explicit, source)
        deep_merge(data, nest(centres), origin, source)
        uncertainty.update(dists)
    for _, layer in layers[1:]:
        description = str(layer.get("description") or description)
    origin.update(explicit)
    name = path.stem if len(layers) > 1 else "base"
    data["name"] = name
    data["description"] = description
    params = validate_dict(data, origin, str(path))
    params = apply_presets(params, set(explicit), origin)
    return Scenario(
        name=name,
        params=params,
        files=tuple(str(p) for p, _ in layers),
        overrides=dict(overrides or {}),
        origin=origin,
        description=description,
        uncertainty=uncertainty,
    )


def _pop_leaf(nested: dict[str, Any], path: str) -> None:
    parts = path.split(".")
    node = nested
    for p in parts[:-1]:
        node = node[p]
    del node[parts[-1]]
    if not node and len(parts) > 1:
        _pop_leaf(nested, ".".join(parts[:-1]))


def uncertain_paths(shock_names: Any = ()) -> dict[str, tuple[float, float]]:
    """Paths that may hold a distribution, with their bounds: every real-valued parameter
    (not the calendar, the targets or whole-number settings) and each shock's
    ``depth_share``."""
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


def apply_presets(params: Params, explicit: set[str], origin: Mapping[str, str]) -> Params:
    """Add each campaign's weak/strong changes to the levers not set explicitly."""
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
        lines = [_explain(err, {}, "campaign preset") for err in e.errors()]
        raise ScenarioError(
            "a campaign preset moves a lever out of bounds:\n" + "\n".join(lines)
        ) from None


def list_scenarios(params_dir: str | Path | None = None) -> list[tuple[str, str]]:
    """(name, description) of every scenario file, sorted by name."""
    params_dir = Path(params_dir) if params_dir else PARAMS_DIR
    out = []
    for p in sorted((params_dir / "scenarios").glob("*.yaml")):
        try:
            desc = str(read_yaml(p).get("description", ""))
        except ScenarioError as e:
            desc = f"INVALID: {e}"
        out.append((p.stem, desc))
    return out


def parse_set(items: list[str] | None) -> dict[str, Any]:
    """Parse ``--set dotted.path=value`` items; values are read as YAML scalars."""
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


_NAME_RE = re.compile(r"[^\W][\w-]{0,59}")


class ScenarioExists(ScenarioError):
    """Saving would overwrite an existing scenario file and ``overwrite`` was not given."""


def check_scenario_name(name: str) -> str:
    """A scenario name made safe for a file name, or :class:`ScenarioError`.

    Letters (Chinese included), digits, ``_`` and ``-``, 1-60 characters, starting with a
    letter, digit or ``_``: no paths, dots or spaces. ``base`` is reserved.
    """
    name = str(name).strip()
    if not _NAME_RE.fullmatch(name) or name == "base":
        raise ScenarioError(
            f"scenario name {name!r}: use 1-60 letters, digits, Chinese characters, '_' or "
            "'-', starting with a letter, digit or '_' (no paths, dots or spaces; not 'base')"
        )
    return name


def _round(v: Any) -> Any:
    return round(v, 10) if isinstance(v, float) else v


def save_scenario(
    name: str,
    extends: str,
    overrides: Mapping[str, Any],
    description: str = "",
    params_dir: str | Path | None = None,
    overwrite: bool = False,
) -> Path:
    """Write a scenario file holding only overrides; validate it before it lands.

    Parameters
    ----------
    name : str
        New scenario's name (checked by :func:`check_scenario_name`).
    extends : str
        Scenario the new one extends. Saving under the name of the scenario it extends
        (overwriting it) folds that scenario's own overrides in and extends its parent.
    overrides : mapping
        Dotted parameter paths to values.
    description : str
        One line saying what the scenario assumes.
    params_dir : path, optional
        Folder with ``base.yaml`` and ``scenarios/``.
    overwrite : bool
        Replace an existing file of that name.

    Returns
    -------
    Path
        The file written (``params_dir/scenarios/NAME.yaml``).

    Raises
    ------
    ScenarioExists
        The file exists and ``overwrite`` is false.
    ScenarioError
        Bad name, or the resulting scenario does not validate (nothing is written).
    """
    params_dir = Path(params_dir) if params_dir else PARAMS_DIR
    name = check_scenario_name(name)
    path = params_dir / "scenarios" / f"{name}.yaml"
    if path.exists() and not overwrite:
        raise ScenarioExists(f"{path}: scenario '{name}' exists; confirm to overwrite it")
    flat = {k: _round(v) for k, v in overrides.items()}
    if extends == name:
        raw = read_yaml(path)
        extends = str(raw.get("extends", "base"))
        flat = {**_flatten(nest(raw.get("overrides") or {})), **flat}
    doc = {"extends": extends, "description": description, "overrides": flat}
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=False)
    _check_in_shadow(params_dir, name, text)
    if path.exists():  # the previous version is kept, so an overwrite can be undone
        history = path.parent / ".history"
        history.mkdir(exist_ok=True)
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        shutil.copy2(path, history / f"{name}.{stamp}.yaml")
    tmp = path.with_name(f".{name}.yaml.part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def restore_scenario(name: str, params_dir: str | Path | None = None) -> Path:
    """Undo the last overwrite of a scenario: put back its newest kept version.

    The version replaced is kept in turn (a restore can itself be undone), and the set of
    scenarios is checked as for a save.

    Raises
    ------
    ScenarioError
        No kept version, or putting it back would break a scenario.
    """
    params_dir = Path(params_dir) if params_dir else PARAMS_DIR
    name = check_scenario_name(name)
    kept = sorted((params_dir / "scenarios" / ".history").glob(f"{name}.*.yaml"))
    if not kept:
        raise ScenarioError(f"scenario '{name}': no earlier version is kept")
    newest = kept[-1]
    text = newest.read_text(encoding="utf-8")
    _check_in_shadow(params_dir, name, text)
    path = params_dir / "scenarios" / f"{name}.yaml"
    if path.exists():
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        shutil.copy2(path, path.parent / ".history" / f"{name}.{stamp}.yaml")
    tmp = path.with_name(f".{name}.yaml.part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    newest.unlink()  # it is the current version now
    return path


def _check_in_shadow(params_dir: Path, name: str, text: str) -> None:
    """Validate the scenario set as it will be on disk: the new file under its own name
    beside copies of the others; refuse when the new scenario or any scenario that loads
    today would not load then (an ``extends`` cycle, a parent made invalid)."""
    before = {}
    for n, _ in list_scenarios(params_dir):
        try:
            load_scenario(n, params_dir=params_dir)
            before[n] = True
        except ScenarioError:
            before[n] = False
    with tempfile.TemporaryDirectory(prefix=".shadow-") as tmp:
        shadow = Path(tmp)
        (shadow / "scenarios").mkdir()
        shutil.copy2(params_dir / "base.yaml", shadow / "base.yaml")
        for f in (params_dir / "scenarios").glob("*.yaml"):
            shutil.copy2(f, shadow / "scenarios" / f.name)
        (shadow / "scenarios" / f"{name}.yaml").write_text(text, encoding="utf-8")
        try:
            load_scenario(name, params_dir=shadow)
        except ScenarioError as e:
            raise ScenarioError(
                f"scenario '{name}' not saved: {str(e).replace(str(shadow), str(params_dir))}"
            ) from None
        broken = []
        for n, ok in before.items():
            if ok and n != name:
                try:
                    load_scenario(n, params_dir=shadow)
                except ScenarioError:
                    broken.append(n)
        if broken:
            raise ScenarioError(
                f"scenario '{name}' not saved: it would break {', '.join(sorted(broken))} "
                "(they extend it); choose another name"
            )
