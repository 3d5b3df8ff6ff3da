"""Rewrite tests/baseline/baseline.json from the current model (run on purpose, then
review the diff and note result changes in CHANGELOG.md).

    .venv/bin/python scripts/refresh_baseline.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import simulation  # noqa: E402
from simulation.result import ANNUAL_KEYS  # noqa: E402

KEYS = (*ANNUAL_KEYS, "gdp_real_growth_pct", "gross_industrial_output_real_growth_pct")


def snapshot() -> dict:
    out = {}
    for name, _ in simulation.list_scenarios():
        d = simulation.simulate(name).to_dict(monthly=False)
        out[name] = {k: round(d["annual"][k], 6) for k in KEYS}
    return {"package_version": simulation.__version__, "scenarios": out}


if __name__ == "__main__":
    path = ROOT / "tests" / "baseline" / "baseline.json"
    path.write_text(json.dumps(snapshot(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path}")
