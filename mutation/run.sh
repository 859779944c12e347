#!/usr/bin/env bash
# Mutation testing (docs/mutation-testing.md): Stryker.NET mutates Orders.Api's Services, Interceptors and Storage, then
# Orders.Client's Interceptors, and runs the fast tests against each mutant. Reports go to mutation/results/<project>/.
# Arguments are passed to both runs, e.g. `mutation/run.sh --concurrency 1`.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null

stryker() {
  local project=$1
  shift
  rm -rf "mutation/results/$project/reports"
  (cd "$project" && dotnet stryker --project "$project.csproj" --config-file ../mutation/stryker-config.json --output "../mutation/results/$project" --skip-version-check "$@")
}

stryker Orders.Api --mutate '**/Services/**/*.cs' --mutate '**/Interceptors/**/*.cs' --mutate '**/Storage/**/*.cs' "$@"
stryker Orders.Client --mutate '**/Interceptors/**/*.cs' "$@"
