"""Command-line arguments shared by every command: the parameter folder and bounded
numbers (draws, seeds, ports). Read by every command of :mod:`simulation.frontends.cli`."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ...io.errors import ScenarioError
from ...io.layering import PARAMS_DIR

EXIT_BAD_INPUT = 2
PARAMS_DIR_ENV = "SIM_PARAMS_DIR"


def add_params_dir(p: argparse.ArgumentParser) -> None:
    """Add ``--params-dir DIR`` to a (sub)command; :func:`resolve_params_dir` reads it."""
    p.add_argument(
        "--params-dir",
        metavar="DIR",
        help="parameter folder with base.yaml, scenarios/ and batches/ to read (and, for "
        f"app, save scenarios in); default ${PARAMS_DIR_ENV}, else the package's params/",
    )
    p.set_defaults(has_params_dir=True)


def resolve_params_dir(given: str | None, cities_ok: bool = False) -> Path:
    """The parameter folder: ``--params-dir``, else ``$SIM_PARAMS_DIR``, else the
    package's ``params/``; :class:`ScenarioError` if it is missing or has no base.yaml
    (``cities_ok``: a folder of city folders is accepted too, for the app's city picker)."""
    if given:
        raw, what = given, "--params-dir"
    elif os.environ.get(PARAMS_DIR_ENV):
        raw, what = os.environ[PARAMS_DIR_ENV], PARAMS_DIR_ENV
    else:
        return PARAMS_DIR
    d = Path(raw)
    if not d.is_dir():
        raise ScenarioError(f"{what} {raw}: no such folder")
    if not (d / "base.yaml").is_file():
        cities = sorted(p.parent.name for p in d.glob("*/base.yaml"))
        if cities and cities_ok:
            return d
        if cities:
            raise ScenarioError(
                f"{what} {raw}: a folder of city folders ({', '.join(cities)}); this command "
                f"needs one of them, e.g. {Path(raw) / cities[0]} (only `app` takes the folder "
                "of folders and shows a city picker)"
            )
        raise ScenarioError(f"{what} {raw}: no base.yaml there (not a parameter folder)")
    return d


#: The most Monte Carlo draws (or Sobol base samples) a command takes: 100,000 draws hold
#: ≈2.4 GB of monthly paths; beyond that a run would exhaust the machine's memory.
MAX_DRAWS = 100_000


def whole(value: str, lo: int, hi: int, what: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got {value!r}") from None
    if not lo <= n <= hi:
        raise argparse.ArgumentTypeError(f"expected {what} from {lo:,} to {hi:,}, got {value}")
    return n


def positive(value: str) -> int:
    """Draws or samples: a whole number from 1 to :data:`MAX_DRAWS`."""
    return whole(value, 1, MAX_DRAWS, "a whole number of draws")


def draws_or_zero(value: str) -> int:
    return whole(value, 0, MAX_DRAWS, "a whole number of draws")


def seed(value: str) -> int:
    return whole(value, 0, 2**32 - 1, "a seed (a whole number)")


def port(value: str) -> int:
    return whole(value, 1, 65535, "a port number")
