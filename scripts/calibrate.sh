#!/usr/bin/env bash
# Regenerate the shipped parameter folders from the data packs in the repo:
#   params/         Jingzhou (荆州), base year 2021, targets 3000/3000 from the seed document
#   cities/jingmen/ Jingmen (荆门), base year 2021, no published target in the pack
# tests/test_calibration.py and tests/test_cities.py check that both are up to date.
# Extra arguments go to both calibrate commands (e.g. --no-backtest).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m simulation calibrate --pack data/packs/jingzhou_2021.csv --out params \
  --city jingzhou --city-zh 荆州 --city-en Jingzhou --counties data/packs/jingzhou_counties.csv \
  --base-year 2021 --target-gdp 3000 --target-output 3000 \
  --risks data/risks/hubei_known_risks.csv "$@"
.venv/bin/python -m simulation calibrate --pack data/packs/jingmen_2021.csv --out cities/jingmen \
  --city jingmen --city-zh 荆门 --city-en Jingmen --counties data/packs/jingmen_counties.csv \
  --base-year 2021 --risks data/risks/hubei_known_risks.csv "$@"
