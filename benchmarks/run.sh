#!/usr/bin/env bash
# The benchmark harness, in one run: the bare grpc-dotnet server, its Aspire template peer, Orders.Api in each configuration and the Python contract
# server side by side (Orders.Api.Benchmarks). Installs what it needs when missing — Python grpcio, h2load (nghttp2-client), PostgreSQL, fonts —
# builds Release and writes benchmarks/results/side-by-side.md with its charts. Options pass through, e.g.
# `benchmarks/run.sh --rounds 5 --seconds 10` (defaults: an uncounted round then 5 rounds, 5 s per measure, a 100,000-order store).
# `--baseline REF` (by default the commit of the committed results): Orders.Api built at REF runs beside this build in the store
# measures, and their no-regression targets compare the two in the same rounds; `--baseline none` compares with the ratios of
# `--previous FILE` instead (by default the results page the run replaces).
set -euo pipefail
cd "$(dirname "$0")/.."

# In a shallow clone the one commit there would look like the results' own: no baseline by default.
baseline=$([[ $(git rev-parse --is-shallow-repository 2>/dev/null) == false ]] && git log -1 --format=%h -- benchmarks/results/side-by-side.md || true)
harness_args=()
while (($#)); do
  if [[ $1 == --baseline ]]; then
    baseline=${2:?--baseline needs a commit, or none}
    shift 2
  else
    harness_args+=("$1")
    shift
  fi
done

./install-prerequisites.sh

dotnet build OrdersAspire.sln -c Release -v quiet -nologo

if [[ -n $baseline && $baseline != none ]] && ! git cat-file -e "$baseline^{commit}" 2>/dev/null; then
  echo "benchmarks/run.sh: the baseline commit $baseline is not in this checkout; comparing with the previous results' ratios instead. Fetch it, or name another with --baseline REF." >&2
  baseline=none
fi

if [[ -n $baseline && $baseline != none ]]; then
  # A detached worktree of REF, built Release, removed on exit.
  baseline_tree=$(mktemp -d /tmp/orders-baseline-XXXXXX)
  trap 'git worktree remove --force "$baseline_tree" 2>/dev/null || rm -rf "$baseline_tree"' EXIT
  git worktree add --detach --quiet "$baseline_tree" "$baseline"
  dotnet build "$baseline_tree/Orders.Api" -c Release -v quiet -nologo
  harness_args+=(--baseline-build "$baseline_tree/Orders.Api/bin/Release/net10.0" --baseline-name "$(git rev-parse --short "$baseline")")
fi

dotnet run -c Release --no-build --project Orders.Api.Benchmarks -- "${harness_args[@]}" --out benchmarks/results
