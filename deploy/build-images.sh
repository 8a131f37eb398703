#!/usr/bin/env bash
# Builds the two images without a Docker engine or an image registry (deploy/README.md):
#   1. a Debian bookworm base from Debian's mirror (debootstrap), cached under .data/images/;
#   2. Node 20 added to it from this machine's install (Debian's own nodejs is 18), imported with podman;
#   3. both Dockerfiles built with buildah (RUN steps under chroot, with the host's network).
# Where a registry is reachable, `docker build .` and `docker build -f deploy/relay.Dockerfile .` do the same
# with node:20-bookworm-slim.
#
# Usage: deploy/build-images.sh [TAG]   (default TAG: dev)
# Needs root and: apt-get install -y debootstrap buildah podman
set -euo pipefail

TAG="${1:-dev}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${IMAGE_CACHE_DIR:-$ROOT/.data/images}"
BASE_IMAGE=localhost/debian:bookworm
NODE_IMAGE=localhost/restream-node:20-bookworm
API_IMAGE="localhost/glasses-restream:$TAG"
RELAY_IMAGE="localhost/glasses-restream-relay:$TAG"
log() { printf '[build-images] %s\n' "$*" >&2; }

for tool in debootstrap buildah podman; do
  command -v "$tool" >/dev/null || { log "$tool is missing: apt-get install -y debootstrap buildah podman"; exit 1; }
done
mkdir -p "$CACHE"

if ! podman image exists "$BASE_IMAGE"; then
  if [ ! -f "$CACHE/bookworm-minbase.tar" ]; then
    log "debootstrap: Debian bookworm (minbase) into $CACHE/rootfs"
    rm -rf "$CACHE/rootfs"
    debootstrap --variant=minbase bookworm "$CACHE/rootfs" http://deb.debian.org/debian >"$CACHE/debootstrap.log"
    rm -rf "$CACHE/rootfs/var/cache/apt/archives/"*.deb "$CACHE/rootfs/var/lib/apt/lists/"*
    tar -C "$CACHE/rootfs" -cf "$CACHE/bookworm-minbase.tar" .
    rm -rf "$CACHE/rootfs"
  fi
  log "importing $BASE_IMAGE"
  podman import "$CACHE/bookworm-minbase.tar" "$BASE_IMAGE" >/dev/null
fi

if ! podman image exists "$NODE_IMAGE"; then
  NODE_BIN="$(readlink -f "$(command -v node)")"
  NPM_DIR="$(dirname "$NODE_BIN")/../lib/node_modules/npm"
  [ -d "$NPM_DIR" ] || NPM_DIR=/usr/lib/node_modules/npm
  log "adding Node $(node --version) from $NODE_BIN to $NODE_IMAGE"
  ctr="$(buildah from "$BASE_IMAGE")"
  mnt="$(buildah mount "$ctr")"
  install -D -m 0755 "$NODE_BIN" "$mnt/usr/local/bin/node"
  mkdir -p "$mnt/usr/local/lib/node_modules"
  cp -a "$NPM_DIR" "$mnt/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$mnt/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$mnt/usr/local/bin/npx"
  buildah umount "$ctr" >/dev/null
  # The node image's shape: ca-certificates for npm over TLS, nothing else.
  buildah run --isolation chroot "$ctr" -- sh -c \
    'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates >/dev/null && rm -rf /var/lib/apt/lists/*'
  buildah config --env PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
  buildah commit --quiet "$ctr" "$NODE_IMAGE" >/dev/null
  buildah rm "$ctr" >/dev/null
fi

# A machine whose traffic goes through a TLS-inspecting proxy trusts its CA through NODE_EXTRA_CA_CERTS:
# the build's npm gets the same bundle, mounted read-only for the build only (never stored in an image).
CA_ARGS=()
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
  CA_ARGS=(--volume "$NODE_EXTRA_CA_CERTS:/run/build-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/build-ca.crt)
fi
build() {
  local image="$1" file="$2"
  log "building $image from $file"
  buildah bud --isolation chroot --layers --format docker \
    --build-arg NODE_IMAGE="$NODE_IMAGE" "${CA_ARGS[@]}" \
    -f "$ROOT/$file" -t "$image" "$ROOT"
}
build "$API_IMAGE" Dockerfile
build "$RELAY_IMAGE" deploy/relay.Dockerfile
log "built $API_IMAGE and $RELAY_IMAGE"
