"""Excel workbooks of the tracking and uncertainty pages, with the dashboard's conventions
(:mod:`simulation.frontends.export`): sheet names and headers in the page's language,
numbers as numbers (亿元 at current prices, percent where the header says so), a settings
sheet with the provenance, and the file named after the city, the scenario and the year.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from ..analyses.tracking import Tracking
from ..io.excel import frames_to_xlsx
from ..labels import Lang, param_label, tr
from .export import export_name


def _style(ws: Any) -> None:
    ws.freeze_panes = "A2"
    for col in ws.columns:
        width = max(len(str(col[0].value or "")) * 2, 10)
        ws.column_dimensions[col[0].column_letter].width = min(width, 40)


def _settings(rows: list[tuple[str, Any]], lang: Lang) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[tr("col_setting", lang), tr("col_setting_value", lang)])


def tracking_name(params: Any, scenario: str, lang: Lang) -> str:
    return export_name(params, f"{scenario}_{tr('x_tracking', lang)}", "xlsx", lang)


def tracking_workbook(tk: Tracking, params: Any, lang: Lang = "zh") -> bytes:
    """The tracking page as a workbook: status, nowcast, news, required path, monthly paths,
    settings (the same figures as ``track --format json``)."""
    d = tk.to_dict()
    q = d.get("forecast_quantiles") or {}
    p = d.get("probability") or {}
    status = []
    for name, st in d["status"].items():
        band = q.get(name, {})
        status.append(
            {
                tr("indicator", lang): tr(name, lang),
                tr("x_through_month", lang): st.get("through_month"),
                tr("x_actual", lang): st.get("actual"),
                tr("x_seasonal_pace", lang): st.get("seasonal_pace"),
                tr("x_calendar_pace", lang): st.get("calendar_pace"),
                tr("col_target", lang): st.get("target"),
                "p5": band.get("p5"),
                "p50": band.get("p50"),
                "p95": band.get("p95"),
                tr("x_probability_pct", lang): None if name not in p else 100 * p[name],
            }
        )
    news = [
        {
            tr("col_period", lang): n["period"],
            tr("col_release", lang): n["indicator"],
            tr("col_release_value", lang): n["value"],
            tr("col_role", lang): tr(
                "p_news_as_driver" if n["as"] == "driver" else "p_news_as_obs", lang
            ),  # fmt: skip
            tr("p_news_forecast", lang, ind=tr("gdp", lang)): n["gdp_forecast_change_100m_cny"],
            tr("p_news_forecast", lang, ind=tr("industrial_output", lang)): n[
                "industrial_output_forecast_change_100m_cny"
            ],
            tr("p_news_probability", lang): n["both_probability_change_pts"],
        }
        for n in d.get("news") or []
    ]
    required = []
    for name, req in (d.get("required_path") or {}).items():
        if not req:
            continue
        for i, m in enumerate(req["months"]):
            required.append(
                {
                    tr("indicator", lang): tr(name, lang),
                    tr("col_month", lang): m,
                    "50%": req["p50"]["monthly_100m_cny"][i],
                    "80%": req["p80"]["monthly_100m_cny"][i],
                    tr("forecast", lang): req["nowcast_monthly_100m_cny"][i],
                }
            )
    prov = [
        ("city", f"{params.city.name_zh} ({params.city.name_en})"),
        ("scenario", tk.scenario),
        ("year", tk.year),
        ("illustrative", d["illustrative"]),
        ("rows_left_out", ", ".join(str(r) for r in d["rows_left_out"]["rows"])),
        ("probability_both_pct", None if "both" not in p else 100 * p["both"]),
    ]
    frames = {
        tr("x_sheet_status", lang): pd.DataFrame(status),
        tr("x_sheet_news", lang): pd.DataFrame(news),
        tr("x_sheet_required", lang): pd.DataFrame(required),
        tr("sheet_monthly", lang): tk.monthly,
        tr("sheet_settings", lang): _settings(prov, lang),
    }
    return frames_to_xlsx(frames, index=False, style=_style)


def uncertainty_name(params: Any, scenario: str, lang: Lang) -> str:
    return export_name(params, f"{scenario}_{tr('x_uncertainty', lang)}", "xlsx", lang)


def uncertainty_workbook(
    mc: Any,
    tornado: pd.DataFrame | None,
    sobol: pd.DataFrame | None,
    path: pd.DataFrame | None,
    lang: Lang = "zh",
    label: Callable[[str], str] | None = None,
) -> bytes:
    """The uncertainty page as a workbook: probabilities and quantiles, the monthly bands,
    the tornado, the Sobol indices and the goal seek's path where they were run, settings.
    ``label`` names a parameter path in ``lang`` (default: the schema's label)."""
    prob = mc.probability()
    quant = mc.quantiles()
    head = [
        {
            tr("indicator", lang): tr(name, lang),
            tr("x_probability_pct", lang): 100 * prob[name],
            **{k: v for k, v in quant.get(name, {}).items()},
        }
        for name in ("gdp", "industrial_output")
    ]
    head.append({tr("indicator", lang): tr("x_both", lang),
                 tr("x_probability_pct", lang): 100 * prob["both"]})  # fmt: skip
    bands = []
    for name, key in (("gdp", "gdp_100m_cny"), ("industrial_output",
                                                 "gross_industrial_output_100m_cny")):  # fmt: skip
        for month, r in mc.monthly_band(key).iterrows():
            bands.append({tr("indicator", lang): tr(name, lang), tr("col_month", lang): month,
                          **r.to_dict()})  # fmt: skip
    frames = {
        tr("x_sheet_probability", lang): pd.DataFrame(head),
        tr("x_sheet_bands", lang): pd.DataFrame(bands),
    }
    if tornado is not None and len(tornado):
        t = tornado.copy()
        if "parameter" in t:
            name = label or (lambda x: param_label(x, lang))
            t.insert(0, tr("x_parameter", lang), [name(x) for x in t["parameter"]])
        frames[tr("x_sheet_tornado", lang)] = t
    if sobol is not None and len(sobol):
        frames[tr("x_sheet_sobol", lang)] = sobol.reset_index()
    if path is not None and len(path):
        frames[tr("x_sheet_goal", lang)] = path.reset_index()
    d = mc.to_dict()
    prov = [
        ("scenario", d["scenario"]),
        ("draws", d["draws"]),
        ("seed", d["seed"]),
        ("sampler", d["sampler"]),
        ("uncertainty_source", d.get("uncertainty_source")),
        ("inputs_hash", (d.get("provenance") or {}).get("inputs_hash")),
        ("package_version", (d.get("provenance") or {}).get("package_version")),
        ("created_utc", (d.get("provenance") or {}).get("created_utc")),
    ]
    frames[tr("sheet_settings", lang)] = _settings(prov, lang)
    return frames_to_xlsx(frames, index=False, style=_style)
