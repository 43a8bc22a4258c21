#!/usr/bin/env bash
# Set up and run the portal on SQLite with reference and demo data: http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DJANGO_SETTINGS_MODULE=ghnt_portal.settings.dev
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo_data
echo
echo "The GHNT portal runs at http://127.0.0.1:8000  (stop with Ctrl+C)"
echo
exec .venv/bin/python manage.py runserver 127.0.0.1:8000
