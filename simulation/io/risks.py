"""The register of known risks: shocks a planner could know of at plan time, as events.

A CSV, one row a risk (UTF-8, header as :data:`COLUMNS`)::

    shock,known_from,probability,low,high,basis,source_url
    local_outbreak,2020,0.5,0.03,0.05,"a local outbreak month in …",https://…

* ``shock``: a shock of the template (``shocks.<name>``), e.g. ``local_outbreak``;
* ``known_from``: the year in which the risk became known; a calibration with base year
  ``Y`` draws the risks known by ``Y`` (a plan is made at the turn of ``Y`` and ``Y + 1``);
  a shock may have several rows, each restating the risk with what was known that year
  (the latest known by ``Y`` counts);
* ``probability``: the chance it happens in the plan year [judgement];
* ``low``, ``high``: its depth if it happens (a share of the hit sectors' monthly level,
  as the shock's ``depth_share``), drawn uniformly;
* ``basis`` and ``source_url``: why, and the page that shows the evidence.

The calibration writes each known risk into the ``uncertainty`` scenario as an ``event``
distribution of the shock's depth (:mod:`simulation.economy.distributions`), marked
JUDGEMENT. Every bad row is refused with the file, row and field named.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from ..errors import InputError

COLUMNS = ("shock", "known_from", "probability", "low", "high", "basis", "source_url")


class RisksError(InputError):
    """A risk register is not valid (the message names the file, row and field)."""


def read_risks(path: str | Path, shocks: set[str]) -> pd.DataFrame:
    """Read and check a risk register.

    Parameters
    ----------
    path : str or Path
    shocks : set of str
        The shock names a row may name (the template's ``shocks``).

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`; ``known_from`` int, ``probability``, ``low``, ``high`` float.

    Raises
    ------
    RisksError
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RisksError(f"{path}: no such file") from None
    except UnicodeDecodeError as e:
        raise RisksError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    rows = list(csv.DictReader(text.splitlines()))
    header = tuple(next(csv.reader(text.splitlines()), []))
    if header != COLUMNS:
        raise RisksError(f"{path}: header {','.join(header)!r}; expected {','.join(COLUMNS)}")
    out = []
    for n, rec in enumerate(rows, start=2):
        out.append(_check_row(f"{path} row {n}", rec, shocks))
    return pd.DataFrame(out, columns=list(COLUMNS))


def _check_row(where: str, rec: dict[str, str], shocks: set[str]) -> dict:
    if None in rec or any(rec.get(c) is None for c in COLUMNS):
        raise RisksError(f"{where}: expected {len(COLUMNS)} fields ({', '.join(COLUMNS)})")
    if rec["shock"] not in shocks:
        raise RisksError(
            f"{where}: shock '{rec['shock']}': expected one of {', '.join(sorted(shocks))}"
        )
    try:
        year = int(rec["known_from"])
    except ValueError:
        raise RisksError(f"{where}: known_from '{rec['known_from']}': expected a year") from None
    values = {}
    for col in ("probability", "low", "high"):
        try:
            values[col] = float(rec[col])
        except ValueError:
            raise RisksError(f"{where}: {col} '{rec[col]}': expected a number") from None
    if not 0 < values["probability"] < 1:
        raise RisksError(
            f"{where}: probability {values['probability']:g}: expected a chance strictly "
            "between 0 and 1"
        )
    if not 0 <= values["low"] < values["high"] <= 0.9:
        raise RisksError(
            f"{where}: depth {values['low']:g}..{values['high']:g}: expected "
            "0 ≤ low < high ≤ 0.9 (a share of the hit sectors' monthly level)"
        )
    for col in ("basis", "source_url"):
        if not rec[col].strip():
            raise RisksError(f"{where}: {col} is empty; every judgement needs its reason and page")
    return {**rec, "known_from": year, **values}


def known_by(risks: pd.DataFrame | None, year: int) -> pd.DataFrame:
    """The risks known by the end of ``year``: of each shock, the latest row with
    ``known_from ≤ year`` (a later row restates a risk with what was known then). All
    columns; empty without a register."""
    if risks is None:
        return pd.DataFrame(columns=list(COLUMNS))
    known = risks[risks["known_from"] <= year].sort_values("known_from", kind="stable")
    return known.groupby("shock", sort=True).tail(1).sort_values("shock").reset_index(drop=True)


def event_spec(row: pd.Series) -> dict:
    """The ``event`` distribution of a risk's shock depth, as written in a scenario file."""
    return {
        "dist": "event",
        "probability": float(row["probability"]),
        "low": float(row["low"]),
        "high": float(row["high"]),
        "source": f"JUDGEMENT (known from {int(row['known_from'])}): {row['basis']} "
        f"({row['source_url']})",
    }
