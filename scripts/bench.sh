#!/usr/bin/env bash
# Run the benchmarks in bench/ on SQLite, then on a private PostgreSQL started like the tests'.
# FAMILIES sets the size (default 100000). Figures go to stdout; they are reported in issue notes.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${VENV:-.venv}/bin/python
FAMILIES=${FAMILIES:-100000}

echo "=== Import benchmark on SQLite ($FAMILIES families)"
env -u DATABASE_URL "$PY" bench/import_bench.py --families "$FAMILIES"

echo "=== Groups and attendance benchmark on SQLite ($FAMILIES families)"
env -u DATABASE_URL "$PY" bench/field_bench.py --families "$FAMILIES"

echo "=== Import benchmark on PostgreSQL ($FAMILIES families)"
. scripts/postgres.sh
pg_start
trap pg_stop EXIT
DATABASE_URL="$PG_URL" "$PY" bench/import_bench.py --families "$FAMILIES"

echo "=== Groups and attendance benchmark on PostgreSQL ($FAMILIES families)"
DATABASE_URL="$PG_URL" "$PY" bench/field_bench.py --families "$FAMILIES"
