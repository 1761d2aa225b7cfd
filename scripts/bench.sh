#!/usr/bin/env bash
# Why: runs every benchmark under bench/ (each prints its figure as `name: value` on its last line).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/scoped-tmpdir.sh
npx tsc -p .
node esbuild.mjs >/dev/null
for bench in $(cd out && find bench/local bench/runtime -name '*.js' | sort); do
  echo "== $bench"
  node "out/$bench"
done

echo "== bench/extension/explorerLargeJob.js (in a real VS Code extension host)"
bash scripts/vscode-test/install-harness.sh >/dev/null
node scripts/build-extension.mjs >/dev/null
mkdir -p artifacts/bench
node scripts/vscode-test/run-extension-tests.cjs --extensionDevelopmentPath="$PWD" \
  --extensionTestsPath="$PWD/out/bench/extension/explorerLargeJob.js" --folder="$PWD/test/extension/workspace" \
  --timeout=1500 --logs=artifacts/bench/vscode-logs

echo "== bench/extension/jobViewLargeJob.js (Open Job View on a 100,000-task job: first rows drawn in the webview, real extension host)"
JOB_VIEW_DATA="$(mktemp -d)" # its own local-service data folder: a fresh account, removed afterwards
BATCH_MANAGER_LOCAL_DATA="$JOB_VIEW_DATA/local" node scripts/vscode-test/run-extension-tests.cjs --extensionDevelopmentPath="$PWD" \
  --extensionTestsPath="$PWD/out/bench/extension/jobViewLargeJob.js" --folder="$PWD/test/extension/workspace" \
  --timeout=900 --logs=artifacts/bench/vscode-logs-job-view
rm -rf "$JOB_VIEW_DATA"

echo "== bench/extension/debugFirstBreakpoint.js (F5 to the first breakpoint: batch-task vs a plain node launch, real extension host)"
node scripts/vscode-test/run-extension-tests.cjs --extensionDevelopmentPath="$PWD" \
  --extensionTestsPath="$PWD/out/bench/extension/debugFirstBreakpoint.js" --folder="$PWD/test/extension/workspace" \
  --timeout=600 --logs=artifacts/bench/vscode-logs-debug
