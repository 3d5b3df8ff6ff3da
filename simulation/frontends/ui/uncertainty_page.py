"""The uncertainty page (``notebooks/uncertainty.ipynb``): fan charts, the probability of
the targets, a tornado, Sobol indices and a goal-seek panel.

Built like the dashboard: widgets from the schema and the label table, numbers from
:mod:`simulation.analyses.montecarlo`, :mod:`simulation.analyses.sensitivity` and
:mod:`simulation.analyses.goalseek`. Test hooks: ``sim-u-scenario``, ``sim-u-draws``,
``sim-u-seed``, ``sim-u-probability``, ``sim-u-basis``, ``sim-u-quantiles``, ``sim-u-fan-gdp``,
``sim-u-fan-industrial-output``, ``sim-u-tornado``, ``sim-u-sobol-run``, ``sim-u-sobol``,
``sim-u-lever``, ``sim-u-target``, ``sim-u-use-probability``, ``sim-u-probability-goal``,
``sim-u-solve``, ``sim-u-answer``, ``sim-u-path``, ``sim-u-excel``, ``sim-u-excel-link``,
``sim-language``.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import bqplot as bq
import ipywidgets as w
import numpy as np
import pandas as pd

from ...analyses import summary
from ...analyses.goalseek import Solution, required_path, solve, solved_scenario
from ...analyses.montecarlo import DEFAULT_SEED, MonteCarlo, monte_carlo
from ...analyses.result import simulate
from ...analyses.sensitivity import sobol, tornado
from ...economy import schema
from ...io.errors import ScenarioError
from ...io.layering import PARAMS_DIR, list_scenarios, load_scenario
from ...labels import (
    TEXT,
    Lang,
    column_label,
    context,
    param_label,
    scenario_label,
    shock_label,
    tr,
    unit_label,
)
from .charts import BAND, BLUE, MONTHS, RED, band_lines, figure, month_axis
from .common import CSS, environment_settings, language_toggle
from .render import excel_link_html

PAGE_CSS = """
<style>
.sim-bars td { padding: 2px 6px; font-size: 13px; white-space: nowrap; }
.sim-bar { display: inline-block; height: 12px; vertical-align: middle; }
.sim-bar.lo { background: #c0392b; } .sim-bar.hi { background: #2e8b57; }
.sim-bar.p { background: #1f5aa6; } .sim-bar.s1 { background: #1f5aa6; }
.sim-bar.st { background: #9ec1ea; }
.sim-gauge td { font-size: 15px; padding: 3px 8px; }
</style>
"""
#: What the Sobol indices can be computed for (label rows ``u_out_<output>``).
SOBOL_OUTPUTS = ("both_met", "gdp", "industrial_output", "gdp_met", "industrial_output_met")


def _label(path: str, lang: Lang, params: Any) -> str:
    """A drawn parameter's name in ``lang``: a shock's, the schema's, or for a base-year
    value the schema leaves unnamed, the indicator's in the base year."""
    if path.startswith("shocks."):
        name = path.split(".")[1]
        colon = "：" if lang == "zh" else ": "
        return f"{tr('shocks', lang)}{colon}{shock_label(params.shocks[name], name, lang)}"
    label = param_label(path, lang)
    section, _, name = path.partition(".")
    short = name.removesuffix("_100m_cny")
    if label == path and section == "base_year" and (short in TEXT or name in TEXT):
        year = tr("base_year_label", lang, base_year=params.calendar.base_year)
        return f"{year} {column_label(short if short in TEXT else name, lang)}"
    return label


class FanChart:
    """Percentiles over the Monte Carlo draws of one indicator's cumulative growth on the
    same months of the base year (%), against the growth the target needs: on a growth
    axis the fan is readable (on 0-3000亿 it was a sliver)."""

    def __init__(self, indicator: str):
        self.indicator = indicator
        xs, ys = bq.LinearScale(min=0.5, max=12.5), bq.LinearScale()
        self.ys = ys
        sc = {"x": xs, "y": ys}
        self.outer = band_lines(sc, BAND, 0.35)
        self.inner = band_lines(sc, BLUE, 0.35)
        self.median = bq.Lines(x=MONTHS, y=np.zeros(12), scales=sc, colors=[BLUE], stroke_width=3)
        self.target = bq.Lines(x=[0.5, 12.5], y=[0, 0], scales=sc, colors=[RED])
        marks = [self.outer, self.inner, self.median, self.target]
        for m in marks:
            m.display_legend = True
        self.x_axis = month_axis(xs)
        self.figure = figure(marks, [self.x_axis, bq.Axis(scale=ys, side="left")])
        self.figure.add_class(f"sim-u-fan-{indicator.replace('_', '-')}")

    def update(self, mc: MonteCarlo) -> None:
        q = mc.monthly_band(summary.INDICATORS[self.indicator][0], (5, 25, 50, 75, 95))
        path = summary.cumulative_path(mc.result, self.indicator)
        grow = path.growth_pct
        target = 100.0 * (path.target / path.base_cumulative[-1] - 1.0)
        outer = grow(q[["p5", "p95"]].to_numpy().T)
        lo, hi = float(outer.min()), float(outer.max())
        if path.target > 0:
            lo, hi = min(lo, target), max(hi, target)
        pad = max(hi - lo, 2.0) * 0.12
        with self.figure.hold_sync():
            self.ys.min, self.ys.max = lo - pad, hi + 7 * pad  # room for the 4-line legend
            self.outer.y = outer
            self.inner.y = grow(q[["p25", "p75"]].to_numpy().T)
            self.median.y = grow(q["p50"].to_numpy())
            self.target.y = [target, target]
            self.target.visible = self.target.display_legend = path.target > 0

    def relabel(self, lang: Lang) -> None:
        with self.figure.hold_sync():
            self.figure.title = tr("fan_gdp" if self.indicator == "gdp" else "fan_gio", lang)
            self.x_axis.label = tr("month", lang)
            self.outer.labels = [tr("band_90", lang), ""]
            self.inner.labels = [tr("band_50", lang), ""]
            self.median.labels = [tr("median", lang)]
            self.target.labels = [tr("target_growth", lang)]


class UncertaintyPage:
    """The uncertainty page.

    Parameters
    ----------
    params_dir : path, optional
    scenario : str
        The scenario shown first: the dashboard's first one (``baseline``) by default; a
        name the folder lacks falls back to it (else to the first scenario).
    lang : {"zh", "en"}
    """

    def __init__(
        self, params_dir: str | Path | None = None, scenario: str = "baseline", lang: Lang = "zh"
    ):
        self.params_dir = Path(params_dir) if params_dir else PARAMS_DIR
        self.lang: Lang = lang
        self._scenarios = dict(list_scenarios(self.params_dir))
        names = list(self._scenarios)
        if scenario not in names:
            scenario = "baseline" if "baseline" in names else names[0]
        self.language = language_toggle(lang)
        self._syncing = False
        self.picker = w.Dropdown(options=self._scenario_options(), value=scenario)
        self.picker.add_class("sim-u-scenario")
        self.draws = w.IntSlider(value=1000, min=100, max=10000, step=100, continuous_update=False)
        self.draws.add_class("sim-u-draws")
        self.seed = w.IntText(value=DEFAULT_SEED, layout=w.Layout(width="220px"))
        self.seed.add_class("sim-u-seed")
        self.title = w.HTML()
        self.gauge = w.HTML()
        self.gauge.add_class("sim-u-probability")
        self.basis = w.HTML()
        self.basis.add_class("sim-u-basis")
        self.quantiles = w.HTML()
        self.quantiles.add_class("sim-u-quantiles")
        self.fans = {i: FanChart(i) for i in ("gdp", "industrial_output")}
        self.tornado = w.HTML()
        self.tornado.add_class("sim-u-tornado")
        self.sobol_output = w.Dropdown(options=list(SOBOL_OUTPUTS))
        self.sobol_button = w.Button(icon="play", layout={"width": "auto"})  # label not cut
        self.sobol_button.add_class("sim-u-sobol-run")
        self.sobol_table = w.HTML()
        self.sobol_table.add_class("sim-u-sobol")
        levers = schema.lever_paths()
        self.lever = w.Dropdown(options=levers, value="pipeline.signed_annual_100m_cny")
        self.lever.add_class("sim-u-lever")
        self.target = w.Dropdown(options=["both", "gdp", "industrial_output"])
        self.target.add_class("sim-u-target")
        self.use_probability = w.Checkbox(value=False, indent=False, layout=w.Layout(width="auto"))
        self.use_probability.add_class("sim-u-use-probability")
        self.probability_goal = w.FloatSlider(
            value=0.8, min=0.5, max=0.99, step=0.01, readout_format=".0%"
        )
        self.probability_goal.add_class("sim-u-probability-goal")
        self.solve_button = w.Button(
            icon="crosshairs", button_style="primary", layout={"width": "auto"}
        )
        self.solve_button.add_class("sim-u-solve")
        self.answer = w.HTML()
        self.answer.add_class("sim-u-answer")
        self.path = w.HTML()
        self.path.add_class("sim-u-path")
        self.excel = w.Button(icon="file-excel", layout={"width": "auto"})
        self.excel.add_class("sim-u-excel")
        self.excel_link = w.HTML()
        self.excel_link.add_class("sim-u-excel-link")
        self.heads = {k: w.HTML() for k in ("u_probability", "tornado", "sobol", "goal_seek")}

        for widget in (self.picker, self.draws, self.seed):
            widget.observe(lambda _: None if self._syncing else self.refresh(), names="value")
        self.language.observe(self._on_language, names="value")
        self.sobol_button.on_click(lambda _: self.run_sobol())
        self.solve_button.on_click(lambda _: self.run_solve())
        self.excel.on_click(lambda _: self.make_excel())
        self.sobol_output.observe(
            lambda _: None if self._syncing else self._show_sobol(), names="value"
        )
        self._sobol: pd.DataFrame | None = None
        self.solution: Solution | None = None
        self._path_df = None

        pair = lambda a, b: w.HBox([a, b], layout=w.Layout(width="100%"))  # noqa: E731
        self.widget = w.VBox(
            [
                w.HTML(CSS + PAGE_CSS),
                w.HBox(
                    [self.title, w.HBox([self.picker, self.language])],
                    layout=w.Layout(justify_content="space-between"),
                ),
                w.HBox(
                    [self.draws, self.seed, self.excel, self.excel_link],
                    layout=w.Layout(align_items="center"),
                ),
                self.heads["u_probability"],
                w.HBox(
                    [w.VBox([self.gauge, self.basis]), self.quantiles],
                    layout=w.Layout(grid_gap="30px"),
                ),
                pair(self.fans["gdp"].figure, self.fans["industrial_output"].figure),
                self.heads["tornado"],
                self.tornado,
                self.heads["sobol"],
                w.HBox([self.sobol_output, self.sobol_button]),
                self.sobol_table,
                self.heads["goal_seek"],
                w.HBox([self.lever, self.target]),
                w.HBox([self.use_probability, self.probability_goal, self.solve_button]),
                self.answer,
                self.path,
            ],
            layout=w.Layout(padding="8px"),
        )
        self.widget.add_class("sim-app")
        self._relabel()
        self.refresh()

    @classmethod
    def from_environment(cls) -> Any:
        """Page configured by ``SIM_PARAMS_DIR`` and ``SIM_LANG`` (both optional);
        with a city picker when ``SIM_PARAMS_DIR`` is a folder of city folders."""
        from .cities import page_from_environment

        return page_from_environment(cls, environment_settings())

    def _scenario_options(self) -> list[tuple[str, str]]:
        """(name in the page's language, scenario name) for the picker."""
        return [(scenario_label(n, d, self.lang), n) for n, d in self._scenarios.items()]

    def _scenario_name(self, name: str, lang: Lang) -> str:
        return scenario_label(name, self._scenarios.get(name, ""), lang)

    # --- computing -----------------------------------------------------------------------
    def _scenario(self):
        return load_scenario(self.picker.value, None, self.params_dir)

    def refresh(self) -> None:
        """Monte Carlo, fans, gauge and tornado for the chosen scenario and settings."""
        try:
            sc = self._scenario()
            self.mc = monte_carlo(sc, self.draws.value, self.seed.value, params_dir=self.params_dir)
            self.tornado_df = tornado(sc, self.mc.uncertainty, draws=300, seed=self.seed.value)
        except (ScenarioError, ValueError) as e:
            self.gauge.value = f'<span class="sim-status">{html.escape(str(e))}</span>'
            self.basis.value = ""
            return
        self._sobol = None
        self.sobol_table.value = ""
        self.excel_link.value = ""  # a workbook of other settings would be stale
        self.solution = None  # an answer for other settings would be stale
        self.answer.value = self.path.value = ""
        self._show()

    def make_excel(self) -> None:
        """The page's figures as a workbook, offered as a download link (``sim-u-excel-link``)."""
        from ..page_exports import uncertainty_name, uncertainty_workbook

        if getattr(self, "mc", None) is None:
            return
        params = self.mc.result.scenario.params
        data = uncertainty_workbook(
            self.mc,
            getattr(self, "tornado_df", None),
            self._sobol,
            self._path_df,
            self.lang,
            label=lambda path: _label(path, self.lang, params),
        )
        name = uncertainty_name(params, self.picker.value, self.lang)
        self.excel_link.value = excel_link_html(name, data, self.lang)

    def run_sobol(self, n: int = 512) -> None:
        self._sobol = sobol(self._scenario(), self.mc.uncertainty, n=n, seed=self.seed.value)
        self._show_sobol()

    def run_solve(self) -> None:
        sc = self._scenario()
        p = self.probability_goal.value if self.use_probability.value else None
        try:
            sol = solve(
                sc,
                self.lever.value,
                self.target.value,
                p,
                500,
                self.seed.value,
                uncertainty=self.mc.uncertainty if p else None,
            )
        except ScenarioError as e:
            self.answer.value = f'<span class="sim-status">{html.escape(str(e))}</span>'
            return
        self.solution = sol
        res = simulate(solved_scenario(sol, sc) if sol.reachable else sc)
        self._path_df = required_path(res)
        self._show_solution()

    def _show_solution(self) -> None:
        if self.solution is None:
            return
        lang, sol, p = self.lang, self.solution, self.solution.probability
        unit = unit_label(sol.unit, lang)
        name = param_label(sol.lever, lang)
        goal = tr(sol.target if sol.target != "both" else "both", lang)
        if p:
            goal += f" · {tr('probability', lang)} ≥ {p:.0%}"
        if sol.reachable:
            verb = "≥" if sol.direction == "increase" else "≤"
            got = (
                f"{tr('gap', lang)} {sol.achieved:+.1f} {tr('unit_100m', lang)}"
                if p is None
                else f"{tr('probability', lang)} {sol.achieved:.0%}"
            )
            self.answer.value = (
                f"<div class='sim-card met'><div class='t'>{html.escape(goal)}</div>"
                f"<div class='v'>{html.escape(name)} {verb} {sol.value:.4g} <small>{unit}</small>"
                f"</div><div class='s'>{tr('scenario', lang)} "
                f"{html.escape(self._scenario_name(sol.scenario, lang))}: "
                f"{sol.current_value:g} {unit} · {got}</div></div>"
            ) + self._plausibility_html(sol, unit)
        else:
            self.answer.value = (
                f"<div class='sim-card missed'><div class='t'>{html.escape(goal)}</div>"
                f"<div class='v'>{tr('unreachable', lang)}</div><div class='s'>"
                f"{html.escape(name)} = {sol.best_value:g} {unit}: "
                f"{sol.best_achieved:.3g}</div></div>"
            ) + self._plausibility_html(sol, unit)
        self.path.value = self._path_html(self._path_df)

    def _plausibility_html(self, sol: Solution, unit: str) -> str:
        """The answer against the record, the lever's fitted distribution and, out of
        reach, why (``sim-solve-plausibility``)."""
        lang, lines = self.lang, []
        if sol.reason == "economics":
            lines.append(tr("solve_reason_economics", lang))
        elif sol.reason == "bound":
            lines.append(tr("solve_reason_bound", lang, needed=sol.needed_estimate, unit=unit))
        if sol.lever_probability is not None:
            lines.append(tr("solve_lever_probability", lang, p=sol.lever_probability))
        for f in sol.flags:
            values = {k: v for k, v in f.items() if k != "check"}
            lines.append(tr(f"warn_{f['check']}", lang, **values))
        if sol.plausible and sol.reachable:
            lines.append(tr("solve_within_record", lang))
        items = "".join(f"<li>{html.escape(x)}</li>" for x in lines)
        return f"<ul class='sim-solve-plausibility'>{items}</ul>" if items else ""

    # --- showing -------------------------------------------------------------------------
    def _show(self) -> None:
        lang, mc = self.lang, self.mc
        p, q = mc.probability(), mc.quantiles()
        rows = "".join(
            f"<tr><td>{tr(k, lang)}</td><td><span class='sim-bar p' style='width:"
            f"{p[k] * 200:.0f}px'></span></td><td><b>{p[k]:.1%}</b></td></tr>"
            for k in ("gdp", "industrial_output", "both")
        )
        self.gauge.value = f"<table class='sim-gauge'>{rows}</table>"
        basis = tr("mc_basis", lang, n=mc.n, seed=mc.seed)
        self.basis.value = f"<div class='sim-sub'>{html.escape(basis)}</div>"
        qrows = "".join(
            f"<tr><td>{tr(k, lang)}</td>"
            + "".join(f"<td>{q[k][c]:.1f}</td>" for c in ("p5", "p50", "p95"))
            + "</tr>"
            for k in ("gdp", "industrial_output")
        )
        ctx = context(mc.result.scenario.params, lang)
        source = self._scenario_name(mc.uncertainty_source, lang)
        self.quantiles.value = (
            f"<div class='sim-sub'>{tr('u_quantiles', lang, **ctx)} · "
            f"{tr('uncertainty_from', lang)} {html.escape(source)}</div>"
            f"<table class='sim-gauge'>{qrows}</table>"
        )
        for fan in self.fans.values():
            fan.update(mc)
        self._titles()
        self.tornado.value = self._tornado_html(self.tornado_df)
        self._show_sobol()

    def _tornado_html(self, df: pd.DataFrame) -> str:
        lang = self.lang
        scale = max(df["gdp_swing"].abs().max(), df["industrial_output_swing"].abs().max(), 1e-9)
        head = (
            f"<tr><th>{tr('parameter', lang)}</th><th>p5 / p95</th>"
            f"<th colspan=2>{tr('gdp', lang)}</th>"
            f"<th colspan=2>{tr('industrial_output', lang)}</th>"
            f"<th>P({tr('both', lang)})</th></tr>"
        )
        rows = []
        params = self.mc.result.scenario.params
        for r in df.to_dict("records"):
            cells = [
                f"<td>{html.escape(_label(r['parameter'], lang, params))}</td>",
                f"<td>{r['low_value']:.3g} / {r['high_value']:.3g}</td>",
            ]
            for k in ("gdp", "industrial_output"):
                sw = r[f"{k}_swing"]
                cls = "hi" if sw >= 0 else "lo"
                cells.append(
                    f"<td><span class='sim-bar {cls}' style='width:{abs(sw) / scale * 160:.0f}px'>"
                    f"</span></td><td>{sw:+.1f}</td>"
                )
            cells.append(f"<td>{r['p_both_low']:.0%} → {r['p_both_high']:.0%}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        return f"<table class='sim-bars'>{head}{''.join(rows)}</table>"

    def _show_sobol(self) -> None:
        if self._sobol is None:
            return
        lang = self.lang
        df = self._sobol[self._sobol["output"] == self.sobol_output.value]
        df = df.sort_values("ST", ascending=False, na_position="last")
        params = self.mc.result.scenario.params
        rows = []
        for r in df.to_dict("records"):
            s1, st = np.nan_to_num(r["S1"]), np.nan_to_num(r["ST"])
            rows.append(
                f"<tr><td>{html.escape(_label(r['parameter'], lang, params))}</td>"
                f"<td><span class='sim-bar s1' style='width:{max(s1, 0) * 200:.0f}px'></span> "
                f"{r['S1']:.2f}</td><td><span class='sim-bar st' style='width:"
                f"{max(st, 0) * 200:.0f}px'></span> {r['ST']:.2f}</td></tr>"
            )
        output = tr(f"u_out_{self.sobol_output.value}", lang)
        note = tr("sobol_note", lang, runs=int(df["runs"].iloc[0]), output=output)
        self.sobol_table.value = (
            f"<div class='sim-sub'>{html.escape(note)}</div><table class='sim-bars'>"
            f"<tr><th>{tr('parameter', lang)}</th><th>S1</th><th>ST</th></tr>"
            f"{''.join(rows)}</table>"
        )

    def _path_html(self, df: pd.DataFrame) -> str:
        lang = self.lang
        cols = [
            (f"{ind}_{kind}", f"{tr(ind, lang)} {tr(kind, lang)}")
            for ind in ("gdp", "industrial_output")
            for kind in ("calendar", "seasonal", "projected")
        ]
        head = f"<tr><th>{tr('month', lang)}</th>" + "".join(f"<th>{h}</th>" for _, h in cols)
        body = "".join(
            f"<tr><td>{m}</td>" + "".join(f"<td>{df.loc[m, c]:.1f}</td>" for c, _ in cols) + "</tr>"
            for m in df.index
        )
        return (
            f"<div class='sim-panel-title'>{tr('required_path', lang)}</div>"
            f"<div class='sim-table'><table>{head}</tr>{body}</table></div>"
        )

    def _on_language(self, change: dict) -> None:
        self.lang = change["new"]
        self._relabel()
        self._show()
        self._show_solution()

    def _titles(self) -> None:
        """Title and panel heads: they name the city's goal and the plan year."""
        lang = self.lang
        mc = getattr(self, "mc", None)
        try:
            params = mc.result.scenario.params if mc is not None else self._scenario().params
        except ScenarioError:
            params = None  # the error shows in the gauge; neutral wording meanwhile
        ctx = context(params, lang)
        self.title.value = (
            f"<h1>{html.escape(tr('u_title', lang, **ctx))}</h1>"
            f"<div class='sim-sub'>{tr('u_subtitle', lang)}</div>"
        )
        for k, h in self.heads.items():
            h.value = f"<div class='sim-panel-title'>{html.escape(tr(k, lang, **ctx))}</div>"

    def _relabel(self) -> None:
        lang = self.lang
        self._titles()
        self.picker.description = tr("scenario", lang)
        picked, output, self._syncing = self.picker.value, self.sobol_output.value, True
        try:  # the same choices, named in the new language: nothing to recompute
            self.picker.options = self._scenario_options()
            self.picker.value = picked
            self.sobol_output.options = [(tr(f"u_out_{o}", lang), o) for o in SOBOL_OUTPUTS]
            self.sobol_output.value = output
        finally:
            self._syncing = False
        for widget, key in ((self.draws, "draws"), (self.seed, "seed")):
            widget.description = widget.tooltip = tr(key, lang)  # no tooltip reads "null"
        for fan in self.fans.values():
            fan.relabel(lang)
        self.sobol_output.description = tr("output", lang)
        self.sobol_button.description = tr("sobol_run", lang)
        self.sobol_button.tooltip = tr("sobol_run", lang)  # else the browser shows "null"
        lever, target = self.lever.value, self.target.value
        self.lever.options = [(param_label(p, lang), p) for p in schema.lever_paths()]
        self.target.options = [(tr(k, lang), k) for k in ("both", "gdp", "industrial_output")]
        self.lever.value, self.target.value = lever, target
        self.lever.description = tr("lever", lang)
        self.target.description = tr("target_of", lang)
        self.use_probability.description = tr("with_probability", lang)
        self.solve_button.description = tr("solve", lang)
        self.solve_button.tooltip = tr("solve", lang)
        self.excel.description = self.excel.tooltip = tr("excel", lang)
        self.excel_link.value = ""  # its file name and sheets are in the old language
