"""``python -m simulation validate``: check a parameter or scenario file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ...io.layering import load_scenario
from ...io.yamlfile import read_yaml
from ...labels import tr
from .common import PRINT_LANG


def cmd_validate(args: argparse.Namespace) -> int:
    path = Path(args.file)
    read_yaml(path)  # YAML errors first, naming the file and line
    sc = load_scenario(path, params_dir=args.params_dir)  # a scenario or a full file
    from ...economy import model

    model.run(sc.params)  # cross-checks that need the model (FAI residual)
    files = " → ".join(sc.files)
    print(tr("cli_valid", PRINT_LANG, path=path, name=sc.name, n=len(sc.files), files=files))
    return 0


def add_parser(sub: Any) -> None:
    """Register ``validate``."""
    v = sub.add_parser("validate", help="check a parameter or scenario file")
    v.add_argument("file")
    v.set_defaults(func=cmd_validate)
