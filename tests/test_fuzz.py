"""Fuzzing the two readers every user feeds (issue 15): whatever the bytes, the scenario
loader and the register reader raise nothing but the project's own error types."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simulation
from simulation import ScenarioError, load_scenario
from simulation.io.register import RegisterError, import_register

PARAMS = load_scenario("base").params
FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# YAML-ish text: keys and values that look like the real thing, and garbage
keys = st.sampled_from(["extends", "description", "overrides", "industry.tech_yield",
                        "calendar.horizon_months", "shocks.heat_drought.enabled", "a.b.c", "*x", "&y"])  # fmt: skip
scalars = st.one_of(st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
                    st.booleans(), st.none(), st.text(max_size=20))  # fmt: skip
values = st.recursive(scalars, lambda c: st.lists(c, max_size=4) | st.dictionaries(keys, c, max_size=4),
                      max_leaves=12)  # fmt: skip


@FAST
@given(doc=st.dictionaries(keys, values, max_size=6))
def test_scenario_loader_raises_only_scenario_errors_on_documents(tmp_path_factory, doc):
    path = tmp_path_factory.mktemp("s") / "s.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    try:
        load_scenario(path)
    except ScenarioError:
        pass


@FAST
@given(raw=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8")))
def test_scenario_loader_raises_only_scenario_errors_on_bytes(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("s") / "s.yaml"
    path.write_bytes(raw)
    try:
        load_scenario(path)
    except ScenarioError:
        pass


@FAST
@given(overrides=st.dictionaries(st.text(max_size=30), scalars, max_size=4))
def test_overrides_raise_only_scenario_errors(overrides):
    try:
        simulation.load_scenario("baseline", overrides)
    except ScenarioError:
        pass


cells = st.one_of(st.text(max_size=12), st.sampled_from(["沙市区", "化工", "工业", "2021/5/1", "3",
                  "nan", "-1", "1e308", "=1+1", "", "35000", "2022年2月8日"]))  # fmt: skip
header = "项目名称,县市区,行业,项目类别,签约日期,签约金额(亿元),产出强度"


@FAST
@given(rows=st.lists(st.lists(cells, min_size=0, max_size=8), max_size=6))
def test_register_reader_raises_only_register_errors_on_tables(tmp_path_factory, rows):
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header.split(","))
    w.writerows(rows)
    path = tmp_path_factory.mktemp("r") / "r.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    try:
        import_register(path, PARAMS)
    except RegisterError:
        pass


@FAST
@given(raw=st.binary(max_size=600), suffix=st.sampled_from([".csv", ".xlsx", ".txt", ".pdf"]))
def test_register_reader_raises_only_register_errors_on_bytes(tmp_path_factory, raw, suffix):
    path = tmp_path_factory.mktemp("r") / f"r{suffix}"
    path.write_bytes(raw)
    try:
        import_register(path, PARAMS)
    except RegisterError:
        pass
