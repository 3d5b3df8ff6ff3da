"""Running the points of a batch: one point's rows (deterministic or with its Monte Carlo),
its outputs for a notebook run, a chunk of points for an engine, and the results table.

The batch itself (file, validation, points) is :mod:`simulation.analyses.batch.spec`; the
engines that call these functions are :mod:`simulation.analyses.batch.run`.
"""

from __future__ import annotations

import datetime as _dt
import json
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...economy import schema
from ...io.atomic import write_bytes
from ...io.layering import Scenario, load_scenario
from ..montecarlo import DEFAULT_SEED, MonteCarlo, monte_carlo
from ..result import Result, simulate
from .spec import Point


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
