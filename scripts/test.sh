#!/usr/bin/env bash
# The whole suite: build, type check, layering lint, then every test file with node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/build.mjs
./node_modules/.bin/tsc --noEmit -p tsconfig.json
./node_modules/.bin/tsc --noEmit -p web/tsconfig.json
./node_modules/.bin/eslint src
mapfile -t files < <(find test -name '*.test.ts' | sort)
exec node --import tsx --test --test-concurrency=2 "${files[@]}"
