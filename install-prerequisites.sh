#!/usr/bin/env bash
# Installs the Debian packages the tests and the benchmark harness drive, only those missing: Python grpcio (the
# cross-language tests and the Python contract server), h2load (nghttp2-client), PostgreSQL, fonts for the harness's
# charts (ScottPlot on SkiaSharp reads font files from /usr/share/fonts), Node.js and npm (the Kubernetes manifest
# validator), with --with-browser Chromium, and with
# --with-containers what the container tests drive: Podman (runc, DNS on its networks), podman-compose, debootstrap
# (the local base image) and Debian's docker-registry (serves that base to the SDK's PublishContainer).
set -euo pipefail

missing=()
/usr/bin/python3 -c 'import grpc, grpc_tools.protoc' 2>/dev/null || missing+=(python3-grpcio python3-grpc-tools)
for option in "$@"; do
  case "$option" in
    --with-browser)
      [ -x /usr/bin/chromium ] || missing+=(chromium) ;;
    --with-containers)
      command -v podman >/dev/null || missing+=(podman runc)
      [ -x /usr/bin/catatonit ] || missing+=(catatonit)  # the pause image of podman kube play
      [ -e /usr/lib/cni/dnsname ] || missing+=(golang-github-containernetworking-plugin-dnsname)
      command -v podman-compose >/dev/null || missing+=(podman-compose)
      command -v debootstrap >/dev/null || missing+=(debootstrap)
      command -v docker-registry >/dev/null || missing+=(docker-registry)
      command -v curl >/dev/null || missing+=(curl) ;;
    *) echo "usage: $0 [--with-browser] [--with-containers]" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/h2load ] || missing+=(nghttp2-client)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
command -v node >/dev/null || missing+=(nodejs)  # the Kubernetes manifest validator (below)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Kubernetes manifest tests validate with the npm packages locked in deploy/k8s/validate (again when the lock changes).
validator="$(dirname "$0")/deploy/k8s/validate"
[ "$validator/node_modules/.package-lock.json" -nt "$validator/package-lock.json" ] || npm ci --prefix "$validator" --no-audit --no-fund --loglevel=error
