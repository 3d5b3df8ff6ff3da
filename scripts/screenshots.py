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
batch run the comparison page shows (the page is skipped without one).
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


if __name__ == "__main__":
    sys.exit(main())
