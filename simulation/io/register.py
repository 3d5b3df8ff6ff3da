"""The project register (项目台账): import, row-level validation, views.

A register has one row per signed project. Columns (Chinese headers as cities keep them;
English aliases accepted; see ``params/templates/``):

=================  ===========================  ========  ===================================
column             aliases                      required  meaning
=================  ===========================  ========  ===================================
项目名称            name, project                yes       project name
县市区              county, district             yes       one of the folder's
                                                          ``city.counties``
行业                industry                     yes       one of :data:`INDUSTRIES` (else a
                                                          warning)
项目类别            category                     yes       工业 or 非工业 (industrial or not)
签约日期            signed, signed_date          yes       date signed
签约金额(亿元)       amount, amount_100m_cny      yes       contract value, 亿元
计划开工            planned_start                no        date
实际开工            actual_start                 no        date
计划投产            planned_production           no        date
实际投产            actual_production            no        date
状态                status                       no        已签约 / 已开工 / 已投产 / 已达产
产出强度            output_to_investment, kappa  no        annual output per yuan at full
                                                          capacity
=================  ===========================  ========  ===================================

Dates may be written 2022/2/8, 2022-02-08, 2022.2.8, 2022年2月8日 or as Excel serial
numbers. CSV files may be UTF-8 (with or without BOM) or GBK/GB18030; the encoding is
detected by decoding strictly, never guessed. Every problem is reported with its row
(as numbered in the file, header = row 1), column, value and what was expected; nothing
is dropped silently: an import either succeeds (with its warnings listed) or fails.

The reference data (industries, categories, statuses) and the row checks, as a table of
rules (column, named check, message, severity), are in :mod:`simulation.io.register_rules`;
this module reads files, maps columns and applies the table row by row.

Refusals and the report's "expected" texts are rows of the label table with their fields
(:class:`Message`): the command line prints them in English (``str(error)``, ``report``),
the register page in its own language (:meth:`LocalizedError.text`, :class:`Problem`).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError
from ..labels import Lang, tr
from .register_rules import AMOUNT_LOOKS_LIKE_10K as AMOUNT_LOOKS_LIKE_10K
from .register_rules import CATEGORIES as CATEGORIES
from .register_rules import DATES as DATES
from .register_rules import INDUSTRIES as INDUSTRIES
from .register_rules import KAPPA_MAX as KAPPA_MAX
from .register_rules import REQUIRED as REQUIRED
from .register_rules import RULES, Message, check_row, message, parse_row
from .register_rules import STATUSES as STATUSES
from .register_rules import parse_date as parse_date

MAX_BYTES = 20 * 1024 * 1024  # files larger than this are refused
MAX_ROWS = 200_000


def window(params: Any) -> tuple[_dt.date, _dt.date]:
    """The simulated window of a parameter set: 48 months of history to the horizon's end.

    Parameters
    ----------
    params : simulation.schema.Params
        Its ``calendar`` (base year, horizon).

    Returns
    -------
    (date, date)
        First day of history (January, three years before the base year) and the last day
        of the horizon.
    """
    by = int(params.calendar.base_year)
    years = int(params.calendar.horizon_months) // 12
    return _dt.date(by - 3, 1, 1), _dt.date(by + years, 12, 31)


#: canonical column → (Chinese header, accepted aliases)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("项目名称", ("name", "project", "项目")),
    "county": ("县市区", ("county", "district", "县（市、区）", "县市")),
    "industry": ("行业", ("industry", "所属行业")),
    "category": ("项目类别", ("category", "类别")),
    "signed": ("签约日期", ("signed", "signed_date", "签约时间")),
    "amount_100m_cny": (
        "签约金额(亿元)",
        ("amount", "amount_100m_cny", "签约金额", "签约金额（亿元）", "合同金额(亿元)"),
    ),
    "planned_start": ("计划开工", ("planned_start", "计划开工日期", "计划开工时间")),
    "actual_start": ("实际开工", ("actual_start", "实际开工日期", "开工日期")),
    "planned_production": ("计划投产", ("planned_production", "计划投产日期")),
    "actual_production": ("实际投产", ("actual_production", "实际投产日期", "投产日期")),
    "status": ("状态", ("status", "项目状态")),
    "output_to_investment": ("产出强度", ("output_to_investment", "kappa", "投资产出强度")),
}


class LocalizedError(InputError):
    """An error whose message can be shown in either language.

    ``str(error)`` is the English text (the command line's); :meth:`text` gives it in the
    page's language.

    Parameters
    ----------
    *messages : Message or str
        One message per line (a plain string is shown as it is in both languages).
    """

    def __init__(self, *messages: Message | str):
        self.messages = list(messages)
        super().__init__(self.text("en"))

    def text(self, lang: Lang = "en") -> str:
        """The message in ``lang``, one line per part."""
        return "\n".join(m.text(lang) if isinstance(m, Message) else m for m in self.messages)


@dataclass
class Problem:
    """One problem of a register row (a line of the import report).

    Attributes
    ----------
    row : int
        Row as numbered in the file (header = row 1).
    column : str
        Canonical column (a key of :data:`COLUMNS`).
    value : str
        The cell as found.
    expected : Message
        What the cell should hold.
    severity : {"error", "warning"}
    """

    row: int
    column: str
    value: str
    expected: Message
    severity: str = "error"

    def record(self, lang: Lang | None = None) -> dict[str, Any]:
        """A row of the report: with ``lang`` None, the command line's (the column's
        Chinese header, English text, lists of Chinese names joined with 、); else column
        and text in ``lang``."""
        if lang is None:
            column = COLUMNS[self.column][0] if self.column in COLUMNS else self.column
            return {
                "row": self.row,
                "column": column,
                "value": self.value,
                "expected": self.expected.text("en", sep="、"),
                "severity": self.severity,
            }
        return {
            "row": self.row,
            "column": column_name(self.column, lang),
            "value": self.value,
            "expected": self.expected.text(lang),
            "severity": tr(f"reg_severity_{self.severity}", lang),
        }


def column_name(column: str, lang: Lang = "zh") -> str:
    """A register column (canonical name) as a reader of ``lang`` calls it."""
    return tr(f"reg_col_{column}", lang) if column in COLUMNS else column


REPORT_COLUMNS = ["row", "column", "value", "expected", "severity"]


def report_frame(problems: list[Problem]) -> pd.DataFrame:
    """The report as the command line and the ``report`` attributes give it: one row per
    problem, columns :data:`REPORT_COLUMNS`."""
    return pd.DataFrame([p.record() for p in problems], columns=REPORT_COLUMNS)


class RegisterError(LocalizedError):
    """A register cannot be imported; ``report`` lists every problem (``problems``: the
    same, for showing in either language)."""

    def __init__(
        self,
        message: Message | str,
        report: pd.DataFrame | None = None,
        problems: list[Problem] | None = None,
    ):
        super().__init__(message)
        self.problems = problems or []
        self.report = report if report is not None else report_frame(self.problems)


@dataclass
class Register:
    """An imported register.

    Attributes
    ----------
    projects : DataFrame
        One row per project, canonical English columns, dates as ``datetime.date``,
        ``industrial`` bool, ``row`` the row number in the file.
    report : DataFrame
        Problems: ``row``, ``column``, ``value``, ``expected``, ``severity``
        (``error`` / ``warning``).
    source, encoding
    """

    projects: pd.DataFrame
    report: pd.DataFrame
    source: str
    encoding: str
    as_of: _dt.date | None = None
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the report, for either language

    @property
    def warnings(self) -> pd.DataFrame:
        return self.report[self.report["severity"] == "warning"]


# --- reading -------------------------------------------------------------------------------
def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding of CSV bytes: UTF-8 (BOM or not), else GB18030 (a superset of
    GBK and GB2312); strict decoding, so a wrong guess fails instead of garbling."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as e:
        raise RegisterError(message("reg_not_text", byte=e.start)) from None


def read_table(
    path: str | Path, data: bytes | None = None
) -> tuple[list[str], list[list[Any]], str]:
    """Header and rows of a CSV or xlsx file (``data`` instead of reading ``path``)."""
    path = Path(path)
    if data is None:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise RegisterError(too_big(str(path), size))
        data = path.read_bytes()
    elif len(data) > MAX_BYTES:
        raise RegisterError(too_big(path.name, len(data)))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as e:  # noqa: BLE001 - any unreadable workbook
            raise RegisterError(message("reg_not_xlsx", name=path.name, error=e)) from None
        ws = wb.worksheets[0]
        rows = []
        for r in ws.iter_rows(values_only=True):  # streamed: the row limit stops the reading
            rows.append(list(r))
            if len(rows) > MAX_ROWS + 1:
                wb.close()
                raise RegisterError(message("reg_too_many_rows", name=path.name, limit=MAX_ROWS))
        wb.close()
        encoding = "xlsx"
    elif suffix in (".csv", ".txt"):
        try:
            text, encoding = decode(data)
        except RegisterError as e:
            raise RegisterError(
                message("reg_in_file", name=path.name, detail=e.messages[0])
            ) from None
        rows = []
        reader = csv.reader(io.StringIO(text))
        try:
            for r in reader:
                rows.append(r)
                if len(rows) > MAX_ROWS + 1:
                    raise RegisterError(
                        message("reg_too_many_rows", name=path.name, limit=MAX_ROWS)
                    )
        except csv.Error as e:  # e.g. a cell above the csv module's 131,072 characters
            raise RegisterError(
                message("reg_not_csv", name=path.name, row=reader.line_num, error=e)
            ) from None
    else:
        raise RegisterError(
            message("reg_suffix", name=path.name, suffix=suffix or message("reg_no_suffix"))
        )
    while rows and all(v is None or str(v).strip() == "" for v in rows[-1]):
        rows.pop()
    if not rows:
        raise RegisterError(message("reg_empty", name=path.name))
    if len(rows) - 1 > MAX_ROWS:
        raise RegisterError(
            message("reg_rows_above_limit", name=path.name, n=len(rows) - 1, limit=MAX_ROWS)
        )
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    return header, rows[1:], encoding


# --- import and validation -------------------------------------------------------------------
def _map_columns(
    header: list[str], source: str, extra: dict[str, list[str]] | None = None
) -> dict[str, int]:
    """Column index of each canonical column; ``extra``: the folder's own header names."""
    lookup = {}
    for canon, (zh, aliases) in COLUMNS.items():
        for name in (zh, canon, *aliases, *(extra or {}).get(canon, [])):
            lookup[_norm(name)] = canon
    mapping: dict[str, int] = {}
    unknown = []
    for i, h in enumerate(header):
        canon = lookup.get(_norm(h))
        if canon is None:
            if h:
                unknown.append(h)
            continue
        if canon in mapping:
            raise RegisterError(
                message(
                    "reg_both_mean",
                    source=source,
                    a=header[mapping[canon]],
                    b=h,
                    column=message(f"reg_col_{canon}"),
                )
            )
        mapping[canon] = i
    missing = [COLUMNS[c][0] for c in REQUIRED if c not in mapping]
    if missing:
        raise RegisterError(
            message(
                "reg_missing_columns" if not unknown else "reg_missing_columns_unknown",
                source=source,
                missing=missing,
                header=[repr(h) for h in header],
                unknown=unknown,
            )
        )
    return mapping


