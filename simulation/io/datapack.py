"""Data packs: a city's published statistics as one long CSV, read and checked.

Columns ``city, period, indicator, value, unit, source_url, note`` (the format of
``shared/data``; a header ``year`` is read as ``period``). Periods: ``2021`` (year),
``2021H1``/``2021H2``, ``2021Q1``..``Q4`` (quarters), ``2021M1-8`` (January to August,
cumulative) and ``2021M03`` (one month). Indicators come from the vocabulary
``simulation/data/vocabulary.csv``: a base name, optionally with a suffix
(:data:`SUFFIXES`): a level's growth rate is its name plus ``_growth_pct``. Every row
needs a source. Nothing is dropped silently: a bad row is an error naming the file, the
row and the field.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd

from .._paths import PACKAGE_DATA
from ..errors import InputError

VOCABULARY_FILE = PACKAGE_DATA / "vocabulary.csv"
COLUMNS = ("city", "period", "indicator", "value", "unit", "source_url", "note")
#: Suffixes a base name may carry; ``_pct`` ones are in percent.
SUFFIXES = (
    "",
    "_pct",
    "_growth_pct",
    "_target",
    "_target_pct",
    "_growth_target_pct",
    "_preliminary_estimate",
    "_growth_preliminary_estimate_pct",
    "_prelim",
)
_PERIOD = re.compile(
    r"^(?P<y>\d{4})(?:(?P<h>H[12])|(?P<q>Q[1-4])|M(?P<a>\d{1,2})-(?P<b>\d{1,2})|M(?P<m>\d{2}))?$"
)
MAX_BYTES = 20_000_000


class PackError(InputError):
    """A data pack is not valid; the message names the file, row and field."""


@dataclass(frozen=True)
class Period:
    """A parsed period: year, first and last calendar month (1-12), cumulative or not."""

    year: int
    first_month: int
    last_month: int
    cumulative: bool

    @property
    def annual(self) -> bool:
        return self.first_month == 1 and self.last_month == 12


#: Years a pack's figure may be of (a typo such as 0000 or 2201 is refused).
YEARS = (1949, 2100)


def parse_period(text: str) -> Period:
    """Parse ``2021``, ``2021H1``, ``2021Q3``, ``2021M1-8`` or ``2021M03``.

    Raises
    ------
    ValueError
        With the forms expected.
    """
    m = _PERIOD.match(text.strip())
    if not m:
        raise ValueError(
            f"period '{text}' is not one of YYYY (a year), YYYYH1, YYYYQ1, YYYYM1-8 (January to "
            "August, cumulative) or YYYYM03 (one month)"
        )
    y = int(m["y"])
    if not YEARS[0] <= y <= YEARS[1]:
        raise ValueError(f"period '{text}': year {y} is outside {YEARS[0]}-{YEARS[1]}")
    if m["h"]:
        h = int(m["h"][1])
        return Period(y, 6 * h - 5, 6 * h, False)
    if m["q"]:
        q = int(m["q"][1])
        return Period(y, 3 * q - 2, 3 * q, False)
    if m["a"]:
        a, b = int(m["a"]), int(m["b"])
        if not 1 <= a <= b <= 12:
            raise ValueError(f"period '{text}': months must run 1 ≤ first ≤ last ≤ 12")
        return Period(y, a, b, True)
    if m["m"]:
        mm = int(m["m"])
        if not 1 <= mm <= 12:
            raise ValueError(f"period '{text}': month must be 01-12")
        return Period(y, mm, mm, False)
    return Period(y, 1, 12, True)


@cache
def vocabulary() -> dict[str, tuple[str, str]]:
    """Base indicator name → (unit, description), from the vocabulary file."""
    with VOCABULARY_FILE.open(encoding="utf-8") as f:
        return {r["indicator"]: (r["unit"], r["description"]) for r in csv.DictReader(f)}


def split_indicator(name: str) -> tuple[str, str] | None:
    """``(base, suffix)`` of a known indicator name, or ``None`` if unknown."""
    voc = vocabulary()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if suffix and name.endswith(suffix) and name[: -len(suffix)] in voc:
            return name[: -len(suffix)], suffix
    return (name, "") if name in voc else None


def expected_unit(name: str) -> str | None:
    """The unit a known indicator must carry (``pct`` for rates)."""
    parts = split_indicator(name)
    if parts is None:
        return None
    base, suffix = parts
    return "pct" if suffix.endswith("pct") else vocabulary()[base][0]


def read_pack(*paths: str | Path) -> pd.DataFrame:
    """Read and check one or more pack files into one table.

    Returns
    -------
    DataFrame
        The pack's columns plus ``year``, ``first_month``, ``last_month``,
        ``cumulative``, ``annual`` and ``file``, one row per input row.

    Raises
    ------
    PackError
        A file that cannot be read; a missing column; a row with an unknown indicator
        (the message lists the vocabulary), a period, value or unit not as expected, no
        source; the same (city, period, indicator) twice with different values.
    """
    frames = [_read_one(Path(p)) for p in paths]
    pack = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    seen: dict[tuple, tuple[float, str]] = {}
    keep = []
    for i, r in pack.iterrows():
        key = (r["city"], r["period"], r["indicator"])
        if key in seen:
            value, where = seen[key]
            if not math.isclose(value, r["value"], rel_tol=1e-9, abs_tol=1e-9):
                raise PackError(
                    f"{r['file']} row {r['row']}: {key[0]} {key[1]} {key[2]} = {r['value']} "
                    f"contradicts {value} at {where}; keep one"
                )
            continue
        seen[key] = (r["value"], f"{r['file']} row {r['row']}")
        keep.append(i)
    return pack.loc[keep].reset_index(drop=True)


def _read_one(path: Path) -> pd.DataFrame:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise PackError(f"{path}: {size} bytes, more than the {MAX_BYTES} a pack may have")
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise PackError(f"{path}: no such file") from None
    except UnicodeDecodeError as e:
        raise PackError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise PackError(f"{path}: empty file; expected the header {','.join(COLUMNS)}") from None
    header = ["period" if h == "year" else h for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise PackError(
            f"{path}: missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}"
        )
    idx = {c: header.index(c) for c in COLUMNS}
    rows = []
    seen: dict[tuple[str, ...], int] = {}
    n = 1
    try:
        for n, raw in enumerate(reader, start=2):
            if not any(x.strip() for x in raw):
                continue
            if len(raw) != len(header):
                raise PackError(f"{path} row {n}: {len(raw)} fields, expected {len(header)}")
            rec = {c: raw[idx[c]].strip() for c in COLUMNS}
            words = tuple(rec[c] for c in COLUMNS)
            if words in seen:
                raise PackError(
                    f"{path} row {n}: repeats row {seen[words]} word for word; keep one"
                )
            seen[words] = n
            rows.append(_check_row(path, n, rec))
    except csv.Error as e:  # e.g. a field over the csv module's 131,072 characters
        raise PackError(f"{path} row {n + 1}: {e}; expected a short note or field") from None
    return pd.DataFrame(
        rows,
        columns=[
            *COLUMNS,
            "year",
            "first_month",
            "last_month",
            "cumulative",
            "annual",
            "file",
            "row",
        ],
    )


def looks_like_fraction(text: str) -> bool:
    """Whether a percent figure reads like a fraction: below 1 in size (not 0) with two or
    more decimals (``0.082`` meant as 8.2%). Bureaus publish rates and shares in percent with
    one decimal, so a real ``0.082%`` does not occur in a release."""
    text = text.strip().lstrip("+-")
    whole, _, decimals = text.partition(".")
    try:
        value = float(text)
    except ValueError:
        return False
    return 0 < value < 1 and whole in ("", "0") and len(decimals.rstrip("0")) >= 2


def _check_row(path: Path, n: int, rec: dict[str, str]) -> dict:
    where = f"{path} row {n}"
    if not re.fullmatch(r"[a-z][a-z0-9_]*", rec["city"]):
        raise PackError(f"{where}: city '{rec['city']}': expected lowercase letters (pinyin)")
    try:
        period = parse_period(rec["period"])
    except ValueError as e:
        raise PackError(f"{where}: {e}") from None
    name = rec["indicator"]
    this_year = date.today().year
    if period.year > this_year and "_target" not in name:
        raise PackError(
            f"{where}: {name} for {rec['period']}: a figure of a year that has not begun (today "
            f"is {date.today():%Y-%m-%d}); only targets (*_target*) may speak of later years. "
            "Is the year mistyped? (A pack's latest year becomes calibrate's base year.)"
        )
    unit = expected_unit(name)
    if unit is None:
        voc = ", ".join(sorted(vocabulary()))
        raise PackError(
            f"{where}: unknown indicator '{name}'. Expected a name of the vocabulary "
            f"(simulation/data/vocabulary.csv), optionally with one of the suffixes "
            f"{', '.join(s for s in SUFFIXES if s)}: {voc}"
        )
    if rec["unit"] != unit:
        raise PackError(f"{where}: {name} has unit '{rec['unit']}', expected '{unit}'")
    try:
        value = float(rec["value"])
    except ValueError:
        raise PackError(f"{where}: value '{rec['value']}' of {name} is not a number") from None
    if not math.isfinite(value):
        raise PackError(f"{where}: value of {name} is {rec['value']}; expected a finite number")
    if unit == "pct" and looks_like_fraction(rec["value"]):
        raise PackError(
            f"{where}: {name} = {rec['value']} looks like a fraction; percent figures are "
            f"written in percent with one decimal (write {value * 100:.4g} for "
            f"{value * 100:.4g}%)"
        )
    if unit != "pct" and value < 0:
        raise PackError(f"{where}: {name} = {value} is negative; a level must be ≥ 0")
    if not rec["source_url"]:
        raise PackError(f"{where}: {name} has no source_url; every figure needs its page")
    if rec["source_url"][0] in "=+-@":
        raise PackError(
            f"{where}: source_url {rec['source_url'][:40]!r} looks like a spreadsheet formula; "
            "expected the page's address"
        )
    return {
        **rec,
        "value": value,
        "year": period.year,
        "first_month": period.first_month,
        "last_month": period.last_month,
        "cumulative": period.cumulative,
        "annual": period.annual,
        "file": str(path),
        "row": n,
    }


def up_to(pack: pd.DataFrame, year: int) -> pd.DataFrame:
    """Rows for periods in ``year`` or before: what a forecaster knew after that year."""
    return pack[pack["year"] <= year]


def annual_value(pack: pd.DataFrame, city: str, indicator: str, year: int) -> float | None:
    """The annual figure of ``indicator`` for ``city`` in ``year``, or ``None``."""
    rows = pack[
        (pack["city"] == city)
        & (pack["indicator"] == indicator)
        & (pack["year"] == year)
        & pack["annual"]
    ]
    return None if rows.empty else float(rows["value"].iloc[0])


def row_source(pack: pd.DataFrame, city: str, indicator: str, period: str) -> str:
    """``source_url`` of one row (empty if absent)."""
    rows = pack[
        (pack["city"] == city) & (pack["indicator"] == indicator) & (pack["period"] == period)
    ]
    return "" if rows.empty else str(rows["source_url"].iloc[0])


def last_outcome_year(pack: pd.DataFrame, city: str, exclude: tuple[str, ...] = ()) -> int:
    """The latest year with a figure for ``city`` that is not a target (nor in ``exclude``).

    Raises
    ------
    PackError
        No such figure.
    """
    rows = pack[(pack["city"] == city) & ~pack["indicator"].isin(exclude)]
    rows = rows[["target" not in (split_indicator(n) or ("", ""))[1] for n in rows["indicator"]]]
    if rows.empty:
        raise PackError(f"the pack has no figures for city '{city}'")
    return int(rows["year"].max())


@dataclass(frozen=True)
class Counties:
    """A city's county-level divisions as a register may name them (see :func:`read_counties`)."""

    names: list[str]
    aliases: dict[str, str]
    source: str


