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
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

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


INDUSTRIES = (
    "化工",
    "农产品加工",
    "装备制造",
    "汽车零部件",
    "电子信息",
    "生物医药",
    "新材料",
    "纺织服装",
    "造纸包装",
    "新能源",
    "现代服务业",
    "基础设施",
    "文旅",
    "其他",
)
CATEGORIES = {"工业": True, "非工业": False, "industrial": True, "non-industrial": False}
STATUSES = ("已签约", "已开工", "已投产", "已达产")

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
REQUIRED = ("name", "county", "industry", "category", "signed", "amount_100m_cny")
DATES = ("signed", "planned_start", "actual_start", "planned_production", "actual_production")
AMOUNT_LOOKS_LIKE_10K = 1000.0  # 亿元: no single project signs ≥ 1000亿; a 万元 figure does
KAPPA_MAX = 10.0  # yuan of annual output per yuan invested: MODEL.md's highest is 3.0 [judgement]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RegisterError(ValueError):
    """A register cannot be imported; ``report`` lists every problem."""

    def __init__(self, message: str, report: pd.DataFrame | None = None):
        super().__init__(message)
        self.report = report if report is not None else pd.DataFrame()


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
        raise RegisterError(
            f"not UTF-8 or GBK/GB18030 text (byte {e.start}): save the file as CSV UTF-8 or "
            "as an Excel workbook"
        ) from None


def read_table(
    path: str | Path, data: bytes | None = None
) -> tuple[list[str], list[list[Any]], str]:
    """Header and rows of a CSV or xlsx file (``data`` instead of reading ``path``)."""
    path = Path(path)
    if data is None:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise RegisterError(
                f"{path}: {size / 1e6:.1f} MB is above the {MAX_BYTES / 1e6:.0f} MB limit"
            )
        data = path.read_bytes()
    elif len(data) > MAX_BYTES:
        raise RegisterError(
            f"{path.name}: {len(data) / 1e6:.1f} MB is above the {MAX_BYTES / 1e6:.0f} MB limit"
        )
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as e:  # noqa: BLE001 - any unreadable workbook
            raise RegisterError(f"{path.name}: not a readable xlsx workbook ({e})") from None
        ws = wb.worksheets[0]
        rows = []
        for r in ws.iter_rows(values_only=True):  # streamed: the row limit stops the reading
            rows.append(list(r))
            if len(rows) > MAX_ROWS + 1:
                wb.close()
                raise RegisterError(f"{path.name}: more than {MAX_ROWS:,} rows, the limit")
        wb.close()
        encoding = "xlsx"
    elif suffix in (".csv", ".txt"):
        try:
            text, encoding = decode(data)
        except RegisterError as e:
            raise RegisterError(f"{path.name}: {e}") from None
        rows = []
        reader = csv.reader(io.StringIO(text))
        try:
            for r in reader:
                rows.append(r)
                if len(rows) > MAX_ROWS + 1:
                    raise RegisterError(f"{path.name}: more than {MAX_ROWS:,} rows, the limit")
        except csv.Error as e:  # e.g. a cell above the csv module's 131,072 characters
            raise RegisterError(
                f"{path.name}, row {reader.line_num}: not readable as CSV ({e})"
            ) from None
    else:
        raise RegisterError(
            f"{path.name}: expected a .csv or .xlsx file, got '{suffix or 'no suffix'}'"
        )
    while rows and all(v is None or str(v).strip() == "" for v in rows[-1]):
        rows.pop()
    if not rows:
        raise RegisterError(f"{path.name}: the file is empty")
    if len(rows) - 1 > MAX_ROWS:
        raise RegisterError(f"{path.name}: {len(rows) - 1:,} rows, above the limit of {MAX_ROWS:,}")
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    return header, rows[1:], encoding


_DATE_RES = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)


