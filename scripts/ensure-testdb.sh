#!/usr/bin/env bash
# Create a database with the PostGIS extension if it does not exist.
# Usage: scripts/ensure-testdb.sh DBNAME [--fresh]   (--fresh: drop it first)
set -euo pipefail
db="${1:?database name}"
fresh="${2:-}"

psql_admin() {
  # trust auth on 127.0.0.1 (this kind of machine); otherwise the local postgres OS user.
  if psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1" >/dev/null 2>&1; then
    psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 "$@"
  else
    runuser -u postgres -- psql -v ON_ERROR_STOP=1 "$@"
  fi
}

if [ "$fresh" = "--fresh" ]; then
  psql_admin -d postgres -qc "drop database if exists \"$db\" with (force)"
fi
if ! psql_admin -d postgres -tAc "select 1 from pg_database where datname = '$db'" | grep -q 1; then
  psql_admin -d postgres -qc "create database \"$db\""
fi
psql_admin -d "$db" -qc "create extension if not exists postgis"