def too_big(name: str, size: int) -> Message:
    """The refusal of a file of ``size`` bytes (above :data:`MAX_BYTES`)."""
    return message("reg_too_big", name=name, mb=size / 1e6, limit=MAX_BYTES / 1e6)


def _norm(s: str) -> str:
    return re.sub(r"[\s_（）()]", "", str(s)).lower().replace("亿元", "")


def import_register(
    path: str | Path,
    params: Any,
    data: bytes | None = None,
    strict: bool = False,
    as_of: _dt.date | None = None,
) -> Register:
    """Read and validate a register.

    Parameters
    ----------
    path : path
        The file (its name and suffix are used even when ``data`` is given).
    params : simulation.schema.Params
        The parameter folder's values: ``city.counties`` (and their aliases) are the
        counties a row may name; ``calendar`` gives the simulated window.
    data : bytes, optional
        The file's content (an upload) instead of reading ``path``.
    strict : bool
        Treat warnings as errors.
    as_of : date, optional
        Date of the register (default: the latest date in it); dates after it cannot be
        actual.

    Raises
    ------
    RegisterError
        With ``.report`` listing every problem, when any row has an error (or a warning
        under ``strict``).
    """
    source = Path(path).name
    city = params.city
    if not city.counties:
        raise RegisterError(message("reg_no_counties", source=source, city=city.name_en))
    win_start, win_end = window(params)
    header, rows, encoding = read_table(path, data)
    cols = _map_columns(header, source, city.register_columns)
    problems: list[Problem] = []
    records: list[dict[str, Any]] = []
    seen: dict[tuple, int] = {}

    def problem(row: int, col: str, value: Any, expected: Message, severity: str = "error") -> None:
        problems.append(Problem(row, col, "" if value is None else str(value), expected, severity))

    for i, raw in enumerate(rows):
        rownum = i + 2
        if all(v is None or str(v).strip() == "" for v in raw):
            continue
        cell = {c: (raw[j] if j < len(raw) else None) for c, j in cols.items()}
        row = parse_row(rownum, cell, city, (win_start, win_end), seen)
        found = check_row(row, RULES)  # the rules table, in the report's order
        for column, value, expected, severity in found:
            problem(rownum, column, value, expected, severity)
        if not (row.rec["name"] and row.rec["signed"] and row.key in seen):
            seen[row.key] = rownum
        if not any(severity == "error" for *_, severity in found):
            records.append(row.rec)
    report = report_frame(problems)
    errors = report[(report["severity"] == "error") | (strict & (report["severity"] == "warning"))]
    if len(errors):
        rows_bad = errors["row"].nunique()
        raise RegisterError(
            message("reg_failed", source=source, n=len(errors), rows=rows_bad), report, problems
        )
    projects = pd.DataFrame(records)
    if as_of is None and len(projects):
        dates = [
            d
            for c in ("signed", "actual_start", "actual_production")
            for d in projects[c]
            if d is not None and d <= win_end
        ]
        as_of = max(dates) if dates else None
    return Register(projects, report, source, encoding, as_of, problems=problems)
