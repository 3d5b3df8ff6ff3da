"""A pandas that is imported on first use, so that commands which print a few numbers
(``mc``, ``run``) do not pay pandas' import time (≈0.4 s) before they need a table."""

from __future__ import annotations

import importlib
from typing import Any


class _Lazy:
    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


pd: Any = _Lazy("pandas")
