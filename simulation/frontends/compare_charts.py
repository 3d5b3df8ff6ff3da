"""The comparison page's charts (matplotlib): each scenario's annual values against the
targets, and the heat maps of a two-parameter grid. The numbers come from
:mod:`simulation.frontends.compare`."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..labels import Lang, tr
from . import figures as report
from .compare import TARGET_COLUMNS, axis_label, targets_of


def plot_annual(df: pd.DataFrame, lang: Lang | None = None, names: Mapping[str, str] | None = None):
    """Annual GDP and output of every scenario against the targets (a line each, if set),
    a pair of dots per row of ``df`` in its order, labelled by ``names`` (else ids)."""
    import matplotlib.pyplot as plt

    lang = lang or report.setup_fonts()
    names = names or {}
    ok = df[df["status"] == "ok"]
    y = np.arange(len(ok))
    fig, ax = plt.subplots(figsize=(11, 0.38 * len(ok) + 1.6))
    # dots, not bars: the axis starts near the values (a bar from a cut axis would overstate
    # the gaps between scenarios); a thin line joins a scenario's two values
    ax.hlines(y, ok["gdp_100m_cny"], ok["gross_industrial_output_100m_cny"], color="#d5dae0", lw=2)
    ax.plot(ok["gdp_100m_cny"], y, "o", ms=8, label=tr("gdp", lang), color="#1f5aa6")
    ax.plot(
        ok["gross_industrial_output_100m_cny"],
        y,
        "D",
        ms=7,
        label=tr("industrial_output", lang),
        color="#9aa3ad",
    )
    try:
        targets = targets_of(df)
    except ValueError:  # points with different targets: no single line to draw
        targets = {k: 0.0 for k, _, _ in TARGET_COLUMNS}
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
    ax.set_ylim(len(ok) - 0.5, -0.5)  # the first row on top
    ax.set_yticks(y, [textwrap.fill(names.get(str(i), str(i)), 48) for i in ok["id"]], fontsize=8)
    ax.set_xlabel(tr("unit_100m", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    ax.grid(axis="both", alpha=0.3)
    fig.tight_layout()
    return fig


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
        ax.set_xlabel(axis_label(str(t.columns.name), lang))
        ax.set_ylabel(axis_label(str(t.index.name), lang))
        ax.set_title(tr(k, lang))
        fig.colorbar(im, ax=ax, shrink=0.8)
    fig.tight_layout()
    return fig
