"""Compare the scenarios of a batch run: names, ranking, decision, charts, Excel.

Reads what ``python -m simulation batch`` wrote (``results.parquet``, ``points.json``,
``batch.json``); monthly paths are recomputed from the points (deterministic, so the same
numbers the batch produced). No widgets here: :mod:`simulation.ui.compare_page` shows it
(``notebooks/compare_scenarios.ipynb``).

Each point is described once, without language (:func:`describe`: its campaign levels and
what else it sets beyond the batch's base scenario); every table and sentence is then
rendered in Chinese or English from :mod:`simulation.labels`. The ranking puts the
combinations that reach both targets first, the cheapest of them (fewest strong
campaigns) on top; when none does, the closest comes first (:func:`ranked`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..analyses.batch.spec import Point
from ..analyses.result import Result, simulate
from ..economy import schema
from ..io.atomic import write_bytes
from ..io.errors import ScenarioError
from ..io.layering import load_scenario
from ..io.paths import flatten
from ..io.yamlfile import read_yaml
from ..labels import Lang, context, param_label, shock_label, tr, unit_label

#: Value and gap columns of the two targets in a results table.
TARGET_COLUMNS = (
    ("gdp_100m_cny", "gdp_gap_100m_cny", "gdp_met"),
    ("gross_industrial_output_100m_cny", "industrial_output_gap_100m_cny", "industrial_output_met"),
)
LEVELS = ("plan", "weak", "strong")
#: Units whose values the app shows as percentages (as the dashboard's sliders do).
PERCENT_UNITS = ("share", "per year")
#: Verdicts of :func:`ranked` (label keys ``c_v_<verdict>``).
VERDICTS = ("cheapest", "reached", "closest", "highest")


def demo_run(folder: str | Path | None = None) -> Path:
    """Run the shipped ``four_campaigns`` batch in process.

    Parameters
    ----------
    folder : path, optional
        Output folder (a new temporary folder by default).

    Returns
    -------
    Path
        The batch folder, ready for :func:`load_run`.
    """
    import tempfile

    from ..analyses.batch.run import run_batch
    from ..analyses.batch.spec import load_batch

    out = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="four_campaigns_"))
    batch = load_batch("four_campaigns")
    run_batch(batch, out, engine="inprocess", progress=False)
    return out


def load_run(batch_dir: str | Path) -> tuple[pd.DataFrame, list[Point], dict[str, Any]]:
    """Results table, points and run metadata of a batch folder.

    Raises
    ------
    FileNotFoundError
        When the folder holds no ``results.parquet`` (the message says how to make one).
    """
    d = Path(batch_dir)
    if not (d / "results.parquet").is_file():
        raise FileNotFoundError(
            f"{d}: no results.parquet; run `python -m simulation batch BATCH.yaml --out {d}`"
        )
    df = pd.read_parquet(d / "results.parquet")
    points = [Point(**p) for p in json.loads((d / "points.json").read_text(encoding="utf-8"))]
    meta = json.loads((d / "batch.json").read_text(encoding="utf-8"))
    return df, points, meta


def _batch_record(meta: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The run's batch (``description``, ``base``) as ``batch.json`` records it; for a
    folder written before it did, the batch file it names, if still readable."""
    if "base" in meta:
        return meta
    path = Path(str(meta.get("batch", "")))
    if path.suffix in (".yaml", ".yml") and path.is_file():
        try:
            return read_yaml(path)
        except ScenarioError:
            return None
    return None


def batch_label(meta: Mapping[str, Any], lang: Lang = "zh") -> str:
    """The batch as a planner knows it: its ``description`` in ``lang`` (the part before
    `` — `` in Chinese, after it in English), else its name."""
    desc = str((_batch_record(meta) or {}).get("description") or "")
    if " — " in desc:
        zh, en = desc.split(" — ", 1)
        return (zh if lang == "zh" else en).strip()
    return desc.strip() or str(meta.get("name") or Path(str(meta.get("batch", ""))).stem)


