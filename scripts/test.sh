#!/usr/bin/env bash
# Test job: set up if needed, then validate the bundled model, check the committed docs
# against it, and run the whole test suite (unit, golden, property, browser, PDF).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/archdoc validate
.venv/bin/archdoc check
exec .venv/bin/python -m pytest -q "$@"
