"""Seeded regression baseline: results against the committed tests/baseline/baseline.json.

Three tolerances, one per kind of claim (as in SALib's tests/test_regression.py):

* ``DETERMINISTIC_REL`` 1e-6 relative: every shipped scenario's plan-year results (the
  JSON rounds them to 6 decimals);
* ``SEEDED_REL`` 1e-9 relative: one seeded Monte Carlo (same seed and draws → same
  numbers; the JSON keeps them unrounded);
* ``IDENTITY_ABS`` 1e-12: analytic truths of any Monte Carlo run (probabilities are shares
  of draws, percentiles are ordered, "both" lies within the Fréchet bounds).

On a failure the message is a table of what moved (key, baseline, now, change), as in
Covasim's tests/test_baselines.py. A deliberate change: run scripts/refresh_baseline.py,
review the diff, note it in CHANGELOG.md.
"""

from __future__ import annotations

import importlib.util
import json
import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from helpers import BASELINE_JSON, targets

from simulation.analyses.montecarlo import MonteCarlo, monte_carlo

DETERMINISTIC_REL = 1e-6
SEEDED_REL = 1e-9
IDENTITY_ABS = 1e-12


def _refresh_module(root: Path) -> ModuleType:
    """scripts/refresh_baseline.py, imported: the same code writes and checks the file."""
    spec = importlib.util.spec_from_file_location(
        "refresh", root / "scripts" / "refresh_baseline.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def refresh(root: Path) -> ModuleType:
    return _refresh_module(root)


@pytest.fixture(scope="module")
def committed() -> dict[str, Any]:
    return json.loads(BASELINE_JSON.read_text(encoding="utf-8"))


def _leaves(d: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Dotted paths to the leaves of a nested mapping."""
    for k, v in d.items():
        if isinstance(v, Mapping):
            yield from _leaves(v, f"{prefix}{k}.")
        else:
            yield f"{prefix}{k}", v


def diff_table(want: Mapping[str, Any], got: Mapping[str, Any], rel: float) -> str:
    """Rows (key, baseline, now, change) for every leaf that moved by more than ``rel``
    (relative, with the same absolute floor), or that one side lacks; "" when none."""
    a, b = dict(_leaves(want)), dict(_leaves(got))
    rows = []
    for key in sorted(a.keys() | b.keys()):
        v, g = a.get(key), b.get(key)
        if isinstance(v, int | float) and isinstance(g, int | float):
            if math.isclose(g, v, rel_tol=rel, abs_tol=rel):
                continue
            change = f"{g - v:+.6g}" + (f" ({(g - v) / abs(v):+.2e} rel)" if v else "")
            rows.append((key, f"{v:.10g}", f"{g:.10g}", change))
        elif v != g:
            rows.append((key, str(v), str(g), "missing" if None in (v, g) else "changed"))
    if not rows:
        return ""
    head = ("key", "baseline", "now", "change")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in [head, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def test_diff_table_lists_what_moved_and_nothing_else():
    want = {"s": {"gdp": 100.0, "gio": 50.0}, "name": "a"}
    got = {"s": {"gdp": 100.0 * (1 + 1e-12), "gio": 51.0}, "name": "b"}
    table = diff_table(want, got, 1e-9)
    assert "s.gio" in table and "+1" in table and "name" in table
    assert "s.gdp" not in table
    assert diff_table(want, want, 1e-9) == ""


# --- deterministic: every shipped scenario ------------------------------------------------
def test_results_match_committed_baseline(refresh, committed):
    got = refresh.scenario_results()
    assert sorted(got) == sorted(committed["scenarios"]), "scenario list changed"
    table = diff_table(committed["scenarios"], got, DETERMINISTIC_REL)
    if table:
        pytest.fail(
            f"results changed (scripts/refresh_baseline.py if meant):\n{table}", pytrace=False
        )


# --- seeded Monte Carlo -------------------------------------------------------------------
@pytest.fixture(scope="module")
def pinned_run(refresh) -> MonteCarlo:
    r = refresh.MC_RUN
    return monte_carlo(r["scenario"], draws=r["draws"], seed=r["seed"], sampler=r["sampler"])


def test_seeded_monte_carlo_matches_the_pin(refresh, committed):
    pin = committed["monte_carlo"]
    assert {k: pin[k] for k in refresh.MC_RUN} == refresh.MC_RUN, "pinned run settings changed"
    got = refresh.monte_carlo_result()
    assert set(got["quantiles"]["gdp"]) >= {"p5", "p95"}
    table = diff_table(pin, got, SEEDED_REL)
    if table:
        pytest.fail(
            f"seeded Monte Carlo changed (refresh_baseline.py if meant):\n{table}", pytrace=False
        )


def test_the_pin_depends_on_the_seed(refresh, committed):
    """Another seed moves the percentiles by far more than ``SEEDED_REL``: the pin checks
    the draws, not only the model's centre."""
    r = refresh.MC_RUN
    other = monte_carlo(r["scenario"], draws=r["draws"], seed=r["seed"] + 1, sampler=r["sampler"])
    pin = committed["monte_carlo"]["quantiles"]
    assert diff_table(pin, other.quantiles(refresh.MC_QUANTILES), SEEDED_REL)


def test_monte_carlo_identities(pinned_run, refresh):
    """Analytic truths of a run, whatever the model: probabilities are shares of draws at or
    above the targets, "both" lies within the Fréchet bounds, percentiles are ordered and
    bracket the draws."""
    n = refresh.MC_RUN["draws"]
    t = targets(refresh.MC_RUN["scenario"])
    values = pinned_run.annual_values()
    assert len(values) == pinned_run.n == n
    p = pinned_run.probability()
    for k in ("gdp", "industrial_output"):
        assert p[k] == pytest.approx(float(np.mean(values[k] >= t[k])), abs=IDENTITY_ABS)
        assert p[k] * n == pytest.approx(round(p[k] * n), abs=IDENTITY_ABS * n)
    assert max(0.0, p["gdp"] + p["industrial_output"] - 1) - IDENTITY_ABS <= p["both"]
    assert p["both"] <= min(p["gdp"], p["industrial_output"]) + IDENTITY_ABS
    q = pinned_run.quantiles(refresh.MC_QUANTILES)
    for k in ("gdp", "industrial_output"):
        lo, mid, hi = (q[k][f"p{x}"] for x in refresh.MC_QUANTILES)
        assert values[k].min() <= lo <= mid <= hi <= values[k].max()
        assert np.mean(values[k] <= hi) >= 0.95 - IDENTITY_ABS
