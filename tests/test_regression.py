"""Seeded regression baseline: every shipped scenario's annual results against a committed
JSON (tests/baseline/baseline.json). Tolerance 1e-6 relative (the JSON rounds to 6
decimals). A deliberate change: run scripts/refresh_baseline.py, review the diff, note it
in CHANGELOG.md."""

import importlib.util
import json

import pytest


def test_results_match_committed_baseline(root):
    spec = importlib.util.spec_from_file_location(
        "refresh", root / "scripts" / "refresh_baseline.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    want = json.loads((root / "tests" / "baseline" / "baseline.json").read_text(encoding="utf-8"))
    got = mod.snapshot()
    assert sorted(got["scenarios"]) == sorted(want["scenarios"]), "scenario list changed"
    diffs = []
    for name, vals in want["scenarios"].items():
        for k, v in vals.items():
            g = got["scenarios"][name][k]
            if g != pytest.approx(v, rel=1e-6, abs=1e-6):
                diffs.append(f"{name}.{k}: baseline {v:.4f} → now {g:.4f} ({g - v:+.4f})")
    assert not diffs, "results changed:\n" + "\n".join(diffs)
