#!/usr/bin/env bash
# The benchmark harness, in one run: the bare grpc-dotnet server, Orders.Api in each configuration and the Python contract
# server side by side (Orders.Api.Benchmarks). Installs what it needs when missing — h2load (nghttp2-client), PostgreSQL —
# builds Release and writes benchmarks/results/side-by-side.md with its charts. Options pass through, e.g.
# `benchmarks/run.sh --rounds 5 --seconds 10` (defaults: 3 rounds, 5 s per measure, a 100,000-order store).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/h2load ] || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nghttp2-client postgresql >/dev/null
fi

dotnet build OrdersAspire.sln -c Release -v quiet -nologo
dotnet run -c Release --no-build --project Orders.Api.Benchmarks -- "$@" --out benchmarks/results
