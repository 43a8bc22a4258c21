#!/usr/bin/env bash
# Back up the whole portal database to one file (README "Backup and restore").
#   PostgreSQL (DATABASE_URL=postgres://...): pg_dump in its custom format, restorable with scripts/restore.sh.
#   SQLite (default db.sqlite3 or DATABASE_URL=sqlite:///path): a consistent copy through SQLite's backup API,
#   safe while the portal runs.
# Usage: bash scripts/backup.sh [FILE]     (default: backups/ghnt-YYYYmmdd-HHMMSS.dump or .sqlite3)
set -euo pipefail
cd "$(dirname "$0")/.."
URL=${DATABASE_URL:-sqlite:///$(pwd)/db.sqlite3}
STAMP=$(date +%Y%m%d-%H%M%S)
case "$URL" in
  postgres://*|postgresql://*|pgsql://*)
    TARGET=${1:-backups/ghnt-$STAMP.dump}
    mkdir -p "$(dirname "$TARGET")"
    pg_dump --format=custom --no-owner --no-privileges --file "$TARGET" "${URL/#pgsql:/postgresql:}"
    ;;
  sqlite://*)
    TARGET=${1:-backups/ghnt-$STAMP.sqlite3}
    mkdir -p "$(dirname "$TARGET")"
    python3 - "${URL#sqlite://}" "$TARGET" <<'PY'
import sqlite3, sys
# dj-database-url style: sqlite:////absolute/path or sqlite:///relative/path
source_path, target_path = sys.argv[1][1:], sys.argv[2]
source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
target = sqlite3.connect(target_path)
with target:
    source.backup(target)
target.close(); source.close()
PY
    ;;
  *) echo "backup.sh: unsupported DATABASE_URL (PostgreSQL or SQLite only)" >&2; exit 2 ;;
esac
echo "Backup written to $TARGET"
