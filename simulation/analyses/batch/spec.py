"""Scenario batches: many parameter sets on top of a base scenario, one results table.

A batch file (``params/batches/NAME.yaml``)::

    base: baseline                # the scenario every point builds on
    description: one line
    draws: 0                      # Monte Carlo draws per point (0 = deterministic)
    seed: 20220208
    scenarios:                    # explicit points (optional)
      - {id: strong_slow, overrides: {campaigns.attraction: strong,
                                      pipeline.start_lag_change_months: 3}}
      - {id: shock, scenario: shock_supply_chain}     # another scenario instead of base
    grid:                         # product of values (optional)
      pipeline.signed_annual_100m_cny: [3000, 3300, 3600]
      pipeline.start_share_change: [-0.05, 0, 0.05]
    lhs:                          # Latin-hypercube sample (optional)
      n: 100
      seed: 1
      parameters: {industry.tech_yield: [0.5, 1.5], industry.price_change_rate: [0, 0.06]}

The whole batch file is read and validated once, before anything runs
(:func:`load_batch`), into a :class:`Batch` carrying what later steps need (its name,
description, base, draws, seed, points and their inputs hashes); every point is then run
by an engine (:mod:`simulation.analyses.batch.run`) and recorded as one row, built by
:func:`simulation.analyses.batch.points.point_rows` whichever engine ran it.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from scipy.stats import qmc

from ...economy import schema
from ...io.errors import ScenarioError
from ...io.layering import PARAMS_DIR, Scenario, load_scenario
from ...io.yamlfile import read_yaml
from ..montecarlo import DEFAULT_SEED

_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}")
MAX_POINTS = 1_000_000
#: Most runs of the model a batch may ask for: points × Monte Carlo draws (a point without
#: draws counts once). 20 million ≈ an hour of Monte Carlo on a 2-core machine.
MAX_MODEL_RUNS = 20_000_000


class BatchError(ScenarioError):
    """A batch file is not valid; the message names the file, the point and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Item(_Strict):
    id: str | None = Field(None, description="Point id (letters, digits, _ . -).")
    scenario: str | None = Field(None, description="Scenario instead of the batch's base.")
    overrides: dict[str, Any] = Field(default_factory=dict)
    description: str = ""


