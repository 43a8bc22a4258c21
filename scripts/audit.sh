#!/usr/bin/env bash
# Check the locked dependencies (requirements/dev.lock, which holds every package of prod.lock at the same
# version: tests/test_dependencies.py) against PyPI's vulnerability data (pip-audit). --strict fails when a package
# could not be checked, so an unreachable vulnerability service never passes as "no known vulnerabilities".
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/pip-audit --requirement requirements/dev.lock --strict --progress-spinner off "$@"
