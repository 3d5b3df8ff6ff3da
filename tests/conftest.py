from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import simulation  # noqa: E402


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def baseline():
    return simulation.load_scenario("baseline")


@pytest.fixture(scope="session")
def baseline_result(baseline):
    return simulation.simulate(baseline)
