#!/usr/bin/env bash
# Production run: gunicorn with whitenoise for static files, everything read from the environment.
# Needs at least SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (PostgreSQL); see README "Production".
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-ghnt_portal.settings.production}
PY=${PYTHON:-.venv/bin/python}
"$PY" manage.py check --deploy --fail-level "${DEPLOY_CHECK_FAIL_LEVEL:-WARNING}"
"$PY" manage.py migrate --noinput
"$PY" manage.py collectstatic --noinput -v0
exec "$PY" -m gunicorn ghnt_portal.wsgi:application \
  --bind "${BIND:-127.0.0.1:8000}" \
  --workers "${WEB_CONCURRENCY:-4}" \
  --timeout "${GUNICORN_TIMEOUT:-60}" \
  --access-logfile - --error-logfile -
