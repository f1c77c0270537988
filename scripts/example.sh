#!/usr/bin/env bash
# Runs Slipway on the example repository: copies examples/hello into a fresh git repository
# (the engine takes the event's commit from git) and runs its push workflows.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(mktemp -d -t slipway-example-XXXXXX)"
cp -r "$here/examples/hello/." "$repo/"
git -C "$repo" init -q -b main
git -C "$repo" -c user.name=example -c user.email=example@localhost add -A
git -C "$repo" -c user.name=example -c user.email=example@localhost commit -q -m "example"
echo "example repository: $repo" >&2
exec node "$here/bin/slipway.js" run push -C "$repo" "$@"
