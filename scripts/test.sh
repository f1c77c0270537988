#!/usr/bin/env bash
# Runs every test file with node's test runner (through tsx for TypeScript), after a fresh build.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/build.mjs
mapfile -t files < <(find test -name '*.test.ts' | sort)
exec node --import tsx --test --test-concurrency=2 "${files[@]}"
