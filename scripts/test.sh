#!/usr/bin/env bash
# Why: the whole test suite: lint + format, type-check + build, the Python runtime, core tests in plain node (unit, workflows, local service, workload runtime), then the extension in a real VS Code host.
set -euo pipefail
cd "$(dirname "$0")/.."
export AZURITE_DISABLE_TELEMETRY=true
# CI runs as root, where a local service runs nonadmin tasks as `nobody`; the suite's workloads sit in private (0700)
# temporary folders nobody cannot read, so tasks run as the service's user here, except in the run-as tests
# (test/support/localService.ts RUN_AS_TASK_USERS turns the drop back on for them)
export BATCH_MANAGER_LOCAL_TASK_USER=service
source scripts/scoped-tmpdir.sh
# a process in local mode without a key reads the default data folder's key: give the run its own empty one, so a
# developer's ~/.batch-manager/local (made by the extension or the CLI) never changes what the tests sign with
export BATCH_MANAGER_LOCAL_DATA="$TMPDIR/default-local-data"

echo "== lint and format (Biome) =="
npx biome check .

echo "== build =="
rm -rf out
npx tsc -p .
node esbuild.mjs >/dev/null

# first: it installs Debian's Python, Azure SDK and debugpy packages, which the core tests of Python workloads use too
echo "== python runtime tests (pytest, Debian's Python and Azure SDK packages) =="
bash scripts/test-python.sh

echo "== core tests (node --test) =="
# one file at a time: each starts its own local service and Azurite
node --test --test-concurrency=1 --test-timeout=600000 out/test/unit/ out/test/core/ out/test/local/ out/test/runtime/

echo "== extension tests (real VS Code extension host) =="
bash scripts/test-extension.sh

echo "== .vsix: package, install into the VS Code host, activate =="
bash scripts/test-vsix.sh
