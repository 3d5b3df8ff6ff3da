"""Shipped scenarios move the results the way a planner expects; bad files are refused."""

import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

import simulation
from simulation import ScenarioError

CAMPAIGNS = ("industry", "attraction", "investment", "environment")


def annual(name):
    t = simulation.simulate(name).targets()
    return t["gdp"]["value_100m_cny"], t["industrial_output"]["value_100m_cny"]


@pytest.fixture(scope="module")
def base():
    return annual("baseline")


@pytest.mark.parametrize("campaign", CAMPAIGNS)
def test_campaign_presets_move_results_the_right_way(campaign, base):
    strong, weak = annual(f"{campaign}_strong"), annual(f"{campaign}_weak")
    assert strong[0] > base[0] > weak[0]  # GDP strictly
    assert strong[1] >= base[1] >= weak[1]  # output: investment pays only from next year


def test_all_strong_beats_each_campaign(base):
    allv = annual("all_strong")
    for c in CAMPAIGNS:
        s = annual(f"{c}_strong")
        assert allv[0] > s[0] and allv[1] >= s[1]
    base_v = annual("baseline")
    assert allv[0] > base_v[0] + 50 and allv[1] > base_v[1] + 50  # together they add up


@pytest.mark.parametrize(
    "shock",
    ["shock_supply_chain", "shock_heat_drought", "shock_property_slump", "shock_local_outbreak"],
)
def test_shocks_lower_gdp(shock, base):
    assert annual(shock)[0] < base[0]


def test_supply_chain_hits_output(base):
    assert annual("shock_supply_chain")[1] < base[1] - 20


def test_preset_moves_several_levers_and_explicit_override_wins():
    base = simulation.load_scenario("baseline").params
    strong = simulation.load_scenario(
        "baseline", overrides={"campaigns.investment": "strong"}
    ).params
    assert strong.pipeline.start_share_change > base.pipeline.start_share_change
    assert strong.pipeline.construction_time_multiplier < base.pipeline.construction_time_multiplier
    assert strong.investment.other_growth_rate > base.investment.other_growth_rate
    fixed = simulation.load_scenario(
        "baseline",
        overrides={"campaigns.investment": "strong", "investment.other_growth_rate": 0.01},
    ).params
    assert fixed.investment.other_growth_rate == 0.01
    assert fixed.pipeline.start_share_change == strong.pipeline.start_share_change


