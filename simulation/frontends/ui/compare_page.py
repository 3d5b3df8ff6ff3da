"""The comparison page (``notebooks/compare_scenarios.ipynb``): which combination of the
four campaigns reaches the targets, and the cheapest one that does.

The numbers, names and sentences come from :mod:`simulation.frontends.compare` (no widgets there);
this module lays them out, switches the language and builds the Excel download in the
browser. Rows are named by their campaign combination (``工业发力·招商按计划·…``), sorted
so that the combinations reaching both targets come first and the cheapest of them
(fewest strong campaigns) on top, with every setting of the row in full.

Test hooks (CSS classes): ``sim-compare`` (the page), ``sim-compare-title``,
``sim-compare-intro``, ``sim-compare-status``, ``sim-compare-decision``,
``sim-compare-table`` (rows ``tr[data-id]``, classed ``reached``, ``cheapest`` or
``closest``; cells ``td.name`` and ``td.settings``), ``sim-compare-excel``,
``sim-compare-excel-link``, ``sim-compare-annual``, ``sim-compare-paths``,
``sim-compare-heatmap``, ``sim-language``; ``sim-compare-lang-zh`` / ``sim-compare-lang-en``
on the page once all of it (charts included) is in that language.
"""

from __future__ import annotations

import base64
import html
import io
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from ...io.errors import ScenarioError
from ...io.layering import load_scenario
from ...labels import Lang, context, tr
from .. import compare, compare_charts
from .. import figures as report
from .common import CSS, environment_settings, language_toggle

PAGE_CSS = """
<style>
.sim-compare .sim-sub { max-width: 1100px; }
.sim-compare-status { color: #555; font-size: 13px; }
.sim-compare-decision { font-size: 16px; color: #1f3b63; background: #f6f8fb;
  border-left: 6px solid #1f5aa6; padding: 8px 12px; margin: 6px 0; max-width: 1100px; }
.sim-compare-table, .sim-compare-table .widget-html-content { width: 100%; }
.sim-compare-table .widget-html-content { overflow-x: auto; }
.sim-compare-table table { border-collapse: collapse; font-size: 13px; width: 100%; }
.sim-compare-table th { background: #eef2f7; white-space: normal; vertical-align: bottom;
  font-weight: 600; padding: 4px 6px; text-align: right; min-width: 4em; }
.sim-compare-table td { border-bottom: 1px solid #dde3ea; padding: 3px 6px;
  text-align: right; vertical-align: top; white-space: nowrap; }
.sim-compare-table td.name, .sim-compare-table td.text { text-align: left; }
.sim-compare-table td.text { white-space: normal; overflow-wrap: anywhere; min-width: 4em; }
.sim-compare-table td.name { font-weight: 600; white-space: normal; min-width: 170px;
  word-break: keep-all; }
.sim-compare-table th .unit { white-space: nowrap; }
.sim-compare-table td.settings { text-align: left; white-space: normal; min-width: 200px;
  color: #444; font-size: 12px; }
.sim-compare-table tr.reached { background: #eef8f1; }
.sim-compare-table tr.cheapest { background: #d7f0de; box-shadow: inset 6px 0 #2e8b57; }
.sim-compare-table tr.closest { background: #fdf3e1; box-shadow: inset 6px 0 #e08a1e; }
.sim-compare-table .yes { color: #2e8b57; } .sim-compare-table .no { color: #c0392b; }
.sim-compare img { max-width: 100%; }
</style>
"""
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Paths drawn when the page is not told which: the first point and the top of the ranking.
TOP_PATHS = 3


