"""Scenario files: the public face of the modules that read, resolve and save them.

A base file holds every value, scenario files only overrides (see
:mod:`simulation.io.layering`). The work is split by job:

=========================== ==========================================================
:mod:`~simulation.io.yamlfile`  safe YAML reading: size, depth and alias limits, the cache
:mod:`~simulation.io.paths`     dotted paths: nest, flatten, merge, ``--set`` items
:mod:`~simulation.io.errors`    :class:`ScenarioError`, schema errors as messages
:mod:`~simulation.io.uncertain` distributions in parameter files
:mod:`~simulation.io.layering`  layers, campaign presets, :func:`load_scenario`, listing
:mod:`~simulation.io.saving`    saving from the app, kept versions, restore
=========================== ==========================================================

This module re-exports their public names, so ``from simulation.io.scenario import
load_scenario`` (and every other import from here) keeps working.
"""

from __future__ import annotations

from .errors import (
    ScenarioError,
    ScenarioExists,
    ScenarioProtected,
    ScenarioStale,
    explain_error,
    validate_dict,
)
from .layering import (
    PARAMS_DIR,
    SCENARIO_KEYS,
    Scenario,
    apply_presets,
    list_scenarios,
    load_scenario,
    reload,
    saved_path,
    scenario_folder,
    scenario_path,
)
from .paths import deep_merge, flatten, leaves, nest, parse_set, pop_leaf
from .saving import (
    Version,
    check_scenario_name,
    is_calibrated,
    restore_scenario,
    save_scenario,
    saved_info,
    scenario_history,
    scenario_version,
)
from .uncertain import take_distributions, uncertain_paths
from .yamlfile import MAX_YAML_BYTES, MAX_YAML_DEPTH, read_yaml

__all__ = [
    "MAX_YAML_BYTES",
    "MAX_YAML_DEPTH",
    "PARAMS_DIR",
    "SCENARIO_KEYS",
    "Scenario",
    "ScenarioError",
    "ScenarioExists",
    "ScenarioProtected",
    "ScenarioStale",
    "Version",
    "apply_presets",
    "check_scenario_name",
    "deep_merge",
    "explain_error",
    "flatten",
    "is_calibrated",
    "leaves",
    "list_scenarios",
    "load_scenario",
    "nest",
    "parse_set",
    "pop_leaf",
    "read_yaml",
    "reload",
    "restore_scenario",
    "save_scenario",
    "saved_info",
    "saved_path",
    "scenario_folder",
    "scenario_history",
    "scenario_path",
    "scenario_version",
    "take_distributions",
    "uncertain_paths",
    "validate_dict",
]
