#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the database of DATABASE_URL, replacing what is there.
# Stop the app servers first (README "Backup and restore"); run `manage.py migrate` after restoring an older backup.
# Usage: bash scripts/restore.sh FILE
set -euo pipefail
cd "$(dirname "$0")/.."
FILE=${1:?usage: scripts/restore.sh FILE}
[ -f "$FILE" ] || { echo "restore.sh: no such file: $FILE" >&2; exit 2; }
URL=${DATABASE_URL:-sqlite:///$(pwd)/db.sqlite3}
case "$URL" in
  postgres://*|postgresql://*|pgsql://*)
    # One transaction: a failed restore leaves the database as it was.
    pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
      --dbname "${URL/#pgsql:/postgresql:}" "$FILE"
    ;;
  sqlite://*)
    python3 - "$FILE" "${URL#sqlite://}" <<'PY'
import sqlite3, sys
# dj-database-url style: sqlite:////absolute/path or sqlite:///relative/path
backup_path, target_path = sys.argv[1], sys.argv[2][1:]
source = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
target = sqlite3.connect(target_path)
with target:
    source.backup(target)
target.close(); source.close()
PY
    ;;
  *) echo "restore.sh: unsupported DATABASE_URL (PostgreSQL or SQLite only)" >&2; exit 2 ;;
esac
echo "Restored $FILE"
