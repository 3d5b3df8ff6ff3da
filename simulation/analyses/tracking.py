"""Tracking against the target with the statistics bureau's releases (序时进度, nowcast, 倒排).

Releases come as a data pack (``city, period, indicator, value, unit, source_url, note``;
every indicator of the vocabulary, year to date such as ``2022M1-5`` or single months such
as ``2022M05``, levels and growth rates) or as the short file ``indicator, period, value,
unit`` with ``gdp_100m_cny``, ``gross_industrial_output_100m_cny`` (year to date, 亿元) and
``fai_growth_pct``. Periods: ``2022M1-5`` (1–5月; 1–2月 come combined as ``2022M1-2``),
``2022M5`` in the short file (the same as ``2022M1-5``), ``2022Q2`` (Q1 to Q2, as quarterly
GDP is published), ``2022H1`` and ``2022``.

For each of GDP and output, with ``A`` the latest year-to-date level through month ``m``
(published, or the base year's months × (1 + the published growth)):

* **on pace**: ``A`` against the calendar pace ``T·m/12`` and the seasonal pace
  (``T`` × the base year's share of the year reached by month ``m``);
* **nowcast**: the model's Monte Carlo updated by every release
  (:mod:`simulation.analyses.nowcast`): the median, a p5–p95 band sized by how far
  year-to-date figures have strayed from their full year, the probability of the target,
  and the news of each release;
* **required path**: what the remaining months must bring for a 50% and an 80% chance,
  ``(T − A) / (the base year's months m+1..12) − 1`` being the growth at 50%.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..io.datapack import looks_like_fraction, split_indicator, vocabulary
from ..io.layering import Scenario
from ..io.register import (
    MAX_BYTES,
    LocalizedError,
    Message,
    RegisterError,
    decode,
    message,
    too_big,
)
from ..labels import TEXT, Lang, tr
from .montecarlo import DEFAULT_SEED
from .nowcast import OLD_NAMES, SHOCK_PROBABILITY, Nowcast, nowcast
from .result import Result, simulate
from .summary import INDICATORS

LEVELS = {
    "gdp_100m_cny": "gdp",
    "gross_industrial_output_100m_cny": "industrial_output",
}
UNITS = {
    "gdp_100m_cny": "亿元",
    "gross_industrial_output_100m_cny": "亿元",
    "fai_growth_pct": "pct",
}
_PERIOD = re.compile(r"^(\d{4})(?:M(?:1-)?(\d{1,2})|Q(?:1-)?([1-4])|H([12]))?$")


class ActualsError(LocalizedError):
    """An actuals file is not valid; the message names the file, row and field (one line
    per problem; :meth:`text` gives it in either language)."""


def parse_period(period: str) -> tuple[int, int]:
    """``(year, last month)`` of a year-to-date period (see the module's notes)."""
    m = _PERIOD.match(str(period).strip().upper().replace(" ", ""))
    if not m:
        raise ActualsError(message("act_period_forms"))  # a ValueError: what is expected
    year, mon, q, h = m.groups()
    last = int(mon) if mon else int(q) * 3 if q else int(h) * 6 if h else 12
    if not 1 <= last <= 12:
        raise ActualsError(message("act_month_range"))
    return int(year), last


def _check_shape(path: Path, text: str) -> None:
    """An empty file, a row with more or fewer fields than the header, or a field the csv
    reader cannot take is refused by name and row (before pandas reads the table)."""
    n = 1
    try:
        reader = csv.reader(io.StringIO(text))
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise ActualsError(message("act_empty", name=path.name))
        for n, raw in enumerate(reader, start=2):
            if any(x.strip() for x in raw) and len(raw) != len(header):
                raise ActualsError(
                    message("act_row_fields", name=path.name, row=n, got=len(raw),
                            expected=len(header))
                )  # fmt: skip
    except csv.Error as e:
        raise ActualsError(
            message("act_row_fields", name=path.name, row=n + 1, got=str(e), expected="-")
        ) from None


def read_actuals(path: str | Path, data: bytes | None = None) -> pd.DataFrame:
    """Validated releases: ``indicator``, ``period``, ``year``, ``first_month``,
    ``last_month``, ``month`` (= last month), ``value``, ``unit``, ``row``, ``source_url``.

    Two formats: a **data pack** (header with ``city`` and ``source_url``: every indicator of
    the vocabulary, levels and growth rates, year to date or single months; checked by
    :func:`simulation.io.datapack.read_pack`), or the **short file** ``indicator, period, value,
    unit`` with ``gdp_100m_cny``, ``gross_industrial_output_100m_cny`` (year to date, 亿元)
    and ``fai_growth_pct``, whose names are translated to the pack's.
    """
    path = Path(path)
    size = len(data) if data is not None else path.stat().st_size
    if size > MAX_BYTES:
        raise ActualsError(too_big(path.name, size))
    raw = data if data is not None else path.read_bytes()
    try:
        text, _ = decode(raw)
    except RegisterError as e:
        raise ActualsError(message("reg_in_file", name=path.name, detail=e.messages[0])) from None
    _check_shape(path, text)
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    if {"city", "source_url"} <= set(df.columns):
        return _read_pack_releases(path, text)
    missing = {"indicator", "period", "value", "unit"} - set(df.columns)
    if missing:
        raise ActualsError(
            message(
                "act_missing_columns",
                name=path.name,
                missing=repr(sorted(missing)),
                has=repr(list(df.columns)),
            )
        )
    rows: list[dict[str, Any]] = []
    problems: list[Message] = []
    for i, r in df.iterrows():
        row = i + 2
        ind = r["indicator"].strip()
        if ind not in UNITS:
            problems.append(
                message("act_row_indicator", name=path.name, row=row, ind=ind, inds=list(UNITS))
            )
            continue
        try:
            year, month = parse_period(r["period"])
        except ActualsError as e:
            problems.append(
                message(
                    "act_row_period",
                    name=path.name,
                    row=row,
                    period=r["period"],
                    expected=e.messages[0],
                )
            )
            continue
        try:
            value = float(r["value"].replace(",", ""))
        except ValueError:
            problems.append(message("act_row_value", name=path.name, row=row, value=r["value"]))
            continue
        unit = r["unit"].strip()
        if UNITS[ind] == "pct" and looks_like_fraction(r["value"]):
            problems.append(
                message(
                    "act_row_fraction", name=path.name, row=row, value=r["value"], pct=value * 100
                )
            )
            continue
        if unit != UNITS[ind] and not (UNITS[ind] == "pct" and unit == "%"):
            problems.append(
                message(
                    "act_row_unit", name=path.name, row=row, unit=unit, want=UNITS[ind], ind=ind
                )
            )
            continue
        rows.append(
            {
                "indicator": OLD_NAMES[ind],
                "period": r["period"].strip(),
                "year": year,
                "first_month": 1,
                "last_month": month,
                "month": month,
                "value": value,
                "unit": "100m_cny" if UNITS[ind] == "亿元" else "pct",
                "row": row,
                "source_url": str(r.get("source_url", r.get("note", "")) or ""),
            }
        )
    if problems:
        raise ActualsError(*problems)
    out = pd.DataFrame(rows)
    if out.empty:
        raise ActualsError(message("act_empty", name=path.name))
    dup = out.duplicated(["indicator", "year", "month"], keep=False)
    if dup.any():
        bad = out[dup]["row"].tolist()
        raise ActualsError(message("act_duplicate", name=path.name, rows=repr(bad)))
    out.attrs["name"] = path.name  # for messages about rows later (releases_of)
    return out


def _read_pack_releases(path: Path, text: str) -> pd.DataFrame:
    """A data pack of releases (any city; :func:`track` keeps the folder's city and the
    national rows)."""
    from ..io import datapack as dp

    with tempfile.TemporaryDirectory() as tmp:  # the pack reader checks a file
        f = Path(tmp) / path.name
        f.write_text(text, encoding="utf-8")
        try:
            pack = dp.read_pack(f)
        except dp.PackError as e:
            detail = str(e).replace(str(f), path.name)
            raise ActualsError(message("act_pack", name=path.name, detail=detail)) from None
    if pack.empty:
        raise ActualsError(message("act_empty", name=path.name))
    out = pack.assign(month=pack["last_month"])
    out.attrs["name"] = path.name  # for messages about rows later (releases_of)
    return out


@dataclass
class Tracking:
    """Result of :func:`track`."""

    scenario: str
    year: int
    status: dict[str, dict[str, Any]]
    forecast: dict[str, float]  # the nowcast's median (亿元)
    probability: dict[str, float] | None
    required_remaining_growth_pct: dict[str, float | None]
    monthly: pd.DataFrame  # month, actual, model, nowcast path and paces (cumulative, 亿元)
    fai: dict[str, float] | None
    nowcast: Nowcast | None = None
    illustrative: bool = False  # the figures say they are not official statistics
    #: rows (of the file) of earlier years or other cities: named, never silently dropped
    rows_left_out: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "scenario": self.scenario,
            "year": self.year,
            "status": self.status,
            "forecast": self.forecast,
            "probability": self.probability,
            "required_remaining_growth_pct": self.required_remaining_growth_pct,
            "fai": self.fai,
            "monthly": self.monthly.to_dict("records"),
        }
        d["illustrative"] = self.illustrative
        d["rows_left_out"] = {
            "count": len(self.rows_left_out),
            "rows": self.rows_left_out,
            "why": f"not of {self.year} or not of the folder's city (national PPI is kept)",
        }
        nc = self.nowcast
        if nc is not None:
            d["forecast_quantiles"] = nc.forecast_quantiles()
            d["indicators_used"] = nc.indicators_used
            d["indicators_ignored"] = nc.indicators_ignored
            d["news"] = nc.news
            d["required_path"] = nc.required
            d["drivers_from_releases"] = nc.drivers
            d["ytd_noise"] = {"sigma1": nc.noise.sigma1, "source": nc.noise.source}
            d["large_shock"] = {
                "weight": nc.state.shock_weight,
                "prior_probability": SHOCK_PROBABILITY,
                "persistence": "share of the departure persisting into the months to come: "
                "uniform 0-1 [judgement]",
            }
        return d


