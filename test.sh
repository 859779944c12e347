#!/usr/bin/env bash
# Runs every test on a fresh machine: installs the Debian packages the tests drive, then `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
/usr/bin/python3 -c 'import grpc, grpc_tools.protoc' 2>/dev/null || missing+=(python3-grpcio python3-grpc-tools)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/h2load ] || missing+=(nghttp2-client)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
# The benchmark harness's charts (ScottPlot on SkiaSharp, which reads font files from /usr/share/fonts) write their text in these.
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test OrdersAspire.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# Failures again at the end, so a log that keeps only its tail still names them.
if grep -q '^  Failed ' "$log"; then
  echo "Failed tests:"
  awk '/^  Failed /{ show = 1; n = 0 } /^  Passed /{ show = 0 } show && n++ < 25' "$log"
fi

# One plain closing line, summed over every test assembly (both console summary formats).
awk '/(Passed|Failed)! +- +Failed: /{
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     /^Total tests: /{ summary = 1; next }
     summary && /^ +Passed: /{ p += $2 } summary && /^ +Failed: /{ f += $2 } summary && /^ +Skipped: /{ s += $2 }
     /^ +Total time: /{ summary = 0 }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
