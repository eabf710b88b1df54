#!/usr/bin/env bash
# Idempotent set-up on Debian 12: system packages (only those missing) and the project
# venv at .venv/ (re-installed only when pyproject.toml changed). Quick when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(python3 python3-venv graphviz fonts-noto-cjk fonts-noto-color-emoji fonts-dejavu-core chromium chromium-driver
              poppler-utils fontconfig)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# npm fetches axe-core (pinned, integrity-checked) for the accessibility test (tests/axe.py); any
# npm will do (a Node.js distribution that bundles it counts), so Debian's is installed only without one
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.archdoc-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing archdoc and its dependencies into .venv"
  log=.venv/pip-install.log
  if ! { .venv/bin/python -m pip install -q --upgrade pip && .venv/bin/python -m pip install -q -e '.[test]'; } >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
  fi
  touch "$stamp"
fi
# archdoc's own modules are installed in place (editable): compile them now, so a shell that
# sets PYTHONDONTWRITEBYTECODE does not make every command compile them again (quick when current)
.venv/bin/python -m compileall -q archdoc model render analysis aws >/dev/null
