#!/usr/bin/env bash
# Orders.Api benchmark: installs h2load (Debian nghttp2-client) when missing, builds Release, prints and records the numbers.
# `benchmarks/api.sh --compare [--rounds N] [--seconds S]`: Orders.Api side by side with the bare grpc-dotnet and Python servers.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/h2load ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nghttp2-client >/dev/null
fi

dotnet build OrdersAspire.sln -c Release -v quiet -nologo
if [ "${1:-}" = --compare ]; then
  dotnet run -c Release --no-build --project Orders.Api.Benchmarks -- "$@" --out benchmarks/results/side-by-side.md
else
  dotnet run -c Release --no-build --project Orders.Api.Benchmarks -- --out benchmarks/results/api.md
fi
