"""The register and tracking page (``notebooks/projects_and_tracking.ipynb``).

Upload a project register and an actuals file (size-limited; stored under a sanitised,
time-stamped name in ``uploads/`` beside the parameter folder's files, never over a
shipped file), see the row-by-row import report, the pipeline by month, the county league
table, the projects at risk, and actual vs plan vs re-forecast. Test hooks:
``sim-p-upload``, ``sim-p-actuals-upload``, ``sim-p-status``, ``sim-p-report``,
``sim-p-funnel``, ``sim-p-league``, ``sim-p-risk``, ``sim-p-track-status``,
``sim-p-tracking-gdp``, ``sim-p-tracking-industrial-output``, ``sim-p-scenario``,
``sim-p-excel``, ``sim-p-excel-link``, ``sim-p-brief``, ``sim-p-brief-link``,
``sim-language``.

Every text is in the page's language and follows the toggle: status lines, the row
report, refusals of a file (:meth:`simulation.io.register.LocalizedError.text`), table
headers and the tracking lines are kept as functions of the language and drawn again
when it changes.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import html
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bqplot as bq
import ipywidgets as w
import numpy as np
import pandas as pd

from ...analyses import register_views as views
from ...analyses.driver_effects import step_label
from ...analyses.tracking import ActualsError, read_actuals, release_label, track
from ...io.atomic import write_bytes
from ...io.errors import ScenarioError
from ...io.layering import PARAMS_DIR, list_scenarios, load_scenario
from ...io.register import MAX_BYTES, Problem, Register, RegisterError, import_register
from ...labels import TEXT, Lang, context, param_label, scenario_label, tr
from .charts import BLUE, GREEN, GREY, MONTHS, ORANGE, RED, figure, month_axis
from .common import CSS, environment_settings, language_toggle
from .render import excel_link_html, file_link_html

SAMPLE_REGISTER = "registers/sample_register_SYNTHETIC.csv"
SAMPLE_ACTUALS = "actuals/example_{plan_year}.csv"
LEVELS = ("gdp", "industrial_output")


def safe_upload_name(name: str, now: _dt.datetime | None = None, data: bytes = b"") -> str:
    """A stored name for an upload: date and time, the first 12 hex digits of the content's
    SHA-256, then the name's safe characters (no paths)."""
    base = Path(str(name)).name
    stem = re.sub(r"[^\w.-]", "_", Path(base).stem)[:60].strip("._") or "upload"
    suffix = Path(base).suffix.lower() if Path(base).suffix.lower() in (".csv", ".xlsx") else ".bin"
    stamp = (now or _dt.datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    digest = hashlib.sha256(data).hexdigest()[:12]
    return f"{stamp}_{digest}_{stem}{suffix}"


#: A text of the page as a function of the language (drawn again when it changes).
Render = Callable[[Lang], str]

#: Download types of the briefing's files offered on the page.
MIMES = {
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
#: How a release's unit is shown after its value (a label key or the symbol itself).
UNIT_SHOWN = {"100m_cny": "unit_100m", "pct": "%", "count": ""}


def unit_shown(unit: str, lang: Lang) -> str:
    """A release's unit in ``lang`` (亿元 or 100m CNY; ``%``; nothing for counts)."""
    shown = UNIT_SHOWN.get(unit, unit)
    return tr(shown, lang) if shown in TEXT else shown


def nowcast_html(d: dict, lang: Lang) -> str:
    """The nowcast on the tracking page: the year-end band,
    the news of each release and what the remaining months must bring (from
    :meth:`simulation.analyses.tracking.Tracking.to_dict`)."""
    parts = []
    for n, q in (d.get("forecast_quantiles") or {}).items():
        parts.append(html.escape(tr("p_nowcast", lang, ind=tr(n, lang), **q)))
    shock = d.get("large_shock") or {}
    if shock.get("weight", 0) >= 0.5:  # the band spans recovery to none: say why it is wide
        parts.append(html.escape(tr("brief_large_shock", lang, w=shock["weight"])))
    news = d.get("news") or []
    if news:
        head = [
            tr("col_period", lang),
            tr("col_release", lang),
            tr("col_release_value", lang),
            tr("col_role", lang),
            tr("p_news_forecast", lang, ind=tr("gdp", lang)),
            tr("p_news_probability", lang),
            tr("p_news_forecast", lang, ind=tr("industrial_output", lang)),
            tr("p_news_probability", lang),
        ]
        rows = [
            [
                r["period"],
                release_label(r["indicator"], lang),
                f"{r['value']:,.1f} {unit_shown(r['unit'], lang)}",
                tr("p_news_as_driver" if r["as"] == "driver" else "p_news_as_obs", lang),
                f"{r['gdp_forecast_change_100m_cny']:+,.1f}",
                f"{r['gdp_probability_change_pts']:+.1f}",
                f"{r['industrial_output_forecast_change_100m_cny']:+,.1f}",
                f"{r['industrial_output_probability_change_pts']:+.1f}",
            ]
            for r in news
        ]
        parts.append(
            f"<div class='sim-panel-title'>{html.escape(tr('p_news', lang))}</div>"
            + _html_table(head, rows, "sim-p-news")
        )
    required = {k: v for k, v in (d.get("required_path") or {}).items() if v}
    blocks = []
    if required:
        parts.append(f"<div class='sim-panel-title'>{html.escape(tr('p_required', lang))}</div>")
        for n, req in required.items():
            head = [tr("month", lang), "50%", "80%", tr("forecast", lang)]
            rows = [
                [f"{m}", f"{a:,.1f}", f"{b:,.1f}", f"{c:,.1f}"]
                for m, a, b, c in zip(
                    req["months"],
                    req["p50"]["monthly_100m_cny"],
                    req["p80"]["monthly_100m_cny"],
                    req["nowcast_monthly_100m_cny"],
                    strict=True,
                )
            ]
            lever = next(
                (c for c in req.get("closing_drivers", []) if c["steps_to_close"] > 0), None
            )
            note = (
                tr(
                    "p_cheapest_line",
                    lang,
                    lever=param_label("drivers." + lever["driver"], lang),
                    steps=lever["steps_to_close"],
                    step=step_label(lever["driver"], lang),
                )
                if lever
                else ""
            )
            blocks.append(
                f"<div><b>{html.escape(tr(n, lang))}</b> {html.escape(note)}"
                + _html_table(head, rows, f"sim-p-required-{n.replace('_', '-')}")
                + "</div>"
            )
    side_by_side = f"<div style='display:flex;gap:48px'>{''.join(blocks)}</div>" if blocks else ""
    return "<br>".join(parts) + side_by_side


def _html_table(head: list[str], rows: list[list[str]], cls: str) -> str:
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows
    )
    return f"<table class='sim-df {cls}'><tr>{th}</tr>{body}</table>"


def _report(problems: list[Problem], lang: Lang) -> str:
    """The row-by-row import report in ``lang`` (✔ when there is nothing to report)."""
    if not problems:
        return "✔"
    return _table(views.import_report(problems, lang).reset_index(), 500, index=False)


def _table(df: pd.DataFrame, max_rows: int = 30, index: bool = True) -> str:
    df = df.head(max_rows).map(lambda v: "" if v is None else v)
    return df.to_html(
        classes="sim-df", border=0, na_rep="", index=index, float_format=lambda x: f"{x:,.1f}"
    )


def _status(text: str) -> str:
    """A refusal or problem, highlighted as the app's status lines are."""
    return f"<span class='sim-status'>{html.escape(text).replace(chr(10), '<br>')}</span>"


class TrackingChart:
    """Cumulative actual (markers), model, re-forecast and the two paces of one indicator."""

    def __init__(self, indicator: str):
        self.indicator = indicator
        xs, ys = bq.LinearScale(min=0.5, max=12.5), bq.LinearScale(min=0.0)
        sc = {"x": xs, "y": ys}
        z = np.zeros(12)
        self.calendar = bq.Lines(x=MONTHS, y=z, scales=sc, colors=[ORANGE], line_style="dashed")
        self.seasonal = bq.Lines(x=MONTHS, y=z, scales=sc, colors=[GREEN], line_style="dotted")
        self.model = bq.Lines(x=MONTHS, y=z, scales=sc, colors=[GREY], stroke_width=2)
        self.forecast = bq.Lines(x=MONTHS, y=z, scales=sc, colors=[BLUE], stroke_width=3)
        self.actual = bq.Scatter(x=MONTHS, y=z, scales=sc, colors=[RED], default_size=60)
        marks = [self.calendar, self.seasonal, self.model, self.forecast, self.actual]
        for m in marks:
            m.display_legend = True
        self.x_axis = month_axis(xs)
        self.figure = figure(
            marks, [self.x_axis, bq.Axis(scale=ys, side="left", tick_format=",.0f")]
        )
        self.figure.add_class(f"sim-p-tracking-{indicator.replace('_', '-')}")

    def update(self, monthly: pd.DataFrame) -> None:
        n = self.indicator
        seen = monthly[f"{n}_actual"].notna().to_numpy()
        with self.figure.hold_sync():
            self.calendar.y = monthly[f"{n}_calendar_pace"].to_numpy()
            self.seasonal.y = monthly[f"{n}_seasonal_pace"].to_numpy()
            self.model.y = monthly[f"{n}_model"].to_numpy()
            self.forecast.y = monthly[f"{n}_forecast"].to_numpy()
            self.actual.x = MONTHS[seen] if seen.any() else [0.0]
            self.actual.y = monthly[f"{n}_actual"].to_numpy()[seen] if seen.any() else [0.0]
            self.actual.visible = bool(seen.any())

    def relabel(self, lang: Lang) -> None:
        with self.figure.hold_sync():
            self.figure.title = f"{tr(self.indicator, lang)} · {tr('p_tracking', lang)}"
            self.x_axis.label = tr("month", lang)
            self.calendar.labels = [tr("calendar_pace", lang)]
            self.seasonal.labels = [tr("seasonal_pace", lang)]
            self.model.labels = [tr("model", lang)]
            self.forecast.labels = [tr("forecast", lang)]
            self.actual.labels = [tr("actual", lang)]


class ProjectsPage:
    """The register and tracking page.

    Parameters
    ----------
    params_dir : path, optional
        Parameter folder; the shipped sample register and example actuals load first;
        uploads are stored in its ``uploads/``.
    lang : {"zh", "en"}
    """

    def __init__(self, params_dir: str | Path | None = None, lang: Lang = "zh"):
        self.params_dir = Path(params_dir) if params_dir else PARAMS_DIR
        self.uploads = self.params_dir / "uploads"
        self.lang: Lang = lang
        self.language = language_toggle(lang)
        self._scenarios = list_scenarios(self.params_dir)
        names = [n for n, _ in self._scenarios]
        self.picker = w.Dropdown(
            options=self._scenario_options(), value="baseline" if "baseline" in names else names[0]
        )
        self.picker.add_class("sim-p-scenario")
        self.title = w.HTML()
        # width "auto": the label in either language, not cut
        self.upload = w.FileUpload(accept=".csv,.xlsx", multiple=False, layout={"width": "auto"})
        self.upload.add_class("sim-p-upload")
        self.actuals_upload = w.FileUpload(accept=".csv", multiple=False, layout={"width": "auto"})
        self.actuals_upload.add_class("sim-p-actuals-upload")
        self.status = w.HTML()
        self.status.add_class("sim-p-status")
        self.report = w.HTML()
        self.report.add_class("sim-p-report")
        self.funnel = w.HTML()
        self.funnel.add_class("sim-p-funnel")
        self.league = w.HTML()
        self.league.add_class("sim-p-league")
        self.risk = w.HTML()
        self.risk.add_class("sim-p-risk")
        self.track_status = w.HTML()
        self.nowcast = w.HTML()
        self.nowcast.add_class("sim-p-nowcast")
        self.track_status.add_class("sim-p-track-status")
        self.charts = {n: TrackingChart(n) for n in LEVELS}
        # the tracking as a workbook, and the monthly briefing (HTML and Word) for upward
        self.excel = w.Button(icon="file-excel", layout={"width": "auto"})
        self.excel.add_class("sim-p-excel")
        self.excel_link = w.HTML()
        self.excel_link.add_class("sim-p-excel-link")
        self.brief = w.Button(icon="file-text", layout={"width": "auto"})
        self.brief.add_class("sim-p-brief")
        self.brief_link = w.HTML()
        self.brief_link.add_class("sim-p-brief-link")
        self.excel.on_click(lambda _: self.make_excel())
        self.brief.on_click(lambda _: self.make_briefing())
        self.heads = {
            k: w.HTML() for k in ("p_report", "p_funnel", "p_league", "p_risk", "p_tracking")
        }
        # what each text widget shows, as a function of the language (see _say)
        self._texts: dict[w.HTML, Render] = {}
        # the charts join the page once there are actual figures (a hidden bqplot figure
        # draws with negative sizes)
        self.chart_row = w.HBox([], layout=w.Layout(width="100%"))
        self.upload.observe(self._on_register_upload, names="value")
        self.actuals_upload.observe(self._on_actuals_upload, names="value")
        self._syncing = False
        self.picker.observe(lambda _: None if self._syncing else self.refresh(), names="value")
        self.language.observe(self._on_language, names="value")
        self.widget = w.VBox(
            [
                w.HTML(
                    CSS + "<style>.sim-df{border-collapse:collapse;font-size:12px}"
                    ".sim-df td,.sim-df th{padding:2px 6px;border-bottom:1px solid #dde3ea}</style>"
                ),
                w.HBox(
                    [self.title, w.HBox([self.picker, self.language])],
                    layout=w.Layout(justify_content="space-between"),
                ),
                w.HBox([self.upload, self.actuals_upload]),
                self.status,
                self.heads["p_report"],
                self.report,
                self.heads["p_tracking"],
                self.track_status,
                w.HBox(
                    [self.excel, self.excel_link, self.brief, self.brief_link],
                    layout=w.Layout(align_items="center", grid_gap="12px"),
                ),
                self.chart_row,
                self.nowcast,
                self.heads["p_funnel"],
                self.funnel,
                self.heads["p_league"],
                self.league,
                self.heads["p_risk"],
                self.risk,
            ],
            layout=w.Layout(padding="8px"),
        )
        self.widget.add_class("sim-app")
        self.register: Register | None = None
        self.actuals: pd.DataFrame | None = None
        # the files behind them: the briefing reads them again, as the command does
        self.register_path: Path | None = None
        self.actuals_path: Path | None = None
        self.tracking: Any = None
        self._relabel()
        if (self.params_dir / SAMPLE_REGISTER).is_file():  # a folder may ship no sample
            self.load_register(self.params_dir / SAMPLE_REGISTER)
        plan_year = self._params().calendar.base_year + 1
        actuals = self.params_dir / SAMPLE_ACTUALS.format(plan_year=plan_year)
        if actuals.is_file():
            self.load_actuals(actuals)
        else:
            self._say(self.track_status, lambda lg: html.escape(tr("p_no_actuals_file", lg)))
            self.refresh()

    @classmethod
    def from_environment(cls) -> Any:
        """Page configured by ``SIM_PARAMS_DIR`` and ``SIM_LANG`` (both optional);
        with a city picker when ``SIM_PARAMS_DIR`` is a folder of city folders."""
        from .cities import page_from_environment

        return page_from_environment(cls, environment_settings())

    def _say(self, widget: w.HTML, render: Render) -> None:
        """Show ``render(lang)`` in ``widget`` now and again whenever the language changes."""
        self._texts[widget] = render
        widget.value = render(self.lang)

    def _scenario_options(self) -> list[tuple[str, str]]:
        return [(scenario_label(n, d, self.lang), n) for n, d in self._scenarios]

    # --- loading -------------------------------------------------------------------------
    def _store(self, upload: dict) -> Path | None:
        data = bytes(upload["content"])
        if len(data) > MAX_BYTES:
            mb, limit = len(data) / 1e6, MAX_BYTES // 10**6
            self._say(self.status, lambda lg: _status(tr("p_too_big", lg, mb=mb, limit=limit)))
            return None
        self.uploads.mkdir(parents=True, exist_ok=True)
        path = self.uploads / safe_upload_name(upload["name"], data=data)
        write_bytes(path, data)
        return path

    def _on_register_upload(self, change: dict) -> None:
        if change["new"]:
            path = self._store(change["new"][0])
            if path is not None:
                self.load_register(path, shown_name=change["new"][0]["name"])

    def _on_actuals_upload(self, change: dict) -> None:
        if change["new"]:
            path = self._store(change["new"][0])
            if path is not None:
                self.load_actuals(path, shown_name=change["new"][0]["name"])

    def _discard(self, path: Path) -> None:
        """Remove a stored upload that failed (never a shipped file: only under uploads/)."""
        if path.parent.resolve() == self.uploads.resolve():
            path.unlink(missing_ok=True)

    def load_register(self, path: Path, shown_name: str | None = None) -> None:
        """Import a register; on failure keep the previous one and show the row report."""
        name = shown_name or path.name
        try:
            # read under the visitor's name: messages name their file, not the stored one
            reg = import_register(Path(name), self._params(), data=path.read_bytes())
        except RegisterError as e:
            n = max(len(e.problems), 1)

            def failed(lg: Lang, e: RegisterError = e) -> str:
                msg = _status(tr("p_failed", lg, name=name, n=n))
                return msg if e.problems else f"{msg}<br>{html.escape(e.text(lg))}"

            # the report first: a reader who sees the failure status finds its rows there
            self._say(self.report, lambda lg, p=e.problems: _report(p, lg))
            self._say(self.status, failed)
            self._discard(path)
            return
        self.register, self.register_path = reg, path
        p = reg.projects
        fields = {
            "name": name,
            "n": len(p),
            "amount": p["amount_100m_cny"].sum(),
            "as_of": reg.as_of,
            "w": len(reg.problems),
        }
        self._say(self.status, lambda lg: html.escape(tr("p_imported", lg, **fields)))
        self._say(self.report, lambda lg: _report(reg.problems, lg))
        self.refresh()

    def load_actuals(self, path: Path, shown_name: str | None = None) -> None:
        """Read released figures and track; on any problem keep the previous figures, show
        the message and drop the stored upload."""
        previous, previous_path = self.actuals, self.actuals_path
        try:
            data = path.read_bytes()
            self.actuals = read_actuals(Path(shown_name or path.name), data=data)
            self.actuals_path = path
        except ActualsError as e:
            self._say(self.track_status, lambda lg, e=e: _status(e.text(lg)))
            self._discard(path)
            return
        except FileNotFoundError:
            missing = shown_name or path.name
            self._say(self.track_status, lambda lg: _status(tr("p_file_missing", lg, name=missing)))
            return
        if not self.refresh():
            refusal = self._texts[self.track_status]
            self.actuals, self.actuals_path = previous, previous_path
            self._discard(path)
            if previous is not None:
                self.refresh()
            self._say(self.track_status, refusal)  # the refusal stays on screen

    def _params(self):
        """The picked scenario's parameters (its city's counties and calendar)."""
        try:
            return load_scenario(self.picker.value, None, self.params_dir).params
        except ScenarioError:
            return load_scenario("base", None, self.params_dir).params

    # --- showing -------------------------------------------------------------------------
    def refresh(self) -> bool:
        """Views and tracking for the picked scenario; False when the figures were refused."""
        try:
            sc = load_scenario(self.picker.value, None, self.params_dir)
        except ScenarioError as e:
            self._say(self.track_status, lambda lg, e=e: _status(str(e)))
            return True  # a scenario problem, not the figures
        if self.register is not None:
            reg, params = self.register, sc.params
            self._say(self.funnel, lambda lg: _table(views.funnel_by_month(reg, lg).tail(18)))
            self._say(self.league, lambda lg: _table(views.league_table(reg, params, lg)))
            self._say(self.risk, lambda lg: _table(views.at_risk(reg, lang=lg), 20, index=False))
        self.excel_link.value = self.brief_link.value = ""  # of other figures: stale
        if self.actuals is not None:
            try:
                self.tracking = tr_ = track(sc, self.actuals, self.register, draws=300)
            except ActualsError as e:
                self._say(self.track_status, lambda lg, e=e: _status(e.text(lg)))
                return False
            for chart in self.charts.values():
                chart.update(tr_.monthly)
            if not self.chart_row.children:
                self.chart_row.children = tuple(c.figure for c in self.charts.values())
            self._say(self.track_status, self._status_html)
            self._say(self.nowcast, lambda lg: nowcast_html(tr_.to_dict(), lg))
        return True

    # --- files for upward ----------------------------------------------------------------
    def make_excel(self) -> None:
        """The tracking as a workbook, offered as a download link (``sim-p-excel-link``)."""
        from ..page_exports import tracking_name, tracking_workbook

        if self.tracking is None:
            self.excel_link.value = _status(tr("p_no_actuals_file", self.lang))
            return
        params = self._params()
        data = tracking_workbook(self.tracking, params, self.lang)
        name = tracking_name(params, self.picker.value, self.lang)
        self.excel_link.value = excel_link_html(name, data, self.lang)

    def make_briefing(self) -> None:
        """The monthly briefing of the figures and register loaded, made as the ``brief``
        command makes it (papermill, then HTML and Word), offered as two download links
        (``sim-p-brief-link``)."""
        from ..briefing import BriefingError, make_briefing

        if self.actuals_path is None:
            self.brief_link.value = _status(tr("p_no_actuals_file", self.lang))
            return
        self.brief.disabled = True
        self.brief_link.value = html.escape(tr("p_brief_making", self.lang))
        try:
            with tempfile.TemporaryDirectory() as tmp:
                made = make_briefing(
                    self.actuals_path,
                    Path(tmp) / "briefing",
                    register=self.register_path,
                    scenario=self.picker.value,
                    lang=self.lang,
                    params_dir=self.params_dir,
                )
                links = [
                    file_link_html(Path(f).name, Path(f).read_bytes(), MIMES[kind], self.lang)
                    for kind, f in sorted(made["files"].items())
                    if kind in MIMES
                ]
            self.brief_link.value = " · ".join(links)
        except BriefingError as e:
            self.brief_link.value = _status(str(e))
        finally:
            self.brief.disabled = False

    def _status_html(self, lang: Lang) -> str:
        """The tracking lines of both indicators, the illustrative-figures warning first."""
        tr_ = self.tracking
        lines = []
        for n in LEVELS:
            st = tr_.status[n]
            key = "gdp_100m_cny" if n == "gdp" else "gross_industrial_output_100m_cny"
            if st["actual"] is None:
                lines.append(tr("p_no_actuals", lang, ind=tr(n, lang)))
                continue
            p = f" · {tr('probability', lang)} {tr_.probability[n]:.0%}" if tr_.probability else ""
            fields = {  # both templates take what they name (no target: no paces, no chance)
                "ind": tr(n, lang),
                "m": st["through_month"],
                "a": st["actual"],
                "mod": st["model"],
                "dm": st["actual_vs_model_pct"],
                "cal": st["calendar_pace"],
                "dc": st["vs_calendar_pace"],
                "sea": st["seasonal_pace"],
                "ds": st["vs_seasonal_pace"],
                "f": tr_.forecast[key],
                "g": tr_.required_remaining_growth_pct[n] or 0.0,
                "p": p,
            }
            template = "p_track_line" if st["target"] > 0 else "p_track_line_untargeted"
            lines.append(tr(template, lang, **fields))
        warning = (  # said first, above every number drawn from the figures
            f"<div class='sim-p-illustrative sim-status'>{html.escape(tr('p_illustrative', lang))}"
            "</div>"
            if tr_.illustrative
            else ""
        )
        return warning + "<br>".join(html.escape(x) for x in lines)

    def _on_language(self, change: dict) -> None:
        self.lang = change["new"]
        self._relabel()
        for widget, render in self._texts.items():
            widget.value = render(self.lang)

    def _relabel(self) -> None:
        lang = self.lang
        ctx = context(self._params(), lang)
        self.title.value = (
            f"<h1>{html.escape(tr('p_title', lang, **ctx))}</h1>"
            f"<div class='sim-sub'>{tr('p_subtitle', lang)}</div>"
        )
        self.picker.description = tr("scenario", lang)
        picked, self._syncing = self.picker.value, True
        try:  # the same scenario, named in the new language: nothing to recompute
            self.picker.options = self._scenario_options()
            self.picker.value = picked
        finally:
            self._syncing = False
        self.upload.description = tr("p_upload_register", lang)
        self.upload.tooltip = tr("p_upload_tip", lang, limit=MAX_BYTES // 10**6)
        self.actuals_upload.description = tr("p_upload_actuals", lang)
        self.actuals_upload.tooltip = tr("p_actuals_tip", lang, limit=MAX_BYTES // 10**6)
        for k, h in self.heads.items():
            h.value = f"<div class='sim-panel-title'>{tr(k, lang)}</div>"
        for chart in self.charts.values():
            chart.relabel(lang)
        self.excel.description = self.excel.tooltip = tr("excel", lang)
        self.brief.description = self.brief.tooltip = tr("p_brief", lang)
        self.excel_link.value = self.brief_link.value = ""  # files in the old language
