from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import simulation  # noqa: E402


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every browser test is also slow: ``-m "not slow"`` is the fast tier."""
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture
def params_dir(tmp_path: Path, root: Path) -> Path:
    """A copy of the shipped parameter folder that a test may change (save, overwrite)."""
    d = tmp_path / "params"
    shutil.copytree(root / "params", d)
    return d


@pytest.fixture(scope="session")
def baseline():
    return simulation.load_scenario("baseline")


@pytest.fixture(scope="session")
def baseline_result(baseline):
    return simulation.simulate(baseline)


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium driven by Playwright's sync API, one per test module (the office
    load test drives its own with the async API)."""
    import drive
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = drive.launch(p)
        yield b
        b.close()