# --- what each point sets ----------------------------------------------------------------
@dataclass(frozen=True)
class PointInfo:
    """What one point of a batch sets, without language.

    Attributes
    ----------
    id : str
        The point's id (``g0001``, ``plan``, ...).
    levels : dict
        Campaign → ``"plan"``, ``"weak"`` or ``"strong"`` as the point runs it (its
        scenario's level unless it overrides it); None when the scenario cannot be read.
    settings : dict
        Dotted path → value of everything the point sets beyond the batch's base scenario
        (its scenario's own settings, then its overrides), campaigns first.
    """

    id: str
    levels: dict[str, str | None]
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def n_strong(self) -> int:
        """Number of campaigns at ``strong`` (the cost of the combination)."""
        return sum(v == "strong" for v in self.levels.values())

    @property
    def extras(self) -> dict[str, Any]:
        """Settings other than the campaign levels."""
        return {k: v for k, v in self.settings.items() if not k.startswith("campaigns.")}


def _missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _plain(v: Any) -> Any:
    """A value from a results table as a Python scalar (numpy types unwrapped)."""
    return v.item() if isinstance(v, np.generic) else v


def overrides_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """The overrides a results-table row records (its ``set:<path>`` columns)."""
    return {
        k[4:]: _plain(v)
        for k, v in row.items()
        if isinstance(k, str) and k.startswith("set:") and not _missing(v)
    }


def base_scenario(df: pd.DataFrame, meta: Mapping[str, Any] | None = None) -> str:
    """The scenario every point of the batch builds on.

    The batch's ``base`` as ``batch.json`` records it (or, for an older run folder, as the
    batch file it names says), else the scenario most points run.
    """
    record = _batch_record(meta or {})
    if record is not None:
        return str(record.get("base") or "baseline")
    if "scenario" in df and len(df):
        return str(df["scenario"].mode().iloc[0])
    return "baseline"


