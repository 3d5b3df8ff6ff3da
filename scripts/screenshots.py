"""Screenshots of every page of the app, as planners see them (Chinese and English,
1366×768 and 1920×1080), served by Voila and taken with Debian's Chromium.

    .venv/bin/python scripts/screenshots.py [--params-dir DIR] [--out DIR]

Writes into ``--out`` (default ``tests/artifacts/screens``), for each page, language and
screen size: ``{page}_{lang}_{width}.png``, the screen as a planner first sees it;
``{page}_{lang}_{width}_full.png``, the whole page (the window made as tall as the page:
Voila scrolls inside its own panel, so a browser's full-page capture would show only the
screen); and for the dashboard ``…_scrolled.png``, the screen after scrolling down the
levers (the result cards stay in view). ``--params-dir`` may be one city's folder or a
folder of city folders (the pages then carry the city picker). ``--batch-dir`` is the
batch run the comparison page shows (the page is skipped without one). ``briefing`` is the
monthly briefing of the sample releases and register (``python -m simulation brief``):
its HTML file as Chromium shows it (``briefing_{lang}_{width}[_full].png``) and its Word
file rendered to HTML by mammoth (``briefing_docx_{lang}_full.png``: the content, tables and
charts as Word holds them; Word's own page layout differs).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the browser driver (tests/drive.py)

import drive  # noqa: E402

READY = {
    "dashboard": ".sim-headline-gdp .sim-card",
    "uncertainty": ".sim-u-probability table",
    "projects": ".sim-p-league table",
    "compare": ".sim-compare-table table",
    "briefing": ".sim-brief-methods",
}
#: The element that scrolls a Voila page (its lab shell's panel), and its content height.
SCROLLER = "document.querySelector('.lm-BoxPanel-child') || document.scrollingElement"
SIZES = ((1366, 768), (1920, 1080))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--params-dir", type=Path, default=ROOT / "params")
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "artifacts" / "screens")
    ap.add_argument("--batch-dir", type=Path, default=None)
    ap.add_argument("--pages", nargs="+", choices=list(READY), default=list(READY))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = drive.launch(p)
        for page_name, ready in READY.items():
            if page_name not in args.pages:
                continue
            if page_name == "briefing":
                briefing_shots(browser, args.params_dir, args.out)
                continue
            if page_name == "compare" and args.batch_dir is None:
                print("compare page skipped: no --batch-dir")
                continue
            for lang in ("zh", "en"):
                log = args.out / f"{page_name}_{lang}.log"
                extra = {"batch_dir": args.batch_dir} if page_name == "compare" else {}
                with drive.serve(
                    args.params_dir, preheat=False, page=page_name, lang=lang, log=log, **extra
                ) as url:
                    for width, height in SIZES:
                        stem = args.out / f"{page_name}_{lang}_{width}"
                        page = browser.new_page(viewport={"width": width, "height": height})
                        page.goto(url, timeout=180_000)
                        page.wait_for_selector(ready, timeout=180_000)
                        page.wait_for_timeout(1500)  # charts finish their transitions
                        page.screenshot(path=f"{stem}.png")
                        if page_name == "dashboard":
                            page.evaluate(f"({SCROLLER}).scrollTop = 900")
                            page.wait_for_timeout(500)
                            page.screenshot(path=f"{stem}_scrolled.png")
                            page.evaluate(f"({SCROLLER}).scrollTop = 0")
                        tall = int(page.evaluate(f"({SCROLLER}).scrollHeight"))
                        page.set_viewport_size({"width": width, "height": max(height, tall)})
                        page.wait_for_timeout(1000)
                        page.screenshot(path=f"{stem}_full.png")
                        print(f"wrote {stem}*.png")
                        page.close()
                log.unlink(missing_ok=True)
        browser.close()
    return 0


def briefing_shots(browser, params_dir: Path, out: Path) -> None:
    """The briefing's HTML at both widths and its Word file (rendered by mammoth)."""
    import tempfile

    import mammoth

    from simulation.frontends.briefing import make_briefing

    for lang in ("zh", "en"):
        with tempfile.TemporaryDirectory() as tmp:
            made = make_briefing(
                params_dir / "actuals" / "example_2022.csv",
                Path(tmp) / "b",
                register=params_dir / "registers" / "sample_register_SYNTHETIC.csv",
                lang=lang,
                params_dir=params_dir,
            )
            html_file = Path(made["files"]["html"])
            for width, height in SIZES:
                stem = out / f"briefing_{lang}_{width}"
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(html_file.as_uri())
                page.screenshot(path=f"{stem}.png")
                page.screenshot(path=f"{stem}_full.png", full_page=True)
                page.close()
            with open(made["files"]["docx"], "rb") as f:
                body = mammoth.convert_to_html(f).value
            word = Path(tmp) / "word.html"
            word.write_text(
                "<html><head><meta charset='utf-8'><style>body{font-family:'Microsoft YaHei',"
                "'WenQuanYi Micro Hei',sans-serif;max-width:16cm;margin:2cm auto;font-size:14px}"
                "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #888;"
                "padding:2px 5px}img{max-width:16cm}</style></head><body>"
                + body
                + "</body></html>",
                encoding="utf-8",
            )
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(word.as_uri())
            page.screenshot(path=str(out / f"briefing_docx_{lang}_full.png"), full_page=True)
            page.close()
            print(f"wrote {out}/briefing*_{lang}*.png")


if __name__ == "__main__":
    sys.exit(main())
