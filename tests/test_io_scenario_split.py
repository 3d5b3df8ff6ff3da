"""``simulation.io.scenario`` split by job: every name it exported still answers there,
as the same object its new home defines; dotted paths nest and flatten back."""

from __future__ import annotations

import pytest

from simulation.io import errors, layering, paths, saving, scenario, uncertain, yamlfile

HOMES = {
    errors: ("ScenarioError", "ScenarioExists", "ScenarioProtected", "ScenarioStale",
             "explain_error", "validate_dict"),
    yamlfile: ("MAX_YAML_BYTES", "MAX_YAML_DEPTH", "read_yaml"),
    paths: ("nest", "flatten", "deep_merge", "leaves", "pop_leaf", "parse_set"),
    uncertain: ("uncertain_paths", "take_distributions"),
    layering: ("PARAMS_DIR", "SCENARIO_KEYS", "Scenario", "scenario_path", "load_scenario",
               "apply_presets", "list_scenarios", "saved_path"),
    saving: ("check_scenario_name", "save_scenario", "restore_scenario", "scenario_history",
             "scenario_version", "saved_info", "is_calibrated", "Version"),
}  # fmt: skip


@pytest.mark.parametrize("module", list(HOMES), ids=lambda m: m.__name__)
def test_every_name_is_reexported_from_scenario(module):
    for name in HOMES[module]:
        assert getattr(scenario, name) is getattr(module, name), name
    assert set(module.__all__) <= set(scenario.__all__)


def test_flatten_undoes_nest():
    flat = {"pipeline.start_share": 0.9, "campaigns.industry": "strong", "a.b.c": [1, 2]}
    nested = paths.nest(flat)
    assert nested == {
        "pipeline": {"start_share": 0.9},
        "campaigns": {"industry": "strong"},
        "a": {"b": {"c": [1, 2]}},
    }
    assert paths.flatten(nested) == flat


def test_saving_writes_through_the_atomic_write_and_keeps_the_old_version(tmp_path):
    import shutil

    shutil.copy2(scenario.PARAMS_DIR / "base.yaml", tmp_path / "base.yaml")
    (tmp_path / "scenarios").mkdir()
    p = scenario.save_scenario("mine", "base", {"industry.tech_yield": 1.1}, params_dir=tmp_path)
    assert scenario.load_scenario("mine", params_dir=tmp_path).params.industry.tech_yield == 1.1
    scenario.save_scenario(
        "mine", "base", {"industry.tech_yield": 1.2}, params_dir=tmp_path, overwrite=True
    )
    assert p == tmp_path / "scenarios" / "saved" / "mine.yaml"  # the planners' area
    assert [f.name for f in p.parent.iterdir() if f.is_file()] == ["mine.yaml"]
    assert len(list((p.parent / ".history").glob("mine.*.yaml"))) == 1
    scenario.restore_scenario("mine", params_dir=tmp_path)
    assert scenario.load_scenario("mine", params_dir=tmp_path).params.industry.tech_yield == 1.1
