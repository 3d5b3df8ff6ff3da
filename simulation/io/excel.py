"""Writing workbooks safely: one sheet per frame, text always text, numbers without
floating-point noise.

A cell whose text starts with ``=`` (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``) would be
written by openpyxl as a live formula; every such cell is turned back into plain text, so
no name, description or note a user typed can run in a planner's Excel.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import pandas as pd

#: Decimals kept in a workbook's numbers: 1e-9 亿元 is 0.1 yuan; below that a number is
#: floating-point noise of a sum (−9.68e-16 where an accounting identity gives 0).
DECIMALS = 9


def _denoised(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with float columns rounded to :data:`DECIMALS` (and −0.0 written as 0)."""
    floats = df.select_dtypes(include="floating").columns
    if len(floats) == 0:
        return df
    out = df.copy()
    out[floats] = np.round(out[floats].to_numpy(dtype=float), DECIMALS) + 0.0
    return out


def frames_to_xlsx(
    frames: dict[str, pd.DataFrame],
    index: Callable[[pd.DataFrame], bool] | bool = False,
    style: Callable[[object], None] | None = None,
) -> bytes:
    """The bytes of a workbook with one sheet per frame (sheet names cut to 31 characters).

    Parameters
    ----------
    frames : dict
        Sheet name → frame.
    index : bool or callable
        Whether to write a frame's index (a callable decides per frame).
    style : callable, optional
        Called with each worksheet after it is written (widths, frozen panes).
    """
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, df in frames.items():
            sheet = name[:31]
            write_index = index(df) if callable(index) else index
            _denoised(df).to_excel(xw, sheet_name=sheet, index=write_index)
            ws = xw.sheets[sheet]
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":  # we never write formulas: this is typed text
                        cell.data_type = "s"
            if style is not None:
                style(ws)
    return buf.getvalue()


def named_index(df: pd.DataFrame) -> bool:
    """Write the index unless it is the default 0..n-1."""
    return not isinstance(df.index, pd.RangeIndex)
