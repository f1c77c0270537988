#!/usr/bin/env bash
# `npm run images`: builds the stand-in images that workflows name (postgres, redis, debian,
# ubuntu, node, python) from Debian packages, with no container registry, and tags each with
# the official name. A name that already exists and is not a stand-in (an official image
# pulled earlier) is left alone. Cached: the base is rebuilt only when packages.txt or base.sh
# change, an image only when its recipe or the base changes. See docs/images.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export DOCKER_BUILDKIT=0 # the classic builder resolves FROM from local images only

# tag → recipe folder under scripts/images
images=(
  "postgres:13-alpine postgres"
  "postgres:15 postgres"
  "redis:7-alpine redis"
  "redis:7 redis"
  "debian:bookworm plain"
  "ubuntu:22.04 plain"
  "node:20 node"
  "python:3.11 python"
)
base=slipway/base:bookworm

label_of() { # image label → its value, or nothing when the image or label is absent
  docker image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null | sed 's/^<no value>$//'
}
digest() { sha256sum | cut -c1-16; }

ensure_base() {
  local want
  want="$(cat "$here/base.sh" "$here/packages.txt" | digest)"
  if [ "$(label_of "$base" org.slipway.base-hash)" = "$want" ]; then
    echo "images: skip $base (up to date)"
    return
  fi
  command -v debootstrap >/dev/null || {
    echo "images: installing debootstrap"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  }
  echo "images: build $base"
  bash "$here/base.sh" "$want"
}

# The host's Node 20 and the npm beside it, laid out as a build context for node/Dockerfile.
stage_node() {
  local ctx="$1" node npm_dir lib
  node="$(readlink -f "$(command -v node)")"
  case "$("$node" --version)" in
    v20.*) ;;
    *) echo "images: node:20 needs the host's node to be 20.x, it is $("$node" --version)" >&2; return 1 ;;
  esac
  npm_dir="$(dirname "$(readlink -f "$(command -v npm)")")/.."
  lib="$(cd "$npm_dir/.." && pwd)"
  mkdir -p "$ctx/lib"
  cp "$node" "$ctx/node"
  cp -a "$lib/npm" "$ctx/lib/npm"
  [ -d "$lib/corepack" ] && cp -a "$lib/corepack" "$ctx/lib/corepack"
  return 0
}

# What makes a stand-in's content: its recipe folder, the base, and for node the host's versions.
recipe_hash() {
  local dir="$1"
  {
    docker image inspect --format '{{.Id}}' "$base"
    (cd "$here/$dir" && find . -type f | sort | xargs sha256sum)
    if [ "$dir" = node ]; then node --version; npm --version; fi
  } | digest
}

build_one() {
  local tag="$1" dir="$2" want ctx log
  want="$(recipe_hash "$dir")"
  if docker image inspect "$tag" >/dev/null 2>&1; then
    if [ "$(label_of "$tag" org.slipway.stand-in)" != true ]; then
      echo "images: skip $tag (an image of that name is already here; not a stand-in)"
      return
    fi
    if [ "$(label_of "$tag" org.slipway.recipe)" = "$want" ]; then
      echo "images: skip $tag (up to date)"
      return
    fi
  fi
  echo "images: build $tag"
  ctx="$(mktemp -d /var/tmp/slipway-image.XXXXXX)"
  log="$ctx.log"
  cp -a "$here/$dir/." "$ctx/"
  if [ "$dir" = node ]; then stage_node "$ctx"; fi
  if ! docker build --label org.slipway.stand-in=true --label "org.slipway.stands-for=$tag" \
      --label "org.slipway.recipe=$want" -t "$tag" "$ctx" >"$log" 2>&1; then
    cat "$log" >&2
    rm -rf "$ctx" "$log"
    echo "images: building $tag failed" >&2
    return 1
  fi
  rm -rf "$ctx" "$log"
}

main() {
  local started=$SECONDS entry
  bash "$here/../docker-setup.sh"
  ensure_base
  for entry in "${images[@]}"; do
    # shellcheck disable=SC2086 # entry is "tag dir"
    build_one $entry
  done
  # Rebuilding leaves the previous stand-ins untagged; only ours are pruned.
  docker image prune -f --filter label=org.slipway.stand-in=true >/dev/null
  echo "images: done in $((SECONDS - started)) s"
}
main "$@"