def _png(fig: Any) -> str:
    """A matplotlib figure as an ``<img>`` (PNG inline; the figure is closed)."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return f'<img src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">'


def _unbroken_units(header: str) -> str:
    """A header as HTML whose bracketed unit (``（亿元）``, ``(%)``) is never split."""
    return re.sub(r"([（(][^（）()]*[）)])", r'<span class="unit">\1</span>', html.escape(header))


class ComparePage:
    """The comparison page of one batch run.

    Parameters
    ----------
    batch_dir : path
        Output folder of ``python -m simulation batch``.
    params_dir : path, optional
        Parameter folder the batch ran with (default: the repository's).
    lang : {"zh", "en"}
        Language shown first.
    show : sequence of str
        Ids of the points whose monthly paths to draw (default: the first point and the
        top three of the ranking).
    excel : str
        File name of a copy of the workbook written into ``batch_dir`` on the server
        (empty: none; the page's download button works either way).

    Attributes
    ----------
    widget : ipywidgets.VBox
        The whole page; display it.
    ranked : DataFrame
        :func:`simulation.frontends.compare.ranked` of the batch (decision order).
    """

    def __init__(
        self,
        batch_dir: str | Path,
        params_dir: str | Path | None = None,
        lang: Lang = "zh",
        show: Sequence[str] = (),
        excel: str = "",
    ):
        self.batch_dir = Path(batch_dir)
        self.params_dir = Path(params_dir) if params_dir else None
        self.lang: Lang = lang
        self.df, self.points, self.meta = compare.load_run(self.batch_dir)
        base = compare.base_scenario(self.df, self.meta)
        try:
            self.params: Any = load_scenario(base, None, self.params_dir).params
        except ScenarioError:
            self.params = None  # neutral wording; the rows still show
        self.shocks = dict(self.params.shocks) if self.params is not None else {}
        self.infos = compare.describe(self.df, self.params_dir, base)
        self.ranked = compare.ranked(self.df, self.infos)
        try:
            self.targets = compare.targets_of(self.df)
        except ValueError:  # points with different targets: no single target line
            self.targets = {}
        first = self.points[0].id if self.points else None
        ids = (
            list(show)
            or [
                i
                for i in dict.fromkeys([first, *self.ranked["id"].astype(str)])
                if i is not None and i in set(self.ranked["id"].astype(str))
            ][: TOP_PATHS + 1]
        )
        self.results = compare.point_results(self.points, ids, self.params_dir)
        self.heat = compare.heatmap_tables(self.df)
        self._cjk = report.setup_fonts() == "zh"
        self._charts: dict[Lang, dict[str, str]] = {}
        self._server_note: str | None = None  # label key of a server-side failure

        self.title = w.HTML()
        self.title.add_class("sim-compare-title")
        self.language = language_toggle(lang)
        self.intro = w.HTML()
        self.intro.add_class("sim-compare-intro")
        self.status = w.HTML()
        self.status.add_class("sim-compare-status")
        self.decision = w.HTML()
        self.decision.add_class("sim-compare-decision")
        self.table = w.HTML(layout=w.Layout(width="100%"))
        self.table.add_class("sim-compare-table")
        self.excel = w.Button(icon="file-excel")
        self.excel.add_class("sim-compare-excel")
        self.excel_link = w.HTML()
        self.excel_link.add_class("sim-compare-excel-link")
        self.annual = w.HTML()
        self.annual.add_class("sim-compare-annual")
        self.paths = w.HTML()
        self.paths.add_class("sim-compare-paths")
        self.heatmap = w.HTML()
        self.heatmap.add_class("sim-compare-heatmap")
        self.heads = {k: w.HTML() for k in ("c_h_ranking", "c_h_annual", "c_h_paths", "c_h_heat")}

        self.language.observe(self._on_language, names="value")
        self.excel.on_click(lambda _: self.make_download())
        self.widget = w.VBox(
            [
                w.HTML(CSS + PAGE_CSS),
                w.HBox(
                    [self.title, self.language],
                    layout=w.Layout(justify_content="space-between", align_items="center"),
                ),
                self.intro,
                self.status,
                self.decision,
                self.heads["c_h_ranking"],
                self.table,
                w.HBox([self.excel, self.excel_link], layout=w.Layout(align_items="center")),
                self.heads["c_h_annual"],
                self.annual,
                self.heads["c_h_paths"],
                self.paths,
                self.heads["c_h_heat"],
                self.heatmap,
            ],
            layout=w.Layout(padding="8px"),
        )
        self.widget.add_class("sim-app")
        self.widget.add_class("sim-compare")
        if excel:
            self.write_excel(self.batch_dir / excel)
        self._show()

    @classmethod
    def from_environment(
        cls, batch_dir: str | Path = "", show: Sequence[str] = (), excel: str = ""
    ) -> ComparePage:
        """The page configured by ``SIM_PARAMS_DIR``, ``SIM_LANG`` and ``SIM_BATCH_DIR``
        (all optional; without a batch folder the shipped ``four_campaigns`` batch is run
        into a temporary folder)."""
        batch_dir = batch_dir or os.environ.get("SIM_BATCH_DIR", "") or compare.demo_run()
        return cls(batch_dir, show=show, excel=excel, **environment_settings())

    # --- what the page shows, in a language --------------------------------------------
    def names(self, lang: Lang | None = None) -> dict[str, str]:
        """Row names by point id in ``lang`` (default: the page's)."""
        return compare.point_names(self.infos, lang or self.lang, self.shocks)

    def ranking(self, lang: Lang | None = None) -> pd.DataFrame:
        """The ranking table as shown and exported, in ``lang`` (default: the page's)."""
        return compare.ranking(self.df, lang or self.lang, self.infos, self.shocks)

    def decision_text(self, lang: Lang | None = None) -> str:
        """The sentence the page leads with, in ``lang`` (default: the page's)."""
        lang = lang or self.lang
        return compare.decision(self.ranked, self.names(lang), lang)

    def views(self, lang: Lang | None = None) -> dict[str, pd.DataFrame]:
        """The workbook's sheets in ``lang``: ranking, annual values, monthly paths, heat
        maps (a 2-D grid only) and an about sheet (batch, targets, the decision)."""
        lang = lang or self.lang
        names = self.names(lang)
        views = {
            tr("c_sheet_ranking", lang): self.ranking(lang),
            tr("c_sheet_annual", lang): compare.annual_table(self.ranked, names, lang),
            tr("c_sheet_paths", lang): compare.paths_table(self.results, lang, names),
        }
        views.update(compare.heatmap_frames(self.heat, lang))
        meta = self.meta
        about = [
            (tr("c_about_batch", lang), compare.batch_label(meta, lang)),
            (tr("c_about_digest", lang), meta.get("digest", "")),
            (tr("c_about_created", lang), meta.get("created_utc", "")),
            (tr("draws", lang), int(meta.get("draws") or 0)),
            (tr("seed", lang), meta.get("seed", "")),
            (tr("c_about_target_gdp", lang), self.targets.get("gdp_100m_cny", 0.0)),
            (
                tr("c_about_target_gio", lang),
                self.targets.get("gross_industrial_output_100m_cny", 0.0),
            ),
            (tr("c_col_verdict", lang), self.decision_text(lang)),
        ]
        views[tr("c_sheet_about", lang)] = pd.DataFrame(
            about, columns=[tr("c_col_item", lang), tr("c_col_content", lang)]
        )
        return views

    def excel_name(self, lang: Lang | None = None) -> str:
        """File name of the workbook in ``lang`` (``荆州_情景对比_2022.xlsx``)."""
        return compare.excel_name(self.params, lang or self.lang)

    def excel_bytes(self, lang: Lang | None = None) -> bytes:
        """The workbook in ``lang`` (:func:`simulation.io.excel.frames_to_xlsx`)."""
        return compare.excel_bytes(self.views(lang))

    def make_download(self) -> None:
        """Put a download link to the workbook, in the page's language, next to the button
        (a ``data:`` URI: nothing is written on the server)."""
        name = self.excel_name()
        b64 = base64.b64encode(self.excel_bytes()).decode()
        self.excel_link.value = (
            f'<a download="{html.escape(name)}" href="data:{XLSX_MIME};base64,{b64}">'
            f"{html.escape(tr('excel_ready', self.lang))} {html.escape(name)}</a>"
        )

    def write_excel(self, path: str | Path) -> Path | None:
        """Write the workbook (page's language) to ``path`` on the server.

        A failure is said in the status line (without the server's folders), not raised:
        the download still works. Success is not shown: a visitor cannot reach the
        server's folder.
        """
        path = Path(path)
        try:
            compare.export_excel(self.views(), path)
        except OSError:
            self._server_note = "c_write_failed"
            return None
        self._server_note = None
        return path

    # --- showing -----------------------------------------------------------------------
    def _on_language(self, change: dict[str, Any]) -> None:
        self.lang = change["new"]
        self.excel_link.value = ""  # the next workbook is made in the new language
        self._show()

    def _status_html(self) -> str:
        lang, df, meta = self.lang, self.df, self.meta
        failed = df[df["status"] != "ok"]
        draws = int(meta.get("draws") or 0)
        parts = [
            tr(
                "c_status",
                lang,
                batch=compare.batch_label(meta, lang),
                n=len(df),
                failed=len(failed),
                draws=tr("c_draws", lang, n=draws) if draws else tr("c_no_draws", lang),
                digest=meta.get("digest", ""),
            )
        ]
        g = self.targets.get("gdp_100m_cny", 0.0)
        o = self.targets.get("gross_industrial_output_100m_cny", 0.0)
        if g > 0 or o > 0:
            parts.append(tr("c_targets", lang, gdp=g, gio=o))
        if len(failed):
            parts.append(tr("c_failed_ids", lang, ids=", ".join(failed["id"].astype(str))))
        if self._server_note is not None:
            parts.append(tr(self._server_note, lang))
        return "<br>".join(html.escape(p) for p in parts)

    def _table_html(self, table: pd.DataFrame) -> str:
        lang = self.lang
        name_col, id_col = tr("c_col_name", lang), tr("c_col_id", lang)
        settings_col, both_col = tr("col_setting", lang), tr("c_col_both", lang)
        verdict_col = tr("c_col_verdict", lang)
        two = {tr("gdp_real_growth_pct", lang)}
        head = "".join(f"<th>{_unbroken_units(str(c))}</th>" for c in table.columns)
        sep = html.escape(tr("c_combo_sep", lang))
        rows = []
        for (_, r), verdict in zip(table.iterrows(), self.ranked["verdict"], strict=True):
            cells = []
            for c, v in r.items():
                if c == name_col:  # lines break between campaigns, not inside a word
                    text = html.escape(str(v)).replace(sep, f"{sep}<wbr>")
                    cells.append(f'<td class="name">{text}</td>')
                elif c == settings_col:
                    cells.append(f'<td class="settings">{html.escape(str(v))}</td>')
                elif c == both_col:
                    cls = "yes" if str(v).startswith("✔") else "no"
                    cells.append(
                        f'<td class="text"><span class="{cls}">{html.escape(v)}</span></td>'
                    )
                elif c in (id_col, verdict_col):
                    cells.append(f'<td class="text">{html.escape(str(v))}</td>')
                elif isinstance(v, float):
                    text = "–" if v != v else f"{v:,.{2 if c in two else 1}f}"
                    cells.append(f"<td>{text}</td>")
                else:
                    cells.append(f"<td>{html.escape(str(v))}</td>")
            rows.append(
                f'<tr class="{verdict}" data-id="{html.escape(str(r[id_col]))}">'
                + "".join(cells)
                + "</tr>"
            )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"

    def _chart_html(self) -> dict[str, str]:
        """The three charts in the page's language (English when no CJK font is
        installed), drawn once per language."""
        lang: Lang = self.lang if self._cjk else "en"
        if lang not in self._charts:
            names = self.names(lang)
            order = self.df.set_index(self.df["id"].astype(str)).loc[self.ranked["id"].astype(str)]
            charts = {"annual": "", "paths": "", "heat": ""}
            if len(order):
                charts["annual"] = _png(
                    compare_charts.plot_annual(order.reset_index(drop=True), lang, names)
                )
            if self.results:
                keyed = {names.get(i, i): res for i, res in self.results.items()}
                charts["paths"] = _png(report.plot_paths(keyed, None, lang))
            if self.heat:
                charts["heat"] = _png(compare_charts.plot_heatmaps(self.heat, lang, self.targets))
            self._charts[lang] = charts
        return self._charts[lang]

    def _show(self) -> None:
        lang = self.lang
        ctx = context(self.params, lang)
        self.title.value = f"<h1>{html.escape(tr('c_title', lang, **ctx))}</h1>"
        self.intro.value = f"<div class='sim-sub'>{html.escape(tr('c_intro', lang))}</div>"
        self.status.value = self._status_html()
        self.decision.value = html.escape(self.decision_text())
        for k, h in self.heads.items():
            h.value = f"<div class='sim-panel-title'>{html.escape(tr(k, lang))}</div>"
        self.table.value = self._table_html(self.ranking())
        self.excel.description = tr("excel", lang)
        self.excel.tooltip = tr("excel", lang)
        if not self.heat:
            self.heatmap.value = f"<div class='sim-sub'>{html.escape(tr('c_no_heat', lang))}</div>"
        charts = self._chart_html()  # the slow part (matplotlib), after every word
        self.annual.value = charts["annual"]
        self.paths.value = charts["paths"]
        if self.heat:
            self.heatmap.value = charts["heat"]
        for other in ("zh", "en"):
            self.widget.remove_class(f"sim-compare-lang-{other}")
        self.widget.add_class(f"sim-compare-lang-{lang}")  # all of the page is in ``lang``
