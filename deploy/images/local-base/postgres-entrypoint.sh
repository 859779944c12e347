#!/bin/bash
# First start on an empty data folder: initdb with the given superuser and password (SCRAM over TCP), create
# POSTGRES_DB. Every start: PostgreSQL in the foreground on every interface, so SIGINT from the runtime is a fast stop.
set -euo pipefail

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
  user=${POSTGRES_USER:-postgres}
  initdb --pgdata="$PGDATA" --username="$user" --pwfile=<(printf '%s' "$POSTGRES_PASSWORD") \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  database=${POSTGRES_DB:-$user}
  if [ "$database" != postgres ]; then
    pg_ctl --pgdata="$PGDATA" --wait --silent -o "-c listen_addresses=''" start
    createdb --username="$user" "$database"
    pg_ctl --pgdata="$PGDATA" --wait --silent stop
  fi
fi

exec postgres -c listen_addresses='*'
