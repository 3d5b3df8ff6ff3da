"""Command line: ``python -m simulation COMMAND``, one module a command (run, params,
validate, scenarios, mc, sensitivity, solve, batch, register, track, brief, app; calibrate,
backtest and drivers in :mod:`.calibrate`); :mod:`.args` checks arguments, :mod:`.common`
holds what the commands share.

Every command takes ``--params-dir DIR``, the parameter folder (``base.yaml``,
``scenarios/``, ``batches/``) it reads; default ``$SIM_PARAMS_DIR``, else the package's
``params/``.

Bad input (an :class:`~simulation.errors.InputError`) exits with status 2 and a
one-paragraph message, no traceback, nothing written.
"""

from __future__ import annotations

import argparse
import sys

from ...errors import InputError
from . import (
    app,
    batch,
    brief,
    calibrate,
    mc,
    params,
    register,
    run,
    scenarios,
    sensitivity,
    solve,
    track,
    validate,
)
from .args import EXIT_BAD_INPUT, add_params_dir, resolve_params_dir

#: The commands in the order ``--help`` lists them.
COMMANDS = (
    run,
    params,
    validate,
    scenarios,
    mc,
    sensitivity,
    solve,
    batch,
    register,
    track,
    brief,
    app,
)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command."""
    p = argparse.ArgumentParser(
        prog="python -m simulation",
        description="Scenario simulation of a city's GDP and industrial output: existing "
        "industry, fixed-asset investment and signed projects, month by month",
    )
    sub = p.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(sub)
    for parser in sub.choices.values():
        add_params_dir(parser)
    calibrate.add_parsers(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if getattr(args, "has_params_dir", False):  # commands without it don't read params
            args.params_dir = resolve_params_dir(args.params_dir, args.func is app.cmd_app)
        return int(args.func(args))
    except OSError as e:
        sys.stderr.write(f"error: {e.filename or ''}: {e.strerror or e}\n")
        return EXIT_BAD_INPUT
    except InputError as e:  # bad input: the message, exit 2 (anything else is a bug)
        sys.stderr.write(f"error: {e}\n")
        return EXIT_BAD_INPUT
