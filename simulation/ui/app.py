"""The planner's dashboard: levers in, targets, paths and contributions out.

:class:`Dashboard` builds every widget from the parameter schema (ranges, steps, units,
descriptions and sources are read from :mod:`simulation.schema`, labels from
:mod:`simulation.labels`), keeps the planner's changes as overrides of the chosen
scenario, and on every change re-resolves the scenario, re-runs the model and updates
cards, charts and table in place. ``notebooks/dashboard.ipynb`` only shows it.

Test hooks (CSS classes, a contract): ``sim-lever`` and ``sim-lever-<param>`` (dots as
dashes) on each lever, ``sim-headline-gdp`` / ``sim-headline-industrial-output`` on the
cards, ``sim-language`` on the language toggle, ``sim-preset-<campaign>``,
``sim-shock-<name>``, ``sim-scenario``, ``sim-reset``, ``sim-excel``,
``sim-excel-link``, ``sim-save-name``, ``sim-save``, ``sim-save-confirm``,
``sim-save-status``, ``sim-status``, ``sim-table``.
"""

from __future__ import annotations

import base64
import html
import os
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from .. import summary
from ..consistency import DrawError
from ..economy import schema
from ..economy.investment import InvestmentBaseError
from ..export import export_name, write_excel
from ..labels import Lang, column_label, context, param_label, shock_label, tr, unit_label
from ..result import Result, simulate
from ..scenario import (
    PARAMS_DIR,
    Scenario,
    ScenarioError,
    ScenarioExists,
    list_scenarios,
    load_scenario,
    restore_scenario,
    save_scenario,
)
from ..uncertainty import DEFAULT_SEED, MonteCarlo, monte_carlo, uncertainty_for
from .charts import FaiChart, FunnelChart, PathChart, WaterfallChart

#: Parameters shown under "other assumptions": labelled in the schema, not a lever.
OTHER_ASSUMPTIONS = tuple(
    p
    for p, m in schema.numeric_paths().items()
    if m["label_zh"] and not m["campaign"] and not p.startswith(("targets.", "drivers."))
)
PERCENT_UNITS = ("share", "per year")
#: Draws of the live uncertainty band: enough for a stable 90% band (±2-3 points on a
#: probability), cheap enough for every slider move (≈8 ms).
BAND_DRAWS = 200

CSS = """
<style>
.sim-app { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
  sans-serif; }
.sim-app h1 { font-size: 22px; margin: 4px 0; color: #1f3b63; }
.sim-app .sim-sub { color: #555; font-size: 13px; }
.sim-panel-title { font-weight: 600; font-size: 15px; color: #1f3b63;
  border-bottom: 2px solid #1f5aa6; margin: 10px 0 4px 0; padding-bottom: 2px; }
.sim-card { border-radius: 8px; padding: 10px 14px; background: #f6f8fb;
  border-left: 6px solid #9aa3ad; min-width: 300px; }
.sim-card.met { border-left-color: #2e8b57; background: #eef8f1; }
.sim-card.missed { border-left-color: #c0392b; background: #fbefee; }
.sim-card .t { font-size: 14px; color: #333; }
.sim-card .v { font-size: 30px; font-weight: 700; color: #1f3b63; }
.sim-card .v small { font-size: 15px; font-weight: 400; }
.sim-card .g { font-size: 15px; }
.sim-card.met .g b { color: #2e8b57; } .sim-card.missed .g b { color: #c0392b; }
.sim-card .s { font-size: 13px; color: #555; }
.sim-card .p { font-size: 14px; color: #1f3b63; margin-top: 2px; }
.sim-table table { border-collapse: collapse; font-size: 13px; width: 100%; }
.sim-table th, .sim-table td { border-bottom: 1px solid #dde3ea; padding: 3px 8px;
  text-align: right; }
.sim-table th:first-child, .sim-table td:first-child { text-align: left; }
.sim-status { color: #c0392b; font-size: 13px; white-space: pre-wrap; }
.sim-save-status { font-size: 13px; white-space: pre-wrap; }
.sim-app .widget-slider .widget-label { white-space: normal; line-height: 1.2; }
</style>
"""


def language_toggle(lang: Lang) -> w.ToggleButtons:
    """The 中文 / English toggle (test hook ``sim-language``)."""
    t = w.ToggleButtons(options=[("中文", "zh"), ("English", "en")], value=lang)
    t.add_class("sim-language")
    t.style.button_width = "80px"
    return t


