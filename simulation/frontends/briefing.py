"""The monthly briefing as files: charts (matplotlib PNG), the notebook's display, a Word
document (python-docx) and the papermill run that makes the self-contained HTML file.

:func:`make_briefing` is what ``python -m simulation brief`` and the tracking page's button
call: it checks the inputs in process (a bad file is refused by name before anything is
written), executes ``notebooks/briefing.ipynb`` with papermill in a staging folder beside
``out_dir`` (the notebook builds the briefing, shows it and writes the Word file and the
JSON record), renders the executed notebook to one HTML file without code (nbconvert,
images inline), optionally prints a PDF with Debian's Chromium, and only then moves the
files into ``out_dir``. With ``SOURCE_DATE_EPOCH`` set the HTML, Word and JSON files are
byte-identical between runs of the same inputs.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from .._paths import REPO_ROOT
from ..analyses.briefing import Briefing, Section, build_briefing
from ..analyses.montecarlo import DEFAULT_SEED
from ..io.atomic import move_into_place
from ..io.errors import ScenarioError
from ..labels import Lang, tr

NOTEBOOK = REPO_ROOT / "notebooks" / "briefing.ipynb"
#: Chart size (inches) and resolution: fits a Word page's text width (16 cm) at 110 dpi.
CHART_SIZE = (6.3, 3.0)
CHART_DPI = 110
#: The Word document's fonts: Latin and East Asian (Word picks one by script).
DOCX_FONTS = ("Calibri", "Microsoft YaHei")
COLORS = {"actual": "#1f4e79", "model": "#9aa5b1", "forecast": "#e08a1e", "pace": "#2e8b57"}


class BriefingError(ScenarioError):
    """A briefing that cannot be made (a bad input or a folder that cannot take it)."""


# --- charts ------------------------------------------------------------------------------
def charts(b: Briefing) -> dict[str, bytes]:
    """The briefing's charts as PNG bytes, by name (:data:`simulation.analyses.briefing.CHARTS`).

    Chinese labels need a CJK font (:func:`simulation.frontends.figures.setup_fonts`);
    without one the charts are labelled in English rather than drawn with empty boxes.
    """
    import matplotlib

    matplotlib.use("Agg")
    from .figures import setup_fonts

    lang: Lang = b.lang if setup_fonts() == "zh" else "en"
    monthly = b.tracking.monthly
    out = {}
    for name in ("gdp", "industrial_output"):
        out[f"tracking_{name}"] = _tracking_chart(monthly, name, lang)
    out["required"] = _required_chart(b.tracking.to_dict().get("required_path") or {}, lang)
    return out


def _png(fig: Any) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=CHART_DPI, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _tracking_chart(monthly: Any, name: str, lang: Lang) -> bytes:
    """Cumulative actual, plan (the model), re-forecast and seasonal pace of one target."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=CHART_SIZE)
    m = monthly["month"]
    ax.plot(m, monthly[f"{name}_model"], color=COLORS["model"], label=tr("model", lang))
    ax.plot(m, monthly[f"{name}_seasonal_pace"], "--", color=COLORS["pace"],
            label=tr("brief_chart_pace", lang))  # fmt: skip
    ax.plot(m, monthly[f"{name}_forecast"], color=COLORS["forecast"], label=tr("forecast", lang))
    ax.plot(m, monthly[f"{name}_actual"], "o", color=COLORS["actual"], label=tr("actual", lang))
    ax.set_title(tr("brief_chart_tracking", lang, ind=tr(name, lang)), fontsize=10)
    ax.set_xlabel(tr("month", lang))
    ax.set_xticks(range(1, 13))
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", frameon=False)
    fig.tight_layout()
    return _png(fig)


