#!/usr/bin/env bash
# Create .venv with exactly the locked versions (requirements.lock), then the portal itself without resolving again.
# Regenerate the lock after changing dependencies in pyproject.toml (README "Dependencies"):
#   .venv/bin/pip-compile --strip-extras --no-emit-index-url --no-emit-find-links --extra dev \
#     --output-file requirements.lock pyproject.toml
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements.lock
.venv/bin/python -m pip install --quiet --no-deps -e .
