#!/usr/bin/env bash
# The benchmark harness, in one run: the bare grpc-dotnet server, its Aspire template peer, Orders.Api in each configuration and the Python contract
# server side by side (Orders.Api.Benchmarks). Installs what it needs when missing — Python grpcio, h2load (nghttp2-client), PostgreSQL, fonts —
# builds Release and writes benchmarks/results/side-by-side.md with its charts. Options pass through, e.g.
# `benchmarks/run.sh --rounds 5 --seconds 10` (defaults: an uncounted round then 5 rounds, 5 s per measure, a 100,000-order store;
# `--previous FILE` the results page the no-regression targets compare with, by default the one it replaces).
set -euo pipefail
cd "$(dirname "$0")/.."

./install-prerequisites.sh

dotnet build OrdersAspire.sln -c Release -v quiet -nologo
dotnet run -c Release --no-build --project Orders.Api.Benchmarks -- "$@" --out benchmarks/results