def parse_date(value: Any) -> _dt.date | None:
    """A date from a cell; None when empty; ``ValueError`` when unreadable."""
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
                f"{source}: columns {header[mapping[canon]]!r} and {h!r} both mean "
                f"{COLUMNS[canon][0]}"
            )
        mapping[canon] = i
    missing = [COLUMNS[c][0] for c in REQUIRED if c not in mapping]
    if missing:
        raise RegisterError(
            f"{source}: missing column(s) {', '.join(missing)}; the header row has "
            f"{', '.join(repr(h) for h in header)}"
            + (f" (not recognised: {', '.join(unknown)})" if unknown else "")
        )
    return mapping


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
        raise RegisterError(
            f"{source}: the parameter folder of {city.name_en} lists no counties (city.counties "
            "in base.yaml); calibrate it with --counties FILE before importing a register"
        )
    win_start, win_end = window(params)
    header, rows, encoding = read_table(path, data)
    cols = _map_columns(header, source, city.register_columns)
    problems: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    seen: dict[tuple, int] = {}

    def problem(row: int, col: str, value: Any, expected: str, severity: str = "error") -> None:
        problems.append(
            {
                "row": row,
                "column": COLUMNS[col][0] if col in COLUMNS else col,
                "value": "" if value is None else str(value),
                "expected": expected,
                "severity": severity,
            }
        )

    for i, raw in enumerate(rows):
        rownum = i + 2
        if all(v is None or str(v).strip() == "" for v in raw):
            continue
        cell = {c: (raw[j] if j < len(raw) else None) for c, j in cols.items()}
        rec: dict[str, Any] = {"row": rownum}
        ok = True
        for c in REQUIRED:
            v = cell.get(c)
            if v is None or str(v).strip() == "":
                problem(rownum, c, v, "a value (required)")
                ok = False
        name = str(cell.get("name") or "").strip()
        rec["name"] = name
        county = str(cell.get("county") or "").strip()
        county = city.county_aliases.get(county, county)
        if county and county not in city.counties:
            problem(
                rownum,
                "county",
                county,
                f"a county of {city.name_zh} ({city.name_en}): " + "、".join(city.counties),
            )
            ok = False
        rec["county"] = county
        industry = str(cell.get("industry") or "").strip()
        if industry and industry not in INDUSTRIES:
            problem(
                rownum,
                "industry",
                industry,
                "one of " + "、".join(INDUSTRIES) + " (kept as given)",
                "warning",
            )
        rec["industry"] = industry
        cat = str(cell.get("category") or "").strip()
        if cat and cat.lower() not in CATEGORIES and cat not in CATEGORIES:
            problem(rownum, "category", cat, "工业 or 非工业")
            ok = False
        rec["industrial"] = CATEGORIES.get(cat, CATEGORIES.get(cat.lower(), False))
        amount = cell.get("amount_100m_cny")
        try:
            a = float(str(amount).replace(",", "").strip()) if amount not in (None, "") else None
        except ValueError:
            problem(rownum, "amount_100m_cny", amount, "a number of 亿元")
            a, ok = None, False
        if a is not None:
            if not math.isfinite(a):
                problem(rownum, "amount_100m_cny", amount, "a finite number of 亿元")
                ok = False
            elif a <= 0:
                problem(rownum, "amount_100m_cny", amount, "a positive amount of 亿元")
                ok = False
            elif a >= AMOUNT_LOOKS_LIKE_10K:
                problem(
                    rownum,
                    "amount_100m_cny",
                    amount,
                    f"亿元; {a:g} looks like 万元 (= {a / 1e4:g}亿元): convert the column",
                )
                ok = False
        rec["amount_100m_cny"] = a
        for c in DATES:
            try:
                rec[c] = parse_date(cell.get(c))
            except ValueError:
                problem(
                    rownum, c, cell.get(c), "a date such as YYYY-MM-DD, YYYY/M/D or YYYY年M月D日"
                )
                rec[c], ok = None, False
        signed = rec["signed"]
        for start, prod in (
            ("planned_start", "planned_production"),
            ("actual_start", "actual_production"),
        ):
            if rec[start] and rec[prod] and rec[prod] < rec[start]:
                problem(
                    rownum,
                    prod,
                    rec[prod],
                    f"on or after {COLUMNS[start][0]} {rec[start]} (production before start)",
                )
                ok = False
        if signed and rec["actual_start"] and rec["actual_start"] < signed - _dt.timedelta(days=31):
            problem(
                rownum,
                "actual_start",
                rec["actual_start"],
                f"on or after the signing date {signed}",
            )
            ok = False
        for c in DATES:
            d = rec[c]
            if (
                d
                and not win_start <= d <= win_end
                and c in ("signed", "actual_start", "actual_production")
            ):
                problem(
                    rownum,
                    c,
                    d,
                    f"within the simulated window {win_start} to {win_end} (ignored outside it)",
                    "warning",
                )
        status = str(cell.get("status") or "").strip()
        if status and status not in STATUSES:
            problem(rownum, "status", status, "one of " + "、".join(STATUSES))
            ok = False
        if (
            status in ("已开工", "已投产", "已达产")
            and not rec["actual_start"]
            and not rec["actual_production"]
        ):
            problem(
                rownum, "actual_start", None, f"a date, since the status is {status}", "warning"
            )
        rec["status"] = status
        kappa = cell.get("output_to_investment")
        try:
            rec["output_to_investment"] = float(kappa) if kappa not in (None, "") else None
        except ValueError:
            problem(rownum, "output_to_investment", kappa, "a number (yuan of output per yuan)")
            rec["output_to_investment"], ok = None, False
        k = rec["output_to_investment"]
        if k is not None and not (math.isfinite(k) and 0 < k <= KAPPA_MAX):
            problem(
                rownum,
                "output_to_investment",
                kappa,
                f"yuan of output per yuan invested, above 0 and at most {KAPPA_MAX:g} "
                "(MODEL.md: 0.8 chemicals … 3.0 assembly)",
            )
            rec["output_to_investment"], ok = None, False
        bad_text = [c for c, v in cell.items() if isinstance(v, str) and _CONTROL.search(v)]
        for c in bad_text:
            problem(rownum, c, repr(cell[c])[:40], "text without control characters (NUL, …)")
            ok = False
        key = (name, county, signed)
        if name and signed and key in seen:
            problem(
                rownum,
                "name",
                name,
                f"a project listed once (same name, county and signing date as row {seen[key]})",
            )
            ok = False
        else:
            seen[key] = rownum
        if ok:
            records.append(rec)
    report = pd.DataFrame(problems, columns=["row", "column", "value", "expected", "severity"])
    errors = report[(report["severity"] == "error") | (strict & (report["severity"] == "warning"))]
    if len(errors):
        rows_bad = errors["row"].nunique()
        raise RegisterError(
            f"{source}: {len(errors)} problem(s) in {rows_bad} row(s); nothing imported", report
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
    return Register(projects, report, source, encoding, as_of)
