#!/usr/bin/env bash
# Set up and run the portal on SQLite with reference and demo data: http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DJANGO_SETTINGS_MODULE=ghnt_portal.settings.dev
# The demo shows the portal as its users see it: Dutch 404 and 500 pages, not Django's English technical
# pages (which also show settings, and whose inline styles the CSP blocks). Static files come from WhiteNoise,
# which does not need DEBUG; the demo data may load because it is asked for explicitly.
export DEBUG=false GHNT_ALLOW_DEMO_DATA=1
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo_data
echo
echo "The GHNT portal runs at http://127.0.0.1:8000  (stop with Ctrl+C)"
echo
exec .venv/bin/python manage.py runserver 127.0.0.1:8000
