"""Saving scenarios from the app: the planners' own area, kept versions, restore.

The scenarios ``calibrate`` writes (the files directly in ``scenarios/``) are read-only
here: a save under one of their names is refused (:class:`ScenarioProtected`). Planners'
saves go to ``scenarios/saved/NAME.yaml``, holding only overrides on the scenario they
extend, with who saved them and when (``saved_by``, ``saved_at``).

Every save and restore runs under the folder's lock (:mod:`simulation.io.folderlock`), so
two planners saving at once are served one after the other; inside the lock the whole set
of scenarios is checked with the new file (in a shadow copy of the folder), an overwrite
must name the version it replaces (``expected_version``: a version another planner saved
in the meantime is not lost, the save is refused naming who and when, see
:class:`ScenarioStale`), and the file is written atomically (:mod:`simulation.io.atomic`).
Every overwritten version is kept in ``scenarios/saved/.history/``: anyone can list
(:func:`scenario_history`) and put back (:func:`restore_scenario`) any of them later.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .atomic import write_text
from .errors import ScenarioError, ScenarioExists, ScenarioProtected, ScenarioStale
from .folderlock import folder_lock
from .layering import PARAMS_DIR, SAVED, list_scenarios, load_scenario, saved_path
from .paths import flatten, nest
from .yamlfile import read_yaml

__all__ = [
    "Version",
    "check_scenario_name",
    "is_calibrated",
    "restore_scenario",
    "save_scenario",
    "saved_info",
    "scenario_history",
    "scenario_version",
]

_NAME_RE = re.compile(r"[^\W][\w-]{0,59}")
_SAVER_RE = re.compile(r"[\w .·-]{0,40}")


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


def _check_saver(saved_by: str) -> str:
    saved_by = str(saved_by).strip()
    if not _SAVER_RE.fullmatch(saved_by):
        raise ScenarioError(
            f"saver's name {saved_by!r}: use up to 40 letters, digits, Chinese characters, "
            "spaces, '.', '·' or '-'"
        )
    return saved_by


def is_calibrated(name: str, params_dir: Path) -> bool:
    """Whether ``name`` is one of the folder's calibrated scenarios (read-only here)."""
    return (params_dir / "scenarios" / f"{name}.yaml").is_file()


def scenario_version(name: str, params_dir: str | Path | None = None) -> str:
    """The version of a saved scenario as on disk (16 hex digits of its SHA-256; ``""``
    when there is no such file): what an overwrite must name as ``expected_version``."""
    params_dir = Path(params_dir) if params_dir else PARAMS_DIR
    path = saved_path(name, params_dir)
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else ""


@dataclass(frozen=True)
class Version:
    """One kept version of a saved scenario."""

    version_id: str  # the file's stamp: pass it to restore_scenario
    saved_by: str
    saved_at: str
    description: str
    path: Path


def saved_info(path: Path) -> tuple[str, str, str]:
    """(saved_by, saved_at, description) of a saved scenario file ("" where absent)."""
    try:
        raw = read_yaml(path)
    except ScenarioError:
        return "", "", ""
    return (str(raw.get("saved_by") or ""), str(raw.get("saved_at") or ""),
            str(raw.get("description") or ""))  # fmt: skip


def scenario_history(name: str, params_dir: str | Path | None = None) -> list[Version]:
    """The kept versions of saved scenario ``name``, newest first (empty if none)."""
    params_dir = Path(params_dir) if params_dir else PARAMS_DIR
    name = check_scenario_name(name)
    kept = sorted(_history_dir(params_dir).glob(f"{name}.*.yaml"), reverse=True)
    out = []
    for p in kept:
        by, at, desc = saved_info(p)
        out.append(Version(p.name[len(name) + 1 : -len(".yaml")], by, at, desc, p))
    return out


def _history_dir(params_dir: Path) -> Path:
    return params_dir / "scenarios" / SAVED / ".history"


def _round(v: Any) -> Any:
    return round(v, 10) if isinstance(v, float) else v


def _now() -> str:
    return _dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def _keep_version(path: Path, name: str) -> None:
    """Copy the current ``path`` into the history, stamped with the time."""
    history = _history_dir(path.parent.parent.parent)
    history.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    shutil.copy2(path, history / f"{name}.{stamp}.yaml")


def _protected(name: str) -> ScenarioProtected:
    return ScenarioProtected(
        f"scenario '{name}' is a calibrated scenario (written by calibrate): it cannot be "
        "saved over from the app; save under another name"
    )


def _stale(name: str, path: Path) -> ScenarioStale:
    by, at, _ = saved_info(path)
    who = f"{by or 'someone'} at {at}" if at else (by or "someone")
    return ScenarioStale(
        f"scenario '{name}' not saved: it was changed by {who} since you opened it; open it "
        "again to see that version, or save under another name"
    )