def environment_settings() -> dict[str, Any]:
    """``params_dir`` and ``lang`` from ``SIM_PARAMS_DIR`` and ``SIM_LANG`` (set by
    :func:`simulation.ui.serve.voila_command`)."""
    return {
        "params_dir": os.environ.get("SIM_PARAMS_DIR") or None,
        "lang": "en" if os.environ.get("SIM_LANG") == "en" else "zh",
    }


def _dash(path: str) -> str:
    return path.replace(".", "-")


def _readout_format(meta: dict[str, Any]) -> str:
    if meta["unit"] in PERCENT_UNITS:
        return ".1%"
    step = meta["step"] or 1
    return ".0f" if step >= 1 else ".1f" if step >= 0.1 else ".2f" if step >= 0.01 else ".3f"


def _get(params: schema.Params, path: str) -> Any:
    section, key = path.split(".")
    return getattr(getattr(params, section), key)


class Dashboard:
    """The planner's app.

    Parameters
    ----------
    params_dir : path, optional
        Folder with ``base.yaml`` and ``scenarios/`` (default: the repository's); saved
        scenarios go to its ``scenarios/``.
    scenario : str
        Scenario shown first.
    lang : {"zh", "en"}
        Language shown first (Chinese by default).

    Attributes
    ----------
    widget : ipywidgets.Box
        The whole page; display it.
    result : Result
        The result on screen.
    """

    def __init__(
        self, params_dir: str | Path | None = None, scenario: str = "baseline", lang: Lang = "zh"
    ):
        self.params_dir = Path(params_dir) if params_dir else PARAMS_DIR
        self.lang: Lang = lang
        self.scenario_name = scenario
        self.overrides: dict[str, Any] = {}
        self._syncing = False
        self.n_updates = 0
        self._build()
        self._baseline = self._run_baseline()
        self._recompute()
        self._relabel()

    @classmethod
    def from_environment(cls) -> Any:
        """Dashboard configured by ``SIM_PARAMS_DIR`` and ``SIM_LANG`` (both optional);
        with a city picker when ``SIM_PARAMS_DIR`` is a folder of city folders."""
        from .cities import page_from_environment

        return page_from_environment(cls, environment_settings())

    # --- building ------------------------------------------------------------------------
    def _build(self) -> None:
        paths = schema.numeric_paths()
        self.title = w.HTML()
        self.language = language_toggle(self.lang)
        self.picker = w.Dropdown(options=self._scenario_names(), value=self.scenario_name)
        self.picker.add_class("sim-scenario")
        self.picker_note = w.HTML()
        self.reset = w.Button(icon="undo")
        self.reset.add_class("sim-reset")

        self.sliders: dict[str, w.ValueWidget] = {}
        for path in (*schema.lever_paths(), *OTHER_ASSUMPTIONS):
            meta = paths[path]
            cls = w.IntSlider if meta["integer"] else w.FloatSlider
            kw = {} if meta["integer"] else {"readout_format": _readout_format(meta)}
            s = cls(
                min=meta["lo"],
                max=meta["hi"],
                step=meta["step"],
                continuous_update=False,
                layout=w.Layout(width="100%"),
                style={"description_width": "210px"},
                **kw,
            )
            s.add_class("sim-lever")
            s.add_class(f"sim-lever-{_dash(path)}")
            s.observe(self._on_lever(path), names="value")
            self.sliders[path] = s

        self.presets: dict[str, w.ToggleButtons] = {}
        self.campaign_titles: dict[str, w.HTML] = {}
        for c in schema.CAMPAIGNS:
            t = w.ToggleButtons(options=[("plan", "plan"), ("weak", "weak"), ("strong", "strong")])
            t.style.button_width = "90px"
            t.add_class("sim-preset")
            t.add_class(f"sim-preset-{c}")
            t.observe(self._on_preset(c), names="value")
            self.presets[c] = t
            self.campaign_titles[c] = w.HTML()

        base = load_scenario("base", params_dir=self.params_dir).params
        self.shock_boxes: dict[str, w.Checkbox] = {}
        for name in base.shocks:
            cb = w.Checkbox(indent=False, layout=w.Layout(width="auto"))
            cb.add_class(f"sim-shock-{name}")
            cb.observe(self._on_shock(name), names="value")
            self.shock_boxes[name] = cb
        self._shocks = base.shocks

        self.cards = {"gdp": w.HTML(), "industrial_output": w.HTML()}
        self.cards["gdp"].add_class("sim-headline-gdp")
        self.cards["industrial_output"].add_class("sim-headline-industrial-output")
        self.status = w.HTML()
        self.status.add_class("sim-status")
        self.show_band = w.Checkbox(value=True, indent=False, layout=w.Layout(width="auto"))
        self.show_band.add_class("sim-uncertainty")
        self.show_band.observe(lambda _: self._recompute(), names="value")
        self._dists: dict[tuple, tuple[dict, str]] = {}
        self.mc: MonteCarlo | None = None

        self.path_charts = {i: PathChart(i) for i in ("gdp", "industrial_output")}
        self.waterfalls = {i: WaterfallChart(i) for i in ("gdp", "industrial_output")}
        self.fai_chart = FaiChart()
        self.funnel_chart = FunnelChart()
        self.table = w.HTML()
        self.table.add_class("sim-table")

        self.excel = w.Button(icon="file-excel")
        self.excel.add_class("sim-excel")
        self.excel_link = w.HTML()
        self.excel_link.add_class("sim-excel-link")
        self.save_name = w.Text(layout=w.Layout(width="200px"))
        self.save_name.add_class("sim-save-name")
        self.save_button = w.Button(icon="save")
        self.save_button.add_class("sim-save")
        self.save_confirm = w.Button(button_style="warning", layout=w.Layout(display="none"))
        self.save_confirm.add_class("sim-save-confirm")
        self.save_status = w.HTML()
        self.save_status.add_class("sim-save-status")
        self.save_undo = w.Button(icon="undo", layout=w.Layout(display="none"))
        self.save_undo.add_class("sim-save-undo")
        self.save_undo.on_click(lambda _: self._undo_save())

        self.language.observe(self._on_language, names="value")
        self.picker.observe(self._on_picker, names="value")
        self.reset.on_click(self._on_reset)
        self.excel.on_click(self._on_excel)
        self.save_button.on_click(lambda _: self._save(overwrite=False))
        self.save_confirm.on_click(lambda _: self._save(overwrite=True))

        self.section_titles = {k: w.HTML() for k in ("levers", "shocks", "save_title")}
        self.table_title = w.HTML()
        self.other_box = w.Accordion(
            children=[w.VBox([self.sliders[p] for p in OTHER_ASSUMPTIONS])]
        )
        self.other_box.selected_index = None
        campaigns = []
        for c in schema.CAMPAIGNS:
            campaigns += [self.campaign_titles[c], self.presets[c]]
            campaigns += [self.sliders[p] for p in schema.lever_paths(c)]
        left = w.VBox(
            [
                self.section_titles["levers"],
                *campaigns,
                self.section_titles["shocks"],
                *self.shock_boxes.values(),
                self.other_box,
                self.section_titles["save_title"],
                w.HBox([self.save_name, self.save_button, self.save_confirm, self.save_undo]),
                self.save_status,
            ],
            layout=w.Layout(width="500px", min_width="440px", padding="0 12px 0 0"),
        )
        cards = w.HBox(
            [self.cards["gdp"], self.cards["industrial_output"]],
            layout=w.Layout(justify_content="space-between", grid_gap="12px"),
        )
        pair = lambda a, b: w.HBox([a, b], layout=w.Layout(width="100%"))  # noqa: E731
        right = w.VBox(
            [
                cards,
                self.show_band,
                self.status,
                pair(self.path_charts["gdp"].figure, self.path_charts["industrial_output"].figure),
                pair(self.waterfalls["gdp"].figure, self.waterfalls["industrial_output"].figure),
                pair(self.fai_chart.figure, self.funnel_chart.figure),
                self.table_title,
                self.table,
                w.HBox([self.excel, self.excel_link], layout=w.Layout(align_items="center")),
            ],
            layout=w.Layout(flex="1 1 auto", min_width="640px"),
        )
        header = w.HBox(
            [self.title, w.HBox([self.picker, self.reset, self.language])],
            layout=w.Layout(justify_content="space-between", align_items="center"),
        )
        self.widget = w.VBox(
            [w.HTML(CSS), header, self.picker_note, w.HBox([left, right])],
            layout=w.Layout(padding="8px"),
        )
        self.widget.add_class("sim-app")

    def _scenario_names(self) -> list[str]:
        return [n for n, _ in list_scenarios(self.params_dir)]

    def _run_baseline(self) -> dict[str, Any]:
        """The baseline and what the page shows of it, computed once (not on every move)."""
        names = self._scenario_names()
        base = simulate(
            load_scenario("baseline" if "baseline" in names else "base", None, self.params_dir)
        )
        return {
            "head": summary.headline(base),
            "paths": {n: summary.cumulative_path(base, n) for n in self.path_charts},
            "fai": summary.fai_by_month(base),
            "funnel": summary.funnel(base),
            "annual": base.annual().set_index("year"),
        }

    # --- events --------------------------------------------------------------------------
    def _on_lever(self, path: str):
        def handler(change: dict) -> None:
            if self._syncing:
                return
            self.overrides[path] = change["new"]
            self._recompute()

        return handler

    def _on_preset(self, campaign: str):
        def handler(change: dict) -> None:
            if self._syncing:
                return
            for p in schema.lever_paths(campaign):  # a preset sets all of its levers
                self.overrides.pop(p, None)
            self.overrides[f"campaigns.{campaign}"] = change["new"]
            self._recompute()

        return handler

    def _on_shock(self, name: str):
        def handler(change: dict) -> None:
            if self._syncing:
                return
            self.overrides[f"shocks.{name}.enabled"] = bool(change["new"])
            self._recompute()

        return handler

    def _on_language(self, change: dict) -> None:
        self.lang = change["new"]
        self._relabel()
        self._show(self.scenario, self.result)

    def _on_picker(self, change: dict) -> None:
        if self._syncing or change["new"] is None:
            return
        self.scenario_name = change["new"]
        self.overrides = {}
        self._recompute()

    def _on_reset(self, _=None) -> None:
        if self.picker.value == "baseline":
            self.overrides = {}
            self._recompute()
        else:
            self.picker.value = "baseline"

    def _on_excel(self, _=None) -> None:
        data = write_excel(self.result, lang="zh")
        name = html.escape(export_name(self.scenario.params, self.scenario.name, "xlsx"))
        b64 = base64.b64encode(data).decode()
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        self.excel_link.value = (
            f'<a download="{name}" href="data:{mime};base64,{b64}">'
            f"{tr('excel_ready', self.lang)} {name}</a>"
        )

    def _no_paths(self, message: str) -> str:
        """A message without the server's folders (a planner needs the file's name only)."""
        for folder in (self.params_dir.resolve(), self.params_dir):
            message = message.replace(f"{folder}/scenarios/", "").replace(f"{folder}/", "")
        return message

    def _undo_save(self) -> None:
        name = self._last_overwrite
        self.save_undo.layout.display = "none"
        try:
            restore_scenario(name, self.params_dir)
        except ScenarioError as e:
            msg = self._no_paths(str(e))
            self.save_status.value = f'<span style="color:#c0392b">{html.escape(msg)}</span>'
            return
        self.save_status.value = html.escape(tr("save_undone", self.lang, name=name))
        if self.scenario_name == name:
            self._recompute()

    def _save(self, overwrite: bool) -> None:
        name = self.save_name.value
        self.save_confirm.layout.display = "none"
        self.save_undo.layout.display = "none"
        try:
            path = save_scenario(
                name,
                extends=self.scenario_name,
                overrides=self.overrides,
                description=f"{self.scenario.description} + {len(self.overrides)} change(s)",
                params_dir=self.params_dir,
                overwrite=overwrite,
            )
        except ScenarioExists:
            self.save_status.value = html.escape(tr("save_exists", self.lang, name=name))
            self.save_confirm.layout.display = "inline-flex"
            return
        except ScenarioError as e:
            msg = self._no_paths(str(e))
            self.save_status.value = f'<span style="color:#c0392b">{html.escape(msg)}</span>'
            return
        if overwrite:  # the previous version is kept: offer to put it back
            self._last_overwrite = path.stem
            self.save_undo.layout.display = "inline-flex"
        note = "" if self.overrides else "<br>" + tr("save_nothing", self.lang)
        self.save_status.value = html.escape(tr("save_done", self.lang, path=path.name)) + note
        self._syncing = True
        try:
            self.picker.options = self._scenario_names()
            self.picker.value = path.stem
        finally:
            self._syncing = False
        self.scenario_name = path.stem
        self.overrides = {}
        if path.stem == "baseline":  # the comparison line moves with a new baseline
            self._baseline = self._run_baseline()
        self._recompute()

    # --- updating ------------------------------------------------------------------------
    def _recompute(self) -> None:
        try:
            sc = load_scenario(self.scenario_name, self.overrides, self.params_dir)
        except ScenarioError as e:
            self.status.value = html.escape(f"{tr('error', self.lang)}: {e}")
            return
        try:
            res = simulate(sc)
            self.status.value = ""
            self._show(sc, res)
        except (InvestmentBaseError, DrawError) as e:  # a combination the model refuses
            self._show_refused(str(e))

    def _show_refused(self, message: str) -> None:
        """A combination the model cannot run: say why, and show no stale numbers."""
        lang = self.lang
        self.status.value = html.escape(f"{tr('error', lang)}: {message}")
        for name, card in self.cards.items():
            card.value = (
                f'<div class="sim-card missed"><div class="t">{tr(name, lang)}</div>'
                f'<div class="v">—</div><div class="g">{tr("error", lang)}</div></div>'
            )

    def _monte_carlo(self, sc: Scenario) -> MonteCarlo | None:
        """The band's draws: the scenario's own distributions, else the shipped
        uncertainty scenario's; same seed on every move (common random numbers)."""
        if not self.show_band.value:
            return None
        key = (sc.name, tuple(sorted(sc.uncertainty)))
        if key not in self._dists:
            try:
                self._dists[key] = uncertainty_for(sc, self.params_dir)
            except ScenarioError:
                self._dists[key] = ({}, "")
        dists, _ = self._dists[key]
        if not dists:
            return None
        try:
            return monte_carlo(sc, BAND_DRAWS, DEFAULT_SEED, uncertainty=dists)
        except (InvestmentBaseError, DrawError):  # some draws leave the feasible range
            return None  # the deterministic result stands; no band

    def _show(self, sc: Scenario, res: Result) -> None:
        self.scenario, self.result = sc, res
        if self._ctx() != getattr(self, "_shown_ctx", None):  # targets or years changed
            self._shown_ctx = self._ctx()
            self._relabel()
        self._sync_controls(sc.params)
        base = self._baseline
        self.mc = mc = self._monte_carlo(sc)
        head = summary.headline(res)
        base_head = base["head"]
        prob = mc.probability() if mc else None
        for name, card in self.cards.items():
            card.value = self._card_html(name, head[name], base_head[name], prob)
        for name, chart in self.path_charts.items():
            band = None
            if mc:
                q = mc.monthly_band(summary.INDICATORS[name][0], (5, 95))
                band = q.to_numpy().T
            chart.update(summary.cumulative_path(res, name), base["paths"][name], band)
        for name, chart in self.waterfalls.items():
            chart.update(summary.waterfall(res, name))
        self.fai_chart.update(summary.fai_by_month(res), base["fai"])
        self.funnel_chart.update(summary.funnel(res), base["funnel"])
        self.table.value = self._table_html(res, base["annual"])
        self.picker_note.value = (
            f'<span class="sim-sub">{html.escape(sc.description)}'
            + (f" · {len(self.overrides)} ✎" if self.overrides else "")
            + "</span>"
        )
        self.excel_link.value = ""
        self.n_updates += 1

    def _sync_controls(self, params: schema.Params) -> None:
        self._syncing = True
        try:
            for path, s in self.sliders.items():
                v = _get(params, path)
                if s.value != v:
                    s.value = v
            for c, t in self.presets.items():
                t.value = getattr(params.campaigns, c)
            for name, cb in self.shock_boxes.items():
                cb.value = bool(params.shocks[name].enabled) if name in params.shocks else False
        finally:
            self._syncing = False

    def _plan_year(self) -> int:
        return self.scenario.params.calendar.base_year + 1

    def _card_html(self, name: str, rec: dict, base: dict, prob: dict | None) -> str:
        lang = self.lang
        met = rec["met"]
        delta = rec["value_100m_cny"] - base["value_100m_cny"]
        yr = tr("plan_year", lang, year=self._plan_year())
        chance = ""
        if prob is not None:
            chance = (
                f'<div class="p">{tr("probability", lang)} <b>{prob[name]:.0%}</b> · '
                f"{tr('probability_both', lang)} {prob['both']:.0%}</div>"
            )
        if rec["target_100m_cny"] > 0:
            state = "met" if met else "missed"
            goal = (
                f'<div class="g">{tr("target", lang)} {rec["target_100m_cny"]:,.0f} · '
                f"{tr('gap', lang)} {rec['gap_100m_cny']:+,.1f} · "
                f"<b>{'✔ ' + tr('met', lang) if met else '✘ ' + tr('missed', lang)}</b></div>"
            )
        else:  # no target in the folder: the forecast and its growth only
            state, chance = "untargeted", ""
            goal = f'<div class="g">{tr("no_target", lang)}</div>'
        return (
            f'<div class="sim-card {state}">'
            f'<div class="t">{tr(name, lang)} · {yr}</div>'
            f'<div class="v">{rec["value_100m_cny"]:.1f} <small>亿元</small></div>'
            f"{goal}"
            f'<div class="s">{tr("real_growth", lang)} {rec["real_growth_pct"]:.1f}% · '
            f"{tr('nominal_growth', lang)} {rec['nominal_growth_pct']:.1f}% · "
            f"{tr('vs_baseline', lang)} {delta:+,.1f}</div>{chance}</div>"
        )

    def _table_html(self, res: Result, b: pd.DataFrame) -> str:
        """Results table; ``b`` is the baseline's annual table indexed by year."""
        lang = self.lang
        yr = self._plan_year()
        a = res.annual().set_index("year")
        head = (
            f"<tr><th>{tr('indicator', lang)}</th><th>{yr - 1}</th>"
            f"<th>{tr('baseline', lang)} {yr}</th><th>{tr('this_scenario', lang)} {yr}</th>"
            f"<th>{tr('vs_baseline', lang)}</th></tr>"
        )
        rows = []
        for k in summary.TABLE_KEYS:
            prev = a.loc[yr - 1, k]
            cells = [prev, b.loc[yr, k], a.loc[yr, k], a.loc[yr, k] - b.loc[yr, k]]
            fmt = ["{:,.1f}", "{:,.1f}", "{:,.1f}", "{:+,.1f}"]
            txt = ["–" if v != v else f.format(v) for f, v in zip(fmt, cells, strict=True)]
            rows.append(
                f"<tr><td>{html.escape(column_label(k, lang, **self._ctx()))}</td>"
                + "".join(f"<td>{t}</td>" for t in txt)
                + "</tr>"
            )
        return f"<table>{head}{''.join(rows)}</table>"

    def _ctx(self) -> dict:
        """What labels may say of the shown parameters: city, years, goal."""
        return context(self.scenario.params, self.lang)

    def _relabel(self) -> None:
        lang, ctx = self.lang, self._ctx()
        self.title.value = (
            f"<h1>{html.escape(tr('title', lang, **ctx))}</h1>"
            f"<div class='sim-sub'>{html.escape(tr('subtitle', lang, **ctx))}</div>"
        )
        self.picker.description = tr("scenario", lang)
        self.reset.description = tr("reset", lang)
        self.reset.tooltip = tr("reset", lang)
        paths = schema.numeric_paths()
        for path, s in self.sliders.items():
            meta = paths[path]
            s.description = tr(
                "with_unit",
                lang,
                label=param_label(path, lang),
                unit=unit_label(meta["unit"], lang),
            )
            src = self.scenario.params.sources.get(path, meta["source"])  # value's own source
            s.tooltip = (
                f"{meta['description']}\n{tr('source', lang)}: {src}\n"
                f"{tr('range', lang)}: {meta['lo']:g} – {meta['hi']:g} {meta['unit']}"
            )
        self._syncing = True
        try:
            for c, t in self.presets.items():
                value = t.value
                t.options = [(tr(f"level_{lv}", lang), lv) for lv in ("plan", "weak", "strong")]
                t.value = value
                self.campaign_titles[
                    c
                ].value = f"<div class='sim-panel-title'>{tr(f'campaign_{c}', lang)}</div>"
        finally:
            self._syncing = False
        for name, cb in self.shock_boxes.items():
            cb.description = shock_label(self._shocks[name], name, lang)
        for k, h in self.section_titles.items():
            h.value = f"<div class='sim-panel-title'>{tr(k, lang)}</div>"
        self.other_box.set_title(0, tr("other_assumptions", lang))
        self.table_title.value = f"<div class='sim-panel-title'>{tr('table_title', lang)}</div>"
        self.excel.description = tr("excel", lang)
        self.show_band.description = tr("show_band", lang, n=BAND_DRAWS)
        self.save_name.placeholder = tr("save_name", lang)
        self.save_button.description = tr("save", lang)
        self.save_confirm.description = tr("save_confirm", lang)
        self.save_undo.description = tr("save_undo", lang)
        charts = [*self.path_charts.values(), *self.waterfalls.values()]
        for ch in (*charts, self.fai_chart, self.funnel_chart):
            ch.relabel(lang, ctx)
