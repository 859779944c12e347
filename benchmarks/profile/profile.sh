#!/usr/bin/env bash
# Where a getOrder call's time and allocations go, per server configuration (benchmarks/results/profile.md explains).
# Usage: benchmarks/profile/profile.sh <bare|peer|api-off|api-shipped|api-every-call> [seconds]
# (peer: the bare server with the Aspire starter template's service defaults, the harness's template peer)
# PROFILE_SERVER_ROOT=<another checkout, built Release> profiles that checkout's servers instead (e.g. before a change).
# Starts the Release build on a free loopback port, drives it with h2load (4 connections × 8 streams) and meanwhile takes
# dotnet-counters (bytes allocated, CPU), a dotnet-trace thread-time sample and an allocation sample; prints µs and bytes
# per call, the frames that hold the most thread time per call and the types that take the most bytes. Stops the server.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
config="${1:?bare|peer|api-off|api-shipped|api-every-call}"
seconds="${2:-8}"
work="$(mktemp -d /tmp/orders-profile-XXXX)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cd "$root"
dotnet tool restore >/dev/null

servers="${PROFILE_SERVER_ROOT:-$root}"
case "$config" in
  bare|peer) dir=benchmarks/BareOrders.Server/bin/Release/net10.0; dll=BareOrders.Server.dll; settings=(); switches=() ;;&
  peer) switches=(--template-defaults) ;;
  api-*) dir=Orders.Api/bin/Release/net10.0; dll=Orders.Api.dll
    settings=("ConnectionStrings__orders=Data Source=$work/orders.db" Orders__SeedSampleData=true); switches=() ;;&
  api-off) settings+=(OTEL_SDK_DISABLED=true Logging__LogLevel__Default=Warning) ;;
  api-shipped) ;;
  api-every-call) settings+=(Logging__LogLevel__Orders.Api=Debug) ;;
  bare|peer) ;;
  *) echo "unknown configuration: $config" >&2; exit 2 ;;
esac

# The content root is the working directory: appsettings.json is read from the build output, as in production.
(cd "$servers/$dir" && exec env ASPNETCORE_URLS="http://127.0.0.1:$port" DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production \
  "${settings[@]}" dotnet "$dll" "${switches[@]}" >"$work/server.log" 2>&1 </dev/null) &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf --http2-prior-knowledge "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
pid=$(pgrep -P $server -f "$dll" || echo $server)

printf '\x00\x00\x00\x00\x05\x0a\x03101' >"$work/get101.bin"
load() { h2load -c 4 -m 8 -D "$1" -d "$work/get101.bin" -H 'content-type: application/grpc' -H 'te: trailers' \
  "http://127.0.0.1:$port/ecommerce.OrderManagement/getOrder" | awk '/^finished in/ {print $4}'; }
load 5 >/dev/null   # JIT tiering and pools warmed before anything is measured

dotnet dotnet-counters collect -p "$pid" --counters System.Runtime --refresh-interval 2 \
  --duration "00:00:00:$(printf %02d $((seconds + 1)))" --format csv -o "$work/counters.csv" >/dev/null 2>&1 &
counters=$!
sleep 1
rate=$(load "$seconds")
wait $counters || true
python3 - "$work/counters.csv" "$rate" <<'PY'
import csv, sys, statistics
rows = list(csv.reader(open(sys.argv[1])))
rate = float(sys.argv[2])
def per_second(name):
    values = [float(r[4]) / 2 for r in rows[1:] if r[2].startswith(name)]
    return statistics.median(values[1:-1] or values) if values else float('nan')
alloc = per_second('dotnet.gc.heap.total_allocated')
cpu = sum(per_second(f'dotnet.process.cpu.time (s / 2 sec)[cpu.mode={m}]') for m in ('user', 'system'))
print(f"{rate:,.0f} calls/s; {alloc / rate:,.0f} bytes allocated per call; {cpu * 1e6 / rate:,.1f} µs of server CPU per call")
PY

dotnet dotnet-trace collect -p "$pid" --profile dotnet-sampled-thread-time --duration "00:00:00:$(printf %02d "$seconds")" \
  --format Speedscope -o "$work/trace.nettrace" >/dev/null 2>&1 &
trace=$!
sleep 1
rate=$(load "$seconds")
wait $trace
calls=$(python3 -c "print(int($rate * ($seconds - 1)))")
python3 "$root/benchmarks/profile/top_costs.py" "$work/trace.speedscope.json" "$calls" 45
# Allocations by type: the runtime's allocation samples (gc-verbose), read by benchmarks/AllocationProfile.
dotnet dotnet-trace collect -p "$pid" --profile gc-verbose --duration "00:00:00:$(printf %02d "$seconds")" \
  -o "$work/allocations.nettrace" >/dev/null 2>&1 &
trace=$!
sleep 1
rate=$(load "$seconds")
wait $trace
dotnet "$root/benchmarks/AllocationProfile/bin/Release/net10.0/AllocationProfile.dll" "$work/allocations.nettrace" \
  "$(python3 -c "print(int($rate * ($seconds - 1)))")" 20

# PROFILE_UNDER='<frame regex>' also lists what runs under that frame.
if [ -n "${PROFILE_UNDER:-}" ]; then
  python3 "$root/benchmarks/profile/top_costs.py" "$work/trace.speedscope.json" "$calls" 30 "$PROFILE_UNDER"
fi
[ -n "${PROFILE_KEEP:-}" ] && echo "trace kept in $work" || rm -rf "$work"
