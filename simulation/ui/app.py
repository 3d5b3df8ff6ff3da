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
``sim-save-status``, ``sim-status``, ``sim-table``, ``sim-results`` (with
``sim-stale`` while a setting is refused), ``sim-warnings``, ``sim-link`` (the pathway's
link, ``sim-link-text`` and ``sim-copy-link`` inside), ``sim-level-note-<campaign>``,
``sim-mc-basis``.
"""

from __future__ import annotations

import base64
import html
import logging
import os
import re
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from .. import summary
from ..consistency import DrawError
from ..economy import schema
from ..economy.investment import InvestmentBaseError
from ..export import export_name, write_excel
from ..labels import (
    Lang,
    column_label,
    context,
    param_label,
    plain_text,
    scenario_label,
    shock_label,
    tr,
    unit_label,
)
from ..plausibility import flags
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
from .pathway import from_query, to_query

log = logging.getLogger(__name__)

#: Parameters shown under "other assumptions": labelled in the schema, not a lever.
OTHER_ASSUMPTIONS = tuple(
    p
    for p, m in schema.numeric_paths().items()
    if m["label_zh"] and not m["campaign"] and not p.startswith(("targets.", "drivers."))
)
PERCENT_UNITS = ("share", "per year")
#: How a value was made: the first word of its source, as ``calibrate`` writes it
#: (``DATA: …``) or as the schema does (``[judgement] …``).
SOURCE_KIND = re.compile(r"\W*(DATA|ESTIMATED|FIT|PRIOR|JUDGEMENT|DERIVED)\b", re.IGNORECASE)
#: Assumptions whose feasible range depends on others (the base year's FAI must hold the
#: pipeline's spending; the implied value-added rate must stay plausible): their sliders
#: are narrowed to what the model accepts.
COUPLED = ("pipeline.realised_share", "base_year.construction_share_of_secondary")
#: Draws of the live uncertainty band and probability cards: the uncertainty page's
#: default, so that with the same seed both pages show the same probability (≈31 ms a
#: move; sampling error of a probability near 15%: ±1.1 points).
BAND_DRAWS = 1000
#: Slider steps searched for the feasible end of a coupled lever (2^k steps).
FEASIBLE_SEARCH_STEPS = 9

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
/* the results stay in view while the levers scroll: a sticky panel with its own scroll
   (ipywidgets boxes default to overflow: auto, which would stop sticky at the page's box) */
.sim-app, .sim-main, .jp-OutputArea:has(.sim-app), .jp-OutputArea-child:has(.sim-app),
.jp-OutputArea-output:has(.sim-app) { overflow: visible !important; }
.sim-results { position: sticky !important; top: 0; align-self: flex-start;
  max-height: 100vh; overflow-y: auto !important; }
.sim-results > * { flex-shrink: 0; }
.sim-stale .sim-card, .sim-stale .bqplot, .sim-stale .sim-table, .sim-stale .sim-warnings {
  opacity: 0.3; filter: grayscale(1); }
.sim-warnings ul { margin: 4px 0; padding-left: 18px; }
.sim-warnings { background: #fff7e6; border-left: 6px solid #e08a1e; font-size: 13px;
  padding: 2px 10px; }
.sim-warnings:empty { display: none; }
.sim-level-note { color: #555; font-size: 12px; margin: -2px 0 4px 4px; }
.sim-link { font-size: 12px; color: #555; }
.sim-link input { width: 70%; font-size: 11px; color: #333; }
.sim-mc-basis { color: #777; font-size: 12px; }
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


def _format_value(value: float, meta: dict[str, Any], lang: Lang) -> str:
    """A lever's value as its slider shows it, with its unit."""
    if meta["unit"] in PERCENT_UNITS:
        return f"{value:.1%}"
    text = format(value, _readout_format(meta)) if not meta["integer"] else f"{int(value)}"
    return f"{text} {unit_label(meta['unit'], lang)}"


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
    query : str, optional
        A pathway link's query (``scenario=…&lang=…&<lever>=…``, see
        :mod:`simulation.ui.pathway`): opens that pathway, or the baseline with a message
        when any part of it cannot be used.

    Attributes
    ----------
    widget : ipywidgets.Box
        The whole page; display it.
    result : Result
        The result on screen.
    """

    def __init__(
        self,
        params_dir: str | Path | None = None,
        scenario: str = "baseline",
        lang: Lang = "zh",
        query: str | None = None,
    ):
        self.params_dir = Path(params_dir) if params_dir else PARAMS_DIR
        self.lang: Lang = lang
        self.scenario_name = scenario
        self.overrides: dict[str, Any] = {}
        self._syncing = False
        self._moved: str | None = None  # the lever the planner moved last
        self._bounds_key: tuple | None = None
        self.n_updates = 0
        self._query_note = ""
        if query:
            self._read_query(query)
        self._build()
        self._baseline = self._run_baseline()
        try:  # labels need a scenario even if the first settings are refused
            self.scenario = load_scenario(self.scenario_name, None, self.params_dir)
        except ScenarioError:
            self.scenario = load_scenario("base", None, self.params_dir)
        self._recompute()
        self._relabel()

    def _read_query(self, query: str) -> None:
        base = load_scenario("base", params_dir=self.params_dir).params
        way = from_query(
            query,
            self._scenario_names(),
            base.shocks,
            (*schema.lever_paths(), *OTHER_ASSUMPTIONS),
        )
        if way.lang:
            self.lang = way.lang  # type: ignore[assignment]
        if way.problems:
            known = schema.numeric_paths()
            named = [  # a lever by its label, not its path
                (k, {**f, "field": param_label(f["field"], self.lang)})
                if f.get("field") in known
                else (k, f)
                for k, f in way.problems[:5]
            ]
            sep = "；" if self.lang == "zh" else "; "
            parts = sep.join(tr(k, self.lang, **f) for k, f in named)
            self._query_note = tr("query_refused", self.lang, problems=parts)
            log.warning("pathway link refused: %s", way.problems)
        self.scenario_name, self.overrides = way.scenario, dict(way.overrides)

    @classmethod
    def from_environment(cls) -> Any:
        """Dashboard configured by ``SIM_PARAMS_DIR`` and ``SIM_LANG`` (both optional) and
        the page's query (``QUERY_STRING``, set by Voila: a pathway link); with a city
        picker when ``SIM_PARAMS_DIR`` is a folder of city folders (links then open the
        first city's baseline)."""
        from .cities import city_folders, page_from_environment

        settings = environment_settings()
        root = settings.get("params_dir")
        if not (root and city_folders(root)):
            settings["query"] = os.environ.get("QUERY_STRING") or None
        return page_from_environment(cls, settings)

    # --- building ------------------------------------------------------------------------
    def _build(self) -> None:
        paths = schema.numeric_paths()
        self.title = w.HTML()
        self.language = language_toggle(self.lang)
        self.language.layout.min_width = "180px"  # side by side, not stacked
        self.picker = w.Dropdown(options=self._picker_options(), value=self.scenario_name)
        self.picker.add_class("sim-scenario")
        self.picker_note = w.HTML()
        self.reset = w.Button(icon="undo", layout=w.Layout(width="auto"))
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
        self.level_notes: dict[str, w.HTML] = {}
        for c in schema.CAMPAIGNS:
            t = w.ToggleButtons(options=[("plan", "plan"), ("weak", "weak"), ("strong", "strong")])
            t.style.button_width = "90px"
            t.add_class("sim-preset")
            t.add_class(f"sim-preset-{c}")
            t.observe(self._on_preset(c), names="value")
            self.presets[c] = t
            self.campaign_titles[c] = w.HTML()
            self.level_notes[c] = w.HTML()
            self.level_notes[c].add_class(f"sim-level-note-{c}")

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
        self.warnings = w.HTML()
        self.warnings.add_class("sim-warnings")
        self.link = w.HTML()
        self.link.add_class("sim-link")
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
        self.widget = w.VBox(
            [w.HTML(CSS), header, self.picker_note, main],
            layout=w.Layout(padding="8px"),
        )
        self.widget.add_class("sim-app")

    def _scenario_names(self) -> list[str]:
        return [n for n, _ in list_scenarios(self.params_dir)]

    def _picker_options(self) -> list[tuple[str, str]]:
        """(display name in the page's language, scenario name) for the picker."""
        return [(scenario_label(n, d, self.lang), n) for n, d in list_scenarios(self.params_dir)]

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
            self._moved = path
            self._recompute()

        return handler

    def _on_preset(self, campaign: str):
        def handler(change: dict) -> None:
            if self._syncing:
                return
            for p in schema.lever_paths(campaign):  # a preset sets all of its levers
                self.overrides.pop(p, None)
            self.overrides[f"campaigns.{campaign}"] = change["new"]
            self._moved = None
            self._recompute()

        return handler

    def _on_shock(self, name: str):
        def handler(change: dict) -> None:
            if self._syncing:
                return
            self.overrides[f"shocks.{name}.enabled"] = bool(change["new"])
            self._moved = None
            self._recompute()

        return handler

    def _on_language(self, change: dict) -> None:
        self.lang = change["new"]
        self._relabel()
        self._recompute()  # messages, cards and link in the new language

    def _on_picker(self, change: dict) -> None:
        if self._syncing or change["new"] is None:
            return
        self.scenario_name = change["new"]
        self.overrides = {}
        self._moved = None
        self._recompute()

    def _on_reset(self, _=None) -> None:
        if self.picker.value == "baseline":
            self.overrides = {}
            self._moved = None
            self._recompute()
        else:
            self.picker.value = "baseline"

    def _on_excel(self, _=None) -> None:
        data = write_excel(self.result, lang=self.lang)
        shown = scenario_label(self.scenario.name, self.scenario.description, self.lang)
        name = html.escape(export_name(self.scenario.params, shown, "xlsx"))
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
            self.picker.options = self._picker_options()
            self.picker.value = path.stem
        finally:
            self._syncing = False
        self.scenario_name = path.stem
        self.overrides = {}
        if path.stem == "baseline":  # the comparison line moves with a new baseline
            self._baseline = self._run_baseline()
        self._recompute()

    # --- updating ------------------------------------------------------------------------
    def _run(self, overrides: dict[str, Any]) -> tuple[Scenario, Result]:
        sc = load_scenario(self.scenario_name, overrides, self.params_dir)
        return sc, simulate(sc)

    def _recompute(self) -> None:
        """Re-run on the current settings; any refusal greys the results out (never a
        number that is not the current setting) and says which lever, in which range."""
        try:
            sc, res = self._run(self.overrides)
        except Exception as e:  # noqa: BLE001 - every refusal is shown, none escapes
            self._show_refused(e)
            return
        self._show(sc, res)

    def _feasible(self, path: str, value: float) -> bool:
        try:
            self._run({**self.overrides, path: value})
        except Exception:  # noqa: BLE001 - any refusal makes the value infeasible
            return False
        return True

    def _feasible_range(self, path: str, anchor: float) -> tuple[float, float]:
        """The slider values around the feasible ``anchor`` that the model accepts, the
        other settings held: a bisection to one slider step at each end."""
        meta = schema.numeric_paths()[path]
        step = meta["step"] or 1
        ends = []
        for end in (meta["lo"], meta["hi"]):
            if self._feasible(path, end):
                ends.append(end)
                continue
            good, bad = anchor, end
            for _ in range(FEASIBLE_SEARCH_STEPS + 4):
                if abs(bad - good) <= step:
                    break
                mid = (good + bad) / 2
                good, bad = (mid, bad) if self._feasible(path, mid) else (good, mid)
            snapped = round(round((good - meta["lo"]) / step) * step + meta["lo"], 10)
            # keep to the feasible side of the grid point
            if (end > anchor and snapped > good) or (end < anchor and snapped < good):
                snapped = round(snapped - step if end > anchor else snapped + step, 10)
            ends.append(snapped)
        return ends[0], ends[1]

    def _culprit(self) -> tuple[str, float] | None:
        """The lever that makes the settings refused, with a value the model accepts:
        the one moved last, else (a link, a preset) the first override whose removal
        alone makes the settings run."""
        candidates = [self._moved] if self._moved in self.sliders else []
        candidates += [p for p in self.overrides if p in self.sliders and p not in candidates]
        for path in candidates:
            rest = {k: v for k, v in self.overrides.items() if k != path}
            try:
                sc, _ = self._run(rest)
            except Exception:  # noqa: BLE001 - not this one alone
                continue
            return path, _get(sc.params, path)
        return None

    def _refusal_message(self, error: Exception) -> str:
        lang = self.lang
        found = self._culprit()
        if found is not None and self.overrides.get(found[0]) is not None:
            path, start = found
            lo, hi = self._feasible_range(path, start)
            meta = schema.numeric_paths()[path]
            return tr(
                "refused_lever",
                lang,
                label=param_label(path, lang),
                value=_format_value(self.overrides[path], meta, lang),
                lo=_format_value(lo, meta, lang),
                hi=_format_value(hi, meta, lang),
            )
        if isinstance(error, ScenarioError):
            what = tr("refused_what_scenario", lang)
        elif isinstance(error, (InvestmentBaseError, DrawError, ValueError)):
            what = tr("refused_what_model", lang)
        else:
            what = tr("refused_what_unknown", lang)
        return tr("refused_other", lang, what=what)

    def _show_refused(self, error: Exception) -> None:
        """A combination the model cannot run: say why, and show no stale numbers."""
        log.warning("settings refused: %s", error, exc_info=not isinstance(error, ValueError))
        lang = self.lang
        self.status.value = html.escape(self._refusal_message(error))
        self.results.add_class("sim-stale")
        for name, card in self.cards.items():
            card.value = (
                f'<div class="sim-card"><div class="t">{tr(name, lang)}</div>'
                f'<div class="v">—</div><div class="g">{tr("error", lang)}</div></div>'
            )
        self.table.value = ""
        self.warnings.value = ""
        self.warnings.layout.display = "none"
        self.excel_link.value = ""
        self.excel.disabled = True  # the last good result is not the current setting
        self.n_updates += 1

    def _monte_carlo(self, sc: Scenario) -> MonteCarlo | None:
        """The band's and cards' draws: the uncertainty page's (the scenario's own
        distributions, else the shipped uncertainty scenario's; the scenario's shocks;
        :data:`BAND_DRAWS` draws, :data:`DEFAULT_SEED`), the same on every move."""
        self._mc_failed = False
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
            self._mc_failed = True  # said on the page: no probability rather than a wrong one
            return None

    def _apply_bounds(self) -> None:
        """Slider ranges that follow the cross-lever rules, so that dragging cannot reach
        a refused state: January signings within the year's; the coupled assumptions
        (资金落地率, construction share) within what the base year's FAI allows."""
        pl = self.scenario.params.pipeline
        jan = self.sliders["pipeline.january_signed_100m_cny"]
        year = self.sliders["pipeline.signed_annual_100m_cny"]
        # the coupled limits are base-year rules: campaign levers (plan year on) leave them
        key = (
            self.scenario_name,
            tuple(sorted((k, str(v)) for k, v in self.overrides.items() if k in OTHER_ASSUMPTIONS)),
        )
        self._syncing = True
        try:
            meta = schema.numeric_paths()
            jan.max = max(meta["pipeline.january_signed_100m_cny"]["lo"], pl.signed_annual_100m_cny)
            year.min = min(
                pl.january_signed_100m_cny, meta["pipeline.signed_annual_100m_cny"]["hi"]
            )
            if key != self._bounds_key:  # a bisection per coupled lever: only when needed
                self._bounds_key = key
                for path in COUPLED:
                    lo, hi = self._feasible_range(path, _get(self.scenario.params, path))
                    s = self.sliders[path]
                    s.min, s.max = meta[path]["lo"], meta[path]["hi"]  # widen, then narrow
                    s.max, s.min = hi, lo
        finally:
            self._syncing = False

    def _show(self, sc: Scenario, res: Result) -> None:
        self.scenario, self.result = sc, res
        if self._ctx() != getattr(self, "_shown_ctx", None):  # targets or years changed
            self._shown_ctx = self._ctx()
            self._relabel()
        self._sync_controls(sc.params)
        self._apply_bounds()
        self.results.remove_class("sim-stale")
        self.excel.disabled = False
        self.status.value = html.escape(self._query_note)
        self._query_note = ""  # said once, when the link is opened
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
        changed = tr("n_changes", self.lang, n=len(self.overrides)) if self.overrides else ""
        self.picker_note.value = f'<span class="sim-sub">{html.escape(changed)}</span>'
        self._show_warnings(res)
        self._show_link()
        self._show_level_notes(sc.params)
        self.excel_link.value = ""
        self.n_updates += 1

    def _show_warnings(self, res: Result) -> None:
        """The warnings strip: each check the pathway fails, one sentence."""
        lang = self.lang
        found = flags(res)
        self.warnings.layout.display = "" if found else "none"
        if not found:
            self.warnings.value = ""
            return
        items = "".join(f"<li>{html.escape(tr(f.key, lang, **f.values))}</li>" for f in found)
        self.warnings.value = f"<b>⚠ {tr('warnings_title', lang)}</b><ul>{items}</ul>"

    def _show_link(self) -> None:
        """The pathway's link: in the address bar and copyable from a button."""
        query = html.escape(to_query(self.scenario_name, self.overrides, self.lang), quote=True)
        copied = html.escape(tr("link_copied", self.lang), quote=True)
        self.link.value = (
            f"<div>{html.escape(tr('link_title', self.lang))}</div>"
            f'<input class="sim-link-text" readonly data-query="{query}" value="?{query}">'
            '<button class="sim-copy-link" onclick="'
            "const i=this.previousElementSibling;"
            "i.value=location.origin+location.pathname+'?'+i.dataset.query;i.select();"
            "(navigator.clipboard?navigator.clipboard.writeText(i.value):Promise.reject())"
            ".catch(()=>document.execCommand('copy'));"
            f"this.textContent='{copied}';\">{html.escape(tr('copy_link', self.lang))}</button>"
            # keep the address bar on the pathway (the empty image fails at once, on purpose)
            '<img alt="" style="display:none" src="data:," onerror="'
            f"try{{history.replaceState(null,'','?{query}')}}catch(e){{}}\">"
        )

    def _level_text(self, params: schema.Params, campaign: str, level: str) -> str:
        """What a campaign's level means, in levers (from the folder's presets)."""
        lang = self.lang
        paths = schema.numeric_paths()
        deltas = params.campaign_presets.get(campaign, {}).get(level, {})
        parts = []
        for path, d in deltas.items():
            meta = paths[path]
            if meta["unit"] in PERCENT_UNITS:
                amount = tr("delta_points", lang, v=100 * d)
            else:
                amount = tr("delta_unit", lang, v=d, unit=unit_label(meta["unit"], lang))
            parts.append(f"{param_label(path, lang)} {amount}")
        sep = "、" if lang == "zh" else ", "
        text = sep.join(parts) if parts else tr("level_plan_means", lang)
        return tr("level_means", lang, level=tr(f"level_{level}", lang), what=text)

    def _show_level_notes(self, params: schema.Params) -> None:
        """Under each preset, what its chosen level means; on hover, what each means."""
        for c, note in self.level_notes.items():
            line = self._level_text(params, c, getattr(params.campaigns, c))
            note.value = f'<div class="sim-level-note">{html.escape(line)}</div>'
            tips = [self._level_text(params, c, lv) for lv in ("plan", "weak", "strong")]
            if list(self.presets[c].tooltips or []) != tips:
                self.presets[c].tooltips = tips

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
            basis = tr("mc_basis", lang, n=BAND_DRAWS, seed=DEFAULT_SEED)
            chance = (
                f'<div class="p">{tr("probability", lang)} <b>{prob[name]:.0%}</b> · '
                f"{tr('probability_both', lang)} {prob['both']:.0%} "
                f'<span class="sim-mc-basis">({basis})</span></div>'
            )
        elif getattr(self, "_mc_failed", False):
            chance = f'<div class="p sim-mc-basis">{tr("mc_failed", lang)}</div>'

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
        self._syncing = True
        try:
            value = self.picker.value
            self.picker.options = self._picker_options()
            self.picker.value = value
        finally:
            self._syncing = False
        self.reset.description = tr("reset", lang)
        self.reset.tooltip = tr("reset_tip", lang)
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
            lo, hi = (_format_value(meta[k], meta, lang) for k in ("lo", "hi"))
            found = SOURCE_KIND.match(src)
            kind = found.group(1).upper() if found else ""
            lines = [
                param_label(path, lang),
                # the schema's descriptions are English: shown in English only, glossed
                plain_text(meta["description"], lang) if lang == "en" else "",
                f"{tr('range', lang)}: {lo} – {hi}",
                tr(f"source_{kind.lower()}", lang) if kind else "",
                tr("source_see", lang),
            ]
            s.tooltip = "\n".join(x for x in lines if x)
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