def _required_chart(required: dict[str, Any], lang: Lang) -> bytes:
    """What the remaining months must bring, per target: 50% and 80% against the nowcast."""
    import matplotlib.pyplot as plt
    import numpy as np

    shown = {k: v for k, v in required.items() if v}
    fig, axes = plt.subplots(1, max(len(shown), 1), figsize=CHART_SIZE, squeeze=False)
    for ax, (name, req) in zip(axes[0], shown.items(), strict=False):
        x = np.array(req["months"], dtype=float)
        w = 0.27
        ax.bar(x - w, req["nowcast_monthly_100m_cny"], w, color=COLORS["forecast"],
               label=tr("forecast", lang))  # fmt: skip
        ax.bar(x, req["p50"]["monthly_100m_cny"], w, color=COLORS["pace"], label="50%")
        ax.bar(x + w, req["p80"]["monthly_100m_cny"], w, color=COLORS["actual"], label="80%")
        ax.set_title(tr(name, lang), fontsize=10)
        ax.set_xticks(x)
        ax.set_xlabel(tr("month", lang))
        ax.grid(alpha=0.3, axis="y")
    if not shown:
        axes[0][0].text(0.5, 0.5, tr("brief_no_remaining_chart", lang), ha="center")
        axes[0][0].set_axis_off()
    handles, labels = axes[0][0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8, frameon=False)
    fig.suptitle(tr("brief_chart_required", lang), fontsize=10)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return _png(fig)


# --- HTML (the notebook's display) -------------------------------------------------------
CSS = """<style>
.sim-brief { font-family: "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; max-width: 980px; }
.sim-brief h2 { font-size: 18px; border-bottom: 2px solid #1f4e79; margin-top: 18px; }
.sim-brief table { border-collapse: collapse; font-size: 12px; margin: 6px 0 10px; }
.sim-brief td, .sim-brief th { border: 1px solid #c8d1dc; padding: 2px 6px; text-align: right; }
.sim-brief td.t { text-align: left; }
.sim-brief th { background: #eef2f7; }
.sim-brief caption { text-align: left; font-weight: bold; padding: 2px 0; }
.sim-brief img { max-width: 100%; }
</style>"""


def section_html(s: Section, pngs: dict[str, bytes]) -> str:
    """One section as HTML (``sim-brief-<key>``): title, lines, tables, charts inline."""
    parts = [f"<h2>{html.escape(s.title)}</h2>"]
    parts += [f"<p>{html.escape(line)}</p>" for line in s.lines]
    for t in s.tables:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in t.head)
        body = "".join("<tr>" + "".join(_td(c) for c in r) + "</tr>" for r in t.rows)
        parts.append(
            f"<table><caption>{html.escape(t.caption)}</caption><tr>{head}</tr>{body}</table>"
        )
    for c in s.charts:
        b64 = base64.b64encode(pngs[c]).decode()
        parts.append(f'<img class="sim-brief-chart" alt="{c}" src="data:image/png;base64,{b64}">')
    return f'<div class="sim-brief sim-brief-{s.key}">' + "".join(parts) + "</div>"


def _td(cell: str) -> str:
    """A cell: numbers right-aligned, words left-aligned (class ``t``)."""
    numeric = re.fullmatch(r"[-+]?[\d,]+(\.\d+)?%?", cell.strip()) is not None
    return f"<td>{html.escape(cell)}</td>" if numeric else f'<td class="t">{html.escape(cell)}</td>'


def header_html(b: Briefing) -> str:
    return (
        CSS
        + f'<div class="sim-brief sim-brief-title"><h1>{html.escape(b.title)}</h1>'
        + f"<p>{html.escape(b.subtitle)}</p></div>"
    )


# --- Word --------------------------------------------------------------------------------
def to_docx(b: Briefing, pngs: dict[str, bytes]) -> bytes:
    """The briefing as a Word document (``.docx`` bytes): the same sections, tables and
    charts; the document's dates are the briefing's (``SOURCE_DATE_EPOCH`` when set) and
    the zip's entries carry that date too, so equal inputs give equal bytes."""
    import datetime as _dt

    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    latin, east = DOCX_FONTS
    for style in ("Normal", "Title", "Heading 1", "Caption"):
        st = doc.styles[style]
        st.font.name = latin
        st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east)
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.add_heading(b.title, level=0)
    doc.add_paragraph(b.subtitle)
    for s in b.sections:
        doc.add_heading(s.title, level=1)
        for line in s.lines:
            doc.add_paragraph(line)
        for t in s.tables:
            doc.add_paragraph(t.caption, style="Caption")
            table = doc.add_table(rows=1 + len(t.rows), cols=len(t.head))
            table.style = "Table Grid"
            for j, h in enumerate(t.head):
                table.cell(0, j).text = h
            for i, r in enumerate(t.rows, start=1):
                for j, c in enumerate(r):
                    table.cell(i, j).text = c
        for c in s.charts:
            doc.add_picture(io.BytesIO(pngs[c]), width=Cm(16))
    when = _dt.datetime.fromisoformat(b.provenance["created_utc"]).replace(tzinfo=None)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = b.title, "simulation", "simulation"
    props.created = props.modified = when
    props.revision = 1
    props.comments = json.dumps(
        {k: b.provenance[k] for k in ("scenario", "inputs_hash", "seed", "draws")},
        ensure_ascii=False,
    )
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip_dates(buf.getvalue(), when)


