#!/usr/bin/env bash
# getOrder side by side for what-if questions: Orders.Api from several checkouts (each built Release) and settings, and
# the bare server, each a process on a free loopback port, driven in interleaved rounds by h2load (4 connections × 8
# streams, one 4 s uncounted pass, then 5 s per server and round). Prints calls/s per round, the median and its ratio to bare.
# Usage: benchmarks/profile/compare-builds.sh ROUNDS NAME=CHECKOUT[:SETTING=VALUE,...] ...
#   e.g. compare-builds.sh 4 main=. main-off=.:OTEL_SDK_DISABLED=true patched=/tmp/patched
# Every Orders.Api runs as shipped (Production settings, the sample orders, its own fresh SQLite file) plus its settings.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
rounds="${1:?rounds}"; shift
work="$(mktemp -d /tmp/orders-compare-XXXX)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
printf '\x00\x00\x00\x00\x05\x0a\x03101' >"$work/get101.bin"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

names=(bare); ports=($(free_port))
(cd "$root/benchmarks/BareOrders.Server/bin/Release/net10.0" && exec dotnet BareOrders.Server.dll --urls "http://127.0.0.1:${ports[0]}" >"$work/bare.log" 2>&1) &
for spec in "$@"; do
  name="${spec%%=*}"; rest="${spec#*=}"; checkout="$(cd "${rest%%:*}" && pwd)"
  settings=(); [[ "$rest" == *:* ]] && IFS=, read -ra settings <<<"${rest#*:}"
  port=$(free_port); names+=("$name"); ports+=("$port"); mkdir -p "$work/$name"
  (cd "$checkout/Orders.Api/bin/Release/net10.0" && exec env ASPNETCORE_URLS="http://127.0.0.1:$port" DOTNET_ENVIRONMENT=Production \
    ASPNETCORE_ENVIRONMENT=Production "ConnectionStrings__orders=Data Source=$work/$name/orders.db" Orders__SeedSampleData=true \
    "${settings[@]}" dotnet Orders.Api.dll >"$work/$name.log" 2>&1 </dev/null) &
done
for port in "${ports[@]}"; do
  for _ in $(seq 1 60); do curl -sf --http2-prior-knowledge "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
done

# calls/s of one window; a window where a request failed at the HTTP/2 level is refused, not averaged in.
load() {
  h2load -c 4 -m 8 -D "$2" -d "$work/get101.bin" -H 'content-type: application/grpc' -H 'te: trailers' \
    "http://127.0.0.1:$1/ecommerce.OrderManagement/getOrder" |
    awk '/^finished in/ { rate = $4 } /^requests:/ { failed = $10 + $12 } END { if (failed > 0) { print "failed calls" > "/dev/stderr"; exit 1 } printf "%d\n", rate }'
}
for port in "${ports[@]}"; do load "$port" 4 >/dev/null; done
declare -A rates
for _ in $(seq 1 "$rounds"); do
  for i in "${!names[@]}"; do rates[$i]="${rates[$i]:-} $(load "${ports[$i]}" 5)"; done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
bare=$(echo "${rates[0]}" | median)
for i in "${!names[@]}"; do
  m=$(echo "${rates[$i]}" | median)
  printf '%-16s median %8.0f calls/s  %.2f× bare   rounds:%s\n' "${names[$i]}" "$m" "$(python3 -c "print($m / $bare)")" "${rates[$i]}"
done
