#!/usr/bin/env bash
# The AppHost's `postgres` resource: initdb on the first run, then the server on 127.0.0.1:$PGPORT, TCP only.
# The AppHost stops a resource with SIGTERM, PostgreSQL's *smart* shutdown (it would wait for every client);
# this script turns it into SIGINT, the fast shutdown. setpriv's parent-death signal kills the server if this
# script is killed outright, so no server outlives its resource.
set -euo pipefail
: "${PGDATA:?}" "${PGPORT:?}" "${POSTGRES_BIN:?}" "${POSTGRES_PASSWORD_FILE:?}"
if [ ! -f "$POSTGRES_PASSWORD_FILE" ]; then
  echo "$POSTGRES_PASSWORD_FILE is missing, so the password of the cluster in $PGDATA is unknown; delete $(dirname "$PGDATA") to start afresh." >&2
  exit 1
fi

server_user=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root: the server and initdb run as the postgres user, which owns the folder.
  server_user=(--reuid=postgres --regid=postgres --clear-groups)
  chown postgres:postgres "$(dirname "$PGDATA")" "$POSTGRES_PASSWORD_FILE"
  if ! setpriv "${server_user[@]}" test -w "$(dirname "$PGDATA")"; then
    echo "PostgreSQL runs as the postgres user, which cannot reach $(dirname "$PGDATA"): let others traverse every parent folder (chmod o+x) or set data-dir elsewhere." >&2
    exit 1
  fi
fi
as_server=(setpriv --pdeathsig SIGKILL "${server_user[@]}")

if [ ! -f "$PGDATA/PG_VERSION" ]; then
  "${as_server[@]}" "$POSTGRES_BIN/initdb" -D "$PGDATA" -U postgres --pwfile="$POSTGRES_PASSWORD_FILE" \
    --auth=scram-sha-256 -E UTF8 --no-locale --no-instructions
fi

# An empty socket directory means TCP only: a Unix socket under a long data folder could exceed 107 bytes.
# A command, not a shell function, in the background: $! is then the server itself (setpriv execs it), not a subshell
# that would ignore the SIGINT below (a non-interactive shell's background jobs ignore SIGINT).
"${as_server[@]}" "$POSTGRES_BIN/postgres" -D "$PGDATA" -p "$PGPORT" -c listen_addresses=127.0.0.1 -k "" &
server=$!
trap 'kill -INT "$server" 2>/dev/null || true' TERM INT
status=0
# wait returns early when a trapped signal arrives; wait again until the server has really stopped.
while kill -0 "$server" 2>/dev/null; do
  if wait "$server"; then status=0; else status=$?; fi
done
exit "$status"