def _months(res: Result, key: str, year: int) -> np.ndarray:
    """(D, 12) monthly values of ``key`` in plan year ``year`` (0 first, -1 base year)."""
    t = res.arrays["t"]
    return res.arrays[key][:, (t >= 12 * year) & (t < 12 * (year + 1))]


def releases_of(actuals: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The rows that speak of the scenario's city and plan year (a pack's national rows, city
    ``china``, count for every city; the short file has no city)."""
    year = scenario.params.calendar.base_year + 1
    later = actuals[actuals["year"] > year]
    if not later.empty:
        raise ActualsError(
            *(
                message(
                    "act_later_year",
                    name=actuals.attrs.get("name", ""),
                    where=message(
                        "act_where", row=r.row, ind=r.indicator, period=r.period, value=r.value
                    ),
                    year=year,
                )
                for r in later.itertuples()
            )
        )
    rel = actuals[actuals["year"] == year]
    if "city" in rel.columns:
        rel = rel[rel["city"].isin([scenario.params.city.code, "china"])]
        rel = rel[(rel["city"] != "china") | (rel["indicator"] == "ppi_yoy_pct")]
    if rel.empty:
        cities = sorted(set(actuals["city"])) if "city" in actuals.columns else []
        raise ActualsError(
            message("act_no_year_city", year=year, city=scenario.params.city.code, cities=cities)
            if cities
            else message("act_no_year", year=year)
        )
    return rel


LEVEL_RATIO = (0.3, 3.0)  # a year-to-date level against the base year's same months
GROWTH_PCT = (-90.0, 300.0)  # a growth rate in percent


def check_plausible(act: pd.DataFrame, res: Result) -> None:
    """Refuse releases that cannot be what they say: not finite, a level far from the base
    year's same months (万元 given as 亿元, a whole year given as one month), a growth rate
    beyond −90..300%, or a year-to-date level below an earlier month's (a single month given
    as year to date). The message names the row."""
    problems: list[Message] = []
    base = {
        "gdp": _months(res, "gdp_100m_cny", -1)[0],
        "gross_industrial_output_above_scale": _months(res, "gross_industrial_output_100m_cny", -1)[
            0
        ],
    }
    for r in act.itertuples():
        where = message("act_where", row=r.row, ind=r.indicator, period=r.period, value=r.value)
        if not np.isfinite(r.value):
            problems.append(message("act_not_finite", where=where))
            continue
        months = slice(int(r.first_month) - 1, int(r.last_month))
        if r.indicator in base:
            ratio = r.value / float(base[r.indicator][months].sum())
            if not LEVEL_RATIO[0] <= ratio <= LEVEL_RATIO[1]:
                problems.append(
                    message(
                        "act_ratio",
                        where=where,
                        ratio=ratio,
                        lo=LEVEL_RATIO[0],
                        hi=LEVEL_RATIO[1],
                    )
                )
        elif str(r.unit) == "pct" and not GROWTH_PCT[0] <= r.value <= GROWTH_PCT[1]:
            problems.append(
                message("act_pct_range", where=where, lo=GROWTH_PCT[0], hi=GROWTH_PCT[1])
            )
    ytd = act[act["indicator"].isin(list(base)) & (act["first_month"] == 1)]
    for ind, g in ytd.sort_values("last_month").groupby("indicator"):
        v = g["value"].to_numpy()
        for i in np.flatnonzero(np.diff(v) < 0):
            r = g.iloc[i + 1]
            problems.append(
                message(
                    "act_not_running",
                    row=r["row"],
                    ind=ind,
                    period=r["period"],
                    value=r["value"],
                    prev=v[i],
                )
            )
    if problems:
        raise ActualsError(*problems)


def track(
    scenario: Scenario,
    actuals: pd.DataFrame,
    register=None,
    draws: int = 300,
    seed: int = DEFAULT_SEED,
    params_dir: str | Path | None = None,
) -> Tracking:
    """On-pace status, the nowcast (:mod:`simulation.analyses.nowcast`), its band, the news of each
    release and what the remaining months must bring.

    ``params_dir`` is the parameter folder whose ``uncertainty`` scenario gives the
    distributions when ``scenario`` has none (default: the package's ``params/``).
    """
    from .nowcast import YtdNoise, latest_ytd

    plan_year = scenario.params.calendar.base_year + 1
    act = releases_of(actuals, scenario)
    res = simulate(scenario, register=register)
    check_plausible(act, res)
    sigma = scenario.params.tracking
    noise = YtdNoise(sigma.ytd_sigma1, 0, scenario.params.sources.get("tracking.ytd_sigma1", ""))
    nc = nowcast(scenario, act, draws, seed, params_dir, register, noise)
    prior = nc.state.prior
    status, forecast, required = {}, {}, {}
    monthly = {"month": np.arange(1, 13)}
    for key, name in LEVELS.items():
        target = float(getattr(scenario.params.targets, INDICATORS[name][2]))
        model = _months(res, key, 0)[0]
        base = _months(res, key, -1)[0]
        monthly[f"{name}_model"] = np.cumsum(model)
        monthly[f"{name}_calendar_pace"] = target * np.arange(1, 13) / 12
        monthly[f"{name}_seasonal_pace"] = target * np.cumsum(base) / base.sum()
        actual_path = np.full(12, np.nan)
        median = nc.state.quantiles(name)["p50"]
        forecast[key] = median
        for r in act[act["first_month"] == 1].itertuples():  # year-to-date levels known
            if r.indicator == ("gdp" if name == "gdp" else "gross_industrial_output_above_scale"):
                actual_path[int(r.last_month) - 1] = float(r.value)
        monthly[f"{name}_actual"] = actual_path
        m, A = latest_ytd(act, name, prior)
        if A is None:
            status[name] = {"actual": None, "through_month": 0, "target": target}
            required[name] = None
            monthly[f"{name}_forecast"] = np.cumsum(model) * median / model.sum()
            continue
        M = float(model[:m].sum())
        w = base[m:] / base[m:].sum() if m < 12 else np.zeros(0)
        monthly[f"{name}_forecast"] = np.concatenate(
            [np.cumsum(model[:m]) * A / M, A + (median - A) * np.cumsum(w)]
        )
        cal, sea = target * m / 12, target * base[:m].sum() / base.sum()
        status[name] = {
            "through_month": m,
            "actual": A,
            "model": M,
            "actual_vs_model_pct": (A / M - 1) * 100,
            "calendar_pace": cal,
            "seasonal_pace": sea,
            "vs_calendar_pace": A - cal,
            "vs_seasonal_pace": A - sea,
            "on_calendar_pace": bool(A >= cal),
            "on_seasonal_pace": bool(A >= sea),
            "target": target,
        }
        need = nc.required.get(name)
        required[name] = need["p50"]["growth_over_base_year_pct"] if need else None
    fai = None
    f = act[(act["indicator"] == "fai_growth_pct") & (act["first_month"] == 1)]
    f = f.sort_values("last_month")
    if not f.empty:
        m = int(f["last_month"].iloc[-1])
        model_growth = (
            _months(res, "fai_100m_cny", 0)[0, :m].sum()
            / _months(res, "fai_100m_cny", -1)[0, :m].sum()
            - 1
        ) * 100
        fai = {
            "through_month": m,
            "actual_growth_pct": float(f["value"].iloc[-1]),
            "model_growth_pct": float(model_growth),
        }
    return Tracking(
        scenario.name,
        plan_year,
        status,
        forecast,
        nc.probability(),
        required,
        pd.DataFrame(monthly),
        fai,
        nc,
        is_illustrative(act),
        sorted(int(r) for r in set(actuals["row"]) - set(act["row"])),
    )


def is_illustrative(releases: pd.DataFrame) -> bool:
    """Whether any row says it is not official (``ILLUSTRATIVE``, ``SYNTHETIC``, ``示例``)."""
    text = " ".join(
        str(v) for c in ("source_url", "note") if c in releases for v in releases[c].tolist()
    )
    return any(w in text.upper() for w in ("ILLUSTRATIVE", "SYNTHETIC", "示例"))


def release_label(name: str, lang: Lang = "zh") -> str:
    """A release's name in ``lang``: from the label table for the releases the nowcast uses,
    else (Chinese) as the vocabulary describes it (``规上工业总产值 增速 %``), else the code."""
    if f"release_{name}" in TEXT:
        return tr(f"release_{name}", lang)

    parts = split_indicator(name)
    if parts is None or lang == "en":
        return name
    base, suffix = parts
    desc = vocabulary()[base][1]
    if not re.match(r"^[^\x00-\x7f]", desc):  # no Chinese name in the vocabulary
        return name
    real = tr("release_real", lang) if base.endswith("_real") else ""
    tail = {"_growth_pct": "release_growth_pct", "_pct": "release_pct"}.get(suffix)
    return desc.split(" ")[0] + real + (tr(tail, lang) if tail else "")
