"""Write a city's parameter folder from a :class:`simulation.calibration.Calibration`.

The folder: ``base.yaml`` (every value, and beside them ``sources``: where each value
comes from), ``scenarios/`` (the standard scenarios and ``uncertainty.yaml`` with the
fitted distributions) and ``CALIBRATION.md`` (the report). Files are written to a
temporary folder first and moved into place only when all of them validate.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import ValidationError

from .._paths import PACKAGE_DATA
from ..economy import schema
from ..io.atomic import write_text
from ..io.errors import ScenarioError
from ..io.folderlock import COMMIT_LIST, commit_staged, folder_lock, staging_folder
from ..io.layering import SAVED
from ..io.risks import event_spec
from . import calibration as cal_mod
from . import fits
from .calibration import Calibration
from .priors import CONSTRUCTION_SHARE_RANGE
from .ytdnoise import SHARE_SD_PRIOR

DATA = PACKAGE_DATA
#: Judgement distributions kept in every uncertainty scenario (MODEL.md's ranges).
JUDGEMENT_DISTRIBUTIONS: dict[str, dict[str, Any]] = {
    "pipeline.start_share": {
        "dist": "triangular",
        "low": 0.78,
        "mode": None,
        "high": 0.90,
        "source": "MODEL.md §3.2: plateau 0.80-0.90; a recorded cohort 78% within 18 months; "
        "mode = the fitted value",
    },
    "pipeline.realised_share": {
        "dist": "triangular",
        "low": "0.75x",
        "mode": None,
        "high": "1.25x",
        "source": "the fitted value ±25%: it rests on the judgement that 招商 projects are ≈60% "
        "of industrial FAI less 技改 [judgement]",
    },
    "pipeline.output_to_investment_ratio": {
        "dist": "uniform",
        "low": 1.0,
        "high": 2.0,
        "source": "planned output at full capacity per yuan invested of the two multi-project "
        "batches of Hubei cities in docs/evidence/capacity_evidence.csv (12 completed "
        "projects 0.96, 51 development-zone projects 1.95; each row with its page); planned "
        "figures, so optimistic",
    },
    "pipeline.start_lag_median_months": {
        "dist": "lognormal",
        "median": None,
        "sigma": 0.25,
        "low": 2.0,
        "high": 14.0,
        "source": "MODEL.md §3.2: median ≈5, flagships 2-4 months; fitted value ±25% in "
        "logs [judgement]",
    },
    "pipeline.construction_time_multiplier": {
        "dist": "triangular",
        "low": 0.85,
        "mode": 1.0,
        "high": 1.25,
        "source": "MODEL.md §3.2: build periods 11-27 months around 12/18/24 [judgement]",
    },
    "industry.investment_lag_elasticity": {
        "dist": "uniform",
        "low": 0.0,
        "high": 0.06,
        "source": "prior only: the pack cannot estimate it [judgement]",
    },
    "industry.tech_yield": {
        "dist": "uniform",
        "low": 0.0,
        "high": 0.6,
        "source": "MODEL.md §3.1 gross 1.5-2.0 less the ordinary-investment yield; prior only",
    },
    "industry.new_firms_per_year": {
        "dist": "lognormal",
        "median": None,
        "sigma": 0.3,
        "low": 0.0,
        "high": 1000.0,
        "source": "entrants (小进规) vary from year to year: the data packs' counts of one city "
        "differ by half between two years, or from the next year's target; ±30% in logs "
        "around the calibrated count [judgement]",
    },
    "industry.new_firm_output_100m_cny": {
        "dist": "triangular",
        "low": 0.2,
        "mode": 0.5,
        "high": 1.0,
        "source": "MODEL.md §3.1: 0.3-1亿 gross per entrant; most just above the threshold "
        "[judgement]",
    },
    "industry.pipeline_entrant_share": {
        "dist": "uniform",
        "low": 0.1,
        "high": 0.5,
        "source": "new plants of 招商 projects among the new above-scale firms [judgement]",
    },
    "accounts.services_spillover_elasticity": {
        "dist": "uniform",
        "low": 0.2,
        "high": 0.4,
        "source": "MODEL.md §3.4: 0.2-0.4",
    },
    "base_year.construction_share_of_secondary": {
        "dist": "uniform",
        "low": CONSTRUCTION_SHARE_RANGE[0],
        "high": CONSTRUCTION_SHARE_RANGE[1],
        "source": "Hubei prefecture cities ≈15-20% [judgement]",
    },
}


class _Dumper(yaml.SafeDumper):
    """Block style for mappings, flow style for short lists, unicode kept."""


def _repr_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = all(not isinstance(x, (dict, list)) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _repr_list)


def _clean(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if isinstance(x, (float, np.floating)):
        v = float(x)
        return round(v, 6) if abs(v) < 1e4 else round(v, 2)
    if isinstance(x, np.integer):
        return int(x)
    return x


def dump(data: dict[str, Any]) -> str:
    """YAML text of ``data``: stable key order, unicode, rounded floats."""
    return yaml.dump(_clean(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def compose_base(cal: Calibration) -> dict[str, Any]:
    """``base.yaml`` as a dict: the template's judgements overlaid with the calibration.

    The realised share is fitted last, on the composed parameters (it needs a model run).
    """
    template = yaml.safe_load((DATA / "template.yaml").read_text(encoding="utf-8"))
    city = cal.labels.get("city_zh", cal.city)
    base = {
        "name": "base",
        "description": f"{city} base parameters ({cal.base_year} base year, "
        f"{cal.base_year + 1} plan), every campaign at plan",
    }
    base.update(_merge(template["values"], cal.nested()))
    sources = dict(template["sources"])
    sources.update({p: v.text for p, v in cal.values.items()})
    base["city"] = {
        "code": cal.city,
        "name_zh": city,
        "name_en": cal.labels.get("city_en", cal.city.capitalize()),
        "counties": list(cal.counties.names) if cal.counties else [],
        "county_aliases": dict(cal.counties.aliases) if cal.counties else {},
    }
    sources["city.counties"] = (
        f"DATA: {cal.counties.source}"
        if cal.counties
        else "none given to calibrate (--counties): registers cannot be imported"
    )
    _fit_presets(base)
    base["pipeline"].setdefault("realised_share", 0.2)
    base.setdefault("tracking", {}).setdefault("ytd_share_sd", SHARE_SD_PRIOR[0])  # fitted below
    try:
        params = schema.Params.model_validate({**base, "sources": sources})
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in err['loc'])} = {err.get('input')!r}: {err['msg']}"
            for err in e.errors()
        )
        raise cal_mod.CalibrationError(
            f"the calibrated values for {cal.city} {cal.base_year} are not valid parameters: "
            f"{problems}. Check the pack's figures for that year."
        ) from None
    share, how = fits.fit_realised_share(params)
    cal.set("pipeline.realised_share", share, "FIT", how)
    base["pipeline"]["realised_share"] = share
    sources["pipeline.realised_share"] = cal.values["pipeline.realised_share"].text
    # the capacity channel carries part of the estimated growth: the base-year pace's
    # capacity, which the model subtracts from the organic growth (DERIVED, one run)
    params = params.model_copy(
        update={"pipeline": params.pipeline.model_copy(update={"realised_share": share})}
    )
    c_ref, how = fits.fit_capacity_reference(params)
    per_yield = c_ref / (params.pipeline.output_to_investment_ratio * share)
    cal.set("industry.capacity_reference_per_yield", per_yield, "DERIVED", how)
    base["industry"]["capacity_reference_per_yield"] = per_yield
    sources["industry.capacity_reference_per_yield"] = cal.values[
        "industry.capacity_reference_per_yield"
    ].text
    if cal.level_pairs is not None:  # the nowcast's level noise, measured on the model
        sd, method, how = fits.fit_share_sd(params, cal.level_pairs)
        cal.set("tracking.ytd_share_sd", sd, method, how)
        base["tracking"]["ytd_share_sd"] = sd
        sources["tracking.ytd_share_sd"] = cal.values["tracking.ytd_share_sd"].text
    order = [
        "name",
        "description",
        "city",
        "calendar",
        "targets",
        "base_year",
        "seasonality",
        "industry",
        "pipeline",
        "investment",
        "accounts",
        "environment",
        "drivers",
        "tracking",
        "plausibility",
        "campaigns",
        "campaign_presets",
        "shocks",
    ]
    out = {k: base[k] for k in order if k in base}
    out["sources"] = {k: sources[k] for k in sorted(sources)}
    return out


#: Campaign steps on a city's levels (亿元 of signings, counts of firms): scaled down for a
#: small city, see :func:`_fit_presets`.
LEVEL_STEPS = {
    "attraction": "pipeline.signed_annual_100m_cny",
    "industry": "industry.new_firms_per_year",
}


def _fit_presets(base: dict[str, Any]) -> None:
    """Keep the campaigns' steps on levels within a small city's own: a strong campaign
    adds at most the city's value again, a weak one takes at most three quarters of it
    (the template's steps, e.g. +1000 / −800亿 of signings and ±50 firms, are for a city
    signing ≈3000亿 with ≈100 entrants a year)."""
    for campaign, path in LEVEL_STEPS.items():
        section, key = path.split(".")
        value = float(base[section][key])
        presets = base["campaign_presets"][campaign]
        presets["strong"][path] = min(presets["strong"][path], round(value, 1))
        presets["weak"][path] = max(presets["weak"][path], -round(0.75 * value, 1))


def uncertainty_scenario(cal: Calibration, base: dict[str, Any]) -> dict[str, Any]:
    """The ``uncertainty`` scenario: fitted distributions, then MODEL.md's ranges."""
    dists = dict(cal.distributions)
    for path, d in JUDGEMENT_DISTRIBUTIONS.items():
        d = dict(d)
        section, name = path.split(".")
        value = base[section][name]
        for key in ("median", "mode"):
            if key in d and d[key] is None:
                d[key] = value
        for key in ("low", "high"):
            if isinstance(d.get(key), str):  # "0.75x": a multiple of the value
                d[key] = round(float(d[key][:-1]) * value, 6)
        dists.setdefault(path, d)
    dists["shocks.supply_chain_spring.depth_share"] = {
        "dist": "triangular",
        "low": 0.0,
        "mode": 0.0,
        "high": 0.08,
        "source": "MODEL.md §3.6: -5 to -8 points for ≈2 months, if it happens",
    }
    dists["shocks.heat_drought.depth_share"] = {
        "dist": "triangular",
        "low": 0.0,
        "mode": 0.0,
        "high": 0.20,
        "source": "MODEL.md §3.6: construction spending -10-20% in July-August, if it happens",
    }
    overrides: dict[str, Any] = {
        "shocks.supply_chain_spring.enabled": True,
        "shocks.heat_drought.enabled": True,
    }
    if cal.risks is not None:  # risks known at plan time: drawn as events [judgement]
        for _, risk in cal.risks.iterrows():
            dists[f"shocks.{risk['shock']}.depth_share"] = event_spec(risk)
            overrides[f"shocks.{risk['shock']}.enabled"] = True
    overrides.update(dict(sorted(dists.items())))
    return {
        "extends": "baseline",
        "description": "不确定性情景 Uncertainty — baseline levers; every estimated coefficient "
        "drawn from its fitted distribution, the rest from MODEL.md's ranges",
        "overrides": overrides,
    }