def read_counties(path: str | Path) -> Counties:
    """Read a counties file: ``county,aliases,source_url`` (aliases separated by ``|``).

    Raises
    ------
    PackError
        Naming the file and row: a missing column, an empty name or source, a name listed
        twice, or an alias that is also another county's name.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PackError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise PackError(f"{path}: not UTF-8 text") from None
    rows = list(csv.DictReader(io.StringIO(text)))
    need = ("county", "aliases", "source_url")
    if not rows or any(c not in rows[0] for c in need):
        raise PackError(f"{path}: expected a header county,aliases,source_url and one row a county")
    names: list[str] = []
    aliases: dict[str, str] = {}
    sources: list[str] = []
    for n, r in enumerate(rows, start=2):
        name = (r["county"] or "").strip()
        src = (r["source_url"] or "").strip()
        if not name:
            raise PackError(f"{path}, row {n}: county is empty")
        if not src:
            raise PackError(f"{path}, row {n} ({name}): source_url is empty (where is it listed?)")
        if name in names:
            raise PackError(f"{path}, row {n}: county {name} is listed twice")
        names.append(name)
        if src not in sources:
            sources.append(src)
        for a in (r["aliases"] or "").split("|"):
            if a.strip():
                aliases[a.strip()] = name
    clash = sorted(a for a in aliases if a in names)
    if clash:
        raise PackError(f"{path}: aliases that are also county names: {'、'.join(clash)}")
    return Counties(names, aliases, "; ".join(sources))
