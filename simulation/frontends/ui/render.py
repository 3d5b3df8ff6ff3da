"""The dashboard's texts and HTML: pure functions of the data shown and the language.

Each function takes what it shows (numbers, labels' context, flags) and a language and
returns a string: the HTML of a card, the table, the warnings strip, a level note, the
pathway's link, the Excel download and the save status, and the plain texts of a lever's
readout and tooltip. Nothing here holds state or builds a widget; the CSS classes it
writes (``sim-card``, ``sim-mc-basis``, ``sim-link-text``, ``sim-copy-link``,
``sim-level-note``, ``sim-panel-title``, ``sim-sub``) are part of the page's test
contract (see :mod:`simulation.frontends.ui.app`).
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...analyses.plausibility import Flag
from ...labels import Lang, column_label, param_label, plain_text, tr, unit_label

#: Units shown as percentages (the value is a share: 0.05 shows as 5.0%).
PERCENT_UNITS = ("share", "per year")
#: How a value was made: the first word of its source, as ``calibrate`` writes it
#: (``DATA: …``) or as the schema does (``[judgement] …``).
SOURCE_KIND = re.compile(r"\W*(DATA|ESTIMATED|FIT|PRIOR|JUDGEMENT|DERIVED)\b", re.IGNORECASE)
#: The levels of a campaign preset, in the order of its buttons.
LEVELS = ("plan", "weak", "strong")
#: MIME type of the Excel download.
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- lever values ----------------------------------------------------------------------------
def readout_format(meta: Mapping[str, Any]) -> str:
    """The format spec of a lever's slider readout.

    Parameters
    ----------
    meta : mapping
        The lever's schema entry (``unit``, ``step``).

    Returns
    -------
    str
        ``".1%"`` for shares and rates, else a fixed-point spec with as many decimals
        as the slider's step needs (``".0f"`` … ``".3f"``).
    """
    if meta["unit"] in PERCENT_UNITS:
        return ".1%"
    step = meta["step"] or 1
    return ".0f" if step >= 1 else ".1f" if step >= 0.1 else ".2f" if step >= 0.01 else ".3f"


def format_value(value: float, meta: Mapping[str, Any], lang: Lang) -> str:
    """A lever's value as its slider shows it, with its unit.

    Parameters
    ----------
    value : float
        In the lever's unit (a share for percentages: 0.05 is 5.0%).
    meta : mapping
        The lever's schema entry (``unit``, ``step``, ``integer``).
    lang : {"zh", "en"}
    """
    if meta["unit"] in PERCENT_UNITS:
        return f"{value:.1%}"
    text = format(value, readout_format(meta)) if not meta["integer"] else f"{int(value)}"
    return f"{text} {unit_label(meta['unit'], lang)}"


def lever_description(path: str, meta: Mapping[str, Any], lang: Lang) -> str:
    """A slider's label: the lever's name and unit."""
    return tr("with_unit", lang, label=param_label(path, lang), unit=unit_label(meta["unit"], lang))


def lever_tooltip(path: str, meta: Mapping[str, Any], source: str, lang: Lang) -> str:
    """A slider's tooltip (plain text, one item a line).

    Parameters
    ----------
    path : str
        The lever's parameter path.
    meta : mapping
        Its schema entry (``description``, ``lo``, ``hi``, ``unit``).
    source : str
        Where the shown value comes from (the folder's source, else the schema's).
    lang : {"zh", "en"}

    Returns
    -------
    str
        Name; in English the schema's description (Chinese terms glossed); range; how
        the value was made (first word of ``source``); where the citation is.
    """
    lo, hi = (format_value(meta[k], meta, lang) for k in ("lo", "hi"))
    found = SOURCE_KIND.match(source)
    kind = found.group(1).upper() if found else ""
    lines = [
        param_label(path, lang),
        # the schema's descriptions are English: shown in English only, glossed
        plain_text(meta["description"], lang) if lang == "en" else "",
        f"{tr('range', lang)}: {lo} – {hi}",
        tr(f"source_{kind.lower()}", lang) if kind else "",
        tr("source_see", lang),
    ]
    return "\n".join(x for x in lines if x)


def level_text(
    deltas: Mapping[str, float], numeric: Mapping[str, Mapping[str, Any]], level: str, lang: Lang
) -> str:
    """What a campaign's level means, in levers.

    Parameters
    ----------
    deltas : mapping
        Lever path → change the level makes (lever's unit; shares as fractions).
    numeric : mapping
        The schema's numeric entries (for units).
    level : {"plan", "weak", "strong"}
    lang : {"zh", "en"}
    """
    parts = []
    for path, d in deltas.items():
        meta = numeric[path]
        if meta["unit"] in PERCENT_UNITS:
            amount = tr("delta_points", lang, v=100 * d)
        else:
            amount = tr("delta_unit", lang, v=d, unit=unit_label(meta["unit"], lang))
        parts.append(f"{param_label(path, lang)} {amount}")
    sep = "、" if lang == "zh" else ", "
    text = sep.join(parts) if parts else tr("level_plan_means", lang)
    return tr("level_means", lang, level=tr(f"level_{level}", lang), what=text)


def level_note_html(text: str) -> str:
    """The note under a preset (``text`` from :func:`level_text`)."""
    return f'<div class="sim-level-note">{html.escape(text)}</div>'


# --- titles --------------------------------------------------------------------------------
def title_html(ctx: Mapping[str, Any], lang: Lang) -> str:
    """The page's title and subtitle (``ctx``: :func:`simulation.labels.context`)."""
    return (
        f"<h1>{html.escape(tr('title', lang, **ctx))}</h1>"
        f"<div class='sim-sub'>{html.escape(tr('subtitle', lang, **ctx))}</div>"
    )


def panel_title_html(text: str) -> str:
    """A panel's heading."""
    return f"<div class='sim-panel-title'>{text}</div>"


def changes_note_html(n: int, lang: Lang) -> str:
    """Under the picker: how many settings differ from the chosen scenario (empty if none)."""
    changed = tr("n_changes", lang, n=n) if n else ""
    return f'<span class="sim-sub">{html.escape(changed)}</span>'


def status_html(message: str) -> str:
    """The status line (a refusal, a link's problems; empty for none)."""
    return html.escape(message)


# --- results -------------------------------------------------------------------------------
def mc_half_width(p: float, n: int) -> float:
    """Half-width of the 95% interval of a probability estimated from ``n`` draws (Wilson;
    the sampling error of the Monte Carlo, not the model's uncertainty)."""
    if n <= 0:
        return 0.0
    z = 1.959964
    centre_shift = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(centre_shift)


def card_html(
    name: str,
    rec: Mapping[str, Any],
    base: Mapping[str, Any],
    plan_year: int,
    lang: Lang,
    prob: Mapping[str, float] | None = None,
    basis: tuple[int, int] | None = None,
    mc_failed: bool = False,
) -> str:
    """A headline card.

    Parameters
    ----------
    name : {"gdp", "industrial_output"}
    rec, base : mapping
        :func:`simulation.analyses.summary.headline` of the scenario and of the baseline
        for ``name`` (values in 亿元, growth in %).
    plan_year : int
    lang : {"zh", "en"}
    prob : mapping, optional
        Probabilities (0–1) of meeting ``name``'s target and ``"both"``.
    basis : (int, int), optional
        Draws and seed of ``prob``.
    mc_failed : bool
        The draws could not be made: said instead of a probability.
    """
    met = rec["met"]
    delta = rec["value_100m_cny"] - base["value_100m_cny"]
    yr = tr("plan_year", lang, year=plan_year)
    chance = ""
    if prob is not None:
        n, seed = basis or (0, 0)
        half = mc_half_width(prob[name], n)
        basis_text = tr("mc_basis", lang, n=n, seed=seed)
        interval = (
            f' <span class="sim-mc-interval">{tr("mc_interval", lang, pts=100 * half)}</span>'
            if n
            else ""
        )
        chance = (
            f'<div class="p">{tr("probability", lang)} <b>{prob[name]:.0%}</b>{interval} · '
            f"{tr('probability_both', lang)} {prob['both']:.0%} "
            f'<span class="sim-mc-basis">({basis_text})</span></div>'
        )
    elif mc_failed:
        chance = f'<div class="p sim-mc-basis">{tr("mc_failed", lang)}</div>'

    if rec["target_100m_cny"] > 0:
        state = "met" if met else "missed"
        goal = (
            f'<div class="g">{tr("target", lang)} {rec["target_100m_cny"]:,.0f} · '
            f"{tr('gap', lang)} {rec['gap_100m_cny']:+,.1f} · "
            f"<b>{'✔ ' + tr('met', lang) if met else '✘ ' + tr('missed', lang)}</b></div>"
        )
    else:  # no target in the folder: the forecast and its growth only
        state, chance = "untargeted", ""
        goal = f'<div class="g">{tr("no_target", lang)}</div>'
    return (
        f'<div class="sim-card {state}">'
        f'<div class="t">{tr(name, lang)} · {yr}</div>'
        f'<div class="v">{rec["value_100m_cny"]:.1f} <small>{tr("unit_100m", lang)}</small></div>'
        f"{goal}"
        f'<div class="s">{tr("real_growth", lang)} {rec["real_growth_pct"]:.1f}% · '
        f"{tr('nominal_growth', lang)} {rec['nominal_growth_pct']:.1f}% · "
        f"{tr('vs_baseline', lang)} {delta:+,.1f}</div>{chance}</div>"
    )


def refused_card_html(name: str, lang: Lang) -> str:
    """A headline card while the settings are refused: no number."""
    return (
        f'<div class="sim-card"><div class="t">{tr(name, lang)}</div>'
        f'<div class="v">—</div><div class="g">{tr("error", lang)}</div></div>'
    )


def table_html(
    annual: pd.DataFrame,
    baseline: pd.DataFrame,
    keys: Sequence[str],
    plan_year: int,
    ctx: Mapping[str, Any],
    lang: Lang,
) -> str:
    """The results table: base year, baseline, this scenario and the difference.

    Parameters
    ----------
    annual, baseline : DataFrame
        Annual results of the scenario and of the baseline, indexed by year (亿元, %).
    keys : sequence of str
        The rows (annual columns).
    plan_year : int
    ctx : mapping
        Labels' context (:func:`simulation.labels.context`).
    lang : {"zh", "en"}
    """
    yr = plan_year
    head = (
        f"<tr><th>{tr('indicator', lang)}</th><th>{yr - 1}</th>"
        f"<th>{tr('baseline', lang)} {yr}</th><th>{tr('this_scenario', lang)} {yr}</th>"
        f"<th>{tr('vs_baseline', lang)}</th></tr>"
    )
    a, b = annual, baseline
    rows = []
    for k in keys:
        cells = [a.loc[yr - 1, k], b.loc[yr, k], a.loc[yr, k], a.loc[yr, k] - b.loc[yr, k]]
        fmt = ["{:,.1f}", "{:,.1f}", "{:,.1f}", "{:+,.1f}"]
        txt = ["–" if v != v else f.format(v) for f, v in zip(fmt, cells, strict=True)]
        rows.append(
            f"<tr><td>{html.escape(column_label(k, lang, **ctx))}</td>"
            + "".join(f"<td>{t}</td>" for t in txt)
            + "</tr>"
        )
    return f"<table>{head}{''.join(rows)}</table>"


def warnings_html(found: Sequence[Flag], lang: Lang) -> str:
    """The warnings strip: each plausibility check the pathway fails, one sentence
    (empty when none fails)."""
    if not found:
        return ""
    items = "".join(f"<li>{html.escape(tr(f.key, lang, **f.values))}</li>" for f in found)
    return f"<b>⚠ {tr('warnings_title', lang)}</b><ul>{items}</ul>"


def link_html(query: str, lang: Lang) -> str:
    """The pathway's link: put in the address bar, and copyable from a button.

    Parameters
    ----------
    query : str
        The pathway's query string, without ``?``.
    lang : {"zh", "en"}
    """
    query = html.escape(query, quote=True)
    copied = html.escape(tr("link_copied", lang), quote=True)
    return (
        f"<div>{html.escape(tr('link_title', lang))}</div>"
        f'<input class="sim-link-text" readonly data-query="{query}" value="?{query}">'
        '<button class="sim-copy-link" onclick="'
        "const i=this.previousElementSibling;"
        "i.value=location.origin+location.pathname+'?'+i.dataset.query;i.select();"
        "(navigator.clipboard?navigator.clipboard.writeText(i.value):Promise.reject())"
        ".catch(()=>document.execCommand('copy'));"
        f"this.textContent='{copied}';\">{html.escape(tr('copy_link', lang))}</button>"
        # keep the address bar on the pathway (the empty image fails at once, on purpose)
        '<img alt="" style="display:none" src="data:," onerror="'
        f"try{{history.replaceState(null,'','?{query}')}}catch(e){{}}\">"
    )


# --- downloads and saving ------------------------------------------------------------------
def excel_link_html(name: str, data: bytes, lang: Lang) -> str:
    """A download link holding the workbook (``data``, the ``.xlsx`` bytes) as ``name``."""
    return file_link_html(name, data, XLSX_MIME, lang)


def file_link_html(name: str, data: bytes, mime: str, lang: Lang) -> str:
    """A download link holding ``data`` (of type ``mime``) as the file ``name``."""
    name = html.escape(name)
    b64 = base64.b64encode(data).decode()
    return (
        f'<a download="{name}" href="data:{mime};base64,{b64}">{tr("excel_ready", lang)} {name}</a>'
    )


def error_html(message: str) -> str:
    """A message in the save panel's error colour."""
    return f'<span style="color:#c0392b">{html.escape(message)}</span>'


def save_exists_html(done: Any, lang: Lang) -> str:
    """A save that would overwrite a saved scenario: says whose it is, asks to confirm."""
    if done.saved_at:
        return html.escape(
            tr("save_exists_by", lang, name=done.name, by=done.saved_by or "—", at=done.saved_at)
        )
    return html.escape(tr("save_exists", lang, name=done.name))


def save_refused_html(done: Any, lang: Lang) -> str:
    """A refused save or restore, in the page's language (the library's message, which
    names the file and field, is kept where no sentence of the page's fits)."""
    msg = done.message
    if done.kind == "protected":
        text = tr("save_protected", lang, name=done.name)
    elif done.kind == "stale":
        text = tr("save_stale", lang, name=done.name, by=done.saved_by or "—", at=done.saved_at)
    elif msg.startswith("scenario name"):
        text = tr("save_bad_name", lang)
    elif "in a circle" in msg:
        text = tr("save_circle", lang, detail=msg.split("in a circle: ")[-1])
    elif "it would break" in msg:
        names = msg.split("it would break ")[-1].split(" (they extend it)")[0]
        text = tr("save_breaks", lang, names=names)
    elif "another save or calibration" in msg:
        text = tr("save_busy", lang)
    else:
        detail = msg.removeprefix(f"scenario '{done.name}' not saved: ")
        text = tr("save_invalid", lang, detail=_labelled(detail, lang))
    return f'<span style="color:#c0392b">{html.escape(text)}</span>'


def _labelled(text: str, lang: Lang) -> str:
    """``text`` with each parameter path it names (``industry.tech_yield``) given as the
    parameter's label in ``lang`` (a planner knows the lever, not the key)."""
    from ...economy import schema

    paths = schema.numeric_paths()

    quote = ("「", "」") if lang == "zh" else ("“", "”")

    def name(m: re.Match) -> str:
        if m.group(0) not in paths:
            return m.group(0)
        return f"{quote[0]}{param_label(m.group(0), lang)}{quote[1]}"

    return re.sub(r"\b[a-z_]+\.[a-z0-9_]+\b", name, text)


def restored_html(name: str, at: str, lang: Lang) -> str:
    """A kept version of ``name`` (saved at ``at``) put back."""
    return html.escape(tr("history_restored", lang, name=name, at=at))


def saved_html(path: Path, had_changes: bool, lang: Lang) -> str:
    """A save done to ``path``; with no changes it says that the file repeats its parent."""
    note = "" if had_changes else "<br>" + tr("save_nothing", lang)
    return html.escape(tr("save_done", lang, path=path.name)) + note


def undone_html(name: str, lang: Lang) -> str:
    """An overwrite of ``name`` undone."""
    return html.escape(tr("save_undone", lang, name=name))
