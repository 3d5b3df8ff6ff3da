"""Run a validated batch with an engine, resumably; write the results table.

Engines: ``papermill`` (one executed ``notebooks/scenario_run.ipynb`` per point, parallel
workers), ``inprocess`` (the vectorised core, no notebooks, for thousands of points) and
``dask`` (chunks of points on dask.distributed: a LocalCluster, or the cluster at
``scheduler``).

The output folder holds ``batch.json`` (which batch, its digest), ``points.json`` (every
point), ``rows/`` (one JSON file per finished unit of work, written atomically: the
record of what is done), ``notebooks/`` and ``points/<id>/`` (papermill), and finally
``results.parquet`` and ``results.csv``. ``resume`` skips points already recorded as
``ok`` (failed ones run again); a unit killed halfway left no file and runs again, so
the table has every point exactly once.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import pandas as pd

from ..._paths import REPO_ROOT
from ...io.atomic import move_into_place, write_bytes
from ..result import created_utc
from .points import failed_row, results_frame, run_chunk
from .spec import Batch, BatchError, Point

ROOT = REPO_ROOT
RUN_NOTEBOOK = ROOT / "notebooks" / "scenario_run.ipynb"
ENGINES = ("papermill", "inprocess", "dask")


def _dump(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, indent=1, default=str).encode()


def _read_rows(out: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for f in sorted((out / "rows").glob("*.json"), key=lambda p: p.stat().st_mtime_ns):
        rows += json.loads(f.read_text(encoding="utf-8"))
    return rows


def prepare(batch: Batch, out: Path, engine: str, resume: bool) -> list[Point]:
    """Check or create the output folder; return the points still to run."""
    meta = batch.meta(engine)
    marker = out / "batch.json"
    if marker.exists():
        old = json.loads(marker.read_text(encoding="utf-8"))
        if not resume:
            raise BatchError(
                f"{out}: holds a run of {old.get('batch')}; pass --resume to continue it or "
                "choose an empty folder"
            )
        if old.get("digest") != batch.digest:
            raise BatchError(
                f"{out}: holds a run of a different batch (digest {old.get('digest')} vs "
                f"{batch.digest}): the points, draws or seed changed; use a new folder"
            )
    elif out.exists() and any(out.iterdir()):
        raise BatchError(f"{out}: exists and is not a batch folder; choose an empty folder")
    out.mkdir(parents=True, exist_ok=True)
    if not marker.exists():
        meta["created_utc"] = created_utc()
        write_bytes(out / "points.json", _dump([p.__dict__ for p in batch.points]))
        write_bytes(marker, _dump(meta))
    done = {r["id"] for r in _read_rows(out) if r.get("status") == "ok"}
    return [p for p in batch.points if p.id not in done]


KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]  # start-up chatter breaks the progress bar
RECYCLE_AFTER = 25  # notebooks per kernel before a fresh one (bounds leaked state and sockets)


class _Kernels:
    """One reusable kernel per worker thread.

    Starting a kernel and importing the package and matplotlib cost ≈1.5 s of the ≈2.4 s
    a light notebook takes; a worker keeps its kernel for up to :data:`RECYCLE_AFTER`
    notebooks, clears the namespace (``%reset -f``) before each (imports stay loaded) and
    replaces the kernel after a failure. Execution counts in the saved notebooks continue
    from one notebook to the next within a worker.
    """

    def __init__(self, reuse: bool):
        import threading

        self.reuse = reuse
        self.local = threading.local()
        self.all: list = []

    def get(self):
        if not self.reuse:
            return None
        km, used = getattr(self.local, "km", None), getattr(self.local, "used", 0)
        if km is None or used >= RECYCLE_AFTER or not km.is_alive():
            self.drop()
            from jupyter_client.manager import KernelManager

            km = KernelManager(kernel_name="python3")
            km.start_kernel(extra_arguments=KERNEL_ARGS, cwd=str(ROOT))
            self.all.append(km)
            self.local.km, used = km, 0
        else:
            kc = km.client()
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=30)
                kc.execute_interactive("%reset -f", timeout=30, output_hook=lambda msg: None)
            finally:
                kc.stop_channels()
        self.local.used = used + 1
        return km

    def drop(self) -> None:
        km = getattr(self.local, "km", None)
        if km is not None:
            km.shutdown_kernel(now=True)
            self.local.km = None

    def close(self) -> None:
        for km in self.all:
            if km.has_kernel:
                km.shutdown_kernel(now=True)


def _papermill_unit(pt: Point, batch: Batch, out: Path, kernels: _Kernels) -> list[dict[str, Any]]:
    import papermill as pm

    nb = out / "notebooks" / f"{pt.id}.ipynb"
    nb.parent.mkdir(parents=True, exist_ok=True)
    tmp = nb.with_name(f".{nb.name}.tmp.ipynb")
    pdir = out / "points" / pt.id
    params = {
        "scenario": pt.scenario,
        "overrides": pt.overrides,
        "draws": batch.spec.draws,
        "seed": batch.spec.seed,
        "output_dir": str(pdir),
        "params_dir": str(batch.params_dir),
        "point_id": pt.id,
    }
    t0 = time.perf_counter()
    try:
        km = kernels.get()
        extra = {"km": km} if km is not None else {"extra_arguments": KERNEL_ARGS}
        pm.execute_notebook(
            str(RUN_NOTEBOOK),
            str(tmp),
            parameters=params,
            kernel_name="python3",
            progress_bar=False,
            cwd=str(ROOT),
            **extra,
        )
        summary = json.loads((pdir / "summary.json").read_text(encoding="utf-8"))
        row = {k: v for k, v in summary.items() if k not in ("provenance", "quantiles")}
        row.update(status="ok", error="")
    except Exception as e:  # noqa: BLE001 - recorded; the batch goes on
        kernels.drop()
        msg = getattr(e, "evalue", None) or str(e)
        ename = getattr(e, "ename", type(e).__name__)
        row = failed_row(pt, f"{ename}: {msg}".strip()[:2000])
    if tmp.exists():  # papermill wrote it, error or not: the record of the run
        move_into_place(tmp, nb)
    row.update(kind=pt.kind, duration_s=time.perf_counter() - t0, notebook=str(nb.relative_to(out)))
    return [row]


def _chunks(points: list[Point], size: int) -> list[list[Point]]:
    return [points[i : i + size] for i in range(0, len(points), size)]


def run_batch(
    batch: Batch,
    out: str | Path,
    engine: str = "papermill",
    workers: int | None = None,
    resume: bool = False,
    scheduler: str | None = None,
    chunk_size: int | None = None,
    progress: bool = True,
    reuse_kernels: bool = True,
) -> pd.DataFrame:
    """Run every point not yet done and write ``results.parquet`` and ``results.csv``.

    Returns
    -------
    DataFrame
        The results table (one row per point, in batch order).
    """
    if engine not in ENGINES:
        raise BatchError(f"--engine {engine!r}: expected one of {', '.join(ENGINES)}")
    out = Path(out)
    workers = max(1, workers or os.cpu_count() or 1)
    if engine == "dask" and scheduler:
        check_scheduler(scheduler)  # before any folder is made
    todo = prepare(batch, out, engine, resume)
    from tqdm import tqdm

    bar = tqdm(
        total=len(batch.points),
        initial=len(batch.points) - len(todo),
        unit="scenario",
        disable=not progress,
        file=sys.stderr,
        desc=batch.name,
    )
    rows_dir = out / "rows"

    def record(name: str, rows: list[dict[str, Any]]) -> None:
        stamp = time.time_ns()
        write_bytes(rows_dir / f"{name}-{stamp}.json", _dump(rows))
        bar.update(len(rows))

    args = (batch.spec.draws, batch.spec.seed, str(batch.params_dir))
    if engine == "papermill" and todo:
        kernels = _Kernels(reuse_kernels)
        try:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(_papermill_unit, pt, batch, out, kernels): pt for pt in todo}
                for fut in as_completed(futures):
                    record(futures[fut].id, fut.result())
        finally:
            kernels.close()
    elif engine == "inprocess" and todo:
        for chunk in _chunks(todo, chunk_size or 2000):
            hashes = {p.id: batch.hashes.get(p.id, "") for p in chunk}
            record(chunk[0].id, run_chunk(chunk, *args, hashes))
    elif engine == "dask" and todo:
        _run_dask(batch, todo, args, workers, scheduler, chunk_size, record)
    bar.close()
    df = results_frame(_read_rows(out), batch.points)
    write_results(df, out)
    return df


_SCHEDULER = re.compile(r"^(?:inproc://\S+|(?:tcp|tls|ucx|ws|wss)://[^\s:/]+(?::(\d{1,5}))?/?)$")
#: Seconds a Dask batch waits for a worker (at the start, or after every worker died).
WORKER_WAIT_S = 60


def check_scheduler(address: str) -> None:
    """A well-formed scheduler address that answers within 20 s, or :class:`BatchError`."""
    m = _SCHEDULER.match(address)
    if not m or (m.group(1) and not 0 < int(m.group(1)) < 65536):
        raise BatchError(
            f"--scheduler {address!r}: expected an address such as tcp://127.0.0.1:8786"
        )
    from dask.distributed import Client

    try:
        Client(address, timeout="20s").close()
    except (OSError, TimeoutError) as e:
        raise BatchError(
            f"--scheduler {address}: no Dask scheduler answers there ({e or type(e).__name__}); "
            "is it running? Nothing was written."
        ) from None


def _wait_results(client: Any, futures: list, names: dict, record: Callable) -> None:
    """Record chunks as they finish; stop with :class:`BatchError` when no worker has been
    alive for :data:`WORKER_WAIT_S` seconds (instead of waiting for ever)."""
    from dask.distributed import as_completed as dask_completed

    pending = dask_completed(futures)
    alone_since = None
    while not pending.is_empty():
        done = pending.next_batch(block=False) if pending.has_ready() else []
        for fut in done:
            record(names[fut.key], fut.result())
        if done:
            continue
        if client.scheduler_info().get("workers"):
            alone_since = None
        elif alone_since is None:
            alone_since = time.monotonic()
        elif time.monotonic() - alone_since > WORKER_WAIT_S:
            raise BatchError(
                f"no Dask worker alive for {WORKER_WAIT_S} s: the batch stops; the points done "
                "are kept (rerun with --resume)"
            )
        time.sleep(0.2)


def _run_dask(
    batch: Batch,
    todo: list[Point],
    args: tuple,
    workers: int,
    scheduler: str | None,
    chunk_size: int | None,
    record: Callable[[str, list[dict[str, Any]]], None],
) -> None:
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        client = Client(scheduler, timeout="20s")
    else:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        size = chunk_size or max(50, -(-len(todo) // (workers * 4)))
        futures, names = [], {}
        for chunk in _chunks(todo, size):  # chunks, not one tiny task per point
            hashes = {p.id: batch.hashes.get(p.id, "") for p in chunk}
            fut = client.submit(run_chunk, chunk, *args, hashes, pure=False)
            futures.append(fut)
            names[fut.key] = chunk[0].id
        _wait_results(client, futures, names, record)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def write_results(df: pd.DataFrame, out: Path) -> None:
    """``results.parquet`` and ``results.csv``, each written atomically."""
    import io

    table = df.copy()
    for c in table.columns:
        if table[c].dtype == object:
            kinds = {type(v) for v in table[c] if v is not None and v == v}
            if len(kinds) > 1:
                table[c] = table[c].map(lambda v: None if v is None or v != v else str(v))
    buf = io.BytesIO()
    table.to_parquet(buf, index=False)
    write_bytes(out / "results.parquet", buf.getvalue())
    write_bytes(out / "results.csv", table.to_csv(index=False).encode("utf-8-sig"))
