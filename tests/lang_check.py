"""Is every visible string of a page in the page's language? (issue 13, complete translation)

:func:`offending` takes the text a visitor sees (see :func:`visible_text`: the body's
text, tooltips, placeholders, option texts and the text drawn in SVG charts) and the
page's language, and returns what is in the other language:

* in English, any CJK character (ideographs, CJK and full-width punctuation) not in
  :data:`EN_ALLOWED`;
* in Chinese, any ASCII word (two letters or more, no digits: ``db1787eb`` is a digest,
  ``YYYYM1`` a format) not in :data:`ZH_ALLOWED_WORDS` (file extensions such as ``.csv``
  aside);
* in either language, a program's identifier (``base_year.industrial_output_100m_cny``,
  ``shock_heat_drought``: letters joined by ``_``) and a cell, line or tooltip that is only
  a placeholder (:data:`PLACEHOLDERS`: ``null``, ``None``, …): no reader's language.

Both lists are short on purpose; each entry says why it is there. Proper names that come
from the data shown (county and project names, scenario identifiers, file names) are
not in them: a test passes them as ``names``, taken from the folder it serves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: CJK text an English page may show, as written in the English labels of
#: ``simulation/labels.py``. Longest entries are removed first.
EN_ALLOWED: tuple[str, ...] = (
    # money units kept untranslated in English labels ("亿元 = 100 million yuan", "3000亿")
    "亿元",
    "万元",
    "亿",
    # the language toggle names Chinese in Chinese, as language pickers do
    "中文",
    # proper names of the city's campaigns, quoted in brackets after their English label
    # ("Industry campaign (工业突围战)")
    "(工业突围战)",
    "(招商阵地战)",
    "(投资立体战)",
    "(双优化攻坚战)",
    # the county competition's own name: "County league table (六比六看)"
    "(六比六看)",
    # the planners' term for goal seeking: "Goal seeking (倒排): what it takes ..."
    "(倒排)",
)

#: ASCII words (two letters or more) a Chinese page may show.
ZH_ALLOWED_WORDS: frozenset[str] = frozenset(
    {
        # abbreviations Chinese statistics write in Latin letters
        "GDP",
        "PPI",
        "CPI",
        "FAI",
        # names of file formats, encodings and programs a planner deals with
        "CSV",
        "Excel",
        "HTML",  # the briefing's two files: a web page and a Word document (Word文档)
        "Word",
        "UTF",
        "GBK",
        "MB",  # file size unit
        # the method and its symbols (Sobol indices S1 and ST)
        "Sobol",
        "ST",
        # date and period formats in messages ("YYYY-MM-DD", "YYYYM1-5"): the form a cell
        # must take
        "YYYY",
        "MM",
        "DD",
        # the language toggle names English in English, as language pickers do
        "English",
    }
)

#: The project's documents a page points its reader to: file names, in either language.
FILE_NAMES: tuple[str, ...] = ("CALIBRATION.md", "MODEL.md")

#: File extensions are part of file names (``台账.csv``), not English words.
_EXTENSION = re.compile(r"\.(?:csv|xlsx|xlsm|yaml|txt|bin|md)\b", re.IGNORECASE)
#: CJK ideographs, CJK punctuation (、。「」), full-width forms (（）：，) and the
#: ideographic space.
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
#: A token of letters, digits and underscores; it is a word when it has two letters or
#: more and no digit. Words joined by spaces, hyphens, commas or slashes form a run.
_TOKEN = re.compile(r"[A-Za-z0-9_]+")
#: A program's name: dotted and snake_case parts with at least one ``_`` between letters.
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9.]*_[A-Za-z0-9_.]*[A-Za-z0-9]")
#: What a missing value looks like when it reaches the page as text.
PLACEHOLDERS = frozenset({"null", "undefined", "None", "nan", "NaN"})


@dataclass(frozen=True)
class Offence:
    """A fragment in the wrong language and the line it was found in."""

    fragment: str
    context: str

    def __str__(self) -> str:
        return f"{self.fragment!r} in {self.context!r}"


def _line_of(text: str, start: int, end: int, width: int = 100) -> str:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = len(text) if b < 0 else b
    a, b = max(a, start - width // 2), min(b, end + width // 2)
    return text[a:b].strip()


def _blank(text: str, fragments: Iterable[str]) -> str:
    """``text`` with every occurrence of ``fragments`` (longest first) replaced by spaces of
    the same length, so that positions keep pointing into the original text."""
    for f in sorted({f for f in fragments if f}, key=len, reverse=True):
        text = text.replace(f, " " * len(f))
    return text


def offending(text: str, lang: str, names: Iterable[str] = ()) -> list[Offence]:
    """Fragments of ``text`` that are not in ``lang``.

    Parameters
    ----------
    text : str
        What the page shows (:func:`visible_text`).
    lang : {"zh", "en"}
        The page's language.
    names : iterable of str
        Proper names from the data shown (counties, projects, scenario identifiers, file
        names), allowed in either language.

    Returns
    -------
    list of Offence
        One per offending run (identifiers; CJK characters in English; adjacent ASCII
        words in Chinese; placeholders), each once.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    names = [*FILE_NAMES, *names]
    found: list[Offence] = []
    # names and allowed fragments together, longest first: a name such as 工业 must not
    # break up an allowed (工业突围战)
    text_ = _blank(text, [*names, *EN_ALLOWED] if lang == "en" else names)
    for m in _IDENTIFIER.finditer(text_):
        found.append(Offence(m.group(), _line_of(text, m.start(), m.end())))
    text_ = _IDENTIFIER.sub(lambda m: " " * len(m.group()), text_)
    if lang == "en":
        for m in _CJK.finditer(text_):
            found.append(Offence(text[m.start() : m.end()], _line_of(text, m.start(), m.end())))
    else:
        clean = _EXTENSION.sub(lambda m: " " * len(m.group()), text_)
        run: list[re.Match[str]] = []
        for m in _TOKEN.finditer(clean):
            t = m.group()
            if (
                t in ZH_ALLOWED_WORDS
                or sum(c.isalpha() for c in t) < 2
                or any(c.isdigit() for c in t)
            ):
                continue
            if run and re.fullmatch(r"[ \-',/]*", clean[run[-1].end() : m.start()]):
                run.append(m)
                continue
            if run:
                found.append(_run(text, run))
            run = [m]
        if run:
            found.append(_run(text, run))
    for m in re.finditer(r"[^\t\n]+", text):
        if m.group().strip() in PLACEHOLDERS:
            found.append(Offence(m.group().strip(), _line_of(text, m.start(), m.end())))
    seen: set[Offence] = set()
    return [o for o in found if not (o in seen or seen.add(o))]


