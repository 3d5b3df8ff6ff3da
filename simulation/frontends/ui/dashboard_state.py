"""The dashboard's state, without widgets: settings in, scenario and results out.

:class:`DashboardState` holds what the planner chose (scenario, overrides, language, the
uncertainty band on or off) and computes from it everything the page shows: the resolved
:class:`~simulation.io.layering.Scenario`, the :class:`~simulation.analyses.result.Result`,
the Monte Carlo draws behind the band and the probability cards, the plausibility
warnings, the slider ranges that keep the settings feasible, why a setting is refused,
the pathway's link, the Excel workbook, and saving a scenario. The widget class
(:class:`simulation.frontends.ui.app.Dashboard`) only binds controls to it; tests and
scripts can drive it directly.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ...analyses import summary
from ...analyses.montecarlo import DEFAULT_SEED, MonteCarlo, monte_carlo, uncertainty_for
from ...analyses.plausibility import Flag, flags
from ...analyses.result import Result, simulate
from ...economy import rules, schema
from ...economy.investment import InvestmentBaseError
from ...economy.rules import DrawError
from ...io.errors import ScenarioError, ScenarioExists, ScenarioProtected, ScenarioStale
from ...io.layering import (
    PARAMS_DIR,
    Layers,
    Scenario,
    list_scenarios,
    load_scenario,
    read_layers,
    saved_path,
    scenario_from_layers,
)
from ...io.paths import flatten, nest
from ...io.saving import (
    Version,
    is_calibrated,
    restore_scenario,
    save_scenario,
    saved_info,
    scenario_history,
    scenario_version,
)
from ...io.yamlfile import read_yaml
from ...labels import Lang, context, param_label, scenario_label, tr
from ..export import export_name, write_excel
from .pathway import from_query, to_query
from .render import format_value

log = logging.getLogger(__name__)

#: Parameters shown under "other assumptions": labelled in the schema, not a lever.
OTHER_ASSUMPTIONS = tuple(
    p
    for p, m in schema.numeric_paths().items()
    if m["label_zh"] and not m["campaign"] and not p.startswith(("targets.", "drivers."))
)
#: Every parameter the page has a slider for: the campaigns' levers, then the others.
SLIDER_PATHS = (*schema.lever_paths(), *OTHER_ASSUMPTIONS)
#: Assumptions whose feasible range depends on others (the base year's FAI must hold the
#: pipeline's spending; the implied value-added rate must stay plausible): their sliders
#: are narrowed to what the model accepts.
COUPLED = ("pipeline.realised_share", "base_year.construction_share_of_secondary")
REALISED = COUPLED[0]
#: January's signings may not exceed the year's (亿元 both).
JANUARY = "pipeline.january_signed_100m_cny"
ANNUAL = "pipeline.signed_annual_100m_cny"
#: Draws of the live uncertainty band and probability cards: the uncertainty page's
#: default, so that with the same seed both pages show the same probability (≈31 ms a
#: move; sampling error of a probability near 15%: ±1.1 points).
BAND_DRAWS = 1000
#: Percentiles of the band on the path charts.
BAND_PERCENTILES = (5, 95)
#: Slider steps searched (2^k) for an end no rule of economy/rules.py describes.
FEASIBLE_SEARCH_STEPS = 9
#: The headline indicators (cards and path charts).
HEADLINES = tuple(summary.INDICATORS)


def param_value(params: schema.Params, path: str) -> Any:
    """The value of a ``section.key`` parameter path."""
    section, key = path.split(".")
    return getattr(getattr(params, section), key)


@dataclass(frozen=True)
class Baseline:
    """What the page shows of the baseline, computed once (not on every move).

    Attributes
    ----------
    head : dict
        :func:`~simulation.analyses.summary.headline` (亿元, %).
    paths : dict
        Cumulative path of each headline indicator.
    fai : dict
        :func:`~simulation.analyses.summary.fai_by_month` (亿元 a month).
    funnel : dict
        :func:`~simulation.analyses.summary.funnel` (亿元).
    annual : DataFrame
        Annual results indexed by year.
    """

    head: dict[str, dict[str, Any]]
    paths: dict[str, summary.Path]
    fai: dict[str, np.ndarray]
    funnel: dict[str, float]
    annual: pd.DataFrame


@dataclass(frozen=True)
class Refusal:
    """Why the current settings give no result.

    Attributes
    ----------
    error : Exception
        What the model or the scenario loader raised.
    lever : str or None
        The lever that makes the settings refused (the one moved last, else the first
        override whose removal alone makes them run); None when no single lever does.
    value : float or None
        The lever's refused setting (its unit).
    feasible : (float, float) or None
        The lever's range the model accepts, the other settings held (its unit).
    """

    error: Exception
    lever: str | None = None
    value: float | None = None
    feasible: tuple[float, float] | None = None

    @property
    def kind(self) -> Literal["scenario", "model", "unknown"]:
        """What refused the settings: the scenario's rules, the model, or something else."""
        if isinstance(self.error, ScenarioError):
            return "scenario"
        if isinstance(self.error, (InvestmentBaseError, DrawError, ValueError)):
            return "model"
        return "unknown"

    def message(self, lang: Lang) -> str:
        """One sentence for the planner: the lever, its setting and its feasible range,
        or what refused the settings."""
        if self.lever is not None and self.value is not None and self.feasible is not None:
            meta = schema.numeric_paths()[self.lever]
            lo, hi = self.feasible
            return tr(
                "refused_lever",
                lang,
                label=param_label(self.lever, lang),
                value=format_value(self.value, meta, lang),
                lo=format_value(lo, meta, lang),
                hi=format_value(hi, meta, lang),
            )
        what = tr(f"refused_what_{self.kind}", lang)
        return tr("refused_other", lang, what=what)


