#!/usr/bin/env bash
# Builds stand-ins for Microsoft's runtime-deps and aspnet 10.0 images from Debian, for machines that cannot pull from
# a registry: debootstrap a bookworm minbase root filesystem from the apt mirror this machine uses, import it, add
# .NET's native dependencies and the app user (runtime-deps), then this machine's .NET shared runtimes (aspnet).
# Each image is built once; --rebuild builds them again. Needs root (debootstrap) and debootstrap installed.
#
#   usage: build.sh <podman|docker> [--rebuild]
# Leaves: localhost/orders-aspire-base/debian:bookworm, …/runtime-deps:10.0, …/aspnet:10.0, and …/postgres:15 (a
# stand-in for the official postgres image)
set -euo pipefail
cd "$(dirname "$0")"

runtime=$1
rebuild=${2:-}
prefix=localhost/orders-aspire-base
have() { [ -z "$rebuild" ] && "$runtime" image exists "$1" 2>/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! have "$prefix/debian:bookworm"; then
  mirror=$(awk '$1 == "URIs:" { print $2; exit } $1 == "deb" { print $2; exit }' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null || true)
  echo "debootstrap bookworm from ${mirror:=http://deb.debian.org/debian}"
  debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log"; exit 1; }
  tar -C "$work/rootfs" -c . | "$runtime" import - "$prefix/debian:bookworm" >/dev/null
  rm -rf "$work/rootfs"
fi

if ! have "$prefix/runtime-deps:10.0"; then
  "$runtime" build -q -f runtime-deps.Containerfile --build-arg "DEBIAN_IMAGE=$prefix/debian:bookworm" \
    -t "$prefix/runtime-deps:10.0" . >/dev/null
fi

if ! have "$prefix/aspnet:10.0"; then
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  mkdir -p "$work/dotnet/shared"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$work/dotnet/"
  cp -a "$dotnet_root/shared/Microsoft.NETCore.App" "$dotnet_root/shared/Microsoft.AspNetCore.App" "$work/dotnet/shared/"
  "$runtime" build -q -f aspnet.Containerfile --build-arg "RUNTIME_DEPS_IMAGE=$prefix/runtime-deps:10.0" \
    -t "$prefix/aspnet:10.0" "$work" >/dev/null
fi

if ! have "$prefix/postgres:15"; then
  "$runtime" build -q -f postgres.Containerfile --build-arg "DEBIAN_IMAGE=$prefix/debian:bookworm" \
    -t "$prefix/postgres:15" . >/dev/null
fi
