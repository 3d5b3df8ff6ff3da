"""The project register's reference data and row checks, as a table.

Reference data: the industries a row may name (:data:`INDUSTRIES`, read from
``simulation/data/industries.csv``, Chinese and English names), the project categories
and statuses; the counties are the parameter folder's (``params.city.counties``).

Checks: each rule of :data:`RULES` is one row of a table — the column a problem is
reported on, a small named test of the row, the label key of what the cell should hold
(:class:`Message`, shown in either language), the severity, and what the report shows
as the value and the message's fields. :func:`check_row` applies the table to a row
parsed into a :class:`Row`, in the table's order (the order of the import report).
"""

from __future__ import annotations

import csv
import datetime as _dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .._paths import PACKAGE_DATA
from ..labels import Lang, tr

INDUSTRIES_FILE = PACKAGE_DATA / "industries.csv"


def read_industries(path: Any = INDUSTRIES_FILE) -> dict[str, str]:
    """The industries a register row may name: Chinese name → English name, in file order.

    Parameters
    ----------
    path : path
        A CSV with columns ``zh`` and ``en`` (UTF-8).
    """
    with open(path, encoding="utf-8", newline="") as f:
        return {r["zh"].strip(): r["en"].strip() for r in csv.DictReader(f) if r["zh"].strip()}


#: Industries (Chinese names) a row may name; any other is a warning.
INDUSTRIES: tuple[str, ...] = tuple(read_industries())
CATEGORIES = {"工业": True, "非工业": False, "industrial": True, "non-industrial": False}
STATUSES = ("已签约", "已开工", "已投产", "已达产")
#: Statuses that say the project has started.
STARTED = ("已开工", "已投产", "已达产")
REQUIRED = ("name", "county", "industry", "category", "signed", "amount_100m_cny")
DATES = ("signed", "planned_start", "actual_start", "planned_production", "actual_production")
#: Dates that cannot be planned: outside the simulated window they are a warning.
EVENT_DATES = ("signed", "actual_start", "actual_production")
AMOUNT_LOOKS_LIKE_10K = 1000.0  # 亿元: no single project signs ≥ 1000亿; a 万元 figure does
KAPPA_MAX = 10.0  # yuan of annual output per yuan invested: MODEL.md's highest is 3.0 [judgement]
#: Days an actual start may precede the signing (a signing dated at month end).
START_BEFORE_SIGNING_DAYS = 31
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Message:
    """A message as a row of the label table and its fields, shown in either language.

    A field may itself be a :class:`Message` (shown in the same language) or a list or
    tuple (joined with 、 in Chinese and ", " in English, unless ``sep`` says otherwise).

    Attributes
    ----------
    key : str
        Row of :data:`simulation.labels.TEXT`.
    fields : mapping
        Its format fields.
    """

    key: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: Lang = "en", sep: str | None = None) -> str:
        """The message in ``lang`` (English is what the command line prints); ``sep``
        joins list fields (default: the language's)."""
        sep = sep if sep is not None else "、" if lang == "zh" else ", "
        values = {
            k: v.text(lang, sep)
            if isinstance(v, Message)
            else sep.join(str(x) for x in v)
            if isinstance(v, list | tuple)
            else v
            for k, v in self.fields.items()
        }
        return tr(self.key, lang, **values)


def message(key: str, **fields: Any) -> Message:
    """``Message(key, fields)``."""
    return Message(key, fields)


