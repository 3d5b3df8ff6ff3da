"""Saving scenarios from the app: new scenario files, kept versions, undo.

A saved scenario file holds only overrides on the scenario it extends; it is written
only when the whole set of scenarios still loads with it (checked in a shadow copy of the
folder), atomically (:mod:`simulation.io.atomic`). Overwriting keeps the previous version
in ``scenarios/.history/``, so :func:`restore_scenario` can undo it.
"""

from __future__ import annotations

import datetime as _dt
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .atomic import write_text
from .errors import ScenarioError, ScenarioExists
from .layering import PARAMS_DIR, list_scenarios, load_scenario
from .paths import flatten, nest
from .yamlfile import read_yaml

__all__ = ["check_scenario_name", "restore_scenario", "save_scenario"]

_NAME_RE = re.compile(r"[^\W][\w-]{0,59}")


def check_scenario_name(name: str) -> str:
    """A scenario name made safe for a file name, or :class:`ScenarioError`.

    Letters (Chinese included), digits, ``_`` and ``-``, 1-60 characters, starting with a
    letter, digit or ``_``: no paths, dots or spaces. ``base`` is reserved.

    Parameters
    ----------
    name : str
        The name as typed (surrounding spaces are dropped).

    Returns
    -------
    str
        The name, stripped.

    Raises
    ------
    ScenarioError
        The name is not allowed.
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


def _keep_version(path: Path, name: str) -> None:
    """Copy the current ``path`` into ``.history/`` beside it, stamped with the time."""
    history = path.parent / ".history"
    history.mkdir(exist_ok=True)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    shutil.copy2(path, history / f"{name}.{stamp}.yaml")


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
        flat = {**flatten(nest(raw.get("overrides") or {})), **flat}
    doc = {"extends": extends, "description": description, "overrides": flat}
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=False)
    _check_in_shadow(params_dir, name, text)
    if path.exists():  # the previous version is kept, so an overwrite can be undone
        _keep_version(path, name)
    write_text(path, text)
    return path


def restore_scenario(name: str, params_dir: str | Path | None = None) -> Path:
    """Undo the last overwrite of a scenario: put back its newest kept version.

    The version replaced is kept in turn (a restore can itself be undone), and the set of
    scenarios is checked as for a save.

    Parameters
    ----------
    name : str
        The scenario's name.
    params_dir : path, optional
        Folder with ``base.yaml`` and ``scenarios/``.

    Returns
    -------
    Path
        The file restored.

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
        _keep_version(path, name)
    write_text(path, text)
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
        # a scratch copy, thrown away: no need for an atomic write
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