def _fixed_zip_dates(data: bytes, when: Any) -> bytes:
    """The zip ``data`` again, every entry dated ``when`` (python-docx dates them now)."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


# --- the notebook's cell and the command -------------------------------------------------
def _inputs(
    actuals: str | Path | None,
    register: str | Path | None,
    scenario: str,
    params_dir: str | Path | None,
) -> tuple[Any, Any, Any, Path]:
    """Scenario, releases, register and the releases' path, each refused by name when bad
    (no ``actuals``: the folder's example releases)."""
    from ..analyses.tracking import ActualsError, read_actuals
    from ..io.layering import PARAMS_DIR, load_scenario
    from ..io.register import RegisterError, import_register

    sc = load_scenario(scenario, None, params_dir)
    if not actuals:  # the folder's example releases (the tracking page opens on them)
        folder = Path(params_dir) if params_dir else PARAMS_DIR
        actuals = folder / f"actuals/example_{sc.params.calendar.base_year + 1}.csv"
    try:
        act = read_actuals(actuals)
    except FileNotFoundError:
        raise BriefingError(f"{actuals}: file not found") from None
    except ActualsError as e:
        raise BriefingError(str(e)) from None
    reg = None
    if register:
        if not Path(register).is_file():
            raise BriefingError(f"{register}: file not found")
        try:
            reg = import_register(Path(register), sc.params)
        except RegisterError as e:
            raise BriefingError(str(e)) from None
    return sc, act, reg, Path(actuals)


def build(
    actuals: str | Path,
    register: str | Path | None = None,
    scenario: str = "baseline",
    lang: Lang = "zh",
    params_dir: str | Path | None = None,
    draws: int = 300,
    seed: int = DEFAULT_SEED,
) -> Briefing:
    """The briefing from files (every input checked; see :func:`make_briefing`)."""
    from ..analyses.tracking import ActualsError

    sc, act, reg, path = _inputs(actuals, register, scenario, params_dir)
    try:
        return build_briefing(sc, act, reg, lang, draws, seed, params_dir, path, register)
    except ActualsError as e:
        raise BriefingError(str(e)) from None


def file_stem(b: Briefing) -> str:
    """``{city}_{scenario}_{year}_M{m}_{简报|briefing}``, characters a file system refuses
    replaced by ``_``."""
    p = b.tracking
    params_city = b.provenance.get("city", "")
    m = max((s.get("through_month") or 0 for s in p.status.values()), default=0)
    stem = f"{params_city}_{b.provenance['scenario']}_{p.year}_M{m}_{tr('brief_file', b.lang)}"
    return "".join("_" if c in '/\\:*?"<>| ' else c for c in stem)


def notebook_cell(out_dir: str | Path | None = None, **kwargs: Any) -> Briefing:
    """What ``notebooks/briefing.ipynb`` runs: build the briefing, show it (HTML and charts)
    and, with ``out_dir``, write ``<stem>.docx`` and ``<stem>.json`` there."""
    from IPython.display import HTML, display

    b = build(**kwargs)
    pngs = charts(b)
    display(HTML(header_html(b)))
    for s in b.sections:
        display(HTML(section_html(s, pngs)))
    if out_dir:
        out = Path(out_dir)
        stem = file_stem(b)
        (out / f"{stem}.docx").write_bytes(to_docx(b, pngs))
        (out / f"{stem}.json").write_text(
            json.dumps(b.to_dict(), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
    return b


def to_html(executed: Path, title: str) -> str:
    """The executed notebook as one HTML file: outputs only, images inline, no script from
    the network (nbconvert's ``lab`` template, MathJax left out)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed, as_version=4)
    nb.metadata = {"title": title, "kernelspec": nb.metadata.get("kernelspec", {})}
    # the briefing's outputs, not the notebook's notes or the parameters papermill injected
    nb.cells = [c for c in nb.cells if c.cell_type == "code" and c.get("outputs")]
    for i, cell in enumerate(nb.cells):  # papermill's timings and random ids: not the inputs'
        cell.metadata, cell.id = {}, f"briefing-{i}"
    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, embed_images=True)  # fmt: skip
    exporter.mathjax_url = ""
    body, _ = exporter.from_notebook_node(nb)
    # the template's scripts serve widgets and maths, which the briefing has none of; a
    # file sent upward must open without the network
    body = re.sub(r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>\s*", "", body)
    return re.sub(r"<script type=\"module\">(?:(?!</script>).)*mermaid.*?</script>\s*", "", body,
                  flags=re.S)  # fmt: skip


def _pdf(html_file: Path, pdf_file: Path) -> str | None:
    """Print ``html_file`` to ``pdf_file`` with Debian's Chromium; the reason when it cannot."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return "no Chromium on this machine (apt install chromium)"
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
           f"--print-to-pdf={pdf_file}", html_file.resolve().as_uri()]  # fmt: skip
    try:
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    except (subprocess.SubprocessError, OSError) as e:
        return f"Chromium could not print the PDF: {e}"
    return None if pdf_file.is_file() else "Chromium wrote no PDF"


def make_briefing(
    actuals: str | Path,
    out_dir: str | Path,
    register: str | Path | None = None,
    scenario: str = "baseline",
    lang: Lang = "zh",
    params_dir: str | Path | None = None,
    draws: int = 300,
    seed: int = DEFAULT_SEED,
    pdf: bool = False,
) -> dict[str, Any]:
    """Make the briefing's files in ``out_dir``: ``<stem>.html``, ``<stem>.docx``,
    ``<stem>.json`` (content, the figures ``track`` gives, provenance), ``<stem>.ipynb``
    (the executed notebook) and, with ``pdf``, ``<stem>.pdf`` where Chromium is present.

    Returns
    -------
    dict
        ``files`` (name → path), ``stem``, ``pdf`` (the reason when asked and not made).

    Raises
    ------
    BriefingError
        A bad input (file, row or field named) or an ``out_dir`` that is a file; nothing is
        written then.
    """
    import papermill as pm

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise BriefingError(f"{out}: exists and is not a folder")
    b = build(actuals, register, scenario, lang, params_dir, draws, seed)  # checks every input
    stem = file_stem(b)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{out.name}.staging-", dir=out.parent) as tmp:
        stage = Path(tmp)
        executed = stage / f"{stem}.ipynb"
        params = {
            "actuals": str(Path(actuals).resolve()) if actuals else "",
            "register": str(Path(register).resolve()) if register else "",
            "scenario": scenario,
            "lang": lang,
            "params_dir": str(Path(params_dir).resolve()) if params_dir else "",
            "draws": int(draws),
            "seed": int(seed),
            "out_dir": str(stage),
        }
        pm.execute_notebook(str(NOTEBOOK), str(executed), parameters=params, kernel_name="python3",
                            progress_bar=False, cwd=str(REPO_ROOT),
                            extra_arguments=["--IPKernelApp.log_level=CRITICAL"])  # fmt: skip
        (stage / f"{stem}.html").write_text(to_html(executed, b.title), encoding="utf-8")
        reason = None
        if pdf:
            reason = _pdf(stage / f"{stem}.html", stage / f"{stem}.pdf")
        files = {}
        for f in sorted(stage.iterdir()):
            files[f.suffix.lstrip(".")] = move_into_place(f, out / f.name)
    return {"files": {k: str(v) for k, v in files.items()}, "stem": stem, "pdf": reason}
