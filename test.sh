#!/usr/bin/env bash
# Runs every test on a fresh machine: installs the Debian packages the tests drive, builds, then runs the tiers.
set -euo pipefail
cd "$(dirname "$0")"

./install-prerequisites.sh --with-browser --with-containers

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet build OrdersAspire.sln -c Release
# One tier after the other (docs/testing.md): the in-process tests' timings do not share two cores with programs that
# other tests start, and a failure there shows within minutes. Arguments go to each run.
status=0
for tier in 'Requires!=Process' 'Requires=Process'; do
  set +e
  dotnet test OrdersAspire.sln -c Release --no-build --filter "$tier" --logger "console;verbosity=normal" "$@" 2>&1 | tee -a "$log"
  tier_status=${PIPESTATUS[0]}
  set -e
  if [ "$tier_status" -ne 0 ]; then status=$tier_status; fi
done

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
