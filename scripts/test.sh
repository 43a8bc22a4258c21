#!/usr/bin/env bash
# The whole test suite: lint, import contracts and missing migrations, then every test including the browser tests
# in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v xgettext >/dev/null 2>&1 || missing+=(gettext)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]} from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing ${missing[*]}: install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi
.venv/bin/ruff check .
# The import contracts of pyproject.toml ([tool.importlinter]): reporting -> measures -> programme, no app imports
# ghnt_portal.
.venv/bin/lint-imports --no-cache
# Every model change has its migration. An in-memory SQLite database: no database server needed, no file left.
DJANGO_SETTINGS_MODULE=ghnt_portal.settings.test DATABASE_URL=sqlite://:memory: \
  .venv/bin/python manage.py makemigrations --check --dry-run
.venv/bin/python -m pytest "$@"
