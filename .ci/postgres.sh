#!/usr/bin/env bash
# Start a local PostgreSQL for the storage tests and print the variable that points the tests at it.
#   eval "$(.ci/postgres.sh)"     # then: python -m pytest tests/test_storage*.py tests/test_reviews.py
# Runs as root on a Debian machine (assumes `apt-get update` already ran). Idempotent: a second run
# finds the package, the running cluster, the role and the database, and only prints the line again.
# Everything except the final `export` line goes to stderr.
set -euo pipefail

ROLE=${HC_TEST_PG_ROLE:-hc_test}
DB=${HC_TEST_PG_DB:-hc_test}
PASSWORD=${HC_TEST_PG_PASSWORD:-hc_test}
log() { echo "postgres.sh: $*" >&2; }

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v pg_ctlcluster >/dev/null 2>&1; then
  log "installing PostgreSQL from Debian packages"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >&2
fi

VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n1)
# The package normally creates the "main" cluster; create it when a policy or an earlier run left none.
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main"' | grep -q .; then
  log "creating cluster $VERSION/main"
  pg_createcluster "$VERSION" main >&2
fi
install -d -o postgres -g postgres -m 2775 /var/run/postgresql
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
  log "starting cluster $VERSION/main"
  pg_ctlcluster "$VERSION" main start >&2
fi
PORT=$(pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" {print $3}')

for _ in $(seq 1 50); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 0.2
done
pg_isready -h 127.0.0.1 -p "$PORT" >&2

psql_admin() { runuser -u postgres -- psql -p "$PORT" -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
  log "creating role $ROLE"
  psql_admin -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'" >&2
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
  log "creating database $DB"
  psql_admin -c "CREATE DATABASE $DB OWNER $ROLE" >&2
  # Test data need not survive a power cut; commits return sooner.
  psql_admin -c "ALTER DATABASE $DB SET synchronous_commit = off" >&2
fi

echo "export TEST_DATABASE_URL=postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
