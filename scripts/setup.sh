#!/usr/bin/env bash
# Create .venv with exactly the locked versions, then the portal itself without resolving again.
#
#   bash scripts/setup.sh                # development and CI: requirements/dev.lock (runtime + test and lint tools)
#   bash scripts/setup.sh --production   # application servers: requirements/prod.lock (runtime only)
#
# Both locks are compiled from pyproject.toml; regenerate them after changing dependencies (README "Dependencies").
# pip only adds packages, so --production on a .venv made for development keeps the tools: start from a fresh one.
set -euo pipefail
cd "$(dirname "$0")/.."
LOCK=requirements/dev.lock
case "${1:-}" in
  "") ;;
  --production) LOCK=requirements/prod.lock ;;
  *) echo "usage: $0 [--production]" >&2; exit 2 ;;
esac
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r "$LOCK"
.venv/bin/python -m pip install --quiet --no-deps -e .
