"""The kit every page shares: the stylesheet, the language toggle, the settings the
server passes in the environment."""

from __future__ import annotations

import os
from typing import Any

import ipywidgets as w

from ...labels import Lang

CSS = """
<style>
.sim-app { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
  sans-serif; }
.sim-app h1 { font-size: 22px; margin: 4px 0; color: #1f3b63; }
.sim-app .sim-sub { color: #555; font-size: 13px; }
.sim-panel-title { font-weight: 600; font-size: 15px; color: #1f3b63;
  border-bottom: 2px solid #1f5aa6; margin: 10px 0 4px 0; padding-bottom: 2px; }
.sim-card { border-radius: 8px; padding: 10px 14px; background: #f6f8fb;
  border-left: 6px solid #9aa3ad; min-width: 300px; }
.sim-card.met { border-left-color: #2e8b57; background: #eef8f1; }
.sim-card.missed { border-left-color: #c0392b; background: #fbefee; }
.sim-card .t { font-size: 14px; color: #333; }
.sim-card .v { font-size: 30px; font-weight: 700; color: #1f3b63; }
.sim-card .v small { font-size: 15px; font-weight: 400; }
.sim-card .g { font-size: 15px; }
.sim-card.met .g b { color: #2e8b57; } .sim-card.missed .g b { color: #c0392b; }
.sim-card .s { font-size: 13px; color: #555; }
.sim-card .p { font-size: 14px; color: #1f3b63; margin-top: 2px; }
.sim-table table { border-collapse: collapse; font-size: 13px; width: 100%; }
.sim-table th, .sim-table td { border-bottom: 1px solid #dde3ea; padding: 3px 8px;
  text-align: right; }
.sim-table th:first-child, .sim-table td:first-child { text-align: left; }
.sim-status { color: #c0392b; font-size: 13px; white-space: pre-wrap; }
.sim-p-illustrative { background: #fff3cd; border: 2px solid #e0a800; color: #5c4400;
  font-weight: bold; padding: 8px 12px; margin: 4px 0 8px; border-radius: 4px; }
.sim-save-status { font-size: 13px; white-space: pre-wrap; }
.sim-app .widget-slider .widget-label { white-space: normal; line-height: 1.05;
  font-size: 12px; }
/* the results stay in view while the levers scroll: a sticky panel with its own scroll
   (ipywidgets boxes default to overflow: auto, which would stop sticky at the page's box) */
.sim-app, .sim-main, .jp-OutputArea:has(.sim-app), .jp-OutputArea-child:has(.sim-app),
.jp-OutputArea-output:has(.sim-app) { overflow: visible !important; }
.sim-results { position: sticky !important; top: 0; align-self: flex-start;
  max-height: 100vh; overflow-y: auto !important; }
.sim-results > * { flex-shrink: 0; }
.sim-stale .sim-card, .sim-stale .bqplot, .sim-stale .sim-table, .sim-stale .sim-warnings {
  opacity: 0.3; filter: grayscale(1); }
.sim-warnings ul { margin: 4px 0; padding-left: 18px; }
.sim-warnings { background: #fff7e6; border-left: 6px solid #e08a1e; font-size: 13px;
  padding: 2px 10px; }
.sim-warnings:empty { display: none; }
.sim-level-note { color: #555; font-size: 12px; margin: -2px 0 4px 4px; }
.sim-link { font-size: 12px; color: #555; }
.sim-link input { width: 70%; font-size: 11px; color: #333; }
.sim-mc-basis { color: #777; font-size: 12px; }
</style>
"""


def language_toggle(lang: Lang) -> w.ToggleButtons:
    """The 中文 / English toggle (test hook ``sim-language``)."""
    t = w.ToggleButtons(options=[("中文", "zh"), ("English", "en")], value=lang)
    t.add_class("sim-language")
    t.style.button_width = "80px"
    return t


def environment_settings() -> dict[str, Any]:
    """``params_dir`` and ``lang`` from ``SIM_PARAMS_DIR`` and ``SIM_LANG`` (set by
    :func:`simulation.frontends.ui.serve.voila_command`)."""
    return {
        "params_dir": os.environ.get("SIM_PARAMS_DIR") or None,
        "lang": "en" if os.environ.get("SIM_LANG") == "en" else "zh",
    }
