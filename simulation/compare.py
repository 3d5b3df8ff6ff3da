"""Compare the scenarios of a batch run: ranking, annual bars, paths, heat map, Excel.

Reads what ``python -m simulation batch`` wrote (``results.parquet``, ``points.json``,
``batch.json``); monthly paths are recomputed from the points (deterministic, so the same
numbers the batch produced). Used by ``notebooks/compare_scenarios.ipynb``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from . import report
from .batch import Point, write_atomic_bytes
from .labels import Lang, tr
from .result import Result, simulate
from .scenario import load_scenario


def demo_run(folder: str | Path | None = None) -> Path:
    """Run the shipped ``four_campaigns`` batch in process into ``folder`` (a new
    temporary folder by default), so that the comparison has something to show."""
    import tempfile

    from .batch import load_batch
    from .batch_run import run_batch
    from .scenario import PARAMS_DIR

    out = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="four_campaigns_"))
    batch = load_batch(PARAMS_DIR / "batches" / "four_campaigns.yaml")
    run_batch(batch, out, engine="inprocess", progress=False)
    return out


def load_run(batch_dir: str | Path) -> tuple[pd.DataFrame, list[Point], dict]:
    """Results table, points and run metadata of a batch folder."""
    d = Path(batch_dir)
    if not (d / "results.parquet").is_file():
        raise FileNotFoundError(
            f"{d}: no results.parquet; run `python -m simulation batch BATCH.yaml --out {d}`"
        )
    df = pd.read_parquet(d / "results.parquet")
    points = [Point(**p) for p in json.loads((d / "points.json").read_text(encoding="utf-8"))]
    meta = json.loads((d / "batch.json").read_text(encoding="utf-8"))
    return df, points, meta


def changes(df: pd.DataFrame) -> pd.Series:
    """What each point sets, as one short text (``industry=strong, …``)."""
    sets = [c for c in df.columns if c.startswith("set:")]

    def one(row) -> str:
        parts = []
        for c in sets:
            v = row[c]
            if v is None or (isinstance(v, float) and np.isnan(v)):
                continue
            name = c[4:].split(".")[-1]
            parts.append(f"{name}={v:g}" if isinstance(v, float) else f"{name}={v}")
        return ", ".join(parts) or row.get("scenario", "")

    return df.apply(one, axis=1)


def ranking(df: pd.DataFrame, lang: Lang = "zh") -> pd.DataFrame:
    """Scenarios ranked: by the number of targets met, then by the summed gap (亿元)."""
    ok = df[df["status"] == "ok"].copy()
    ok["_met"] = ok["gdp_met"].astype(int) + ok["industrial_output_met"].astype(int)
    ok["_gap"] = ok["gdp_gap_100m_cny"] + ok["industrial_output_gap_100m_cny"]
    ok = ok.sort_values(["_met", "_gap"], ascending=[False, False], kind="stable")
    out = pd.DataFrame(
        {
            "id": ok["id"],
            tr("col_setting", lang): changes(ok),
            tr("gdp_100m_cny", lang): ok["gdp_100m_cny"].round(1),
            f"{tr('gdp', lang)} {tr('col_gap', lang)}": ok["gdp_gap_100m_cny"].round(1),
            tr("gross_industrial_output_100m_cny", lang): ok[
                "gross_industrial_output_100m_cny"
            ].round(1),
            f"{tr('industrial_output', lang)} {tr('col_gap', lang)}": ok[
                "industrial_output_gap_100m_cny"
            ].round(1),
            tr("both", lang): ok["both_met"].map({True: "✔", False: "✘"}),
            tr("gdp_real_growth_pct", lang): ok["gdp_real_growth_pct"].round(2),
            tr("fai_100m_cny", lang): ok["fai_100m_cny"].round(1),
        }
    )
    if "p_both" in ok:
        out[f"{tr('probability', lang)} ({tr('both', lang)})"] = ok["p_both"].round(3)
    return out.reset_index(drop=True)


def targets_of(df: pd.DataFrame) -> dict[str, float]:
    """The targets of a results table (value − gap), by value column; 0 = no target.

    Raises
    ------
    ValueError
        When the table's scenarios have different targets (one line cannot show them).
    """
    ok = df[df["status"] == "ok"]
    out = {}
    for k, gap in (
        ("gdp_100m_cny", "gdp_gap_100m_cny"),
        ("gross_industrial_output_100m_cny", "industrial_output_gap_100m_cny"),
    ):
        t = (ok[k] - ok[gap]).round(6).unique()
        if len(t) > 1:
            raise ValueError(f"the scenarios have different {k} targets: {sorted(t)}")
        out[k] = float(t[0]) if len(t) else 0.0
    return out


def plot_annual(df: pd.DataFrame, lang: Lang | None = None):
    """Annual GDP and output of every scenario against the targets (a line each, if set)."""
    import matplotlib.pyplot as plt

    lang = lang or report.setup_fonts()
    ok = df[df["status"] == "ok"]
    y = np.arange(len(ok))
    fig, ax = plt.subplots(figsize=(10, 0.35 * len(ok) + 1.5))
    ax.barh(y - 0.2, ok["gdp_100m_cny"], 0.4, label=tr("gdp", lang), color="#1f5aa6")
    ax.barh(
        y + 0.2,
        ok["gross_industrial_output_100m_cny"],
        0.4,
        label=tr("industrial_output", lang),
        color="#9aa3ad",
    )
    targets = targets_of(df)
    for (k, t), style in zip(targets.items(), ("-", "--"), strict=True):
        if t > 0:
            what = tr("gdp" if k.startswith("gdp") else "industrial_output", lang)
            ax.axvline(
                t, color="#c0392b", lw=1.5, ls=style, label=f"{tr('target_line', lang)} {what}"
            )
    lo = min(ok["gdp_100m_cny"].min(), ok["gross_industrial_output_100m_cny"].min())
    hi = max(
        [*targets.values(), ok[["gdp_100m_cny", "gross_industrial_output_100m_cny"]].max().max()]
    )
    pad = 0.02 * hi
    ax.set_xlim(lo - 3 * pad, hi + 2 * pad)
    ax.set_yticks(y, ok["id"])
    ax.invert_yaxis()
    ax.set_xlabel(tr("unit_100m", lang))
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def point_results(
    points: list[Point], ids: list[str], params_dir: str | Path | None
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


def plot_heatmaps(
    tables: dict[str, pd.DataFrame],
    lang: Lang | None = None,
    targets: dict[str, float] | None = None,
):
    """Heat maps of the grid with each cell's value.

    With ``targets`` (from :func:`targets_of`), colours are centred on the target and cells
    at or above it are in bold; without, colours span the values.
    """
    import matplotlib.pyplot as plt

    lang = lang or report.setup_fonts()
    targets = targets or {}
    fig, axes = plt.subplots(1, len(tables), figsize=(6 * len(tables), 4.5))
    for ax, (k, t) in zip(np.atleast_1d(axes), tables.items(), strict=True):
        v_all = t.to_numpy()
        target = targets.get(k, 0.0)
        centre = target if target > 0 else float(np.nanmedian(v_all))
        half = max(float(np.nanmax(np.abs(v_all - centre))), 1e-9)
        im = ax.imshow(v_all, cmap="RdYlGn", vmin=centre - half, vmax=centre + half, aspect="auto")
        for (i, j), v in np.ndenumerate(t.to_numpy()):
            ax.text(
                j,
                i,
                f"{v:.0f}",
                ha="center",
                va="center",
                fontsize=8,
                fontweight="bold" if 0 < target <= v else "normal",
            )
        ax.set_xticks(range(t.shape[1]), [f"{c:g}" for c in t.columns])
        ax.set_yticks(range(t.shape[0]), [f"{r:g}" for r in t.index])
        ax.set_xlabel(t.columns.name[4:])
        ax.set_ylabel(t.index.name[4:])
        ax.set_title(tr(k, lang))
        fig.colorbar(im, ax=ax, shrink=0.8)
    fig.tight_layout()
    return fig


def paths_table(results: dict[str, Result], lang: Lang = "zh") -> pd.DataFrame:
    """Monthly cumulative GDP and output of each chosen point (亿元), long format."""
    rows = []
    for i, res in results.items():
        t = res.arrays["t"]
        sel = (t >= 0) & (t < 12)
        gdp = np.cumsum(res.arrays["gdp_100m_cny"][0, sel])
        gio = np.cumsum(res.arrays["gross_industrial_output_100m_cny"][0, sel])
        for m in range(12):
            rows.append(
                {
                    "id": i,
                    tr("col_month", lang): m + 1,
                    f"{tr('gdp', lang)}（累计，亿元）": round(float(gdp[m]), 2),
                    f"{tr('industrial_output', lang)}（累计，亿元）": round(float(gio[m]), 2),
                }
            )
    return pd.DataFrame(rows)


def export_excel(views: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """One sheet per view (Chinese sheet names and headers, units in the headers),
    written atomically."""
    from .excel import frames_to_xlsx, named_index

    path = Path(path)
    write_atomic_bytes(path, frames_to_xlsx(views, index=named_index))
    return path
