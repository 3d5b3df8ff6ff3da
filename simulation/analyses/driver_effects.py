"""What each driver does: the change of the first plan year (and of 工业总产值 the year
after) when one driver moves.

Each driver is first pinned at the value in force in the scenario (set or computed by
the model: pinning reproduces the scenario exactly), then moved by a planner-sized step:
+1 point for growth and price rates, +1,000亿 of signings, +50 new above-scale firms.
The year after (the driver held at its value, then a step up, in both years) shows what
the capacity channel brings once projects are built (signings add no output within their
own year: builds take 12 months or more).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..economy import schema
from ..io.layering import Scenario, load_scenario, reload
from ..labels import Lang, tr
from .result import simulate

#: The step of each driver (in the driver's unit) and how it is described.
STEPS = {
    "fai_growth_rate": (0.01, "+1 point"),
    "industrial_fai_growth_rate": (0.01, "+1 point"),
    "tech_fai_growth_rate": (0.01, "+1 point"),
    "signed_100m_cny": (1000.0, "+1,000亿"),
    "new_above_scale_firms": (50.0, "+50 firms"),
    "industrial_price_change_rate": (0.01, "+1 point"),
    "consumer_price_change_rate": (0.01, "+1 point"),
}


def driver_effects(
    scenario: Scenario | str = "baseline", params_dir: str | Path | None = None
) -> pd.DataFrame:
    """One row per driver: its value in force, the step, and the change of the plan year's
    GDP, 工业总产值 and FAI (亿元) and of GDP real growth (points), and of 工业总产值 the
    year after (``industrial_output_change_next_year_100m_cny``).

    Other drivers stay as the scenario has them (set, or left to the model).
    """
    sc = (
        scenario
        if isinstance(scenario, Scenario)
        else load_scenario(scenario, params_dir=params_dir)
    )
    two_years = {"calendar.horizon_months": max(24, sc.params.calendar.horizon_months)}
    base = simulate(sc)
    in_force = base.drivers()
    ref = base.to_dict(monthly=False)["annual"]
    plan = sc.params.calendar.base_year + 1
    gio = "gross_industrial_output_100m_cny"

    def next_year(overrides: dict) -> float:
        runs = simulate(reload(sc, overrides))
        return float(runs.annual().set_index("year").loc[plan + 1, gio])

    rows = []
    for name in schema.DRIVERS:
        step, label = STEPS[name]
        value = in_force[name]["value"]
        overrides = {**sc.overrides, f"drivers.{name}": value + step}
        moved = simulate(reload(sc, overrides))
        a = moved.to_dict(monthly=False)["annual"]
        rows.append(
            {
                "driver": name,
                "in_force": value,
                "set": in_force[name]["set"],
                "step": label,
                "gdp_change_100m_cny": a["gdp_100m_cny"] - ref["gdp_100m_cny"],
                "industrial_output_change_100m_cny": a["gross_industrial_output_100m_cny"]
                - ref["gross_industrial_output_100m_cny"],
                "fai_change_100m_cny": a["fai_100m_cny"] - ref["fai_100m_cny"],
                "gdp_real_growth_change_pts": a["gdp_real_growth_pct"] - ref["gdp_real_growth_pct"],
                # both years pinned (at the value in force, then a step up): a driver set
                # in a scenario holds for every year of its horizon
                "industrial_output_change_next_year_100m_cny": next_year({**overrides, **two_years})
                - next_year({**sc.overrides, f"drivers.{name}": value, **two_years}),
            }
        )
    return pd.DataFrame(rows)


def step_label(driver: str, lang: Lang) -> str:
    """One step of a model driver the nowcast can move (:data:`STEPS`) in ``lang``."""
    size = STEPS[driver][0]
    if driver.endswith("_rate"):
        return tr("p_step_points", lang, n=size * 100)
    if driver.endswith("_100m_cny"):
        return tr("p_step_amount", lang, n=size)
    return tr("p_step_firms", lang, n=size)
