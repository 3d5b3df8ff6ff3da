"""What the commands share: the printing language, JSON output, writing to a file or
standard output, and the options of the uncertainty commands."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from ...analyses.montecarlo import DEFAULT_SEED
from ...io.atomic import write_text
from ...io.errors import ScenarioError
from ...labels import Lang
from .args import seed

#: Language of what the commands print: English, as the command line has always spoken
#: (its messages for bad input are English too).
PRINT_LANG: Lang = "en"
#: Language of the register's Excel views (sheet names, headers): Chinese, as the planners'
#: workbooks are.
EXCEL_LANG: Lang = "zh"


def json_default(o: Any) -> Any:
    if hasattr(o, "item"):
        return o.item()
    raise TypeError(type(o).__name__)


def clean(o: Any) -> Any:
    if isinstance(o, float) and not math.isfinite(o):
        return None
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items()}
    if isinstance(o, list):
        return [clean(v) for v in o]
    return o


def json_text(d: Any) -> str:
    return json.dumps(clean(d), ensure_ascii=False, indent=1, default=json_default) + "\n"


def emit(text: str, out: str | None) -> None:
    if out:
        write_text(Path(out), text)
    else:
        sys.stdout.write(text)


def common_outputs(p: argparse.ArgumentParser, func) -> None:
    """``--seed``, ``--set``, ``--format`` and ``--out`` of the uncertainty commands."""
    p.add_argument("--seed", type=seed, default=DEFAULT_SEED, help="seed of the draws")
    p.add_argument("--set", action="append", metavar="dotted.path=value")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.set_defaults(func=func)


def read_register(path: str, params: Any, strict: bool = False):
    from ...io.register import RegisterError, import_register

    try:
        return import_register(path, params, strict=strict)
    except FileNotFoundError:
        raise ScenarioError(f"{path}: file not found") from None
    except RegisterError as e:
        if not e.report.empty:
            lines = [
                f"  row {r.row}, {r.column}: {r.value!r}: expected {r.expected} [{r.severity}]"
                for r in e.report.itertuples()
            ]
            raise ScenarioError(f"{e}\n" + "\n".join(lines)) from None
        raise ScenarioError(str(e)) from None
