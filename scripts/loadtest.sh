#!/usr/bin/env bash
# Load test (README "Load test"): the production run command (scripts/serve.sh, several gunicorn workers) on
# PostgreSQL at 127.0.0.1 only, driven by locust headless: USERS users for RUN_TIME, at most MAX_REQUESTS requests.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/ghnt_load bash scripts/loadtest.sh --prepare   # first time
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/ghnt_load bash scripts/loadtest.sh
#
# --prepare loads the data with the development settings (demo users need them; never production):
# migrate, load_demo_data, generate_national_data (30 regions, 342 municipalities, 273,600 figures, 3,500 measures,
# 1,400 reports, 2,000 bottlenecks).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database for the load test}"
# A free port of our own: never load another server that happens to listen on 127.0.0.1.
PORT=${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
USERS=${USERS:-50}
RUN_TIME=${RUN_TIME:-2m}
export MAX_REQUESTS=${MAX_REQUESTS:-20000}
OUT=${OUT:-loadtest/results}
mkdir -p "$OUT"

# The load test has its own venv (pyproject.toml's "load" extra). Whatever sits at .venv-load without a working
# Python (a dangling symlink, a half-made directory) is removed and made anew; rm removes a symlink itself, never
# what it points to.
if [ ! -x .venv-load/bin/locust ]; then
  if [ ! -x .venv-load/bin/python ] || ! .venv-load/bin/python -c '' 2>/dev/null; then
    rm -rf .venv-load
    python3 -m venv .venv-load
  fi
  .venv-load/bin/python -m pip install --quiet "locust>=2.30,<3"
fi

if [ "${1:-}" = "--prepare" ]; then
  export DJANGO_SETTINGS_MODULE=ghnt_portal.settings.dev GHNT_ALLOW_DEMO_DATA=1
  .venv/bin/python manage.py migrate --noinput -v0
  .venv/bin/python manage.py load_demo_data --quiet-logins
  .venv/bin/python manage.py generate_national_data
  unset DJANGO_SETTINGS_MODULE GHNT_ALLOW_DEMO_DATA
fi

# The project leader logs in with the TOTP key of the demo data.
LOADTEST_TOTP_KEY=$(DJANGO_SETTINGS_MODULE=ghnt_portal.settings.dev .venv/bin/python manage.py shell --no-imports -c \
  "from base64 import b32encode; from django_otp.plugins.otp_totp.models import TOTPDevice as D; \
d = D.objects.filter(user__username='projectleider', confirmed=True).first(); print(b32encode(d.bin_key).decode() if d else '')" | tail -n 1)
export LOADTEST_TOTP_KEY

# Production settings over plain HTTP on 127.0.0.1: no TLS redirect and cookies without the Secure flag, so the
# HTTP client keeps its session. Only for this local test; check --deploy rightly warns about both.
SECRET_KEY="loadtest-only-$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')" \
ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false \
DEPLOY_CHECK_FAIL_LEVEL=ERROR BIND=127.0.0.1:$PORT WEB_CONCURRENCY=${WEB_CONCURRENCY:-4} DB_CONN_MAX_AGE=60 \
STATIC_ROOT=$(mktemp -d) \
  bash scripts/serve.sh > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  grep -q "Booting worker" "$OUT/server.log" && curl -fs "http://127.0.0.1:$PORT/gezondheid/" >/dev/null 2>&1 && break
  sleep 1
done
if ! kill -0 "$SERVER" 2>/dev/null || ! curl -fs "http://127.0.0.1:$PORT/gezondheid/" >/dev/null; then
  echo "The portal did not start on port $PORT:"; tail -30 "$OUT/server.log"; exit 1
fi

.venv-load/bin/locust -f loadtest/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
  --users "$USERS" --spawn-rate 10 --run-time "$RUN_TIME" --stop-timeout 10 \
  --csv "$OUT/locust" --only-summary 2>&1 | tee "$OUT/locust.txt" || true

server_errors=$(grep -cE '" 5[0-9][0-9] ' "$OUT/server.log" || true)
echo
echo "Server errors (HTTP 5xx in the access log): $server_errors"
python3 - "$OUT/locust_stats.csv" <<'PY'
import csv, sys
rows = {row["Name"]: row for row in csv.DictReader(open(sys.argv[1]))}
total = rows["Aggregated"]
print(f"Requests: {total['Request Count']}, failures: {total['Failure Count']}, "
      f"median {total['50%']} ms, p95 {total['95%']} ms, p99 {total['99%']} ms, {float(total['Requests/s']):.1f} req/s")
PY
[ "$server_errors" = "0" ]
