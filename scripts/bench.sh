#!/usr/bin/env bash
# Why: runs every benchmark under bench/ (each prints its figure as `name: value` on its last line).
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p .
node esbuild.mjs >/dev/null
for bench in $(cd out && find bench -name '*.js' | sort); do
  echo "== $bench"
  node "out/$bench"
done
