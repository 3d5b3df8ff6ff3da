"""The dashboard's charts (bqplot): built once, then updated in place on every change.

bqplot was chosen for speed in Voila (measured here: ≈18 ms from a slider to a redrawn
chart, ≈3 s first render; plotly's FigureWidget ≈40 ms but 11-13 s first render,
matplotlib ≈145 ms per redraw). Each chart exposes ``update(...)`` for new numbers and
``relabel(lang)`` for a language switch; neither rebuilds the figure.
"""

from __future__ import annotations

import bqplot as bq
import ipywidgets as w
import numpy as np

from ...analyses import summary
from ...labels import Lang, tr

BLUE, GREY, ORANGE, GREEN, RED = "#1f5aa6", "#9aa3ad", "#e08a1e", "#2e8b57", "#c0392b"
BAND = "#9ec1ea"
MONTHS = np.arange(1, 13, dtype=float)


def figure(marks, axes, height: str = "300px") -> bq.Figure:
    return bq.Figure(
        marks=marks,
        axes=axes,
        animation_duration=0,
        fig_margin={"top": 40, "bottom": 45, "left": 65, "right": 15},
        layout=w.Layout(width="100%", height=height, min_width="300px"),
        legend_location="top-left",
        legend_style={"fill": "none", "stroke": "none"},
        title_style={"font-size": "15px"},
    )


def band_lines(scales: dict, color: str, opacity: float) -> bq.Lines:
    """Two monthly lines with the area between them filled (a quantile band)."""
    return bq.Lines(
        x=MONTHS,
        y=np.zeros((2, 12)),
        scales=scales,
        fill="between",
        fill_colors=[color],
        fill_opacities=[opacity],
        colors=[color, color],
        stroke_width=1,
    )


def _short_amount(v: float, signed: bool) -> str:
    """An amount in 亿元 for a bar label: one decimal below 100, none above."""
    fmt = (
        ("{:+,.0f}" if signed else "{:,.0f}")
        if abs(v) >= 100
        else "{:+,.1f}"
        if signed
        else "{:,.1f}"
    )
    return fmt.format(v)


def month_axis(scale: bq.Scale) -> bq.Axis:
    return bq.Axis(scale=scale, tick_values=MONTHS, tick_format=".0f", grid_lines="none")


class PathChart:
    """Cumulative growth of one indicator on the same months of the base year (%), with
    the growth the target needs and the Monte Carlo band.

    Growth (累计增速, as the statistics bureau reports the months) rather than the level
    keeps the band readable: on a 0-3000 axis a ±3% band is a sliver. The calendar pace
    (target × m/12) is a level, not a growth rate; the tracking page shows it.
    """

    def __init__(self, indicator: str):
        self.indicator = indicator
        xs = bq.LinearScale(min=0.5, max=12.5)
        ys = self.ys = bq.LinearScale()
        sc = {"x": xs, "y": ys}
        z = np.zeros(12)
        self.target = bq.Lines(x=[0.5, 12.5], y=[0, 0], scales=sc, colors=[RED], stroke_width=1.5)
        self.baseline = bq.Lines(x=MONTHS, y=z, scales=sc, colors=[GREY], stroke_width=2)
        self.scenario = bq.Lines(x=MONTHS, y=z, scales=sc, colors=[BLUE], stroke_width=3)
        self.tooltip = bq.Tooltip(fields=["x", "y"], formats=[".0f", ".1f"])
        self.points = bq.Scatter(  # hover a month for its value
            x=MONTHS, y=z, scales=sc, colors=[BLUE], default_size=40, tooltip=self.tooltip
        )
        self.band = band_lines(sc, BAND, 0.45)  # p5-p95 of the Monte Carlo draws
        self.band.visible = False
        marks = [self.band, self.target, self.baseline, self.scenario]
        for m in marks[1:]:  # the band is explained by the checkbox above the charts
            m.display_legend = True
        self.x_axis = month_axis(xs)
        self.y_axis = bq.Axis(scale=ys, side="left", tick_format=".0f")
        self.figure = figure([*marks, self.points], [self.x_axis, self.y_axis])
        self.figure.add_class(f"sim-chart-path-{indicator.replace('_', '-')}")

    def update(
        self, path: summary.Path, baseline: summary.Path, band: np.ndarray | None = None
    ) -> None:
        """New numbers; ``band`` (2, 12) is the p5 and p95 cumulative path (亿元), or None."""
        grow = path.growth_pct
        y = grow(path.cumulative)
        has_target = path.target > 0  # without a target, no target line and no pace
        shown = [y, grow(baseline.cumulative)]
        if band is not None:
            shown.append(grow(band))
        target = 100.0 * (path.target / path.base_cumulative[-1] - 1.0) if has_target else 0.0
        if has_target:
            shown.append(np.array([target]))
        lo = min(float(np.min(a)) for a in shown)
        hi = max(float(np.max(a)) for a in shown)
        pad = max(hi - lo, 2.0) * 0.12
        with self.figure.hold_sync():
            self.ys.min, self.ys.max = lo - pad, hi + 5 * pad  # room for the 3-line legend
            if band is not None:
                self.band.y = grow(band)
            self.band.visible = band is not None
            self.scenario.y = y
            self.points.y = y
            self.baseline.y = grow(baseline.cumulative)
            self.target.y = [target, target]
            self.target.visible = self.target.display_legend = has_target

    def relabel(self, lang: Lang, ctx: dict | None = None) -> None:
        key = "chart_growth_gdp" if self.indicator == "gdp" else "chart_growth_gio"
        with self.figure.hold_sync():
            self.figure.title = tr(key, lang)
            self.x_axis.label = tr("month", lang)
            self.scenario.labels = [tr("this_scenario", lang)]
            self.baseline.labels = [tr("baseline", lang)]
            self.target.labels = [tr("target_growth", lang)]
            self.tooltip.labels = [tr("month", lang), "%"]


