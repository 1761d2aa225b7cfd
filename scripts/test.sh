#!/usr/bin/env bash
# Why: the whole test suite: type-check + build, core tests in plain node (unit, local service, workload runtime), then the extension in a real VS Code host.
set -euo pipefail
cd "$(dirname "$0")/.."
export AZURITE_DISABLE_TELEMETRY=true

echo "== build =="
rm -rf out
npx tsc -p .
node esbuild.mjs >/dev/null

echo "== core tests (node --test) =="
# one file at a time: each starts its own local service and Azurite
node --test --test-concurrency=1 --test-timeout=600000 out/test/unit/ out/test/core/ out/test/local/ out/test/runtime/

echo "== python runtime tests (pytest, Debian's Python and Azure SDK packages) =="
bash scripts/test-python.sh

echo "== extension tests (real VS Code extension host) =="
bash scripts/test-extension.sh

echo "== .vsix: package, install into the VS Code host, activate =="
bash scripts/test-vsix.sh
