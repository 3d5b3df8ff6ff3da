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
:func:`point_rows` whichever engine ran it.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from scipy.stats import qmc

from ...economy import schema
from ...io.atomic import write_bytes
from ...io.errors import ScenarioError
from ...io.layering import PARAMS_DIR, Scenario, load_scenario
from ...io.yamlfile import read_yaml
from ..montecarlo import DEFAULT_SEED, MonteCarlo, monte_carlo
from ..result import Result, simulate

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
def point_rows(
    points: Sequence[Point],
    result: Result,
    hashes: Mapping[str, str] | None = None,
    mc: MonteCarlo | None = None,
    seed: int | None = None,
) -> list[dict[str, Any]]:
    """The results-table rows of points run together, one per point, every engine's.

    Each row holds the point (``id``, ``kind``, ``scenario``, ``set:PATH`` per override),
    the plan year's values against the targets, growth, investment and provenance, and
    with a Monte Carlo the chances of reaching the targets.

    Parameters
    ----------
    points : sequence of Point
        The points: point ``i`` is draw ``i`` of ``result``, or every point the one draw
        of a deterministic ``result``.
    result : Result
        Their run.
    hashes : mapping, optional
        Point id → inputs hash (for points run as draws of one scenario); by default the
        hash of ``result``'s scenario.
    mc : MonteCarlo, optional
        The point's Monte Carlo run (a single point), for ``p_*`` and ``draws``.
    seed : int, optional
        The seed of that Monte Carlo.

    Returns
    -------
    list of dict
    """
    from ..._version import __version__

    sc = result.scenario
    years, out = result.annual_arrays()
    plan = int(np.searchsorted(years, sc.params.calendar.base_year + 1))
    n = len(points)
    col = lambda k: np.broadcast_to(out[k][:, plan], (n,))  # noqa: E731
    gdp, gio = col("gdp_100m_cny"), col("gross_industrial_output_100m_cny")
    g_real, o_real = col("gdp_real_growth_pct"), col("gross_industrial_output_real_growth_pct")
    fai = col("fai_100m_cny")
    targets = sc.params.targets
    tg, to = float(targets.gdp_100m_cny), float(targets.industrial_output_100m_cny)
    chances: dict[str, Any] = {}
    if mc is not None:
        p = mc.probability()
        chances = {
            "p_gdp": p["gdp"],
            "p_industrial_output": p["industrial_output"],
            "p_both": p["both"],
            "draws": mc.n,
        }
    rows = []
    for i, pt in enumerate(points):
        rows.append(
            {
                "id": pt.id,
                "kind": pt.kind,
                "scenario": sc.name,
                **{f"set:{k}": v for k, v in pt.overrides.items()},
                "gdp_100m_cny": float(gdp[i]),
                "gross_industrial_output_100m_cny": float(gio[i]),
                "gdp_gap_100m_cny": float(gdp[i]) - tg,
                "industrial_output_gap_100m_cny": float(gio[i]) - to,
                "gdp_met": bool(gdp[i] >= tg),
                "industrial_output_met": bool(gio[i] >= to),
                "both_met": bool(gdp[i] >= tg and gio[i] >= to),
                "gdp_real_growth_pct": float(g_real[i]),
                "gross_industrial_output_real_growth_pct": float(o_real[i]),
                "fai_100m_cny": float(fai[i]),
                "inputs_hash": sc.inputs_hash if hashes is None else hashes.get(pt.id, ""),
                "package_version": __version__,
                **chances,
                "seed": seed,
            }
        )
    return rows


def point_row(
    point: Point, result: Result, mc: MonteCarlo | None = None, seed: int | None = None
) -> dict[str, Any]:
    """The results-table row of one point run on its own (:func:`point_rows`).

    Parameters
    ----------
    point : Point
    result : Result
        Its deterministic run.
    mc : MonteCarlo, optional
        Its Monte Carlo run.
    seed : int, optional
        The Monte Carlo's seed.

    Returns
    -------
    dict
    """
    return point_rows([point], result, mc=mc, seed=seed)[0]


def failed_row(point: Point, error: str) -> dict[str, Any]:
    """The results-table row of a point that failed: the point and the error.

    Parameters
    ----------
    point : Point
    error : str
        ``ErrorType: message``.

    Returns
    -------
    dict
    """
    return {
        "id": point.id,
        "scenario": point.scenario,
        **{f"set:{k}": v for k, v in point.overrides.items()},
        "status": "failed",
        "error": error,
    }


def run_point(
    scenario: str,
    overrides: Mapping[str, Any] | None = None,
    draws: int = 0,
    seed: int = DEFAULT_SEED,
    params_dir: str | Path | None = None,
    point_id: str = "run",
) -> tuple[Scenario, Result, MonteCarlo | None, dict[str, Any]]:
    """Run one point: the deterministic result, a Monte Carlo if ``draws``, and its row.

    Parameters
    ----------
    scenario : str
        The scenario the point builds on (a name or a path).
    overrides : mapping, optional
        Dotted parameter paths to values.
    draws : int
        Monte Carlo draws (0: the deterministic run only).
    seed : int
        Seed of the draws.
    params_dir : path, optional
        The parameter folder.
    point_id : str
        The point's id in its batch.

    Returns
    -------
    sc, res, mc, row
        The scenario, its result, the Monte Carlo (or None) and the row
        (:func:`point_row`).
    """
    point = Point(point_id, "scenario", scenario, dict(overrides or {}))
    sc = load_scenario(scenario, point.overrides, params_dir)
    res = simulate(sc)
    mc = monte_carlo(sc, draws, seed, params_dir=params_dir) if draws else None
    return sc, res, mc, point_row(point, res, mc, seed if draws else None)


