"""The register's rules table and reference data: columns as the schema names them,
industries from package data, each rule a named check whose report stays as before."""

from __future__ import annotations

import csv
import io

import pytest
from helpers import REGISTER_ROW

from simulation.economy.schema import REGISTER_COLUMNS
from simulation.io.layering import load_scenario
from simulation.io.register import COLUMNS, INDUSTRIES, RegisterError, import_register
from simulation.io.register_rules import (
    EACH_CELL,
    INDUSTRIES_FILE,
    RULES,
    Rule,
    read_industries,
)
from simulation.labels import TEXT

JZ = load_scenario("base").params


def test_columns_are_the_schemas_register_columns():
    assert tuple(COLUMNS) == tuple(REGISTER_COLUMNS)


def test_industries_come_from_package_data_with_both_names():
    table = read_industries()
    assert INDUSTRIES_FILE.name == "industries.csv" and INDUSTRIES_FILE.is_file()
    assert tuple(table) == INDUSTRIES and "化工" in INDUSTRIES and INDUSTRIES[-1] == "其他"
    assert all(en for en in table.values())
    for zh, en in table.items():  # the same English name as the label table's
        assert TEXT[f"industry_{zh}"][1] == en


def test_the_table_is_rows_of_column_check_message_severity():
    assert len(RULES) > 20
    for rule in RULES:
        assert isinstance(rule, Rule)
        assert rule.column in COLUMNS or rule.column == EACH_CELL
        assert rule.key in TEXT, rule.key
        assert rule.severity in ("error", "warning")
        assert callable(rule.test) and rule.test.__name__ != "<lambda>"  # a named check
    warnings = {r.key for r in RULES if r.severity == "warning"}
    assert warnings == {"reg_x_industry", "reg_x_window", "reg_x_status_date"}


def _csv(*rows: list[str]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([COLUMNS[c][0] for c in COLUMNS])
    w.writerows(rows)
    return buf.getvalue().encode()


GOOD = REGISTER_ROW


def _report(*rows: list[str]) -> list[tuple]:
    with pytest.raises(RegisterError) as e:
        import_register("r.csv", JZ, data=_csv(*rows), strict=True)
    return [(p.row, p.column, p.value, p.expected.key, p.severity) for p in e.value.problems]


def test_rows_of_the_table_report_in_order_with_rows_and_values():
    bad = list(GOOD)
    bad[1], bad[2], bad[5], bad[10], bad[11] = "火星区", "火箭", "x", "半停工", "20"
    dup = list(GOOD)
    assert _report(GOOD, bad, dup) == [
        (3, "county", "火星区", "reg_x_county", "error"),
        (3, "industry", "火箭", "reg_x_industry", "warning"),
        (3, "amount_100m_cny", "x", "reg_x_number", "error"),
        (3, "status", "半停工", "reg_x_status", "error"),
        (3, "output_to_investment", "20", "reg_x_kappa_range", "error"),
        (4, "name", "甲项目", "reg_x_duplicate", "error"),
    ]


def test_control_characters_are_checked_in_every_cell_in_file_order():
    bad = list(GOOD)
    bad[0], bad[3] = "a\x01", "工业\x02"
    got = _report(bad)
    assert [(c, k) for _, c, _, k, _ in got if k == "reg_x_control"] == [
        ("name", "reg_x_control"),
        ("category", "reg_x_control"),
    ]


def test_a_clean_register_imports():
    reg = import_register("r.csv", JZ, data=_csv(GOOD))
    assert len(reg.projects) == 1 and reg.report.empty
    assert list(reg.projects.columns)[:6] == [
        "row",
        "name",
        "county",
        "industry",
        "industrial",
        "amount_100m_cny",
    ]
