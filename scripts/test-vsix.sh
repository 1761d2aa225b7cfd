#!/usr/bin/env bash
# Why: builds the .vsix and proves it installs into the offline VS Code host and works there (activation, Local account).
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null
vsix=$(bash scripts/package-vsix.sh 2>/dev/null | tail -1)
node scripts/vsix-budget.mjs "$vsix"   # at most 10 MB and 500 files: bundles, not node_modules
bash scripts/vscode-test/install-harness.sh >/dev/null
harness="${VSCODE_TEST_HOME:-$HOME/.cache/vscode-test-offline}"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
# the installed extension's Local account gets its own data folder, not the user's ~/.batch-manager/local
export BATCH_MANAGER_LOCAL_DATA="$data/local-data"
mkdir -p "$data/extensions"
node "$harness/node_modules/code-server/out/node/entry.js" --extensions-dir "$data/extensions" --install-extension "$vsix"
node "$harness/node_modules/code-server/out/node/entry.js" --extensions-dir "$data/extensions" --list-extensions --show-versions | grep -q "batch-manager.azure-batch-manager@" \
  || { echo "the .vsix is not listed as installed" >&2; exit 1; }
mkdir -p artifacts/vsix
VSIX_EXTENSIONS_DIR="$data/extensions" node scripts/vscode-test/run-extension-tests.cjs \
  --extensionDevelopmentPath="$PWD/test/extension/vsix/probe" \
  --extensionTestsPath="$PWD/out/test/extension/vsix/installedExtension.js" \
  --folder="$PWD/test/extension/workspace" --dataDir="$data" --logs=artifacts/vsix/logs --timeout=300