class WaterfallChart:
    """Waterfall from the base year's total to the plan year's by mechanism (亿元).

    Four stacked series: an invisible offset, totals, increases and decreases; the
    value axis starts near the base-year level so that the steps are visible.
    """

    def __init__(self, indicator: str):
        self.indicator = indicator
        self.names: tuple[str, ...] = ()
        xs = bq.OrdinalScale()
        self.ys = bq.LinearScale()
        self.bars = bq.Bars(
            x=["base"],
            y=np.zeros((4, 1)),
            scales={"x": xs, "y": self.ys},
            type="stacked",
            colors=["rgba(0,0,0,0)", BLUE, GREEN, RED],
            padding=0.25,
            apply_clip=True,
        )
        self.labels = bq.Label(
            x=["base"],
            y=[0.0],
            text=[""],
            scales={"x": xs, "y": self.ys},
            align="middle",
            y_offset=-6,
            font_weight="normal",
            default_size=10,
            colors=["#333333"],
        )
        self.x_axis = bq.Axis(
            scale=xs, grid_lines="none", tick_rotate=-40, tick_style={"font-size": "11px"}
        )
        self.y_axis = bq.Axis(scale=self.ys, side="left", tick_format=",.0f", label_offset="52px")
        # the axis does not start at zero (the changes would vanish beside the levels): the
        # totals carry a break mark at the floor and the axis says where it starts
        self.breaks = bq.Label(
            x=["base"], y=[0.0], text=["≈"], scales={"x": xs, "y": self.ys}, align="middle",
            y_offset=4, default_size=16, font_weight="bold", colors=["#ffffff"],
        )  # fmt: skip
        self.figure = figure(
            [self.bars, self.labels, self.breaks], [self.x_axis, self.y_axis], "340px"
        )
        # room for the slanted mechanism names under the bars
        self.figure.fig_margin = {"top": 40, "bottom": 95, "left": 80, "right": 15}
        self.figure.add_class(f"sim-chart-waterfall-{indicator.replace('_', '-')}")
        self._lang: Lang = "zh"
        self._ctx: dict = {}  # labels.context of the shown parameters
        self._wf: summary.Waterfall | None = None
        self._floor = 0.0

    def update(self, wf: summary.Waterfall) -> None:
        self._wf = wf
        top = wf.bottom + wf.height
        lo = min(wf.change[0], wf.change[-1], wf.bottom[1:-1].min())  # lowest level reached
        hi = top.max()
        pad = max(hi - lo, 1.0) * 0.12
        is_total = np.array([k == "total" for k in wf.kind])
        up = np.array([k == "up" for k in wf.kind])
        down = np.array([k == "down" for k in wf.kind])
        # totals start at the axis floor so that their bars show the level, not 0..level
        floor = lo - pad
        bottom = np.where(is_total, floor, wf.bottom)
        height = np.where(is_total, wf.height - floor, wf.height)
        y = np.vstack(
            [
                bottom,
                np.where(is_total, height, 0),
                np.where(up, height, 0),
                np.where(down, height, 0),
            ]
        )
        x = self._x(self._lang)
        self._floor = float(floor)
        with self.figure.hold_sync():
            self.ys.min, self.ys.max = float(floor), float(hi + pad)
            self.bars.x = x
            self.bars.y = y
            self.labels.x = x
            self.labels.y = top
            totals = [xi for xi, t in zip(x, is_total, strict=True) if t]
            self.breaks.x = totals
            self.breaks.y = [float(floor) + pad * 0.5] * len(totals)
            self.breaks.text = ["≈"] * len(totals)
            self.y_axis.label = tr("axis_broken", self._lang, floor=float(floor))
            self.labels.text = [  # whole 亿元 above 100: neighbouring labels must not touch
                _short_amount(v, signed=k != "total")
                for v, k in zip(wf.change, wf.kind, strict=True)
            ]

    def _x(self, lang: Lang) -> list[str]:
        if self._wf is None:
            return ["base"]
        return [tr(f"mech_{n}", lang, **self._ctx) for n in self._wf.names]

    def relabel(self, lang: Lang, ctx: dict | None = None) -> None:
        self._lang = lang
        self._ctx = dict(ctx or self._ctx)
        key = "chart_waterfall_gdp" if self.indicator == "gdp" else "chart_waterfall_gio"
        with self.figure.hold_sync():
            self.figure.title = tr(key, lang, **self._ctx)
            if self._wf is not None:
                x = self._x(lang)
                self.bars.x = self.labels.x = x
                self.breaks.x = [xi for xi, k in zip(x, self._wf.kind, strict=True) if k == "total"]
                self.y_axis.label = tr("axis_broken", lang, floor=self._floor)