def parse_date(value: Any) -> _dt.date | None:
    """A date from a cell; None when empty; ``ValueError`` when unreadable.

    Dates may be written 2022/2/8, 2022-02-08, 2022.2.8, 2022年2月8日 or as Excel serial
    numbers (1954-2119).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, int | float) or (
        isinstance(value, str) and re.fullmatch(r"\d{5}(\.0+)?", value.strip())
    ):
        serial = float(value)
        if 20000 <= serial <= 80000:  # Excel serial dates 1954-2119
            return _dt.date(1899, 12, 30) + _dt.timedelta(days=int(serial))
        raise ValueError("a number that is not an Excel date")
    s = str(value).strip()
    for rx in _DATE_RES:
        m = rx.match(s)
        if m:
            y, mo, d = (int(x) for x in m.groups())
            return _dt.date(y, mo, d)  # raises ValueError for 2022-02-30
    raise ValueError("not a date")


_DATE_RES = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)


# --- a row, parsed -----------------------------------------------------------------------------
@dataclass
class Row:
    """One register row as the checks read it.

    Attributes
    ----------
    number : int
        Row as numbered in the file (header = row 1).
    cell : dict of str to Any
        The cells as found, by canonical column, in the file's column order.
    rec : dict of str to Any
        The parsed values (a project record): text stripped, the county's alias
        resolved, ``industrial`` bool, amounts and intensities as floats, dates as
        ``datetime.date``; None where empty or unreadable.
    unreadable : set of str
        Columns whose cell could not be read as its type (number, date).
    city : Any
        ``params.city`` (counties, aliases, names).
    window : (date, date)
        The simulated window (:func:`simulation.io.register.window`).
    seen : dict
        ``(name, county, signed)`` → row of its first occurrence (earlier rows).
    """

    number: int
    cell: dict[str, Any]
    rec: dict[str, Any]
    unreadable: set[str]
    city: Any
    window: tuple[_dt.date, _dt.date]
    seen: dict[tuple, int]

    @property
    def key(self) -> tuple:
        """What makes a project a duplicate: name, county, signing date."""
        return (self.rec["name"], self.rec["county"], self.rec["signed"])


def _text(v: Any) -> str:
    return str(v or "").strip()


def _number(v: Any) -> float | None:
    """A float from a cell (thousands separators allowed); None when empty."""
    return float(str(v).replace(",", "").strip()) if v not in (None, "") else None


def parse_row(
    number: int,
    cell: dict[str, Any],
    city: Any,
    window: tuple[_dt.date, _dt.date],
    seen: dict[tuple, int],
) -> Row:
    """Read a row's cells into a :class:`Row` (no check: unreadable cells are noted)."""
    unreadable: set[str] = set()
    county = _text(cell.get("county"))
    cat = _text(cell.get("category"))
    rec: dict[str, Any] = {
        "row": number,
        "name": _text(cell.get("name")),
        "county": city.county_aliases.get(county, county),
        "industry": _text(cell.get("industry")),
        "industrial": CATEGORIES.get(cat, CATEGORIES.get(cat.lower(), False)),
    }
    try:
        rec["amount_100m_cny"] = _number(cell.get("amount_100m_cny"))
    except ValueError:
        rec["amount_100m_cny"] = None
        unreadable.add("amount_100m_cny")
    for c in DATES:
        try:
            rec[c] = parse_date(cell.get(c))
        except ValueError:
            rec[c] = None
            unreadable.add(c)
    rec["status"] = _text(cell.get("status"))
    kappa = cell.get("output_to_investment")
    try:
        rec["output_to_investment"] = float(kappa) if kappa not in (None, "") else None
    except ValueError:
        rec["output_to_investment"] = None
        unreadable.add("output_to_investment")
    return Row(number, cell, rec, unreadable, city, window, seen)


# --- the checks: small named tests of a row at a column (true: the row breaks the rule) ----------
def missing(r: Row, c: str) -> bool:
    """A required cell is empty."""
    v = r.cell.get(c)
    return v is None or str(v).strip() == ""


def unknown_county(r: Row, c: str) -> bool:
    return bool(r.rec["county"]) and r.rec["county"] not in r.city.counties


def unknown_industry(r: Row, c: str) -> bool:
    return bool(r.rec["industry"]) and r.rec["industry"] not in INDUSTRIES


def unknown_category(r: Row, c: str) -> bool:
    cat = _text(r.cell.get("category"))
    return bool(cat) and cat.lower() not in CATEGORIES and cat not in CATEGORIES


def unreadable(r: Row, c: str) -> bool:
    """The cell is not a number / a date."""
    return c in r.unreadable


def not_finite(r: Row, c: str) -> bool:
    a = r.rec[c]
    return a is not None and not math.isfinite(a)


def not_positive(r: Row, c: str) -> bool:
    a = r.rec[c]
    return a is not None and math.isfinite(a) and a <= 0


def looks_like_10k(r: Row, c: str) -> bool:
    """An amount in 亿元 so large it must be in 万元."""
    a = r.rec[c]
    return a is not None and math.isfinite(a) and a >= AMOUNT_LOOKS_LIKE_10K


#: The start each production date follows.
START_OF = {"planned_production": "planned_start", "actual_production": "actual_start"}


def before_start(r: Row, c: str) -> bool:
    """Production dated before its start."""
    s, p = r.rec[START_OF[c]], r.rec[c]
    return bool(s and p and p < s)


def before_signing(r: Row, c: str) -> bool:
    """Started more than :data:`START_BEFORE_SIGNING_DAYS` before the signing."""
    signed, start = r.rec["signed"], r.rec[c]
    return bool(signed and start and start < signed - _dt.timedelta(START_BEFORE_SIGNING_DAYS))


def outside_window(r: Row, c: str) -> bool:
    d = r.rec[c]
    return bool(d) and not r.window[0] <= d <= r.window[1]


def unknown_status(r: Row, c: str) -> bool:
    return bool(r.rec["status"]) and r.rec["status"] not in STATUSES


def started_without_date(r: Row, c: str) -> bool:
    """A status saying started, with neither an actual start nor production date."""
    return (
        r.rec["status"] in STARTED and not r.rec["actual_start"] and not r.rec["actual_production"]
    )


def kappa_out_of_range(r: Row, c: str) -> bool:
    k = r.rec[c]
    return k is not None and not (math.isfinite(k) and 0 < k <= KAPPA_MAX)


def control_characters(r: Row, c: str) -> bool:
    v = r.cell.get(c)
    return isinstance(v, str) and bool(CONTROL.search(v))


def duplicate(r: Row, c: str) -> bool:
    """Same name, county and signing date as an earlier row."""
    return bool(r.rec["name"] and r.rec["signed"]) and r.key in r.seen


