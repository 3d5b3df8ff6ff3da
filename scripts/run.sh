#!/usr/bin/env bash
# Set up and run the main job: the baseline scenario, printed as a table.
# (When the Voila app lands, this starts it instead.) Extra arguments go to `run`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m simulation run baseline "$@"
