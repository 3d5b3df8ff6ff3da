"""The planner's dashboard: levers in, targets, paths and contributions out.

:class:`Dashboard` builds every widget from the parameter schema (ranges, steps, units,
descriptions and sources are read from :mod:`simulation.economy.schema`, labels from
:mod:`simulation.labels`) and binds them to a
:class:`~simulation.frontends.ui.dashboard_state.DashboardState`, which keeps the
planner's changes as overrides of the chosen scenario and computes everything shown. On
every change a control updates the state, then the page is rendered in place (cards,
charts, table; the HTML from :mod:`simulation.frontends.ui.render`).
``notebooks/dashboard.ipynb`` only shows it.

Test hooks (CSS classes, a contract): ``sim-lever`` and ``sim-lever-<param>`` (dots as
dashes) on each lever, ``sim-headline-gdp`` / ``sim-headline-industrial-output`` on the
cards, ``sim-language`` on the language toggle, ``sim-preset-<campaign>``,
``sim-shock-<name>``, ``sim-scenario``, ``sim-reset``, ``sim-excel``,
``sim-excel-link``, ``sim-save-name``, ``sim-save-by`` (the saver's name), ``sim-save``,
``sim-save-confirm``, ``sim-save-undo``, ``sim-save-status``, ``sim-history`` and
``sim-restore`` (a saved scenario's kept versions), ``sim-status``, ``sim-table``,
``sim-results`` (with ``sim-stale`` while a setting is refused), ``sim-warnings``,
``sim-link`` (the pathway's link, ``sim-link-text`` and ``sim-copy-link`` inside),
``sim-level-note-<campaign>``, ``sim-mc-basis``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from ...analyses import summary
from ...analyses.montecarlo import DEFAULT_SEED, MonteCarlo
from ...analyses.result import Result
from ...economy import schema
from ...io.layering import Scenario
from ...labels import Lang, shock_label, tr
from . import render
from .charts import FaiChart, FunnelChart, PathChart, WaterfallChart
from .common import CSS, environment_settings, language_toggle
from .dashboard_state import (
    BAND_DRAWS,
    COUPLED,
    HEADLINES,
    OTHER_ASSUMPTIONS,
    SLIDER_PATHS,
    DashboardState,
    param_value,
)

__all__ = ["COUPLED", "OTHER_ASSUMPTIONS", "Dashboard"]

#: Seconds after a scenario switch in which a lever move still in flight is dropped.
SWITCH_GRACE_S = 0.5
#: The save panel's buttons shown (``display``) and hidden.
SHOWN, HIDDEN = "inline-flex", "none"


def _dash(path: str) -> str:
    return path.replace(".", "-")


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
    query : str, optional
        A pathway link's query (``scenario=…&lang=…&<lever>=…``, see
        :mod:`simulation.frontends.ui.pathway`): opens that pathway, or the baseline with a message
        when any part of it cannot be used.

    Attributes
    ----------
    state : DashboardState
        The settings and what follows from them.
    widget : ipywidgets.Box
        The whole page; display it.
    result : Result
        The result on screen (the last one the settings gave).
    n_updates : int
        Renders so far (browser tests wait on it).
    """

    def __init__(
        self,
        params_dir: str | Path | None = None,
        scenario: str = "baseline",
        lang: Lang = "zh",
        query: str | None = None,
    ):
        self.state = DashboardState(params_dir, scenario, lang, query)
        self._syncing = False
        self._switched_at = float("-inf")  # when the planner last chose a scenario
        self._shown_ctx: dict | None = None
        self.n_updates = 0
        self._build()
        self._render()
        self._relabel()

    @classmethod
    def from_environment(cls) -> Any:
        """Dashboard configured by ``SIM_PARAMS_DIR`` and ``SIM_LANG`` (both optional) and
        the page's query (``QUERY_STRING``, set by Voila: a pathway link); with a city
        picker when ``SIM_PARAMS_DIR`` is a folder of city folders (a link then opens the
        city it names, ``city=``, or the first city, which refuses a link of another)."""
        from .cities import page_from_environment

        settings = environment_settings()
        settings["query"] = os.environ.get("QUERY_STRING") or None
        return page_from_environment(cls, settings)

    # --- the state's settings, as before the split ----------------------------------------
    @property
    def params_dir(self) -> Path:
        """The parameter folder."""
        return self.state.params_dir

    @property
    def lang(self) -> Lang:
        """The page's language."""
        return self.state.lang

    @property
    def scenario_name(self) -> str:
        """The chosen scenario."""
        return self.state.scenario_name

    @property
    def overrides(self) -> dict[str, Any]:
        """The planner's changes to the chosen scenario."""
        return self.state.overrides

    @property
    def scenario(self) -> Scenario:
        """The scenario shown (the last one resolved without refusal)."""
        return self.state.scenario

    @property
    def mc(self) -> MonteCarlo | None:
        """The draws behind the band and the probability cards."""
        return self.state.mc

    # --- building ------------------------------------------------------------------------
    def _build(self) -> None:
        paths = schema.numeric_paths()
        self.title = w.HTML()
        self.language = language_toggle(self.lang)
        self.language.layout.min_width = "180px"  # side by side, not stacked
        self.picker = w.Dropdown(
            options=self.state.scenario_choices(), value=self.state.scenario_name
        )
        self.picker.add_class("sim-scenario")
        self.picker_note = w.HTML()
        self.reset = w.Button(
            icon="undo", layout=w.Layout(width="auto", min_width="max-content", flex="0 0 auto")
        )
        self.reset.add_class("sim-reset")

        self.sliders: dict[str, w.ValueWidget] = {}
        for path in SLIDER_PATHS:
            meta = paths[path]
            cls = w.IntSlider if meta["integer"] else w.FloatSlider
            kw = {} if meta["integer"] else {"readout_format": render.readout_format(meta)}
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
            s.observe(self._lever_handler(path), names="value")
            self.sliders[path] = s

        self.presets: dict[str, w.ToggleButtons] = {}
        self.campaign_titles: dict[str, w.HTML] = {}
        self.level_notes: dict[str, w.HTML] = {}
        for c in schema.CAMPAIGNS:
            t = w.ToggleButtons(options=[(lv, lv) for lv in render.LEVELS])
            t.style.button_width = "90px"
            t.add_class("sim-preset")
            t.add_class(f"sim-preset-{c}")
            t.observe(self._bind(self.state.set_preset, c), names="value")
            self.presets[c] = t
            self.campaign_titles[c] = w.HTML()
            self.level_notes[c] = w.HTML()
            self.level_notes[c].add_class(f"sim-level-note-{c}")

        self.shock_boxes: dict[str, w.Checkbox] = {}
        for name in self.state.shocks:
            cb = w.Checkbox(indent=False, layout=w.Layout(width="auto"))
            cb.add_class(f"sim-shock-{name}")
            cb.observe(self._bind(self.state.set_shock, name), names="value")
            self.shock_boxes[name] = cb

        self.cards = {"gdp": w.HTML(), "industrial_output": w.HTML()}
        self.cards["gdp"].add_class("sim-headline-gdp")
        self.cards["industrial_output"].add_class("sim-headline-industrial-output")
        self.status = w.HTML()
        self.status.add_class("sim-status")
        self.warnings = w.HTML()
        self.warnings.add_class("sim-warnings")
        self.link = w.HTML()
        self.link.add_class("sim-link")
        self.show_band = w.Checkbox(
            value=self.state.show_band, indent=False, layout=w.Layout(width="auto")
        )
        self.show_band.add_class("sim-uncertainty")
        self.show_band.observe(self._bind(self.state.set_band), names="value")

        self.path_charts = {i: PathChart(i) for i in HEADLINES}
        self.waterfalls = {i: WaterfallChart(i) for i in HEADLINES}
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
        self.save_confirm = w.Button(button_style="warning", layout=w.Layout(display=HIDDEN))
        self.save_confirm.add_class("sim-save-confirm")
        self.save_status = w.HTML()
        self.save_status.add_class("sim-save-status")
        self.save_undo = w.Button(icon="undo", layout=w.Layout(display=HIDDEN))
        self.save_undo.add_class("sim-save-undo")
        self.save_undo.on_click(lambda _: self._on_undo())
        self.save_by = w.Text(layout=w.Layout(width="200px"))
        self.save_by.add_class("sim-save-by")
        self.save_by.observe(self._on_saver, names="value")
        self.history = w.Dropdown(options=[], layout=w.Layout(width="260px"))
        self.history.add_class("sim-history")
        self.restore_button = w.Button(icon="history")
        self.restore_button.add_class("sim-restore")
        self.restore_button.on_click(lambda _: self._on_restore())
        self.history_box = w.HBox(
            [self.history, self.restore_button], layout=w.Layout(display=HIDDEN)
        )

        self.language.observe(self._on_language, names="value")
        self.picker.observe(self._on_picker, names="value")
        self.reset.on_click(self._on_reset)
        self.excel.on_click(self._on_excel)
        self.save_button.on_click(lambda _: self._on_save(overwrite=False))
        self.save_confirm.on_click(lambda _: self._on_save(overwrite=True))

        self.section_titles = {
            k: w.HTML() for k in ("levers", "shocks", "save_title", "history_title")
        }
        self.table_title = w.HTML()
        self.other_box = w.Accordion(
            children=[w.VBox([self.sliders[p] for p in OTHER_ASSUMPTIONS])]
        )
        self.other_box.selected_index = None
        self.widget = self._layout()

    def _layout(self) -> w.VBox:
        """The page: header, levers on the left, results on the right."""
        campaigns = []
        for c in schema.CAMPAIGNS:
            campaigns += [self.campaign_titles[c], self.presets[c], self.level_notes[c]]
            campaigns += [self.sliders[p] for p in schema.lever_paths(c)]
        left = w.VBox(
            [
                self.section_titles["levers"],
                *campaigns,
                self.section_titles["shocks"],
                *self.shock_boxes.values(),
                self.other_box,
                self.section_titles["save_title"],
                w.HBox([self.save_name, self.save_by]),
                w.HBox([self.save_button, self.save_confirm, self.save_undo]),
                self.save_status,
                self.section_titles["history_title"],
                self.history_box,
            ],
            layout=w.Layout(width="500px", min_width="440px", padding="0 12px 0 0"),
        )
        cards = w.HBox(
            [self.cards["gdp"], self.cards["industrial_output"]],
            layout=w.Layout(justify_content="space-between", grid_gap="12px"),
        )
        pair = lambda a, b: w.HBox([a, b], layout=w.Layout(width="100%"))  # noqa: E731
        self.results = right = w.VBox(
            [
                self.status,
                cards,
                self.show_band,
                self.warnings,
                pair(self.path_charts["gdp"].figure, self.path_charts["industrial_output"].figure),
                pair(self.waterfalls["gdp"].figure, self.waterfalls["industrial_output"].figure),
                pair(self.fai_chart.figure, self.funnel_chart.figure),
                self.table_title,
                self.table,
                w.HBox([self.excel, self.excel_link], layout=w.Layout(align_items="center")),
                self.link,
            ],
            layout=w.Layout(flex="1 1 auto", min_width="640px"),
        )
        right.add_class("sim-results")
        main = w.HBox([left, right])
        main.add_class("sim-main")
        header = w.HBox(
            [self.title, w.HBox([self.picker, self.reset, self.language])],
            layout=w.Layout(justify_content="space-between", align_items="center"),
        )
        page = w.VBox(
            [w.HTML(CSS), header, self.picker_note, main],
            layout=w.Layout(padding="8px"),
        )
        page.add_class("sim-app")
        return page

    # --- events: update the state, then render ------------------------------------------
    def _bind(self, setter: Callable[..., bool], *key: str) -> Callable[[dict], None]:
        """An observer that passes a control's new value to ``setter(*key, value)`` and
        renders (not while the page itself sets the control)."""

        def handler(change: dict) -> None:
            if self._syncing:
                return
            setter(*key, change["new"])
            self._render()

        return handler

    def _lever_handler(self, path: str) -> Callable[[dict], None]:
        """A slider's observer. A move that reaches the kernel just after a scenario switch
        (sent before it: a key press then a click on the picker) belongs to the scenario
        left behind: it is dropped and the slider put back, so a switch always starts from
        the chosen scenario's saved values."""
        bound = self._bind(self.state.set_lever, path)

        def handler(change: dict) -> None:
            if not self._syncing and time.monotonic() - self._switched_at < SWITCH_GRACE_S:
                self._sync_controls(self.state.scenario.params, self.state.overrides)
                return
            bound(change)

        return handler

    def _on_language(self, change: dict) -> None:
        self.state.set_language(change["new"])  # messages, cards and link in it
        self._relabel()
        self._render()

    def _on_picker(self, change: dict) -> None:
        if self._syncing or change["new"] is None:
            return
        self.state.choose_scenario(change["new"])
        self._switched_at = time.monotonic()
        self._show_history()
        self._render()
        # said once: the new scenario starts from its own values
        self.status.value = render.status_html(tr("scenario_switched", self.lang))

    def _on_reset(self, _: Any = None) -> None:
        if self.picker.value == "baseline":
            self.state.reset()
            self._render()
        else:
            self.picker.value = "baseline"

    def _on_excel(self, _: Any = None) -> None:
        state = self.state
        self.excel_link.value = render.excel_link_html(state.excel_name(), state.excel(), self.lang)

    def _on_saver(self, change: dict) -> None:
        self.state.saver = str(change["new"]).strip()

    def _on_undo(self) -> None:
        self.save_undo.layout.display = HIDDEN
        done = self.state.undo_save()
        if done.kind == "error":
            self.save_status.value = render.save_refused_html(done, self.lang)
            return
        self.save_status.value = render.undone_html(done.name, self.lang)
        self._show_history()
        if self.state.scenario_name == done.name:  # the state re-ran it: show it
            self._render()

    def _on_restore(self) -> None:
        version = self.history.value
        if not version:
            return
        at = next((v.saved_at for v in self.state.history() if v.version_id == version), "")
        done = self.state.restore(version)
        if done.kind == "error":
            self.save_status.value = render.save_refused_html(done, self.lang)
            return
        self.save_status.value = render.restored_html(done.name, at, self.lang)
        self._show_history()
        self._render()

    def _show_history(self) -> None:
        """The chosen scenario's kept versions (a planner's saved one only)."""
        kept = self.state.history()
        self.history.options = [
            (tr("history_item", self.lang, at=v.saved_at or v.version_id, by=v.saved_by or "—"),
             v.version_id)
            for v in kept
        ]  # fmt: skip
        shown = SHOWN if kept else HIDDEN
        self.history_box.layout.display = shown
        self.section_titles["history_title"].layout.display = shown

    def _on_save(self, overwrite: bool) -> None:
        name = self.save_name.value
        self.save_confirm.layout.display = HIDDEN
        self.save_undo.layout.display = HIDDEN
        done = self.state.save(name, overwrite=overwrite)
        if done.kind == "exists":
            self.save_status.value = render.save_exists_html(done, self.lang)
            self.save_confirm.layout.display = SHOWN
            return
        if done.kind != "saved" or done.path is None:
            self.save_status.value = render.save_refused_html(done, self.lang)
            return
        if done.undoable:  # the previous version is kept: offer to put it back
            self.save_undo.layout.display = SHOWN
        self.save_status.value = render.saved_html(done.path, done.had_changes, self.lang)
        self._syncing = True
        try:
            self.picker.options = self.state.scenario_choices()
            self.picker.value = done.name
        finally:
            self._syncing = False
        self._show_history()
        self._render()

    # --- rendering -----------------------------------------------------------------------
    def _render(self) -> None:
        """Show the state: its result, or why the settings are refused."""
        if self.state.result is None:
            self._show_refused()
        else:
            self._show(self.state.result)

    def _show_refused(self) -> None:
        """A combination the model cannot run: say why, and show no stale numbers."""
        lang = self.lang
        self.status.value = render.status_html(self.state.refusal_message())
        self.results.add_class("sim-stale")
        for name, card in self.cards.items():
            card.value = render.refused_card_html(name, lang)
        self.table.value = ""
        self.warnings.value = ""
        self.warnings.layout.display = "none"
        self.excel_link.value = ""
        self.excel.disabled = True  # the last good result is not the current setting
        # the controls show the settings as they are (the scenario's values, the refused
        # change where it was made) and the link keeps them: the planner sees what to undo
        self._sync_controls(self.state.scenario.params, self.state.overrides)
        self.link.value = render.link_html(self.state.query(), lang)
        self.n_updates += 1

    def _show(self, res: Result) -> None:
        state, lang = self.state, self.lang
        self.result = res
        if state.context() != self._shown_ctx:  # targets or years changed
            self._shown_ctx = state.context()
            self._relabel()
        self._sync_controls(state.scenario.params)
        self._apply_bounds()
        self.results.remove_class("sim-stale")
        self.excel.disabled = False
        self.status.value = render.status_html(state.take_query_note())  # said once
        base = state.baseline
        head = summary.headline(res)
        prob = state.probability()
        year = state.plan_year()
        for name, card in self.cards.items():
            card.value = render.card_html(
                name,
                head[name],
                base.head[name],
                year,
                lang,
                prob=prob,
                basis=(BAND_DRAWS, DEFAULT_SEED),
                mc_failed=state.mc_failed,
            )
        for name, chart in self.path_charts.items():
            path = summary.cumulative_path(res, name)
            chart.update(path, base.paths[name], state.band(name))
        for name, chart in self.waterfalls.items():
            chart.update(summary.waterfall(res, name))
        self.fai_chart.update(summary.fai_by_month(res), base.fai)
        self.funnel_chart.update(summary.funnel(res), base.funnel)
        annual = res.annual().set_index("year")
        self.table.value = render.table_html(
            annual, base.annual, summary.TABLE_KEYS, year, state.context(), lang
        )
        self.picker_note.value = render.changes_note_html(len(state.overrides), lang)
        found = state.warnings()
        self.warnings.layout.display = "" if found else "none"
        self.warnings.value = render.warnings_html(found, lang)
        self.link.value = render.link_html(state.query(), lang)
        self._show_level_notes(state.scenario.params)
        self.excel_link.value = ""
        self.n_updates += 1

    def _apply_bounds(self) -> None:
        """Slider ranges from the state's cross-lever rules (so that dragging cannot
        reach a refused state); a slider's value is clamped, not taken as a change."""
        meta = schema.numeric_paths()
        self._syncing = True
        try:
            for path, (lo, hi) in self.state.bounds().items():
                s = self.sliders[path]
                if (s.min, s.max) != (lo, hi):
                    s.min, s.max = meta[path]["lo"], meta[path]["hi"]  # widen, then narrow
                    s.max, s.min = hi, lo
        finally:
            self._syncing = False

    def _show_level_notes(self, params: schema.Params) -> None:
        """Under each preset, what its chosen level means; on hover, what each means."""
        lang, numeric = self.lang, schema.numeric_paths()
        for c, note in self.level_notes.items():
            presets = params.campaign_presets.get(c, {})
            level = getattr(params.campaigns, c)
            note.value = render.level_note_html(
                render.level_text(presets.get(level, {}), numeric, level, lang)
            )
            tips = [
                render.level_text(presets.get(lv, {}), numeric, lv, lang) for lv in render.LEVELS
            ]
            if list(self.presets[c].tooltips or []) != tips:
                self.presets[c].tooltips = tips

    def _sync_controls(self, params: schema.Params, overrides: dict | None = None) -> None:
        """Set the controls to ``params`` (and the sliders named in ``overrides`` to
        those values), without reacting to the changes."""
        self._syncing = True
        try:
            for path, s in self.sliders.items():
                v = (overrides or {}).get(path, param_value(params, path))
                if s.value != v:
                    s.value = v
            for c, t in self.presets.items():
                t.value = getattr(params.campaigns, c)
            for name, cb in self.shock_boxes.items():
                cb.value = bool(params.shocks[name].enabled) if name in params.shocks else False
        finally:
            self._syncing = False

    def _relabel(self) -> None:
        state = self.state
        lang, ctx = self.lang, state.context()
        self.title.value = render.title_html(ctx, lang)
        self.picker.description = tr("scenario", lang)
        self._syncing = True
        try:
            value = self.picker.value
            self.picker.options = state.scenario_choices()
            self.picker.value = value
        finally:
            self._syncing = False
        self.reset.description = tr("reset", lang)
        self.reset.tooltip = tr("reset_tip", lang)
        paths = schema.numeric_paths()
        sources = state.scenario.params.sources
        for path, s in self.sliders.items():
            meta = paths[path]
            s.description = render.lever_description(path, meta, lang)
            source = sources.get(path, meta["source"])  # the value's own source
            s.tooltip = render.lever_tooltip(path, meta, source, lang)
        self._syncing = True
        try:
            for c, t in self.presets.items():
                value = t.value
                t.options = [(tr(f"level_{lv}", lang), lv) for lv in render.LEVELS]
                t.value = value
                self.campaign_titles[c].value = render.panel_title_html(tr(f"campaign_{c}", lang))
        finally:
            self._syncing = False
        for name, cb in self.shock_boxes.items():
            cb.description = shock_label(state.shocks[name], name, lang)
        for k, h in self.section_titles.items():
            h.value = render.panel_title_html(tr(k, lang))
        self.other_box.set_title(0, tr("other_assumptions", lang))
        self.table_title.value = render.panel_title_html(tr("table_title", lang))
        self.excel.description = tr("excel", lang)
        self.show_band.description = tr("show_band", lang, n=BAND_DRAWS)
        self.save_name.placeholder = tr("save_name", lang)
        self.save_button.description = tr("save", lang)
        self.save_confirm.description = tr("save_confirm", lang)
        self.save_undo.description = tr("save_undo", lang)
        self.save_by.placeholder = tr("save_by", lang)
        self.restore_button.description = tr("history_restore", lang)
        self._show_history()
        charts = [*self.path_charts.values(), *self.waterfalls.values()]
        for ch in (*charts, self.fai_chart, self.funnel_chart):
            ch.relabel(lang, ctx)
