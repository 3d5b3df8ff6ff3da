#!/usr/bin/env bash
# Regenerate Jingzhou's parameter folder (params/base.yaml, params/scenarios/, params/CALIBRATION.md)
# from the data pack in the repo. tests/test_calibration.py checks that params/ is up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m simulation calibrate --pack data/packs/jingzhou_2021.csv --out params \
  --city jingzhou --city-zh 荆州 --city-en Jingzhou --counties data/packs/jingzhou_counties.csv \
  --base-year 2021 --target-gdp 3000 --target-output 3000 "$@"
