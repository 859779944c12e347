#!/usr/bin/env bash
# The benchmark harness, in one run: the bare grpc-dotnet server, Orders.Api in each configuration and the Python contract
# server side by side (Orders.Api.Benchmarks). Installs what it needs when missing — Python grpcio, h2load (nghttp2-client), PostgreSQL, fonts —
# builds Release and writes benchmarks/results/side-by-side.md with its charts. Options pass through, e.g.
# `benchmarks/run.sh --rounds 5 --seconds 10` (defaults: 3 rounds, 5 s per measure, a 100,000-order store).
set -euo pipefail
cd "$(dirname "$0")/.."

./install-prerequisites.sh

dotnet build OrdersAspire.sln -c Release -v quiet -nologo
dotnet run -c Release --no-build --project Orders.Api.Benchmarks -- "$@" --out benchmarks/results