def _ordered(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Campaigns first (schema order), then the rest as given."""
    camps = [f"campaigns.{c}" for c in schema.CAMPAIGNS if f"campaigns.{c}" in settings]
    return {k: settings[k] for k in (*camps, *(k for k in settings if k not in camps))}


def describe(
    df: pd.DataFrame,
    params_dir: str | Path | None = None,
    base: str | None = None,
) -> dict[str, PointInfo]:
    """What every point of a results table sets, by id.

    Each distinct scenario is loaded once: its campaign levels, the settings its own files
    make beyond ``base`` (files the base scenario does not read) and the base's own
    settings it does not share; the point's overrides (``set:`` columns) come on top.

    Parameters
    ----------
    df : DataFrame
        A results table (:func:`load_run`).
    params_dir : path, optional
        The parameter folder the batch ran with.
    base : str, optional
        The batch's base scenario (default: :func:`base_scenario`).

    Returns
    -------
    dict
        Point id → :class:`PointInfo`, in table order.
    """
    base = base or base_scenario(df)
    try:
        base_sc = load_scenario(base, None, params_dir)
    except ScenarioError:
        base_sc = None  # no base to tell settings from: show the levels only
    base_files = set(base_sc.files) if base_sc is not None else set()
    base_values = flatten(base_sc.params.model_dump()) if base_sc is not None else {}
    by_scenario: dict[str, tuple[dict[str, str | None], dict[str, Any]]] = {}
    for name in dict.fromkeys(df.get("scenario", pd.Series(dtype=str)).astype(str)):
        try:
            sc = load_scenario(name, None, params_dir)
        except ScenarioError:  # the page still shows the point; its levels are unknown
            by_scenario[name] = ({c: None for c in schema.CAMPAIGNS}, {"scenario": name})
            continue
        values = flatten(sc.params.model_dump())
        own: dict[str, Any] = {}
        if base_sc is not None:
            files = set(sc.files)
            # what its own files set, and what the base's files set that it does not read
            own = {p: values[p] for p, src in sc.origin.items() if src not in base_files}
            own.update(
                {
                    p: values[p]
                    for p, src in base_sc.origin.items()
                    if src not in files and p in values and values[p] != base_values.get(p)
                }
            )
            own = {p: v for p, v in own.items() if p in values}
        levels: dict[str, str | None] = {
            c: getattr(sc.params.campaigns, c) for c in schema.CAMPAIGNS
        }
        by_scenario[name] = (levels, own)
    out = {}
    for row in df.to_dict("records"):
        levels, own = by_scenario.get(str(row.get("scenario", base)), ({}, {}))
        sets = overrides_of(row)
        lv = dict(levels)
        for c in schema.CAMPAIGNS:
            if f"campaigns.{c}" in sets:
                lv[c] = str(sets[f"campaigns.{c}"])
        out[str(row["id"])] = PointInfo(str(row["id"]), lv, _ordered({**own, **sets}))
    return out


# --- names and settings in a language ----------------------------------------------------
def level_label(level: str | None, lang: Lang = "zh") -> str:
    """A campaign level in ``lang``, short (``发力`` / ``strong``; "unknown" for None)."""
    return tr(f"c_level_{level}", lang) if level in LEVELS else tr("c_unknown", lang)


def combination_name(levels: Mapping[str, str | None], lang: Lang = "zh") -> str:
    """The campaign combination in short form: ``工业发力·招商按计划·投资偏弱·环境按计划``
    (``Industry strong · Attraction plan · ...`` in English)."""
    return tr("c_combo_sep", lang).join(
        tr(
            "c_combo_part",
            lang,
            campaign=tr(f"c_short_{c}", lang),
            level=level_label(levels.get(c), lang),
        )
        for c in schema.CAMPAIGNS
    )


def _number(v: Any) -> str:
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float):
        return f"{v:g}"
    return str(v)


@functools.cache
def default_shocks() -> dict[str, Any]:
    """The shocks of the repository's parameters (their labels name a shock when no
    other parameter folder's shocks are given)."""
    try:
        return dict(load_scenario("base").params.shocks)
    except ScenarioError:
        return {}


def setting_text(
    path: str, value: Any, lang: Lang = "zh", shocks: Mapping[str, Any] | None = None
) -> str:
    """One setting in ``lang``: ``工业突围战：发力``, ``年度签约额（亿元/年）：3000``,
    ``省外疫情供应链中断：启用``.

    Parameters
    ----------
    path : str
        Dotted parameter path (``"scenario"`` for a scenario that could not be read).
    value
        Its value.
    lang : {"zh", "en"}
    shocks : mapping, optional
        The parameters' shocks (name → shock), for their labels (default:
        :func:`default_shocks`).
    """
    if path == "scenario":
        return tr("c_setting", lang, name=tr("scenario", lang), value=value)
    if path.startswith("campaigns."):
        c = path.split(".", 1)[1]
        name = tr(f"campaign_{c}", lang) if c in schema.CAMPAIGNS else path
        val = level_label(value, lang) if value in LEVELS else str(value)
        return tr("c_setting", lang, name=name, value=val)
    if path.startswith("shocks."):
        parts = path.split(".")
        shock = (shocks if shocks is not None else default_shocks()).get(parts[1])
        name = shock_label(shock, parts[1], lang) if shock is not None else ".".join(parts[1:2])
        if parts[-1] != "enabled":
            name = f"{name} {'.'.join(parts[2:])}"
    else:
        meta = schema.numeric_paths().get(path)
        if meta is not None:
            unit = meta["unit"]
            name = tr("with_unit", lang, label=param_label(path, lang), unit=unit_label(unit, lang))
            if unit in PERCENT_UNITS and isinstance(value, int | float):
                return tr("c_setting", lang, name=name, value=f"{value:.1%}")
        else:
            name = path
    if isinstance(value, bool):
        return tr("c_setting", lang, name=name, value=tr("c_on" if value else "c_off", lang))
    return tr("c_setting", lang, name=name, value=_number(value))


def settings_text(
    info: PointInfo, lang: Lang = "zh", shocks: Mapping[str, Any] | None = None
) -> str:
    """Everything a point runs: all four campaign levels, then its other settings."""
    parts = [
        setting_text(f"campaigns.{c}", info.levels.get(c), lang, shocks) for c in schema.CAMPAIGNS
    ]
    parts += [setting_text(p, v, lang, shocks) for p, v in info.extras.items()]
    return tr("c_settings_sep", lang).join(parts)


def point_names(
    infos: Mapping[str, PointInfo],
    lang: Lang = "zh",
    shocks: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """Row names by point id: the campaign combination, then the point's other settings.

    When every point runs the same campaigns and sets something else, the campaigns are
    left out (the other settings tell the rows apart); a name two points share gets the
    point id in brackets.
    """
    combos = {i: combination_name(p.levels, lang) for i, p in infos.items()}
    vary = len(set(combos.values())) > 1
    out = {}
    for i, p in infos.items():
        extras = [setting_text(k, v, lang, shocks) for k, v in p.extras.items()]
        if not extras:
            out[i] = combos[i]
        elif vary:
            out[i] = combos[i] + tr("c_extra_sep", lang) + tr("c_settings_sep", lang).join(extras)
        else:
            out[i] = tr("c_settings_sep", lang).join(extras)
    counts = pd.Series(list(out.values())).value_counts()
    return {i: f"{n} ({i})" if counts[n] > 1 else n for i, n in out.items()}


# --- ranking and the decision ------------------------------------------------------------
def targets_of(df: pd.DataFrame) -> dict[str, float]:
    """The targets of a results table (value − gap), by value column; 0 = no target.

    Raises
    ------
    ValueError
        When the table's scenarios have different targets (one line cannot show them).
    """
    ok = df[df["status"] == "ok"]
    out = {}
    for k, gap, _ in TARGET_COLUMNS:
        t = (ok[k] - ok[gap]).round(6).unique()
        if len(t) > 1:
            raise ValueError(f"the scenarios have different {k} targets: {sorted(t)}")
        out[k] = float(t[0]) if len(t) else 0.0
    return out


def _targeted(ok: pd.DataFrame) -> list[tuple[str, str, str]]:
    """The target columns of a table with a target set (value − gap > 0) in some row."""
    return [(v, g, m) for v, g, m in TARGET_COLUMNS if len(ok) and bool((ok[v] - ok[g] > 0).any())]


def ranked(df: pd.DataFrame, infos: Mapping[str, PointInfo] | None = None) -> pd.DataFrame:
    """The scenarios that ran, in decision order, with what the order rests on.

    Order: the rows that reach both targets first, fewest strong campaigns first, then the
    highest chance of reaching both (if the batch drew), then the widest margin; then the
    others by targets reached, chance, the smaller worst shortfall and the summed gap. With
    no target set, by GDP.

    Parameters
    ----------
    df : DataFrame
        A results table.
    infos : mapping, optional
        :func:`describe` of the table (default: described with the repository's
        parameters).

    Returns
    -------
    DataFrame
        The ``ok`` rows, reordered, with ``n_strong``, ``n_met``, ``reach`` (both targets),
        ``worst_gap_100m_cny`` (the smaller targeted gap, 亿元) and ``verdict`` (one of
        :data:`VERDICTS` or ``""``): ``cheapest`` for the first row that reaches both,
        ``reached`` for the others that do, ``closest`` for the first row when none does,
        ``highest`` for the first row when no target is set.
    """
    infos = infos if infos is not None else describe(df)
    ok = df[df["status"] == "ok"].copy()
    targeted = _targeted(ok)
    ok["n_strong"] = [infos[str(i)].n_strong if str(i) in infos else 0 for i in ok["id"]]
    p = ok["p_both"].astype(float).fillna(0.0) if "p_both" in ok else pd.Series(0.0, ok.index)
    if targeted:
        ok["n_met"] = sum(ok[m].astype(bool).astype(int) for _, _, m in targeted)
        ok["reach"] = ok["n_met"] == len(targeted)
        gaps = ok[[g for _, g, _ in targeted]]
        ok["worst_gap_100m_cny"] = gaps.min(axis=1)
        keys = pd.DataFrame(
            {
                "reach": ~ok["reach"],
                "cost": ok["n_strong"].where(ok["reach"], 0),
                "met": -ok["n_met"],
                "p": -p,
                "worst": -ok["worst_gap_100m_cny"],
                "sum": -gaps.sum(axis=1),
            },
            index=ok.index,
        )
    else:
        ok["n_met"] = 0
        ok["reach"] = False
        ok["worst_gap_100m_cny"] = np.nan
        keys = pd.DataFrame({"gdp": -ok["gdp_100m_cny"]}, index=ok.index)
    order = keys.sort_values(list(keys.columns), kind="stable").index
    ok = ok.loc[order].reset_index(drop=True)
    verdict = pd.Series("", index=ok.index, dtype=object)
    if len(ok):
        if not targeted:
            verdict.iloc[0] = "highest"
        elif ok["reach"].any():
            verdict[ok["reach"]] = "reached"
            verdict.iloc[0] = "cheapest"
        else:
            verdict.iloc[0] = "closest"
    ok["verdict"] = verdict
    return ok


def ranking(
    df: pd.DataFrame,
    lang: Lang = "zh",
    infos: Mapping[str, PointInfo] | None = None,
    shocks: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """The ranking as shown and exported: one row per scenario in decision order
    (:func:`ranked`), headers in ``lang``, money in 亿元 rounded to 0.1.

    Columns: combination, point id, verdict, strong campaigns, both reached, the chance of
    both (%, when the batch drew), GDP and its gap, industrial output and its gap, GDP
    real growth, fixed-asset investment, and every setting of the row.
    """
    infos = infos if infos is not None else describe(df)
    r = ranked(df, infos)
    names = point_names(infos, lang, shocks)
    ids = r["id"].astype(str)
    out = pd.DataFrame(
        {
            tr("c_col_name", lang): ids.map(names),
            tr("c_col_id", lang): ids,
            tr("c_col_verdict", lang): r["verdict"].map(
                lambda v: tr(f"c_v_{v}", lang) if v else ""
            ),
            tr("c_col_strong", lang): r["n_strong"].astype(int),
            tr("c_col_both", lang): r["both_met"].map(
                lambda b: f"✔ {tr('yes', lang)}" if b else f"✘ {tr('no', lang)}"
            ),
        }
    )
    if "p_both" in r and r["p_both"].notna().any():
        out[tr("c_col_p_both", lang)] = (r["p_both"].astype(float) * 100).round(1)
    out[tr("gdp_100m_cny", lang)] = r["gdp_100m_cny"].round(1)
    out[tr("c_col_gdp_gap", lang)] = r["gdp_gap_100m_cny"].round(1)
    out[tr("gross_industrial_output_100m_cny", lang)] = r["gross_industrial_output_100m_cny"].round(
        1
    )
    out[tr("c_col_gio_gap", lang)] = r["industrial_output_gap_100m_cny"].round(1)
    out[tr("gdp_real_growth_pct", lang)] = r["gdp_real_growth_pct"].round(2)
    out[tr("fai_100m_cny", lang)] = r["fai_100m_cny"].round(1)
    out[tr("col_setting", lang)] = ids.map(lambda i: settings_text(infos[i], lang, shocks))
    return out


def decision(ranked_df: pd.DataFrame, names: Mapping[str, str], lang: Lang = "zh") -> str:
    """The sentence the page leads with: how many combinations reach both targets and the
    cheapest of them, or that none does and which comes closest.

    Parameters
    ----------
    ranked_df : DataFrame
        :func:`ranked`.
    names : mapping
        Point id → row name (:func:`point_names`).
    lang : {"zh", "en"}
    """
    if not len(ranked_df):
        return tr("c_decision_empty", lang)
    top = ranked_df.iloc[0]
    name = names.get(str(top["id"]), str(top["id"]))
    p = ""
    if "p_both" in ranked_df and not _missing(top["p_both"]):
        p = tr("c_decision_p", lang, p=float(top["p_both"]))
    if top["verdict"] == "highest":
        return tr("c_decision_untargeted", lang, name=name, gdp=float(top["gdp_100m_cny"]))
    n = len(ranked_df)
    if top["verdict"] == "cheapest":
        return tr(
            "c_decision_some",
            lang,
            n=n,
            k=int(ranked_df["reach"].sum()),
            name=name,
            strong=int(top["n_strong"]),
            gdp=float(top["gdp_100m_cny"]),
            gio=float(top["gross_industrial_output_100m_cny"]),
            p=p,
        )
    text = tr(
        "c_decision_none",
        lang,
        n=n,
        name=name,
        gdp_gap=float(top["gdp_gap_100m_cny"]),
        gio_gap=float(top["industrial_output_gap_100m_cny"]),
        p=p,
    )
    if len(_targeted(ranked_df)) == len(TARGET_COLUMNS):
        text += tr(
            "c_decision_alone",
            lang,
            kg=int(ranked_df["gdp_met"].astype(bool).sum()),
            ko=int(ranked_df["industrial_output_met"].astype(bool).sum()),
        )
    return text


def changes(df: pd.DataFrame) -> pd.Series:
    """What each point overrides, as one short technical text (``industry=strong, …``)."""
    sets = [c for c in df.columns if c.startswith("set:")]

    def one(row: pd.Series) -> str:
        parts = []
        for c in sets:
            v = row[c]
            if _missing(v):
                continue
            name = c[4:].split(".")[-1]
            parts.append(f"{name}={v:g}" if isinstance(v, float) else f"{name}={v}")
        return ", ".join(parts) or row.get("scenario", "")

    return df.apply(one, axis=1)


# --- what the charts and tables show ------------------------------------------------------
def point_results(
    points: Sequence[Point], ids: Sequence[str], params_dir: str | Path | None
) -> dict[str, Result]:
    """Deterministic results of the chosen points (recomputed, same numbers as the batch)."""
    by_id = {p.id: p for p in points}
    out = {}
    for i in ids:
        p = by_id[i]
        out[i] = simulate(load_scenario(p.scenario, p.overrides, params_dir))
    return out


def grid_axes(df: pd.DataFrame) -> tuple[str, str] | None:
    """The two numeric parameters of a 2-D grid batch, or None."""
    grid = df[df.get("kind", pd.Series(dtype=str)) == "grid"]
    sets = [
        c
        for c in grid.columns
        if c.startswith("set:") and pd.api.types.is_numeric_dtype(grid[c]) and grid[c].nunique() > 1
    ]
    return (sets[0], sets[1]) if len(sets) == 2 else None


def heatmap_tables(df: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Pivot tables of annual GDP and output over a 2-D grid (亿元); empty if not a grid."""
    axes = grid_axes(df)
    if axes is None:
        return {}
    ok = df[(df["status"] == "ok") & (df["kind"] == "grid")]
    return {
        k: ok.pivot_table(index=axes[0], columns=axes[1], values=k)
        for k in ("gdp_100m_cny", "gross_industrial_output_100m_cny")
    }


def axis_label(column: str, lang: Lang = "zh") -> str:
    """A ``set:<path>`` column as a parameter label with its unit in ``lang``."""
    path = column.removeprefix("set:")
    meta = schema.numeric_paths().get(path)
    if meta is None:
        return path
    return tr("with_unit", lang, label=param_label(path, lang), unit=unit_label(meta["unit"], lang))


# --- tables for Excel --------------------------------------------------------------------
def paths_table(
    results: Mapping[str, Result],
    lang: Lang = "zh",
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Monthly cumulative GDP and output of each chosen point (亿元), long format."""
    rows = []
    for i, res in results.items():
        t = res.arrays["t"]
        sel = (t >= 0) & (t < 12)
        gdp = np.cumsum(res.arrays["gdp_100m_cny"][0, sel])
        gio = np.cumsum(res.arrays["gross_industrial_output_100m_cny"][0, sel])
        for m in range(12):
            row: dict[str, Any] = {tr("c_col_id", lang): i}
            if names is not None:
                row[tr("c_col_name", lang)] = names.get(i, i)
            row[tr("col_month", lang)] = m + 1
            row[tr("chart_path_gdp", lang)] = round(float(gdp[m]), 2)
            row[tr("chart_path_gio", lang)] = round(float(gio[m]), 2)
            rows.append(row)
    return pd.DataFrame(rows)


def annual_table(
    ranked_df: pd.DataFrame, names: Mapping[str, str], lang: Lang = "zh"
) -> pd.DataFrame:
    """Annual values and gaps of every scenario (亿元, unrounded), in ranking order."""
    ids = ranked_df["id"].astype(str)
    return pd.DataFrame(
        {
            tr("c_col_name", lang): ids.map(lambda i: names.get(i, i)),
            tr("c_col_id", lang): ids,
            tr("gdp_100m_cny", lang): ranked_df["gdp_100m_cny"],
            tr("gross_industrial_output_100m_cny", lang): ranked_df[
                "gross_industrial_output_100m_cny"
            ],
            tr("c_col_gdp_gap", lang): ranked_df["gdp_gap_100m_cny"],
            tr("c_col_gio_gap", lang): ranked_df["industrial_output_gap_100m_cny"],
        }
    )


def heatmap_frames(
    tables: Mapping[str, pd.DataFrame], lang: Lang = "zh"
) -> dict[str, pd.DataFrame]:
    """Heat-map pivots as sheets: sheet name and axis names in ``lang``."""
    out = {}
    for k, t in tables.items():
        t = t.copy()
        t.index.name = axis_label(str(t.index.name), lang)
        t.columns.name = axis_label(str(t.columns.name), lang)
        out[tr("c_sheet_heat_gdp" if k.startswith("gdp") else "c_sheet_heat_gio", lang)] = t
    return out


def excel_name(params: Any, lang: Lang = "zh") -> str:
    """File name of the comparison workbook in ``lang``: ``荆州_情景对比_2022.xlsx``
    (``Jingzhou_scenario_comparison_2022.xlsx``); characters a file system refuses
    (``/\\:*?"<>|``) become ``_``."""
    ctx = context(params, lang)
    name = tr("c_file", lang, city=ctx["city"], plan_year=ctx["plan_year"]) + ".xlsx"
    return "".join("_" if c in '/\\:*?"<>|' else c for c in name)


def excel_bytes(views: Mapping[str, pd.DataFrame]) -> bytes:
    """The workbook of ``views``: one sheet per view (index written when it is named),
    numbers as numbers, no formulas (:func:`simulation.excel.frames_to_xlsx`)."""
    from ..io.excel import frames_to_xlsx, named_index

    return frames_to_xlsx(dict(views), index=named_index)


def export_excel(views: Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Write :func:`excel_bytes` of ``views`` to ``path`` atomically; return the path."""
    path = Path(path)
    write_bytes(path, excel_bytes(views))
    return path
