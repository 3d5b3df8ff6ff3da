"""Screenshots of every page of the app, as planners see them (Chinese and English,
1366×768 and 1920×1080), served by Voila and taken with Debian's Chromium.

    .venv/bin/python scripts/screenshots.py [--params-dir DIR] [--out DIR]

Writes ``{page}_{lang}_{width}.png`` (full page) into ``--out`` (default
``tests/artifacts/screens``). ``--params-dir`` may be one city's folder or a folder of
city folders (the pages then carry the city picker).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulation.ui import drive  # noqa: E402

READY = {
    "dashboard": ".sim-headline-gdp .sim-card",
    "uncertainty": ".sim-u-probability table",
    "projects": ".sim-p-league table",
}
SIZES = ((1366, 768), (1920, 1080))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--params-dir", type=Path, default=ROOT / "params")
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "artifacts" / "screens")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = drive.launch(p)
        for page_name, ready in READY.items():
            for lang in ("zh", "en"):
                log = args.out / f"{page_name}_{lang}.log"
                with drive.serve(
                    args.params_dir, preheat=False, page=page_name, lang=lang, log=log
                ) as url:
                    for width, height in SIZES:
                        page = browser.new_page(viewport={"width": width, "height": height})
                        page.goto(url, timeout=120_000)
                        page.wait_for_selector(ready, timeout=120_000)
                        page.wait_for_timeout(1500)  # charts finish their transitions
                        name = args.out / f"{page_name}_{lang}_{width}.png"
                        page.screenshot(path=str(name), full_page=True)
                        print(f"wrote {name}")
                        page.close()
                log.unlink(missing_ok=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