def _override_leaves(overrides: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A scenario file's overrides as dotted paths; a distribution mapping is one leaf."""
    out: dict[str, Any] = {}
    for k, v in overrides.items():
        if isinstance(v, Mapping) and "dist" not in v:
            out.update(_override_leaves(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def _at(params: Any, path: str) -> Any:
    """The value at a dotted parameter path (keys may hold dots, as campaign presets' do);
    ``None`` where there is none."""
    node: Any = params.model_dump()
    rest = path
    while rest:
        keys = sorted(node, key=len, reverse=True) if isinstance(node, Mapping) else []
        key = next((k for k in keys if rest == k or rest.startswith(f"{k}.")), None)
        if key is None:
            return None
        node, rest = node[key], rest[len(key) + 1 :]
    return node


def check_holds_only_overrides_and_lists(params_dir: Path, name: str) -> dict[str, Any]:
    """Scenario ``name`` in ``params_dir``: its file holds only ``extends``, a description
    and overrides (no parameter sections), every override moves a value (or gives a
    distribution) its parent does not already have, and ``list_scenarios`` lists it with
    its description. Returns the overrides as dotted paths."""
    from simulation.io.layering import list_scenarios
    from simulation.io.layering import saved_path as saved_file
    from simulation.io.yamlfile import read_yaml

    shipped = params_dir / "scenarios" / f"{name}.yaml"
    raw = read_yaml(shipped if shipped.is_file() else saved_file(name, params_dir))
    keys = {"extends", "description", "overrides", "saved_by", "saved_at"}
    assert set(raw) <= keys and "extends" in raw, f"{name}: top-level keys {sorted(raw)}"
    over = _override_leaves(raw.get("overrides") or {})
    sc = simulation.load_scenario(name, params_dir=params_dir)
    parent = simulation.load_scenario(raw["extends"], params_dir=params_dir)
    same = []
    for path, value in over.items():
        if isinstance(value, Mapping):  # a distribution: new, or unlike the parent's
            moved = parent.uncertainty.get(path) != sc.uncertainty[path]
        else:
            moved = _at(sc.params, path) != _at(parent.params, path)
        if not moved:
            same.append(path)
    assert not same, (
        f"{name}: {len(same)} of {len(over)} overrides equal {raw['extends']}'s: {same[:5]}"
    )
    assert dict(list_scenarios(params_dir)).get(name) == raw["description"] != ""
    return over


def test_scenario_holds_only_overrides_and_lists(root, tmp_path):
    """Shipped and saved scenario files hold their overrides and nothing the parent already
    says (no dump of every parameter), and the scenario list shows them."""
    from simulation.io.layering import list_scenarios
    from simulation.io.saving import save_scenario

    shipped = root / "params"
    names = [n for n, _ in list_scenarios(shipped)]
    assert {"baseline", "all_strong", "uncertainty"} <= set(names)
    assert {f"{c}_{lv}" for c in CAMPAIGNS for lv in ("weak", "strong")} <= set(names)
    for n in names:
        check_holds_only_overrides_and_lists(shipped, n)

    d = _copy_params(tmp_path)
    parent = simulation.load_scenario("industry_strong", params_dir=d)
    given = {
        "industry.tech_yield": round(parent.params.industry.tech_yield + 0.15, 2),
        "shocks.heat_drought.enabled": not parent.params.shocks["heat_drought"].enabled,
    }
    save_scenario("mine", "industry_strong", given, description="mine: two changes", params_dir=d)
    assert check_holds_only_overrides_and_lists(d, "mine") == given
    mine = simulation.load_scenario("mine", params_dir=d)
    assert set(mine.differences(parent)) == {*given, "name", "description"}

    # saved under the name it extends: its own overrides folded in, still nothing more
    more = {"pipeline.start_share_change": 0.02}
    save_scenario("mine", "mine", more, description="folded", params_dir=d, overwrite=True)
    folded = check_holds_only_overrides_and_lists(d, "mine")
    assert folded == {**given, **more}


# --- bad inputs ---------------------------------------------------------------------


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_malformed_yaml(tmp_path):
    p = write(tmp_path, "bad.yaml", "extends: baseline\noverrides: {a: [1, 2}\n")
    with pytest.raises(ScenarioError, match=r"bad.yaml \(line \d+, column \d+\): not valid YAML"):
        simulation.load_scenario(p)


def test_unknown_key_lists_valid_ones(tmp_path):
    p = write(tmp_path, "u.yaml", "extends: baseline\noverrides:\n  industry.tech_yeild: 2\n")
    with pytest.raises(ScenarioError) as e:
        simulation.load_scenario(p)
    msg = str(e.value)
    assert "u.yaml" in msg and "industry.tech_yeild" in msg and "tech_yield" in msg


def test_out_of_bounds_names_file_field_and_range(tmp_path):
    p = write(tmp_path, "o.yaml", "extends: baseline\noverrides:\n  pipeline.start_share: 1.5\n")
    with pytest.raises(
        ScenarioError,
        match=r"o.yaml: field 'pipeline.start_share' = 1.5 is out "
        r"of bounds; expected a value from 0.2 to 1",
    ):
        simulation.load_scenario(p)


def test_wrong_type(tmp_path):
    p = write(tmp_path, "w.yaml", "extends: baseline\noverrides:\n  industry.tech_yield: high\n")
    with pytest.raises(ScenarioError, match=r"w.yaml: field 'industry.tech_yield' = 'high'"):
        simulation.load_scenario(p)


def test_missing_base_file(tmp_path):
    p = write(tmp_path, "m.yaml", "extends: nowhere\n")
    with pytest.raises(ScenarioError, match=r"m.yaml: extends 'nowhere', but .*does not exist"):
        simulation.load_scenario(p)


def test_missing_params_dir_base(tmp_path):
    (tmp_path / "scenarios").mkdir()
    write(tmp_path / "scenarios", "x.yaml", "extends: base\n")
    with pytest.raises(ScenarioError, match="no base.yaml"):
        simulation.load_scenario("x", params_dir=tmp_path)


def test_scenario_extending_itself(tmp_path):
    p = write(tmp_path, "loop.yaml", f"extends: {tmp_path / 'loop.yaml'}\n")
    with pytest.raises(ScenarioError, match="in a circle"):
        simulation.load_scenario(p)


def test_duplicate_key(tmp_path):
    p = write(tmp_path, "d.yaml", "extends: baseline\noverrides:\n  a: 1\n  a: 2\n")
    with pytest.raises(ScenarioError, match="duplicate key 'a'"):
        simulation.load_scenario(p)


def test_cross_field_rule(tmp_path):
    p = write(
        tmp_path,
        "c.yaml",
        "extends: baseline\noverrides:\n"
        "  pipeline.large_share: 0.7\n  pipeline.medium_share: 0.5\n",
    )
    with pytest.raises(
        ScenarioError, match="large_share \\+ pipeline.medium_share must not exceed 1"
    ):
        simulation.load_scenario(p)


def test_unknown_top_level_key(tmp_path):
    p = write(tmp_path, "t.yaml", "extends: baseline\noverride: {}\n")
    with pytest.raises(ScenarioError, match="unknown top-level key"):
        simulation.load_scenario(p)


def test_yaml_is_loaded_safely(tmp_path):
    p = write(
        tmp_path,
        "s.yaml",
        "extends: baseline\noverrides: !!python/object/apply:os.system ['true']\n",
    )
    with pytest.raises(ScenarioError, match="not valid YAML"):
        simulation.load_scenario(p)


def test_preset_out_of_bounds(tmp_path):
    p = write(
        tmp_path,
        "p.yaml",
        "extends: baseline\noverrides:\n  campaigns.environment: strong\n"
        "  campaign_presets.environment.strong: {environment.index: 5}\n",
    )
    with pytest.raises(ScenarioError, match="campaign preset"):
        simulation.load_scenario(p)


# --- hostile files and saves (issue 15) ----------------------------------------------------
def _copy_params(tmp_path):
    import shutil

    from helpers import ROOT

    d = tmp_path / "params"
    shutil.copytree(ROOT / "params", d)
    return d


def test_a_save_that_would_make_an_extends_cycle_is_refused_and_nothing_changes(tmp_path):
    """Saving x's settings over y when x extends y used to break every scenario; now it is
    refused before anything is written (and a calibrated scenario is never written)."""
    from simulation.io.errors import ScenarioProtected
    from simulation.io.layering import list_scenarios
    from simulation.io.saving import save_scenario

    d = _copy_params(tmp_path)
    before = (d / "scenarios" / "baseline.yaml").read_bytes()
    with pytest.raises(ScenarioProtected, match="calibrated"):
        save_scenario("baseline", "industry_strong", {}, params_dir=d, overwrite=True)
    assert (d / "scenarios" / "baseline.yaml").read_bytes() == before
    save_scenario("y", "baseline", {"industry.tech_yield": 0.4}, params_dir=d)
    save_scenario("x", "y", {"industry.tech_yield": 0.5}, params_dir=d)
    y_before = (d / "scenarios" / "saved" / "y.yaml").read_bytes()
    with pytest.raises(ScenarioError, match="circle"):
        save_scenario("y", "x", {}, params_dir=d, overwrite=True)
    assert (d / "scenarios" / "saved" / "y.yaml").read_bytes() == y_before
    for name, _ in list_scenarios(d):
        simulation.load_scenario(name, params_dir=d)  # every scenario still loads
    assert not list((d / "scenarios").rglob(".*.part"))


def test_an_overwrite_keeps_the_previous_version(tmp_path):
    from simulation.io.saving import save_scenario

    d = _copy_params(tmp_path)
    save_scenario("mine", "baseline", {"industry.tech_yield": 0.4}, params_dir=d)
    first = (d / "scenarios" / "saved" / "mine.yaml").read_text(encoding="utf-8")
    save_scenario("mine", "baseline", {"industry.tech_yield": 0.5}, params_dir=d, overwrite=True)
    (kept,) = (d / "scenarios" / "saved" / ".history").glob("mine.*.yaml")
    assert kept.read_text(encoding="utf-8") == first
    assert simulation.load_scenario("mine", params_dir=d).params.industry.tech_yield == 0.5


@pytest.mark.parametrize(
    "text, expected",
    [
        # a "billion laughs": nine levels of nine aliases
        ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
         "aliases"),
        ("extends: base\noverrides: " + "{a: " * 40 + "1" + "}" * 40 + "\n", "nested deeper"),
    ],
)  # fmt: skip
def test_yaml_bombs_are_refused_before_they_are_built(tmp_path, text, expected):
    f = tmp_path / "bomb.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=expected) as e:  # at the first alias: nothing built
        simulation.load_scenario(f)
    assert "bomb.yaml" in str(e.value) and "line" in str(e.value)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\n", "\ufeffa: 1\n", "a: \x07\n", "a: !!python/object:os.system x\n",
        "a: 0x1F\nb: 1_000\nc: 1e3\nd: .inf\ne: ~\nf: 2022-01-01\ng: yes\n",
        "[" * 30 + "]" * 30, "a: *x\n", "a: b: c\n", "a: 1\n---\nb: 2\n", "a: 'x\n",
        "? [1, 2]\n: 3\n", "a: {b: 1, b: 2}\n", "%YAML 1.1\n---\na: 1\n", "",
        "a: 中文\n", "a:\n  - b: 1\n    c: [1, {d: 2}]\n", "<<: {a: 1}\nb: 2\n",
        "a: 1\r\nb: 2\r\n", "a: 012\nb: 0o12\nc: 1:20\n",
    ],
)  # fmt: skip
def test_the_libyaml_loader_reads_what_the_python_loader_reads(text):
    """The fast loader (libyaml's events, our composer) and the pure-Python one agree: the
    same data, or both refuse with a YAML error at the same line and column. (Two known
    differences, both stricter or harmless: libyaml accepts a tab after ``key:`` and refuses
    a lone surrogate escape.)"""
    import yaml

    from simulation.io import yamlfile

    assert yamlfile._LOADER is not yamlfile._UniqueKeyLoader  # PyYAML with libyaml
    out = []
    for loader in (yamlfile._UniqueKeyLoader, yamlfile._LOADER):
        try:
            out.append(("data", yaml.load(text, Loader=loader)))  # noqa: S506
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            out.append(("refused", mark and (mark.line, mark.column)))
    assert out[0] == out[1]


