"""The house: the package's floors, read from its imports (no import runs back up, no
cycles), no private names across modules, and the old import paths that still answer."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "simulation"

#: floor of each part of the package; a module imports only from its floor or below
FLOORS = (
    ("simulation.__main__", 6),
    ("simulation._", 0),  # _version, _paths, _lazy: no simulation imports
    ("simulation.errors", 0),  # the one input-error base, below every floor
    ("simulation.economy", 1),
    ("simulation.labels", 2),
    ("simulation.io", 3),
    ("simulation.analyses", 4),
    ("simulation.frontends", 5),
    ("simulation", 6),  # the public API (``__init__``) may name anything
)
#: third-party packages the pure core must not import (files, tables, widgets, plots)
NOT_IN_ECONOMY = ("pandas", "openpyxl", "yaml", "matplotlib", "ipywidgets", "bqplot", "voila")


def module_name(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def floor(module: str) -> int:
    for prefix, level in FLOORS:
        if module == prefix or module.startswith(prefix if prefix.endswith("_") else prefix + "."):
            return level
    raise AssertionError(f"{module}: on no floor")


def imports(path: Path) -> list[tuple[str, int, list[str]]]:
    """Every import of a module (top level or inside functions), resolved to absolute
    names: (module, line, names imported from it)."""
    mod = module_name(path)
    package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [a.name for a in node.names]
            # ``from . import x`` imports the module ``package.x`` when it exists
            subs = [n for n in names if _is_module(f"{target}.{n}")]
            out += [(f"{target}.{n}", node.lineno, []) for n in subs]
            rest = [n for n in names if n not in subs]
            if rest or not subs:
                out.append((target, node.lineno, rest))
    return out


def _is_module(name: str) -> bool:
    if not name.startswith("simulation"):
        return False
    p = PKG.parent / name.replace(".", "/")
    return p.with_suffix(".py").is_file() or (p / "__init__.py").is_file()


MODULES = sorted(p for p in PKG.rglob("*.py"))


def test_every_import_stays_on_its_floor_or_goes_down():
    up = []
    for path in MODULES:
        me = module_name(path)
        for target, line, _ in imports(path):
            if target.split(".")[0] != "simulation":
                continue
            if floor(target) > floor(me):
                up.append(f"{me}:{line} imports {target} (floor {floor(target)} > {floor(me)})")
    assert not up, "imports running back up the floors:\n" + "\n".join(up)


def test_the_floor_rule_catches_an_import_that_runs_back_up(tmp_path):
    # the check itself can fail: economy importing io is on no allowed floor
    assert floor("simulation.io.layering") > floor("simulation.economy.model")
    assert floor("simulation.frontends.cli") > floor("simulation.analyses.result")


def test_no_import_cycles():
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        me = module_name(path)
        graph[me] = {
            t for t, _, _ in imports(path) if t.startswith("simulation") and t != me and t in _ALL
        }
    # Tarjan's strongly connected components
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            # a package importing its own submodules is not a cycle of modules
            if len(comp) > 1 and not _package_and_children(comp):
                cycles.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


_ALL = {module_name(p) for p in MODULES}


def _package_and_children(comp: list[str]) -> bool:
    return any(all(c == p or c.startswith(p + ".") for c in comp) for p in comp)


def test_the_pure_core_reads_no_file_format_and_draws_no_widget():
    bad = []
    for path in (PKG / "economy").glob("*.py"):
        for target, line, _ in imports(path):
            if target.split(".")[0] in NOT_IN_ECONOMY:
                bad.append(f"{module_name(path)}:{line} imports {target}")
    assert not bad, bad


def test_no_private_name_crosses_a_module():
    bad = []
    for path in MODULES:
        me = module_name(path)
        for target, line, names in imports(path):
            if not target.startswith("simulation") or target == me:
                continue
            for n in names:
                if n.startswith("_") and not n.startswith("__"):
                    bad.append(f"{me}:{line} imports {n} from {target}")
    assert not bad, "private names imported across modules:\n" + "\n".join(bad)


def test_no_private_attribute_of_a_result_or_the_schema_is_read_outside_its_module():
    owners = {
        "_plan_year": "analyses/result.py",
        "_annual_arrays": "analyses/result.py",
        "_NUMERIC_SECTIONS": "economy/schema.py",
    }
    bad = []
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        for name, owner in owners.items():
            if re.search(rf"(?<!self)\.{name}\b", text) and not path.as_posix().endswith(owner):
                bad.append(f"{path.relative_to(PKG)} reads .{name}")
    assert not bad, bad


def test_there_are_no_old_import_paths():
    """No compatibility shims: an old flat path is simply not a module."""
    for old in ("simulation.scenario", "simulation.ui", "simulation.report"):
        assert not _is_module(old)
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(old)


def test_public_api_names_resolve():
    import simulation

    for name in simulation.__all__:
        assert getattr(simulation, name) is not None, name


def test_every_input_error_derives_from_the_one_base_the_cli_catches():
    from simulation.errors import InputError

    names = {
        "simulation.io.errors": "ScenarioError",
        "simulation.economy.rules": "DrawError",
        "simulation.economy.investment": "InvestmentBaseError",
        "simulation.io.datapack": "PackError",
        "simulation.io.risks": "RisksError",
        "simulation.io.register": "RegisterError",
        "simulation.analyses.tracking": "ActualsError",
        "simulation.analyses.calibration": "CalibrationError",
        "simulation.analyses.batch.spec": "BatchError",
    }
    for module, name in names.items():
        assert issubclass(getattr(importlib.import_module(module), name), InputError), name
    # every exception class the package defines is an input error or says why not
    defined = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                getattr(b, "id", getattr(b, "attr", "")).endswith(("Error", "Exception"))
                for b in node.bases
            ):
                defined.append((module_name(path), node.name))
    outside = [
        (m, n) for m, n in defined
        if not issubclass(getattr(importlib.import_module(m), n), InputError)
    ]  # fmt: skip
    # control flow inside a module, never shown to a user
    assert sorted(outside) == [
        ("simulation.analyses.goalseek", "_NotVectorisable"),
        ("simulation.economy.rules", "_Unset"),
    ], outside