def save_scenario(
    name: str,
    extends: str,
    overrides: Mapping[str, Any],
    description: str = "",
    params_dir: str | Path | None = None,
    overwrite: bool = False,
    saved_by: str = "",
    expected_version: str | None = None,
) -> Path:
    """Write a planner's scenario file holding only overrides; validate it before it lands.

    Parameters
    ----------
    name : str
        The scenario's name (checked by :func:`check_scenario_name`); not a calibrated
        scenario's.
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
        Replace an existing saved scenario of that name (its version is kept).
    saved_by : str
        Who saves (shown in the scenario list and the history).
    expected_version : str, optional
        With ``overwrite``: the version being replaced, as :func:`scenario_version` (or
        :class:`ScenarioExists`) gave it; another version on disk refuses the save.

    Returns
    -------
    Path
        The file written (``params_dir/scenarios/saved/NAME.yaml``).

    Raises
    ------
    ScenarioProtected
        ``name`` is a calibrated scenario's.
    ScenarioExists
        The file exists and ``overwrite`` is false (the error carries its version).
    ScenarioStale
        ``expected_version`` is not the version on disk.
    ScenarioError
        Bad name, or the resulting scenario set does not validate (nothing is written).
    """
    params_dir = Path(params_dir) if params_dir else PARAMS_DIR
    name = check_scenario_name(name)
    saved_by = _check_saver(saved_by)
    if is_calibrated(name, params_dir):
        raise _protected(name)
    path = saved_path(name, params_dir)
    with folder_lock(params_dir):
        current = scenario_version(name, params_dir)
        if current and not overwrite:
            by, at, _ = saved_info(path)
            raise ScenarioExists(
                f"scenario '{name}' exists (saved by {by or 'someone'} {at}); confirm to "
                "overwrite it",
                current,
                by,
                at,
            )
        if current and expected_version is not None and expected_version != current:
            raise _stale(name, path)
        flat = {k: _round(v) for k, v in overrides.items()}
        if extends == name:
            if not current:
                raise ScenarioError(f"scenario '{name}' extends itself and does not exist")
            raw = read_yaml(path)
            extends = str(raw.get("extends", "base"))
            flat = {**flatten(nest(raw.get("overrides") or {})), **flat}
        doc = {
            "extends": extends,
            "description": description,
            "saved_by": saved_by,
            "saved_at": _now(),
            "overrides": flat,
        }
        text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=False)
        _check_in_shadow(params_dir, name, text)
        if current:  # the previous version is kept, so an overwrite can be undone
            _keep_version(path, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, text)
    return path


def restore_scenario(
    name: str,
    params_dir: str | Path | None = None,
    version_id: str | None = None,
    saved_by: str = "",
) -> Path:
    """Put back a kept version of a saved scenario (the newest by default).

    The version replaced is kept in turn (a restore can itself be undone), the kept ones
    stay listed, and the set of scenarios is checked as for a save.

    Parameters
    ----------
    name : str
        The saved scenario's name.
    params_dir : path, optional
        Folder with ``base.yaml`` and ``scenarios/``.
    version_id : str, optional
        A :class:`Version`'s ``version_id`` from :func:`scenario_history`.
    saved_by : str
        Who restores (recorded in the restored file).

    Returns
    -------
    Path
        The file restored.

    Raises
    ------
    ScenarioError
        No kept version (or not that one), or putting it back would break a scenario.
    """
    params_dir = Path(params_dir) if params_dir else PARAMS_DIR
    name = check_scenario_name(name)
    saved_by = _check_saver(saved_by)
    if is_calibrated(name, params_dir):
        raise _protected(name)
    with folder_lock(params_dir):
        kept = scenario_history(name, params_dir)
        if not kept:
            raise ScenarioError(f"scenario '{name}': no earlier version is kept")
        chosen = (
            kept[0]
            if version_id is None
            else next((v for v in kept if v.version_id == version_id), None)
        )
        if chosen is None:
            raise ScenarioError(f"scenario '{name}': no kept version {version_id!r}")
        raw = read_yaml(chosen.path)
        raw["description"] = str(raw.get("description") or "")
        raw["saved_by"] = saved_by or str(raw.get("saved_by") or "")
        raw["saved_at"] = _now()
        text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, default_flow_style=False)
        _check_in_shadow(params_dir, name, text)
        path = saved_path(name, params_dir)
        if path.is_file():
            _keep_version(path, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, text)
    return path


def _check_in_shadow(params_dir: Path, name: str, text: str) -> None:
    """Validate the scenario set as it will be on disk: the new saved file beside copies of
    the others; refuse when the new scenario or any scenario that loads today would not
    load then (an ``extends`` cycle, a parent made invalid)."""
    before = {}
    for n, _ in list_scenarios(params_dir):
        try:
            load_scenario(n, params_dir=params_dir)
            before[n] = True
        except ScenarioError:
            before[n] = False
    with tempfile.TemporaryDirectory(prefix=".shadow-") as tmp:
        shadow = Path(tmp)
        (shadow / "scenarios" / SAVED).mkdir(parents=True)
        shutil.copy2(params_dir / "base.yaml", shadow / "base.yaml")
        for sub in (Path("scenarios"), Path("scenarios") / SAVED):
            for f in (params_dir / sub).glob("*.yaml"):
                shutil.copy2(f, shadow / sub / f.name)
        # a scratch copy, thrown away: no need for an atomic write
        saved_path(name, shadow).write_text(text, encoding="utf-8")
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
