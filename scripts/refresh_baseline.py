"""Rewrite tests/baseline/baseline.json from the current model (run on purpose, then
review the diff and note result changes in CHANGELOG.md).

    .venv/bin/python scripts/refresh_baseline.py

The file holds every shipped scenario's plan-year results (``scenarios``, rounded to 6
decimals) and one seeded Monte Carlo (``monte_carlo``: the probabilities of meeting the
targets and the percentiles of GDP and industrial output in the plan year, at full
precision: the same seed and draws give the same numbers).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import simulation  # noqa: E402
from simulation.analyses.montecarlo import monte_carlo  # noqa: E402
from simulation.analyses.result import ANNUAL_KEYS  # noqa: E402

KEYS = (*ANNUAL_KEYS, "gdp_real_growth_pct", "gross_industrial_output_real_growth_pct")

#: The pinned Monte Carlo run: fixed here (not the package defaults), so that a change of
#: default draws or seed does not move the pin.
MC_RUN: dict[str, Any] = {
    "scenario": "uncertainty",
    "draws": 2000,
    "seed": 20220208,
    "sampler": "random",
}
MC_QUANTILES = (5, 50, 95)


def scenario_results() -> dict[str, dict[str, float]]:
    """Plan-year results of every shipped scenario, rounded to 6 decimals."""
    out = {}
    for name, _ in simulation.list_scenarios():
        d = simulation.simulate(name).to_dict(monthly=False)
        out[name] = {k: round(d["annual"][k], 6) for k in KEYS}
    return out


def monte_carlo_result() -> dict[str, Any]:
    """The seeded Monte Carlo of :data:`MC_RUN`: its settings, the probability of meeting
    each target and both, and plan-year percentiles (亿元), unrounded."""
    mc = monte_carlo(
        MC_RUN["scenario"], draws=MC_RUN["draws"], seed=MC_RUN["seed"], sampler=MC_RUN["sampler"]
    )
    return {
        **MC_RUN,
        "probability": mc.probability(),
        "quantiles": mc.quantiles(MC_QUANTILES),
    }


def snapshot() -> dict[str, Any]:
    """Everything baseline.json holds."""
    return {
        "package_version": simulation.__version__,
        "scenarios": scenario_results(),
        "monte_carlo": monte_carlo_result(),
    }


if __name__ == "__main__":
    path = ROOT / "tests" / "baseline" / "baseline.json"
    path.write_text(json.dumps(snapshot(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path}")