def write_folder(cal: Calibration, out: str | Path, render: Callable[[Calibration], str]) -> Path:
    """Write ``base.yaml``, ``scenarios/`` and ``CALIBRATION.md`` into ``out``.

    Everything is written to a temporary folder beside ``out`` and validated by loading
    every scenario; only then are the files moved into place (files of ``out`` that
    calibrate does not write are kept).
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    base = compose_base(cal)
    with folder_lock(out):  # no save or other calibration of the folder meanwhile
        _write_folder_locked(cal, out, base, render)
    return out


def _check_same_city(cal: Calibration, out: Path) -> None:
    """Refuse to calibrate one city into another city's folder (its saved scenarios would
    run on the wrong city's numbers)."""
    existing = out / "base.yaml"
    if not existing.is_file():
        return
    try:
        code = (yaml.safe_load(existing.read_text(encoding="utf-8")) or {}).get("city", {})
        code = code.get("code") if isinstance(code, dict) else None
    except yaml.YAMLError:
        code = None
    if code and code != cal.city:
        raise cal_mod.CalibrationError(
            f"{out}: not written: it is the folder of city '{code}', not '{cal.city}'; "
            "calibrate into a folder of its own (or move that one away first)"
        )


def _write_folder_locked(
    cal: Calibration, out: Path, base: dict[str, Any], render: Callable[[Calibration], str]
) -> None:
    """:func:`write_folder` under the folder's lock: stage, validate the whole scenario
    set (the planners' saved scenarios too, against the new calibration), move in."""
    from ..io.layering import list_scenarios, load_scenario

    _check_same_city(cal, out)
    tmp = staging_folder(out)
    try:
        (tmp / "scenarios").mkdir()
        header = (
            f"# {cal.labels.get('city_zh', cal.city)} — every parameter of the model, base year "
            f"{cal.base_year}, plan year {cal.base_year + 1}.\n"
            "# Written by `python -m simulation calibrate`; do not edit by hand: change the data "
            "pack or\n# simulation/data/template.yaml and calibrate again. `sources` says where "
            "each value comes from;\n# CALIBRATION.md explains the estimates.\n"
        )
        write_text(tmp / "base.yaml", header + dump(base))
        for f in sorted((DATA / "scenarios").glob("*.yaml")):
            shutil.copyfile(f, tmp / "scenarios" / f.name)
        write_text(
            tmp / "scenarios" / "uncertainty.yaml",
            "# Written by `python -m simulation calibrate` (see CALIBRATION.md).\n"
            + dump(uncertainty_scenario(cal, base)),
        )
        write_text(tmp / "CALIBRATION.md", render(cal))
        shipped = sorted((tmp / "scenarios").glob("*.yaml"))
        saved = out / "scenarios" / SAVED
        if saved.is_dir():  # the planners' scenarios must still load on the new folder
            shutil.copytree(saved, tmp / "scenarios" / SAVED, ignore=shutil.ignore_patterns(".*"))
        broken = []
        for name, _ in list_scenarios(tmp):
            try:
                load_scenario(name, params_dir=tmp)
            except ScenarioError as e:
                if (tmp / "scenarios" / f"{name}.yaml").is_file():
                    raise
                broken.append(f"{name} ({str(e).replace(str(tmp), str(out))})")
        if broken:
            raise cal_mod.CalibrationError(
                f"{out}: not written: the planners' saved scenario(s) "
                + "; ".join(broken)
                + " would not load on the new calibration; move them out of "
                f"{out / 'scenarios' / SAVED} or fix them first"
            )
        (out / "scenarios").mkdir(parents=True, exist_ok=True)
        commit_staged(tmp, out, [tmp / "base.yaml", tmp / "CALIBRATION.md", *shipped])
    finally:
        if not (tmp / COMMIT_LIST).is_file():  # a committed folder is the lock's to finish
            shutil.rmtree(tmp, ignore_errors=True)
