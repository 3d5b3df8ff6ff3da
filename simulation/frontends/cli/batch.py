"""``python -m simulation batch``: run a batch of scenarios."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ...labels import tr
from .args import positive
from .common import PRINT_LANG


def cmd_batch(args: argparse.Namespace) -> int:
    from ...analyses.batch.run import run_batch
    from ...analyses.batch.spec import load_batch

    batch = load_batch(args.batch, args.params_dir)
    df = run_batch(
        batch,
        args.out,
        engine=args.engine,
        workers=args.workers,
        resume=args.resume,
        scheduler=args.scheduler,
        chunk_size=args.chunk,
        progress=not args.quiet,
        reuse_kernels=args.reuse_kernels,
    )
    failed = df[df["status"] != "ok"]
    ok = len(df) - len(failed)
    done = {
        "batch": batch.path.name,
        "ok": ok,
        "n": len(batch.points),
        "failed": len(failed),
        "parquet": Path(args.out) / "results.parquet",
    }
    print(tr("cli_batch_done", PRINT_LANG, **done))
    for r in failed.itertuples():
        print(tr("cli_batch_failed", PRINT_LANG, id=r.id, error=r.error), file=sys.stderr)
    return 1 if len(failed) or len(df) < len(batch.points) else 0


def add_parser(sub: Any) -> None:
    """Register ``batch``."""
    b = sub.add_parser(
        "batch", help="run a batch of scenarios (exit 1 if any failed, 2 if the batch is invalid)"
    )
    b.add_argument("batch", help="batch file (params/batches/NAME.yaml) or its name")
    b.add_argument("--out", required=True, help="output folder (new, or with --resume)")
    b.add_argument("--engine", choices=("papermill", "inprocess", "dask"), default="papermill")
    b.add_argument("--workers", type=positive, help="parallel workers (default: CPU count)")
    b.add_argument("--resume", action="store_true", help="continue an interrupted run")
    b.add_argument("--scheduler", help="dask: address of an existing scheduler")
    b.add_argument("--chunk", type=positive, help="inprocess/dask: points per task")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument(
        "--reuse-kernels",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="papermill: keep one kernel per worker across notebooks (default on)",
    )
    b.set_defaults(func=cmd_batch)
