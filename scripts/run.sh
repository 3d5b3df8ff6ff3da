#!/usr/bin/env bash
# Set up and start the main app: the planner's Voila dashboard on the baseline scenario,
# at http://127.0.0.1:8866/ (loopback only). Extra arguments go to `python -m simulation
# app`: --host ADDRESS --port PORT (or SIM_HOST / SIM_PORT), --lang en, --params-dir DIR,
# --no-preheat. The baseline as a table: .venv/bin/python -m simulation run baseline
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m simulation app "$@"