class FaiChart:
    """Fixed-asset investment by month: this scenario (bars), baseline and base year (lines)."""

    def __init__(self):
        xs = bq.LinearScale(min=0.5, max=12.5)
        ys = self.ys = bq.LinearScale(min=0.0)
        sc = {"x": xs, "y": ys}
        z = np.zeros(12)
        self.tooltip = bq.Tooltip(fields=["x", "y"], formats=[".0f", ",.1f"])
        self.bars = bq.Bars(
            x=MONTHS, y=z, scales=sc, colors=[BLUE], padding=0.3, tooltip=self.tooltip
        )
        self.baseline = bq.Lines(x=MONTHS, y=z, scales=sc, colors=[GREY], stroke_width=2)
        self.base_year = bq.Lines(x=MONTHS, y=z, scales=sc, colors=[ORANGE], line_style="dashed")
        for m in (self.bars, self.baseline, self.base_year):
            m.display_legend = True
        self.x_axis = month_axis(xs)
        self.y_axis = bq.Axis(scale=ys, side="left", tick_format=",.0f")
        self.figure = figure(
            [self.bars, self.baseline, self.base_year], [self.x_axis, self.y_axis], "280px"
        )
        self.figure.add_class("sim-chart-fai")

    def update(self, fai: dict[str, np.ndarray], baseline: dict[str, np.ndarray]) -> None:
        top = max(fai["plan"].max(), baseline["plan"].max(), fai["base_year"].max())
        with self.figure.hold_sync():
            self.ys.max = float(top * 1.45)  # headroom for the legend
            self.bars.y = fai["plan"]
            self.baseline.y = baseline["plan"]
            self.base_year.y = fai["base_year"]

    def relabel(self, lang: Lang, ctx: dict | None = None) -> None:
        with self.figure.hold_sync():
            self.figure.title = tr("chart_fai", lang)
            self.x_axis.label = tr("month", lang)
            self.tooltip.labels = [tr("month", lang), tr("unit_100m", lang)]
            self.bars.labels = [tr("this_scenario", lang)]
            self.baseline.labels = [tr("baseline", lang)]
            self.base_year.labels = [tr("base_year_label", lang, **(ctx or {"base_year": ""}))]


class FunnelChart:
    """Contract value moving through the pipeline in the plan year: scenario vs baseline."""

    def __init__(self):
        self.xs = bq.OrdinalScale()
        ys = self.ys = bq.LinearScale(min=0.0)
        self.bars = bq.Bars(
            x=list(summary.FUNNEL_STAGES),
            y=np.zeros((2, 4)),
            scales={"x": self.xs, "y": ys},
            type="grouped",
            colors=[BLUE, GREY],
            padding=0.2,
            display_legend=True,
            label_display=True,
            label_display_format=",.0f",
            label_font_style={"font-size": "10px"},
        )
        self.x_axis = bq.Axis(scale=self.xs, grid_lines="none")
        self.y_axis = bq.Axis(scale=ys, side="left", tick_format=",.0f")
        self.figure = figure([self.bars], [self.x_axis, self.y_axis], "280px")
        self.figure.legend_location = "top-right"
        self.figure.add_class("sim-chart-funnel")

    def update(self, funnel: dict[str, float], baseline: dict[str, float]) -> None:
        stages = summary.FUNNEL_STAGES
        y = np.array([[funnel[s] for s in stages], [baseline[s] for s in stages]])
        with self.figure.hold_sync():
            self.ys.max = float(y.max() * 1.3)  # headroom for labels and legend
            self.bars.y = y

    def relabel(self, lang: Lang, ctx: dict | None = None) -> None:
        with self.figure.hold_sync():
            self.figure.title = tr("chart_funnel", lang)
            self.bars.x = [tr(f"funnel_{s}", lang) for s in summary.FUNNEL_STAGES]
            self.bars.labels = [tr("this_scenario", lang), tr("baseline", lang)]