def _run(text: str, run: list[re.Match[str]]) -> Offence:
    a, b = run[0].start(), run[-1].end()
    return Offence(text[a:b], _line_of(text, a, b))


#: Text a visitor can read that ``innerText`` of the body leaves out or flattens: tooltips
#: (``title``), placeholders, ``aria-label``s, the options of every select, and the text
#: drawn in SVG (chart titles, axis labels, legends). Only of elements that are drawn: an
#: element with ``display: none`` (or inside one) or ``visibility: hidden`` shows nothing.
_EXTRA_JS = """
() => {
  const shown = (el) => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden';
  const out = [];
  for (const el of document.querySelectorAll('[title]'))
    if (shown(el)) out.push(el.getAttribute('title'));
  for (const el of document.querySelectorAll('[placeholder]'))
    if (shown(el)) out.push(el.getAttribute('placeholder'));
  for (const el of document.querySelectorAll('[aria-label]'))
    if (shown(el)) out.push(el.getAttribute('aria-label'));
  for (const el of document.querySelectorAll('select'))
    if (shown(el)) for (const o of el.options) out.push(o.textContent);
  for (const el of document.querySelectorAll('svg text'))
    if (shown(el)) out.push(el.textContent);
  return out.filter((s) => s && s.trim());
}
"""


def visible_text(page: Any) -> str:
    """What a visitor of a Playwright ``page`` can read, one piece per line: the body's
    ``innerText``, then tooltips, placeholders, labels, options and chart text."""
    extra = page.evaluate(_EXTRA_JS)
    return "\n".join([page.inner_text("body"), *dict.fromkeys(s.strip() for s in extra)])