@dataclass(frozen=True)
class SaveOutcome:
    """What a save or an undo did.

    Attributes
    ----------
    kind : {"saved", "exists", "error", "undone", "protected", "stale"}
        Saved; not saved because the name is taken (save again with ``overwrite``: the
        version found is the one replaced); refused (``message`` says why); a kept version
        put back; refused because the name is a calibrated scenario's; refused because
        another planner saved that scenario since (``saved_by``, ``saved_at`` say who, when).
    name : str
        The scenario's name as asked (``path.stem`` once saved).
    path : Path, optional
        The file written.
    message : str
        Why it was refused (without the server's folders).
    had_changes : bool
        The saved scenario held overrides.
    undoable : bool
        An overwrite whose previous version can be put back.
    """

    kind: Literal["saved", "exists", "error", "undone", "protected", "stale"]
    name: str
    path: Path | None = None
    message: str = ""
    had_changes: bool = True
    undoable: bool = False
    saved_by: str = ""
    saved_at: str = ""


class DashboardState:
    """The planner's settings and what follows from them.

    Parameters
    ----------
    params_dir : path, optional
        Folder with ``base.yaml`` and ``scenarios/`` (default: the repository's); saved
        scenarios go to its ``scenarios/saved/`` (the calibrated ones are read-only).
    scenario : str
        Scenario chosen first.
    lang : {"zh", "en"}
        Language of messages and labels (Chinese by default).
    query : str, optional
        A pathway link's query (see :mod:`simulation.frontends.ui.pathway`): opens that
        pathway, or the baseline with :attr:`query_note` when any part cannot be used.
    show_band : bool
        Draw the Monte Carlo band and probabilities.

    Attributes
    ----------
    scenario_name : str
        The chosen scenario.
    overrides : dict
        The planner's changes to it (parameter path → value).
    moved : str or None
        The lever moved last (blamed first when a setting is refused).
    scenario : Scenario
        The last scenario resolved without refusal (labels need one).
    result : Result or None
        The current settings' result; None while they are refused.
    refusal : Refusal or None
        Why the current settings are refused.
    mc : MonteCarlo or None
        The draws of the band and probabilities (None: band off, no distributions, or
        the draws failed, see :attr:`mc_failed`).
    baseline : Baseline
        The baseline's view, for comparison.
    query_note : str
        What a link could not use (empty if nothing); said once.
    """

    def __init__(
        self,
        params_dir: str | Path | None = None,
        scenario: str = "baseline",
        lang: Lang = "zh",
        query: str | None = None,
        show_band: bool = True,
    ):
        self.params_dir = Path(params_dir) if params_dir else PARAMS_DIR
        self.lang: Lang = lang
        self.scenario_name = scenario
        self.overrides: dict[str, Any] = {}
        self.moved: str | None = None
        self.show_band = show_band
        self.query_note = ""
        base = load_scenario("base", params_dir=self.params_dir).params
        self.shocks, self.city_code = base.shocks, base.city.code
        self._dists: dict[tuple, tuple[dict, str]] = {}
        self._coupled_key: tuple | None = None
        self._coupled: dict[str, tuple[float, float]] = {}
        self.last_overwrite: str | None = None
        self._references: dict[tuple, Any] = {}
        self.saver = ""  # who saves from this page (recorded in the saved file)
        #: saved scenario → the version this page last saw (an overwrite must replace it)
        self.seen_versions: dict[str, str] = {}
        #: the chosen scenario's files, read once when it is chosen: lever moves apply the
        #: planner's changes to them in memory (a colleague's later save of that scenario
        #: shows when it is chosen again)
        self._layers: Layers | None = None
        self._layers_of: tuple[str, Path] | None = None
        if query:
            self.read_query(query)
        self._saw(self.scenario_name)
        self.baseline = self.run_baseline()
        try:  # labels need a scenario even if the first settings are refused
            self.scenario: Scenario = load_scenario(self.scenario_name, None, self.params_dir)
        except ScenarioError:
            self.scenario = load_scenario("base", None, self.params_dir)
        self.result: Result | None = None
        self.refusal: Refusal | None = None
        self.mc: MonteCarlo | None = None
        self.mc_failed = False
        self.update()

    # --- settings ----------------------------------------------------------------------------
    def read_query(self, query: str) -> None:
        """Take the scenario, overrides and language of a pathway link (all or none)."""
        way = from_query(query, self.scenario_names(), self.shocks, SLIDER_PATHS, self.city_code)
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
            self.query_note = tr("query_refused", self.lang, problems=parts)
            log.warning("pathway link refused: %s", way.problems)
        self.scenario_name, self.overrides = way.scenario, dict(way.overrides)

    def take_query_note(self) -> str:
        """The link's note, once: empty afterwards."""
        note, self.query_note = self.query_note, ""
        return note

    def set_lever(self, path: str, value: float) -> bool:
        """Set a lever (its unit) and recompute; False when the settings are refused.

        A move *back* (the lever had been moved) to within half a slider step of the
        scenario's own value is that value (the override is dropped: no 3040 for 3051.6, no
        −8.9e-16 for 0); a first move always counts, even to the nearest step of the slider's
        grid; any value is kept to the step's precision (no float drift in links).
        """
        step = float(schema.numeric_paths()[path]["step"])
        moved_away = path in self.overrides  # a first move from the own value always counts
        reference = self.lever_reference(path) if moved_away else None
        if reference is not None and abs(float(value) - reference) <= step / 2 + 1e-12:
            self.overrides.pop(path, None)
        else:
            digits = max(0, -int(np.floor(np.log10(step)))) + 3
            self.overrides[path] = round(float(value), digits)
        self.moved = path
        return self.update()

    def lever_reference(self, path: str) -> float | None:
        """The value a lever has in the chosen scenario with the other changes (presets
        included) but not its own: where "moved back" lands."""
        others = {k: v for k, v in self.overrides.items() if k != path}
        key = (self.scenario_name, tuple(sorted((k, repr(v)) for k, v in others.items())))
        if key not in self._references:
            try:
                sc = scenario_from_layers(self.layers(), others)
                self._references = {key: sc.params}  # one kept: the moves of one setting
            except ScenarioError:
                return None
        return float(param_value(self._references[key], path))

    def set_preset(self, campaign: str, level: str) -> bool:
        """Set a campaign's level; it replaces single changes of that campaign's levers."""
        for p in schema.lever_paths(campaign):  # a preset sets all of its levers
            self.overrides.pop(p, None)
        self.overrides[f"campaigns.{campaign}"] = level
        self.moved = None
        return self.update()

    def set_shock(self, name: str, enabled: bool) -> bool:
        """Switch a shock on or off."""
        self.overrides[f"shocks.{name}.enabled"] = bool(enabled)
        self.moved = None
        return self.update()

    def choose_scenario(self, name: str) -> bool:
        """Choose a scenario: it starts from its saved values (the planner's changes,
        including a move still under way, are dropped)."""
        self.scenario_name = name
        self.overrides = {}
        self.moved = None
        self._layers = None  # read afresh: the scenario as saved now
        self._saw(name)
        return self.update()

    def _saw(self, name: str) -> None:
        """Remember the version of a saved scenario as this page sees it now."""
        if not is_calibrated(name, self.params_dir):
            self.seen_versions[name] = scenario_version(name, self.params_dir)

    def set_language(self, lang: Lang) -> bool:
        """Change the language (messages follow; numbers do not change)."""
        self.lang = lang
        return self.update()

    def set_band(self, on: bool) -> bool:
        """Draw the uncertainty band and probabilities, or not."""
        self.show_band = bool(on)
        return self.update()

    def reset(self) -> bool:
        """Back to the baseline, without changes."""
        return self.choose_scenario("baseline")

    # --- computing ---------------------------------------------------------------------------
    def run(self, overrides: dict[str, Any]) -> tuple[Scenario, Result]:
        """The chosen scenario with ``overrides``, resolved and simulated (raises if refused)."""
        sc = scenario_from_layers(self.layers(), overrides)
        return sc, simulate(sc)

    def layers(self) -> Layers:
        """The chosen scenario's files, read when it was chosen (and kept for its moves)."""
        if self._layers is None or self._layers_of != (self.scenario_name, self.params_dir):
            self._layers = read_layers(self.scenario_name, self.params_dir)
            self._layers_of = (self.scenario_name, self.params_dir)
        return self._layers

    def update(self) -> bool:
        """Re-run on the current settings.

        Returns
        -------
        bool
            True with :attr:`result` set; False with :attr:`refusal` set and no result
            (never a number that is not the current setting).
        """
        try:
            sc, res = self.run(self.overrides)
        except Exception as e:  # noqa: BLE001 - every refusal is shown, none escapes
            log.warning("settings refused: %s", e, exc_info=not isinstance(e, ValueError))
            self.result, self.mc, self.mc_failed = None, None, False
            self.refusal = self.explain(e)
            return False
        self.scenario, self.result, self.refusal = sc, res, None
        self.mc = self.draw(sc)
        return True

    def run_baseline(self) -> Baseline:
        """The baseline (the folder's ``baseline`` scenario, else ``base``) as shown."""
        names = self.scenario_names()
        base = simulate(
            load_scenario("baseline" if "baseline" in names else "base", None, self.params_dir)
        )
        return Baseline(
            head=summary.headline(base),
            paths={n: summary.cumulative_path(base, n) for n in HEADLINES},
            fai=summary.fai_by_month(base),
            funnel=summary.funnel(base),
            annual=base.annual().set_index("year"),
        )

    def draw(self, sc: Scenario) -> MonteCarlo | None:
        """The band's and cards' draws: the uncertainty page's (the scenario's own
        distributions, else the shipped uncertainty scenario's; the scenario's shocks;
        :data:`BAND_DRAWS` draws, ``DEFAULT_SEED``), the same on every move.

        Sets :attr:`mc_failed` when some draws leave the feasible range (then no
        probability rather than a wrong one).
        """
        self.mc_failed = False
        if not self.show_band:
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
            self.mc_failed = True
            return None

    def probability(self) -> dict[str, float] | None:
        """Share of draws (0–1) meeting each target and both; None without draws."""
        return self.mc.probability() if self.mc else None

    def band(self, indicator: str) -> np.ndarray | None:
        """The monthly 5th and 95th percentiles of ``indicator`` (亿元), shape (2, 12)."""
        if not self.mc:
            return None
        key = summary.INDICATORS[indicator][0]
        return self.mc.monthly_band(key, BAND_PERCENTILES).to_numpy().T

    def warnings(self) -> list[Flag]:
        """The plausibility checks the current result fails (none while refused)."""
        return flags(self.result) if self.result is not None else []

    def context(self) -> dict[str, Any]:
        """What labels may say of the shown parameters: city, years, goal."""
        return context(self.scenario.params, self.lang)

    def plan_year(self) -> int:
        """The first plan year (the base year + 1)."""
        return int(self.scenario.params.calendar.base_year) + 1

    # --- feasibility -------------------------------------------------------------------------
    def feasible(self, path: str, value: float) -> bool:
        """Whether the model accepts ``path`` at ``value``, the other settings held."""
        try:
            self.run({**self.overrides, path: value})
        except Exception:  # noqa: BLE001 - any refusal makes the value infeasible
            return False
        return True

    def feasible_range(self, path: str, anchor: float) -> tuple[float, float]:
        """The slider values around the feasible ``anchor`` that the model accepts, the
        other settings held, on the slider's grid (the lever's unit).

        Answered directly: the cross-field rules' interval (:func:`rules.interval`) and,
        for the realised share, what the base year's investment allows
        (:func:`rules.realised_share_interval`, from the run at ``anchor``), within the
        slider's bounds. Each end is then checked with one run; only an end some other
        refusal rules out (no rule knows it) is searched by bisection.
        """
        meta = schema.numeric_paths()[path]
        step, g0 = meta["step"] or 1, meta["lo"]
        sc = scenario_from_layers(self.layers(), {**self.overrides, path: anchor})
        lo, hi = rules.interval(sc.params, path)
        if path == REALISED:
            arrays = simulate(sc).arrays
            base = arrays["t"] < 0
            by = sc.params.base_year
            lo_r, hi_r = rules.realised_share_interval(
                anchor,
                by.fai_100m_cny,
                by.industrial_fai_100m_cny,
                by.tech_investment_100m_cny,
                float(arrays["fai_projects_100m_cny"][:, base].sum()),
                float(arrays["fai_projects_industrial_100m_cny"][:, base].sum()),
            )
            lo, hi = max(lo, lo_r), min(hi, hi_r)
        # inside the interval, on the slider's grid (never past the anchor's side)
        lo = max(meta["lo"], g0 + math.ceil(round((max(lo, g0) - g0) / step, 9)) * step)
        hi = min(meta["hi"], g0 + math.floor(round((min(hi, meta["hi"]) - g0) / step, 9)) * step)
        ends = []
        for end in (round(min(lo, anchor), 10), round(max(hi, anchor), 10)):
            ends.append(end if self.feasible(path, end) else self._bisect(path, anchor, end))
        return ends[0], ends[1]

    def _bisect(self, path: str, good: float, bad: float) -> float:
        """The last slider value from ``good`` towards ``bad`` the model accepts (a search
        for a refusal no rule of :mod:`rules` describes)."""
        meta = schema.numeric_paths()[path]
        step = meta["step"] or 1
        anchor = good
        for _ in range(FEASIBLE_SEARCH_STEPS + 4):
            if abs(bad - good) <= step:
                break
            mid = (good + bad) / 2
            good, bad = (mid, bad) if self.feasible(path, mid) else (good, mid)
        snapped = round(round((good - meta["lo"]) / step) * step + meta["lo"], 10)
        if (bad > anchor and snapped > good) or (bad < anchor and snapped < good):
            snapped = round(snapped - step if bad > anchor else snapped + step, 10)
        return snapped

    def culprit(self) -> tuple[str, float] | None:
        """The lever that makes the settings refused, with a value the model accepts:
        the one moved last, else (a link, a preset) the first override whose removal
        alone makes the settings run."""
        candidates = [self.moved] if self.moved in SLIDER_PATHS else []
        candidates += [p for p in self.overrides if p in SLIDER_PATHS and p not in candidates]
        for path in candidates:
            rest = {k: v for k, v in self.overrides.items() if k != path}
            try:
                sc, _ = self.run(rest)
            except Exception:  # noqa: BLE001 - not this one alone
                continue
            return path, param_value(sc.params, path)
        return None

    def explain(self, error: Exception) -> Refusal:
        """Why the settings are refused: the culprit lever and its feasible range."""
        found = self.culprit()
        if found is not None and self.overrides.get(found[0]) is not None:
            path, start = found
            return Refusal(error, path, self.overrides[path], self.feasible_range(path, start))
        return Refusal(error)

    def refusal_message(self) -> str:
        """The refusal in :attr:`lang` (empty when the settings run)."""
        return self.refusal.message(self.lang) if self.refusal else ""

    def bounds(self) -> dict[str, tuple[float, float]]:
        """Slider ranges that follow the cross-lever rules, so that dragging cannot reach
        a refused state.

        Returns
        -------
        dict
            Path → (lo, hi) in the lever's unit: January's signings up to the year's,
            the year's from January's (亿元); the :data:`COUPLED` assumptions within what
            the base year's FAI allows (bisected only when the scenario or an
            assumption changed: campaign levers, from the plan year on, leave them).
        """
        meta = schema.numeric_paths()
        pl = self.scenario.params.pipeline
        out = {
            JANUARY: (meta[JANUARY]["lo"], max(meta[JANUARY]["lo"], pl.signed_annual_100m_cny)),
            ANNUAL: (min(pl.january_signed_100m_cny, meta[ANNUAL]["hi"]), meta[ANNUAL]["hi"]),
        }
        key = (
            self.scenario_name,
            tuple(sorted((k, str(v)) for k, v in self.overrides.items() if k in OTHER_ASSUMPTIONS)),
        )
        if key != self._coupled_key:  # a bisection per coupled lever: only when needed
            self._coupled_key = key
            self._coupled = {
                p: self.feasible_range(p, param_value(self.scenario.params, p)) for p in COUPLED
            }
        return {**out, **self._coupled}

    # --- scenarios, link, export, saving -----------------------------------------------------
    def scenario_names(self) -> list[str]:
        """The folder's scenarios."""
        return [n for n, _ in list_scenarios(self.params_dir)]

    def scenario_choices(self) -> list[tuple[str, str]]:
        """(display name in :attr:`lang`, scenario name) of every scenario: the calibrated
        ones, then the planners' saved ones marked as such, with who saved them."""
        out = []
        for n, d in list_scenarios(self.params_dir):
            if is_calibrated(n, self.params_dir):
                out.append((scenario_label(n, d, self.lang), n))
            else:
                by, _, _ = saved_info(saved_path(n, self.params_dir))
                out.append((tr("scenario_saved_label", self.lang, name=n, by=by or "—"), n))
        return out

    def query(self) -> str:
        """The pathway's link query (no ``?``): scenario, language and overrides."""
        return to_query(self.scenario_name, self.overrides, self.lang, self.city_code)

    def excel(self) -> bytes:
        """The current result as an ``.xlsx`` workbook, headers in :attr:`lang`.

        Raises
        ------
        ValueError
            The settings are refused (no result to export).
        """
        if self.result is None:
            raise ValueError("the current settings are refused: no result to export")
        return write_excel(self.result, lang=self.lang)

    def excel_name(self) -> str:
        """The workbook's file name: ``{city}_{scenario}_{plan year}.xlsx``."""
        shown = scenario_label(self.scenario.name, self.scenario.description, self.lang)
        return export_name(self.scenario.params, shown, "xlsx", self.lang)

    def without_paths(self, message: str) -> str:
        """A message without the server's folders (a planner needs the file's name only)."""
        for folder in (self.params_dir.resolve(), self.params_dir):
            message = message.replace(f"{folder}/scenarios/", "").replace(f"{folder}/", "")
        return message

    def save(self, name: str, overwrite: bool = False) -> SaveOutcome:
        """Save the settings as the planner's scenario ``name`` (the chosen scenario
        extended by the overrides, by :attr:`saver`), then show it without changes.

        A calibrated scenario's name is refused (``kind="protected"``). A taken name gives
        ``kind="exists"`` and remembers the version found; ``overwrite`` then replaces
        exactly that version (its predecessor is kept: :meth:`history`, :meth:`restore`),
        and is refused (``kind="stale"``) if another planner saved it since.
        """
        had_changes = bool(self.overrides)
        try:
            path = save_scenario(
                name,
                extends=self.scenario_name,
                overrides=self.overrides,
                description=self._save_description(),
                params_dir=self.params_dir,
                overwrite=overwrite,
                saved_by=self.saver,
                expected_version=self.seen_versions.get(str(name).strip()) if overwrite else None,
            )
        except ScenarioExists as e:
            self.seen_versions[str(name).strip()] = e.version
            return SaveOutcome("exists", name, saved_by=e.saved_by, saved_at=e.saved_at)
        except ScenarioProtected:
            return SaveOutcome("protected", name)
        except ScenarioStale as e:
            path = saved_path(str(name).strip(), self.params_dir)
            by, at, _ = saved_info(path)
            self._saw(str(name).strip())
            return SaveOutcome("stale", name, message=self.without_paths(str(e)), saved_by=by,
                               saved_at=at)  # fmt: skip
        except ScenarioError as e:
            return SaveOutcome("error", name, message=self.without_paths(str(e)))
        if overwrite:  # the previous version is kept: it can be put back
            self.last_overwrite = path.stem
        self.scenario_name = path.stem
        self.overrides = {}
        self.moved = None
        self._layers = None  # the file just written
        self._saw(path.stem)
        self.update()
        return SaveOutcome("saved", path.stem, path, had_changes=had_changes, undoable=overwrite)

    def _save_description(self) -> str:
        """What a save says it is: the calibrated scenario it rests on and how many
        settings differ from it (counted once, however many saves lie between)."""
        changed: dict[str, Any] = {}
        name = self.scenario_name
        while name != "base" and not is_calibrated(name, self.params_dir):
            path = saved_path(name, self.params_dir)
            if not path.is_file():
                break
            raw = read_yaml(path)
            changed = {**flatten(nest(raw.get("overrides") or {})), **changed}
            name = str(raw.get("extends", "base"))
        changed.update(self.overrides)
        root = (
            self.scenario
            if name == self.scenario_name
            else load_scenario(name, None, self.params_dir)
        )
        root_desc = re.sub(r"( \+ \d+ change\(s\))+$", "", root.description)
        return f"{root_desc} + {len(changed)} change(s)" if changed else root_desc

    def is_saved(self, name: str | None = None) -> bool:
        """Whether a scenario (default: the chosen one) is a planner's saved one."""
        return not is_calibrated(name or self.scenario_name, self.params_dir) and (
            saved_path(name or self.scenario_name, self.params_dir).is_file()
        )

    def history(self, name: str | None = None) -> list[Version]:
        """The kept versions of a saved scenario (default: the chosen one), newest first."""
        name = name or self.scenario_name
        return scenario_history(name, self.params_dir) if self.is_saved(name) else []

    def restore(self, version_id: str | None = None, name: str | None = None) -> SaveOutcome:
        """Put back a kept version of a saved scenario (default: the chosen one, newest
        version); anyone may, from any page. Recomputes if it is shown."""
        name = name or self.scenario_name
        try:
            restore_scenario(name, self.params_dir, version_id=version_id, saved_by=self.saver)
        except ScenarioError as e:
            return SaveOutcome("error", name, message=self.without_paths(str(e)))
        self._saw(name)
        if self.scenario_name == name:
            self._layers = None  # the version put back
            self.update()
        return SaveOutcome("undone", name)

    def undo_save(self) -> SaveOutcome:
        """Put back the version the last overwrite of this page replaced."""
        return self.restore(name=self.last_overwrite or "")
