"""Static figures and tables for executed notebooks (papermill records, comparisons).

matplotlib, so that an executed notebook keeps its pictures as PNG without a browser.
Chinese labels need a CJK font: :func:`setup_fonts` registers one if the machine has it
(Debian ``fonts-wqy-microhei`` or ``fonts-noto-cjk``) and otherwise falls back to English
labels rather than drawing empty boxes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import font_manager

from ..analyses import summary
from ..analyses.result import Result
from ..labels import Lang, column_label, context, tr

CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "SimHei")
CJK_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)


def setup_fonts() -> Lang:
    """Use a CJK font if one is installed; return the language figures should use."""
    for f in CJK_FILES:
        try:
            font_manager.fontManager.addfont(f)
        except (OSError, RuntimeError):
            continue
    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in names:
            plt.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
            plt.rcParams["axes.unicode_minus"] = False
            return "zh"
    return "en"


def headline_table(res: Result, mc=None, lang: Lang = "zh") -> pd.DataFrame:
    """GDP and output against the target: value, gap, reached, real growth (and P)."""
    head = summary.headline(res)
    rows = []
    for name, rec in head.items():
        row = {
            tr("indicator", lang): tr(name, lang),
            tr("col_value", lang): round(rec["value_100m_cny"], 1),
            tr("col_target", lang): rec["target_100m_cny"],
            tr("col_gap", lang): round(rec["gap_100m_cny"], 1),
            tr("col_met", lang): tr("yes" if rec["met"] else "no", lang),
            tr("real_growth", lang) + " (%)": round(rec["real_growth_pct"], 2),
        }
        if mc is not None:
            row[tr("probability", lang)] = f"{mc.probability()[name]:.1%}"
        rows.append(row)
    return pd.DataFrame(rows)


def plot_paths(results: Mapping[str, Result], mc=None, lang: Lang | None = None) -> plt.Figure:
    """Cumulative GDP and output through the plan year for one or several results, with
    the target, the calendar pace and the seasonal pace (亿元)."""
    lang = lang or setup_fonts()
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    m = np.arange(1, 13)
    first = next(iter(results.values()))
    for ax, ind in zip(axes, ("gdp", "industrial_output"), strict=True):
        ref = summary.cumulative_path(first, ind)
        if ref.target > 0:  # without a target: no target line, no paces
            ax.axhline(ref.target, color="#c0392b", lw=1, label=tr("target", lang))
            ax.plot(m, ref.calendar_pace, "--", color="#e08a1e", label=tr("calendar_pace", lang))
            ax.plot(m, ref.seasonal_pace, ":", color="#2e8b57", label=tr("seasonal_pace", lang))
        if mc is not None:
            b = mc.monthly_band(summary.INDICATORS[ind][0], (5, 95))
            ax.fill_between(
                m, b["p5"], b["p95"], color="#9ec1ea", alpha=0.6, label=tr("band_90", lang)
            )
        for name, res in results.items():
            ax.plot(
                m, summary.cumulative_path(res, ind).cumulative, lw=2, marker="o", ms=3, label=name
            )
        ax.set_title(tr("chart_path_gdp" if ind == "gdp" else "chart_path_gio", lang))
        ax.set_xlabel(tr("month", lang))
        ax.set_xticks(m)
        ax.grid(alpha=0.3)
    # one legend under both charts: the scenarios' names are long (a legend inside an axis
    # covered the lines and ran into the other chart)
    handles, labels = axes[0].get_legend_handles_labels()
    labels = [textwrap.fill(lb, 75) for lb in labels]
    rows = sum(lb.count("\n") + 1 for lb in labels) // 2 + 1  # two columns
    legend_in = 0.2 * rows + 0.2
    fig.set_size_inches(12, 4.2 + legend_in)
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, legend_in / (4.2 + legend_in), 1, 1))
    return fig


def plot_contributions(res: Result, lang: Lang | None = None) -> plt.Figure:
    """Change of GDP and output over the base year by mechanism (亿元), as waterfalls."""
    lang = lang or setup_fonts()
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    for ax, ind in zip(axes, ("gdp", "industrial_output"), strict=True):
        wf = summary.waterfall(res, ind)
        colors = [
            "#1f5aa6" if k == "total" else "#2e8b57" if k == "up" else "#c0392b" for k in wf.kind
        ]
        ax.bar(range(len(wf.names)), wf.height, bottom=wf.bottom, color=colors)
        lo = min(wf.change[0], wf.change[-1], wf.bottom[1:-1].min())
        hi = (wf.bottom + wf.height).max()
        ax.set_ylim(lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo))
        ax.set_xticks(
            range(len(wf.names)),
            [tr(f"mech_{n}", lang, **context(res.scenario.params, lang)) for n in wf.names],
            rotation=30,
            ha="right",
        )
        for i, (v, k) in enumerate(zip(wf.change, wf.kind, strict=True)):
            ax.text(
                i,
                (wf.bottom + wf.height)[i],
                f"{v:,.0f}" if k == "total" else f"{v:+.1f}",
                ha="center",
                va="bottom",
                fontsize=8,
            )
        key = "chart_waterfall_gdp" if ind == "gdp" else "chart_waterfall_gio"
        ax.set_title(tr(key, lang, **context(res.scenario.params, lang)))
        ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def annual_table(res: Result, lang: Lang = "zh", keys: Sequence[str] | None = None) -> pd.DataFrame:
    """Annual values of the main series, one column per year, labelled (亿元, %)."""
    keys = keys or summary.TABLE_KEYS
    a = res.annual().set_index("year")[list(keys)].T
    a.index = [column_label(k, lang, **context(res.scenario.params, lang)) for k in a.index]
    return a.round(2)