class Lhs(_Strict):
    n: int = Field(..., ge=1, le=MAX_POINTS)
    seed: int = Field(DEFAULT_SEED, ge=0, le=2**32 - 1)
    parameters: dict[str, tuple[float, float]] = Field(..., min_length=1)

    @field_validator("parameters")
    @classmethod
    def _ranges(cls, v: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        paths = schema.numeric_paths()
        for p, (lo, hi) in v.items():
            if p not in paths:
                raise ValueError(f"{p}: not a numeric parameter")
            if not lo < hi:
                raise ValueError(f"{p}: expected [low, high] with low < high, got [{lo}, {hi}]")
            if lo < paths[p]["lo"] or hi > paths[p]["hi"]:
                raise ValueError(
                    f"{p}: range [{lo}, {hi}] outside the parameter's bounds "
                    f"{paths[p]['lo']} to {paths[p]['hi']}"
                )
        return v


class BatchSpec(_Strict):
    base: str = "baseline"
    description: str = ""
    draws: int = Field(0, ge=0, le=100_000)
    seed: int = Field(DEFAULT_SEED, ge=0, le=2**32 - 1)
    scenarios: list[Item] = Field(default_factory=list)
    grid: dict[str, list[Any]] = Field(default_factory=dict)
    lhs: Lhs | None = None

    @field_validator("grid")
    @classmethod
    def _grid(cls, v: dict[str, list[Any]]) -> dict[str, list[Any]]:
        for p, values in v.items():
            if not values:
                raise ValueError(f"{p}: expected a non-empty list of values")
        return v


@dataclass(frozen=True)
class Point:
    """One run of a batch: an id, the scenario it builds on and its overrides."""

    id: str
    kind: str  # "scenario", "grid" or "lhs"
    scenario: str
    overrides: dict[str, Any] = field(default_factory=dict)


@dataclass
class Batch:
    """A validated batch: its spec, its points and where it came from.

    Read once from its file by :func:`load_batch`; the engines, the run folder's
    ``batch.json`` (:meth:`meta`) and the comparison take everything from here.
    """

    path: Path
    spec: BatchSpec
    points: list[Point]
    params_dir: Path
    hashes: dict[str, str] = field(default_factory=dict)  # point id → inputs hash

    @property
    def name(self) -> str:
        """The batch's name: its file's name without ``.yaml``."""
        return self.path.stem

    def meta(self, engine: str) -> dict[str, Any]:
        """What a run folder's ``batch.json`` records of the batch run with ``engine``.

        Parameters
        ----------
        engine : str
            The engine running it.

        Returns
        -------
        dict
            ``batch`` (the file), ``name``, ``description``, ``base``, ``digest``,
            ``points`` (how many), ``engine``, ``draws`` and ``seed``.
        """
        return {
            "batch": str(self.path),
            "name": self.name,
            "description": self.spec.description,
            "base": self.spec.base,
            "digest": self.digest,
            "points": len(self.points),
            "engine": engine,
            "draws": self.spec.draws,
            "seed": self.spec.seed,
        }

    @property
    def digest(self) -> str:
        """SHA-256 (16 hex digits) of the points, the draws and the seed."""
        import hashlib

        blob = json.dumps(
            {
                "points": [p.__dict__ for p in self.points],
                "draws": self.spec.draws,
                "seed": self.spec.seed,
            },
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _points(spec: BatchSpec) -> list[Point]:
    pts: list[Point] = []
    for i, item in enumerate(spec.scenarios):
        pts.append(
            Point(
                item.id or f"s{i + 1:03d}", "scenario", item.scenario or spec.base, item.overrides
            )
        )
    if spec.grid:
        keys = list(spec.grid)
        size = int(np.prod([len(v) for v in spec.grid.values()], dtype=float))
        if size > MAX_POINTS:
            raise BatchError(f"grid of {size:,} points; at most {MAX_POINTS:,} per batch")
        combos = list(itertools.product(*(spec.grid[k] for k in keys)))
        width = max(4, len(str(len(combos))))
        for i, combo in enumerate(combos):
            pts.append(
                Point(f"g{i + 1:0{width}d}", "grid", spec.base, dict(zip(keys, combo, strict=True)))
            )
    if spec.lhs:
        keys = list(spec.lhs.parameters)
        u = qmc.LatinHypercube(d=len(keys), seed=spec.lhs.seed).random(spec.lhs.n)
        lo = np.array([spec.lhs.parameters[k][0] for k in keys])
        hi = np.array([spec.lhs.parameters[k][1] for k in keys])
        x = lo + u * (hi - lo)
        width = max(4, len(str(spec.lhs.n)))
        for i in range(spec.lhs.n):
            pts.append(
                Point(
                    f"h{i + 1:0{width}d}",
                    "lhs",
                    spec.base,
                    {k: float(x[i, j]) for j, k in enumerate(keys)},
                )
            )
    return pts


def batch_path(name_or_path: str | Path, params_dir: str | Path | None = None) -> Path:
    """The batch file of a path, or of a name in ``params_dir/batches/``.

    Parameters
    ----------
    name_or_path : str or Path
        A batch file, or a batch's name (``four_campaigns``).
    params_dir : path, optional
        The parameter folder (default: the repository's ``params/``).

    Returns
    -------
    Path
        ``name_or_path`` when it is a file or no batch of that name exists (the reading
        then says the file is missing), else ``params_dir/batches/NAME.yaml``.
    """
    path = Path(name_or_path)
    named = Path(params_dir or PARAMS_DIR) / "batches" / f"{name_or_path}.yaml"
    return named if not path.is_file() and named.is_file() else path


def load_batch(name_or_path: str | Path, params_dir: str | Path | None = None) -> Batch:
    """Read and validate a batch file and every point in it, before anything runs.

    Parameters
    ----------
    name_or_path : str or Path
        A batch file, or a batch's name in ``params_dir/batches/`` (:func:`batch_path`).
    params_dir : path, optional
        The parameter folder the points' scenarios are read from (default: the
        repository's ``params/``).

    Returns
    -------
    Batch

    Raises
    ------
    BatchError
        Listing every problem: the batch file, the point (id and position) and the field.
    """
    params_dir = Path(params_dir) if params_dir else PARAMS_DIR
    path = batch_path(name_or_path, params_dir)
    try:
        data = read_yaml(path)
    except ScenarioError as e:
        raise BatchError(str(e)) from None
    try:
        spec = BatchSpec.model_validate(data)
    except ValidationError as e:
        lines = [
            f"{path}: {'.'.join(str(x) for x in err['loc'])}: "
            f"{err['msg'].removeprefix('Value error, ')}"
            for err in e.errors()
        ]
        raise BatchError("\n".join(lines)) from None
    try:
        points = _points(spec)
    except BatchError as e:
        raise BatchError(f"{path}: {e}") from None
    if not points:
        raise BatchError(f"{path}: no points: give 'scenarios', 'grid' and/or 'lhs'")
    if len(points) > MAX_POINTS:
        raise BatchError(f"{path}: {len(points):,} points; at most {MAX_POINTS:,} per batch")
    runs = len(points) * max(spec.draws, 1)
    if runs > MAX_MODEL_RUNS:
        raise BatchError(
            f"{path}: {len(points):,} points × {max(spec.draws, 1):,} draws = {runs:,} model "
            f"runs; at most {MAX_MODEL_RUNS:,} per batch (fewer points or draws, or split it)"
        )
    problems: list[str] = []
    seen: set[str] = set()
    cache: dict[tuple, str] = {}
    hashes: dict[str, str] = {}
    bases: dict[str, tuple[Scenario, dict[str, Any]] | None] = {}
    for n, pt in enumerate(points, 1):
        where = f"{path}: point {n} '{pt.id}'"
        if not _ID.fullmatch(pt.id):
            problems.append(f"{where}: id must be letters, digits, '_', '.' or '-' (≤ 80)")
        if pt.id in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(pt.id)
        try:
            key = (pt.scenario, json.dumps(pt.overrides, sort_keys=True, default=str))
            if key not in cache:
                cache[key] = _validated_hash(pt, params_dir, bases)
            hashes[pt.id] = cache[key]
        except ScenarioError as e:
            problems.append(f"{where}: {e}")
        if len(problems) >= 50:
            problems.append("… (stopped after 50 problems)")
            break
    if problems:
        raise BatchError("\n".join(problems))
    return Batch(path, spec, points, params_dir, hashes)


def _validated_hash(
    pt: Point, params_dir: Path, bases: dict[str, tuple[Scenario, dict[str, Any]] | None]
) -> str:
    """Validate a point and return its inputs hash.

    Points that only set numeric parameters take a fast path: the resolved scenario's
    values with the overrides set, validated by the schema (an explicit override is not
    moved by a preset, so this equals :func:`load_scenario`, ≈3× faster). Anything else,
    and any error (for its message), goes through :func:`load_scenario`.
    """
    numeric = schema.numeric_paths()
    if pt.overrides and all(k in numeric for k in pt.overrides):
        if pt.scenario not in bases:
            try:
                sc = load_scenario(pt.scenario, None, params_dir)
                bases[pt.scenario] = (sc, sc.params.model_dump())
            except ScenarioError:
                bases[pt.scenario] = None
        base = bases[pt.scenario]
        if base is not None:
            sc, dump = base
            data = {k: dict(v) if isinstance(v, dict) else v for k, v in dump.items()}
            for k, v in pt.overrides.items():
                section, name = k.split(".")
                data[section][name] = v
            try:
                params = schema.Params.model_validate(data)
            except ValidationError:
                pass  # the slow path explains the problem
            else:
                return Scenario(sc.name, params, sc.files, uncertainty=sc.uncertainty).inputs_hash
    return load_scenario(pt.scenario, pt.overrides, params_dir).inputs_hash


# --- running one point ---------------------------------------------------------------------