def write_point_outputs(
    output_dir: str | Path, res: Result, row: Mapping[str, Any], mc: MonteCarlo | None = None
) -> Path:
    """Write ``monthly.csv``, ``annual.csv`` and, last, ``summary.json`` (the completion
    marker) into ``output_dir``, each atomically. Returns the summary's path."""
    out = Path(output_dir)
    write_bytes(out / "monthly.csv", res.monthly().to_csv(index=False).encode())
    write_bytes(out / "annual.csv", res.annual().to_csv(index=False).encode())
    summary = {
        **row,
        "status": "ok",
        "finished_utc": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "provenance": {k: v for k, v in res.provenance.items() if k != "parameters"},
    }
    if mc is not None:
        summary["quantiles"] = mc.quantiles()
    path = out / "summary.json"
    write_bytes(
        path, json.dumps(summary, ensure_ascii=False, indent=1, default=_json_default).encode()
    )
    return path


def _json_default(o: Any) -> Any:
    if hasattr(o, "item"):
        return o.item()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(type(o).__name__)


def run_chunk(
    points: list[Point],
    draws: int,
    seed: int,
    params_dir: str | Path,
    hashes: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Rows for a chunk of points, in process (the ``inprocess`` and ``dask`` engines).

    Without Monte Carlo, points that share a scenario and their non-numeric overrides
    (campaign levels, shock switches) run in one vectorised call, their numeric
    overrides passed as per-draw values (the same values an explicit override sets; each
    point was validated on its own by :func:`load_batch`). If such a call fails, its
    points run one at a time so that only the failing ones are recorded as failed.
    """

    def alone(pt: Point, n_draws: int) -> dict[str, Any]:
        return _guarded(
            pt, lambda: run_point(pt.scenario, pt.overrides, n_draws, seed, params_dir, pt.id)[3]
        )

    if draws:
        return [alone(pt, draws) for pt in points]
    numeric = set(schema.numeric_paths())
    groups: dict[tuple[str, str], list[Point]] = {}
    for pt in points:
        fixed = {k: v for k, v in pt.overrides.items() if k not in numeric}
        key = (pt.scenario, json.dumps(fixed, sort_keys=True, default=str))
        groups.setdefault(key, []).append(pt)
    rows: list[dict[str, Any]] = []
    for (scenario, fixed), pts in groups.items():
        try:
            rows += _run_group(scenario, json.loads(fixed), pts, params_dir, numeric, hashes or {})
        except Exception:  # noqa: BLE001 - one at a time, recording each failure
            rows += [alone(pt, 0) for pt in pts]
    return rows


def _run_group(
    scenario: str,
    fixed: dict[str, Any],
    pts: list[Point],
    params_dir: str | Path,
    numeric: set[str],
    hashes: Mapping[str, str],
) -> list[dict[str, Any]]:
    """Points sharing a scenario and non-numeric overrides, as the draws of one run."""
    t0 = time.perf_counter()
    sc = load_scenario(scenario, fixed, params_dir)
    keys = sorted({k for p in pts for k in p.overrides if k in numeric})
    values = {}
    for k in keys:
        section, name = k.split(".")
        default = float(getattr(getattr(sc.params, section), name))
        values[k] = np.array([float(p.overrides.get(k, default)) for p in pts])
    res = simulate(sc, draws=values or None)
    rows = point_rows(pts, res, hashes)
    dt = (time.perf_counter() - t0) / len(pts)
    for row in rows:
        row.update(status="ok", error="", duration_s=dt)
    return rows


def _guarded(pt: Point, fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``fn()``'s row marked ok, or the point's :func:`failed_row`; timed."""
    t0 = time.perf_counter()
    try:
        row = fn()
        row.update(status="ok", error="")
    except Exception as e:  # noqa: BLE001 - a failing point is recorded, the batch goes on
        row = failed_row(pt, f"{type(e).__name__}: {e}")
    row.update(duration_s=time.perf_counter() - t0, kind=pt.kind)
    return row


def results_frame(rows: list[dict[str, Any]], points: list[Point]) -> pd.DataFrame:
    """The results table in the batch's point order, one row per point (the latest row
    where a point was run twice)."""
    latest: dict[str, dict[str, Any]] = {}
    for r in rows:
        latest[r["id"]] = r
    order = [p.id for p in points if p.id in latest]
    df = pd.DataFrame([latest[i] for i in order])
    first = ["id", "kind", "scenario", "status"]
    sets = sorted(c for c in df.columns if c.startswith("set:"))
    rest = [c for c in df.columns if c not in first and c not in sets]
    return df[[c for c in first if c in df.columns] + sets + rest]
