#!/usr/bin/env bash
# The benchmark harness, in one run: the bare grpc-dotnet server, Orders.Api in each configuration and the Python contract
# server side by side (Orders.Api.Benchmarks). Installs what it needs when missing — Python grpcio, h2load (nghttp2-client), PostgreSQL, fonts —
# builds Release and writes benchmarks/results/side-by-side.md with its charts. Options pass through, e.g.
# `benchmarks/run.sh --rounds 5 --seconds 10` (defaults: 3 rounds, 5 s per measure, a 100,000-order store).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
/usr/bin/python3 -c 'import grpc, grpc_tools.protoc' 2>/dev/null || missing+=(python3-grpcio python3-grpc-tools)
[ -x /usr/bin/h2load ] || missing+=(nghttp2-client)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
# The charts' text (ScottPlot on SkiaSharp reads font files from /usr/share/fonts).
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

dotnet build OrdersAspire.sln -c Release -v quiet -nologo
dotnet run -c Release --no-build --project Orders.Api.Benchmarks -- "$@" --out benchmarks/results
