#!/usr/bin/env bash
# Mutation testing (docs/mutation-testing.md): Stryker.NET mutates the folders with logic of each project below and runs
# the fast tests against each mutant. Reports go to mutation/results/<project>/reports/, or to the folder named by
# MUTATION_REPORT (e.g. MUTATION_REPORT=survivors-rerun for a rerun of some lines, keeping the full run's report).
#   mutation/run.sh                                  every project
#   mutation/run.sh Orders.Client --concurrency 1    one project; any other argument is passed to Stryker
#   mutation/run.sh Orders.Client --mutate '**/Interceptors/ClientCallTracker.cs{1200..1850}'   your --mutate (files, or a span of characters in one) replaces the scope
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null

# What each project has mutated: the code with logic, not generated code, Program.cs or the Razor components; nor the
# Shared/ files a project links, whose copy in that project no test of it reaches (docs/mutation-testing.md).
declare -A scopes=(
  [Orders.Api]='**/Services/**/*.cs **/Interceptors/**/*.cs **/Storage/**/*.cs'
  [OrdersAspire.ServiceDefaults]='**/*.cs !**/Shared/**/*.cs'
  [Orders.Client]='**/Interceptors/**/*.cs **/Parsing/**/*.cs **/Output/**/*.cs **/Scenario/**/*.cs'
  [OrdersAspire.GrpcInsights]='**/Store/**/*.cs **/Otlp/**/*.cs **/Api/**/*.cs **/Security/**/*.cs'
)
order=(Orders.Api OrdersAspire.ServiceDefaults Orders.Client OrdersAspire.GrpcInsights)

stryker() {
  local project=$1
  shift
  local mutate=() pattern
  if [[ " $* " != *" --mutate "* && " $* " != *" -m "* ]]; then
    set -f
    for pattern in ${scopes[$project]}; do mutate+=(--mutate "$pattern"); done
    set +f
  fi
  local results="mutation/results/$project" report=${MUTATION_REPORT:-reports}
  rm -rf "$results/.run"
  (cd "$project" && dotnet stryker --project "$project.csproj" --config-file ../mutation/stryker-config.json --output "../$results/.run" --skip-version-check "${mutate[@]}" "$@")
  rm -rf "${results:?}/$report"
  mv "$results/.run/reports" "$results/$report"
  rm -rf "$results/.run"
}

if [[ $# -gt 0 && -n "${scopes[$1]:-}" ]]; then
  project=$1
  shift
  stryker "$project" "$@"
else
  for project in "${order[@]}"; do stryker "$project" "$@"; done
fi
