#!/usr/bin/env bash
# Writes deploy/compose/.env with fresh random passwords and keys, unless it exists. Compose reads it from there.
set -euo pipefail
env_file="$(dirname "$0")/.env"
if [ -e "$env_file" ]; then
  echo "$env_file exists; delete it first to make new secrets" >&2
  exit 1
fi
secret() { head -c 24 /dev/urandom | base64 | tr -d '/+='; }
umask 077
cat >"$env_file" <<END
POSTGRES_PASSWORD=$(secret)
OTLP_API_KEY=$(secret)
DASHBOARD_API_KEY=$(secret)
DASHBOARD_BROWSER_TOKEN=$(secret)
GRPC_INSIGHTS_BROWSER_TOKEN=$(secret)
END
echo "Wrote $env_file (dashboard login: http://127.0.0.1:18888/login?t=<DASHBOARD_BROWSER_TOKEN>)"
