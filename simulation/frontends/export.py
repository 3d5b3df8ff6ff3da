"""Excel workbooks of results, with Chinese headers (openpyxl).

One workbook per result: annual results, monthly results, targets, contributions, the
scenario's settings and provenance, and a sheet explaining every column (header, field
name, English). Numbers are written as numbers (亿元, current prices unless the header
says the base year's prices), never as text. :func:`export_name` names the file after the
city, the scenario and the plan year.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import pandas as pd

from ..analyses.result import Result
from ..io.atomic import write_bytes
from ..io.excel import frames_to_xlsx
from ..labels import Lang, column_label, context, tr


def export_name(params: Any, scenario: str, suffix: str, lang: Lang = "zh") -> str:
    """File name of an export: ``{city}_{scenario}_{plan year}.{suffix}``, the city's name
    in ``lang`` (the scenario as shown in that language; spaces become ``_``).

    Characters a file system refuses (``/\\:*?"<>|``) become ``_``.
    """
    year = int(params.calendar.base_year) + 1
    city = params.city.name_zh if lang == "zh" else params.city.name_en
    name = f"{city}_{scenario}_{year}.{suffix}".replace(" ", "_")
    return "".join("_" if c in '/\\:*?"<>|' else c for c in name)


def _frame_with_labels(df: pd.DataFrame, lang: Lang, ctx: dict) -> pd.DataFrame:
    names = {"year": tr("col_year", lang), "month": tr("col_month", lang)}
    names["months"] = tr("col_months", lang)
    return df.rename(columns={c: names.get(c, column_label(c, lang, **ctx)) for c in df.columns})


def workbook_frames(res: Result, lang: Lang = "zh") -> dict[str, pd.DataFrame]:
    """The sheets of the workbook as frames, keyed by sheet name (in ``lang``)."""
    params = res.scenario.params
    ctx = context(params, lang)
    annual = res.annual()
    monthly = res.monthly()
    targets = pd.DataFrame(
        [
            {
                tr("indicator", lang): tr(name, lang),
                tr("col_target", lang): rec["target_100m_cny"],
                tr("col_value", lang): rec["value_100m_cny"],
                tr("col_gap", lang): rec["gap_100m_cny"],
                tr("col_met", lang): tr("yes" if rec["met"] else "no", lang),
            }
            for name, rec in res.targets().items()
        ]
    )
    contrib = []
    for ind in ("gdp", "industrial_output"):
        for r in res.contributions(ind).to_dict("records"):
            contrib.append(
                {
                    tr("indicator", lang): tr(ind, lang),
                    tr("col_mechanism", lang): tr(f"mech_{r['mechanism']}", lang, **ctx),
                    tr("col_change", lang): r["change_100m_cny"],
                    tr("col_contribution_pct", lang): r["contribution_pct"],
                    tr("col_pull_pts", lang): r["pull_pts"],
                }
            )
    prov = res.provenance
    settings: list[tuple[str, Any]] = [
        ("city", f"{params.city.name_zh} ({params.city.name_en})"),
        ("base_year", params.calendar.base_year),
        ("scenario", res.scenario.name),
        ("description", res.scenario.description),
        ("files", ", ".join(res.scenario.files)),
        ("inputs_hash", prov.get("inputs_hash")),
        ("package_version", prov.get("package_version")),
        ("created_utc", prov.get("created_utc")),
        ("seed", prov.get("seed")),
        ("n_draws", prov.get("n_draws")),
    ]
    settings += [
        (f"override: {k}", json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v)
        for k, v in res.scenario.overrides.items()
    ]
    fields = [
        {
            tr("col_key", lang): column_label(c, lang, **ctx),
            "field": c,
            "English": column_label(c, "en", **context(params, "en")),
        }
        for c in annual.columns.union(monthly.columns, sort=False)
        if c not in ("year", "month", "months", "draw")
    ]
    return {
        tr("sheet_annual", lang): _frame_with_labels(annual, lang, ctx),
        tr("sheet_monthly", lang): _frame_with_labels(monthly, lang, ctx),
        tr("sheet_targets", lang): targets,
        tr("sheet_contrib", lang): pd.DataFrame(contrib),
        tr("sheet_settings", lang): pd.DataFrame(
            settings, columns=[tr("col_setting", lang), tr("col_setting_value", lang)]
        ),
        tr("sheet_fields", lang): pd.DataFrame(fields),
    }


def write_excel(res: Result, target: str | Path | IO[bytes] | None = None, lang: Lang = "zh"):
    """Write the result as an ``.xlsx`` workbook.

    Parameters
    ----------
    res : Result
    target : path or binary file, optional
        Where to write; a path is written atomically (temporary file, then rename).
        Without one, the workbook's bytes are returned.
    lang : {"zh", "en"}
        Language of sheet names and headers (Chinese by default).

    Returns
    -------
    bytes or None
    """

    def style(ws) -> None:
        ws.freeze_panes = "A2"
        for col in ws.columns:
            width = max(len(str(col[0].value or "")) * 2, 10)
            ws.column_dimensions[col[0].column_letter].width = min(width, 40)

    data = frames_to_xlsx(workbook_frames(res, lang), index=False, style=style)
    if target is None:
        return data
    if isinstance(target, str | Path):
        write_bytes(target, data)
    else:
        target.write(data)
    return None
