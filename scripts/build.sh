#!/usr/bin/env bash
# Main job: set up if needed, then build docs/, the site (site/) and the approval PDF.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/archdoc build "$@"
