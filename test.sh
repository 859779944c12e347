#!/usr/bin/env bash
# Runs every test on a fresh machine: installs the Debian packages the tests drive, then `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")"

./install-prerequisites.sh --with-browser --with-containers

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
