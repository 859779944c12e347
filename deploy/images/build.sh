#!/usr/bin/env bash
# Builds the app's container images with the .NET SDK (dotnet publish -t:PublishContainer, no Dockerfile) into the
# local Podman or Docker image store: orders-aspire/orders-api, orders-aspire/orders-client, orders-aspire/grpc-insights.
#
#   deploy/images/build.sh               # on Microsoft's images, as the SDK picks them (aspnet:10.0, runtime:10.0)
#   deploy/images/build.sh --local-base  # on a base built here from Debian (no registry pulls), plus an image of
#                                        # the Aspire dashboard that Aspire.Dashboard.Sdk brings (what the tests use)
# Settings (environment):
#   ORDERS_IMAGE_TAG          the tag of every image (default: dev)
#   ORDERS_BASE_IMAGE         the base of the three images (default: the SDK's choice; --local-base sets its own)
#   ORDERS_CONTAINER_RUNTIME  podman or docker (default: podman when installed, else docker)
set -euo pipefail
cd "$(dirname "$0")/../.."

tag=${ORDERS_IMAGE_TAG:-dev}
runtime=${ORDERS_CONTAINER_RUNTIME:-$(command -v podman >/dev/null && echo podman || echo docker)}
local_base=false
case "${1:-}" in
  --local-base) local_base=true ;;
  "") ;;
  *) echo "usage: $0 [--local-base]" >&2; exit 2 ;;
esac
if [ "$runtime" = podman ]; then
  export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/deploy/podman/containers.conf}
fi

base_image=${ORDERS_BASE_IMAGE:-}
registry_pid=""
registry_dir=""
stop_registry() {
  if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; fi
  if [ -n "$registry_dir" ]; then rm -rf "$registry_dir"; fi
}
trap stop_registry EXIT

if $local_base; then
  deploy/images/local-base/build.sh "$runtime"
  # The SDK reads base images from a registry, never from the local store: serve the local base from a private
  # registry on a free loopback port for the length of this build.
  registry_dir=$(mktemp -d)
  port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$registry_dir/data" "$port" >"$registry_dir/config.yml"
  docker-registry serve "$registry_dir/config.yml" >"$registry_dir/log" 2>&1 &
  registry_pid=$!
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.2; done
  push_flags=(); [ "$runtime" = podman ] && push_flags=(--tls-verify=false)
  "$runtime" push -q "${push_flags[@]}" localhost/orders-aspire-base/aspnet:10.0 "127.0.0.1:$port/orders-aspire-base/aspnet:10.0"
  base_image=127.0.0.1:$port/orders-aspire-base/aspnet:10.0
  export DOTNET_CONTAINER_INSECURE_REGISTRIES=127.0.0.1:$port
fi

publish_flags=(-c Release -t:PublishContainer -p:ContainerImageTag="$tag" -p:LocalRegistry="${runtime^}" --nologo -v:minimal --disable-build-servers)
[ -n "$base_image" ] && publish_flags+=(-p:ContainerBaseImage="$base_image")
for project in Orders.Api/Orders.Api.csproj Orders.Client/Orders.Client.csproj OrdersAspire.GrpcInsights/OrdersAspire.GrpcInsights.csproj; do
  dotnet publish "$project" "${publish_flags[@]}"
done

if $local_base; then
  dashboard_dir=$(dotnet msbuild OrdersAspire.AppHost/OrdersAspire.AppHost.csproj -getProperty:AspireDashboardDir)
  dashboard_version=$(basename "$(dirname "${dashboard_dir%/}")")
  "$runtime" build -q -f deploy/images/aspire-dashboard/Containerfile \
    --build-arg BASE_IMAGE=localhost/orders-aspire-base/runtime-deps:10.0 \
    -t "orders-aspire/aspire-dashboard:$dashboard_version" "$dashboard_dir" >/dev/null
  echo "Built orders-aspire/aspire-dashboard:$dashboard_version"
fi
echo "Built orders-aspire/orders-api:$tag, orders-aspire/orders-client:$tag, orders-aspire/grpc-insights:$tag ($runtime)"