# --- what the report shows as the value ----------------------------------------------------------
def as_found(r: Row, c: str) -> Any:
    """The cell as found."""
    return r.cell.get(c)


def as_read(r: Row, c: str) -> Any:
    """The parsed value (stripped text, resolved county, date)."""
    return r.rec[c]


def stripped(r: Row, c: str) -> str:
    return _text(r.cell.get(c))


def nothing(r: Row, c: str) -> None:
    return None


def cell_repr(r: Row, c: str) -> str:
    """The cell's repr (control characters visible), cut to 40 characters."""
    return repr(r.cell[c])[:40]


def no_fields(r: Row, c: str) -> dict[str, Any]:
    return {}


#: ``column`` of a rule applied to every cell of the row, in the file's column order.
EACH_CELL = "*"

Check = Callable[[Row, str], Any]


@dataclass(frozen=True)
class Rule:
    """One row of the rules table.

    Attributes
    ----------
    column : str
        Canonical column the rule checks and the problem is reported on
        (:data:`EACH_CELL`: every column present).
    test : callable
        ``test(row, column)`` is true where the row breaks the rule.
    key : str
        Label key (:data:`simulation.labels.TEXT`) of what the cell should hold.
    severity : {"error", "warning"}
        An error refuses the row (and the import); a warning is only reported.
    shown : callable
        ``shown(row, column)``: the value the report shows (None: empty).
    fields : callable
        ``fields(row, column)``: the message's fields.
    """

    column: str
    test: Check
    key: str
    severity: str = "error"
    shown: Check = as_found
    fields: Check = no_fields


def _county_fields(r: Row, c: str) -> dict[str, Any]:
    return {"zh": r.city.name_zh, "en": r.city.name_en, "counties": list(r.city.counties)}


def _start_fields(r: Row, c: str) -> dict[str, Any]:
    return {"column": message(f"reg_col_{START_OF[c]}"), "date": r.rec[START_OF[c]]}


_AMOUNT = "amount_100m_cny"
_KAPPA = "output_to_investment"

#: The rules, in the order of the import report within a row.
RULES: tuple[Rule, ...] = (
    *(Rule(c, missing, "reg_x_required") for c in REQUIRED),
    Rule("county", unknown_county, "reg_x_county", shown=as_read, fields=_county_fields),
    Rule(
        "industry",
        unknown_industry,
        "reg_x_industry",
        "warning",
        shown=as_read,
        fields=lambda r, c: {"industries": INDUSTRIES},
    ),
    Rule("category", unknown_category, "reg_x_category", shown=stripped),
    Rule(_AMOUNT, unreadable, "reg_x_number"),
    Rule(_AMOUNT, not_finite, "reg_x_finite"),
    Rule(_AMOUNT, not_positive, "reg_x_positive"),
    Rule(
        _AMOUNT,
        looks_like_10k,
        "reg_x_10k",
        fields=lambda r, c: {"a": r.rec[c], "b": r.rec[c] / 1e4},
    ),
    *(Rule(c, unreadable, "reg_x_date") for c in DATES),
    *(
        Rule(c, before_start, "reg_x_after_start", shown=as_read, fields=_start_fields)
        for c in START_OF
    ),
    Rule(
        "actual_start",
        before_signing,
        "reg_x_after_signing",
        shown=as_read,
        fields=lambda r, c: {"date": r.rec["signed"]},
    ),
    *(
        Rule(
            c,
            outside_window,
            "reg_x_window",
            "warning",
            shown=as_read,
            fields=lambda r, c: {"start": r.window[0], "end": r.window[1]},
        )
        for c in EVENT_DATES
    ),
    Rule(
        "status",
        unknown_status,
        "reg_x_status",
        shown=as_read,
        fields=lambda r, c: {"statuses": STATUSES},
    ),
    Rule(
        "actual_start",
        started_without_date,
        "reg_x_status_date",
        "warning",
        shown=nothing,
        fields=lambda r, c: {"status": r.rec["status"]},
    ),
    Rule(_KAPPA, unreadable, "reg_x_kappa_number"),
    Rule(_KAPPA, kappa_out_of_range, "reg_x_kappa_range", fields=lambda r, c: {"max": KAPPA_MAX}),
    Rule(EACH_CELL, control_characters, "reg_x_control", shown=cell_repr),
    Rule(
        "name",
        duplicate,
        "reg_x_duplicate",
        shown=as_read,
        fields=lambda r, c: {"row": r.seen[r.key]},
    ),
)


def check_row(row: Row, rules: tuple[Rule, ...] = RULES) -> list[tuple[str, Any, Message, str]]:
    """Apply the table to a row.

    Returns
    -------
    list of (column, shown value, expected, severity)
        One per rule the row breaks, in the table's order (a rule on
        :data:`EACH_CELL` once per cell, in the file's column order).
    """
    out = []
    for rule in rules:
        for c in row.cell if rule.column == EACH_CELL else (rule.column,):
            if rule.test(row, c):
                out.append(
                    (c, rule.shown(row, c), message(rule.key, **rule.fields(row, c)), rule.severity)
                )
    return out