def test_a_list_as_a_key_is_refused_with_its_line(tmp_path):
    f = write(tmp_path, "k.yaml", "extends: base\noverrides:\n  ? [1, 2]\n  : 3\n")
    with pytest.raises(ScenarioError, match=r"k.yaml \(line 3.*keys must be names or numbers"):
        simulation.load_scenario(f)


def test_an_oversized_parameter_file_is_refused_before_parsing(tmp_path):
    f = tmp_path / "big.yaml"
    f.write_text("extends: base\ndescription: '" + "x" * 1_100_000 + "'\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="too large"):
        simulation.load_scenario(f)


@pytest.mark.parametrize(
    "override, expected",
    [
        ({"industry.tech_yield": True}, "expected a number, got true"),
        ({"industry.tech_yield": float("nan")}, "finite number"),
        ({"seasonality.primary_weights": [float("nan")] + [1 / 11] * 11}, "finite number"),
        ({"pipeline.history_signed_100m_cny": [float("inf")] * 48}, "finite number"),
    ],
)
def test_non_finite_numbers_and_booleans_are_refused(override, expected):
    with pytest.raises(ScenarioError, match=expected):
        simulation.load_scenario("baseline", override)


@pytest.mark.slow  # 3.7 s: CLI subprocesses
def test_an_overwrite_can_be_undone_from_the_command_line(tmp_path):
    from helpers import cli

    from simulation.io.saving import save_scenario
    from simulation.io.yamlfile import read_yaml

    d = _copy_params(tmp_path)
    save_scenario("mine", "baseline", {"industry.tech_yield": 0.4}, params_dir=d)
    path = d / "scenarios" / "saved" / "mine.yaml"
    first = path.read_text(encoding="utf-8")
    save_scenario("mine", "baseline", {"industry.tech_yield": 0.5}, params_dir=d, overwrite=True)
    r = cli("scenarios", "--params-dir", str(d), "--restore", "mine")
    assert r.returncode == 0, r.stderr
    assert read_yaml(path)["overrides"] == {"industry.tech_yield": 0.4}
    assert read_yaml(path)["saved_at"] >= yaml.safe_load(first)["saved_at"]
    again = cli("scenarios", "--params-dir", str(d), "--restore", "baseline")
    assert again.returncode == 2 and "calibrated" in again.stderr
    none = cli("scenarios", "--params-dir", str(d), "--restore", "other")
    assert none.returncode == 2 and "no earlier version" in none.stderr
