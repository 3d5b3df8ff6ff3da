"""Build the data packs (data/packs/jingzhou_2021.csv, jingmen_2021.csv) from their sources.

.venv/bin/python scripts/build_pack.py

Sources (data/packs/sources/): the shared official statistics for Jingzhou to 2021, the
Hubei peer-city figures gathered from public pages (notes beside them), Jingzhou levels
and the derived rows and plan-time inputs. Every row keeps its page. Rows repeated with
the same value are kept once; a contradiction stops the build (simulation.io.datapack).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulation.io import datapack as dp  # noqa: E402

SOURCES = [
    "jingzhou_annual_2015_2021.csv",
    "jingzhou_periods_2019_2021.csv",
    "hubei_peers.csv",
    "hubei_peers_2.csv",
    "hubei_peers_3.csv",
    "china_sectors.csv",
    "jingzhou_levels.csv",
    "jingzhou_derived_and_plan_inputs.csv",
]
#: pack file → its sources. The second city's pack is the first one's plus its own rows
#: (jingmen.csv, see jingmen_NOTES.md): the other cities are its peers in the pooled fits.
PACKS = {
    "jingzhou_2021.csv": SOURCES,
    "jingmen_2021.csv": [*SOURCES, "jingmen.csv"],
}


def _fmt(v: float) -> str:
    return f"{v:.6f}".rstrip("0").rstrip(".")


def main() -> int:
    for name, sources in PACKS.items():
        out = ROOT / "data" / "packs" / name
        pack = dp.read_pack(*(ROOT / "data" / "packs" / "sources" / f for f in sources))
        pack = pack.sort_values(
            ["city", "year", "first_month", "last_month", "indicator"], kind="stable"
        )
        with out.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(dp.COLUMNS)
            for r in pack.itertuples():
                w.writerow(
                    [r.city, r.period, r.indicator, _fmt(r.value), r.unit, r.source_url, r.note]
                )
        print(f"wrote {out.relative_to(ROOT)}: {len(pack)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
