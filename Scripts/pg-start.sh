#!/usr/bin/env bash
# Starts the local PostgreSQL cluster (Debian's postgresql package) and makes a fresh test role
# and database for `make test`: EMOCL_TEST_POSTGRES=postgres://emocl_test:emocl_test@127.0.0.1:5432/emocl_test
# The tests create (and drop) one more database per test, hence CREATEDB.
set -euo pipefail

as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres bash -c "$1"; fi
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

if ! command -v pg_lsclusters >/dev/null; then
  echo "pg-start: PostgreSQL is not installed (make test installs the postgresql package)" >&2
  exit 1
fi
cluster=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1" "$2}')
if [ -z "$cluster" ]; then
  # Installing the package normally creates "main"; some images turn that off.
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  echo "pg-start: creating cluster $version/main"
  as_root pg_createcluster "$version" main
  cluster="$version main"
fi
read -r version name <<<"$cluster"
if ! pg_ctlcluster "$version" "$name" status >/dev/null 2>&1; then
  as_root pg_ctlcluster "$version" "$name" start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432

as_postgres "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = 'emocl_test'\"" | grep -q 1 ||
  as_postgres "psql -qc \"CREATE ROLE emocl_test LOGIN CREATEDB PASSWORD 'emocl_test'\""
# A fresh database per run; also drop per-test databases a killed run left behind.
for db in $(as_postgres "psql -qtAc \"SELECT datname FROM pg_database WHERE datname LIKE 'emocl\\_test%'\""); do
  as_postgres "psql -qc 'DROP DATABASE \"$db\" WITH (FORCE)'"
done
as_postgres "psql -qc 'CREATE DATABASE emocl_test OWNER emocl_test'"
echo "pg-start: PostgreSQL $version/$name ready, database emocl_test"
