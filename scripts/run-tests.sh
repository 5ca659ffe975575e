#!/usr/bin/env bash
# Run the whole test suite twice: on SQLite, then on a PostgreSQL server this script initialises
# and starts itself on a private unix socket and port (no Docker). Extra args go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${VENV:-.venv}/bin/python
export DJANGO_SETTINGS_MODULE=harapan.settings
fail=0

echo "=== Test suite on SQLite"
env -u DATABASE_URL HARAPAN_VAR_DIR="$(mktemp -d)" "$PY" -m pytest "$@" || fail=1

echo "=== Test suite on PostgreSQL"
. scripts/postgres.sh
pg_start
trap pg_stop EXIT
DATABASE_URL="$PG_URL" HARAPAN_VAR_DIR=$(mktemp -d) "$PY" -m pytest "$@" || fail=1
exit $fail
