#!/usr/bin/env bash
# Why: packs the installable `batch-manager` CLI (@batch-manager/cli) into dist/batch-manager-cli-<version>.tgz: `npm install -g` it, or the extension ships it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/pack-runtime.sh >/dev/null
node scripts/build-cli-package.mjs >&2
tarball=$(cd dist/cli-package && npm pack --pack-destination .. --silent --ignore-scripts)
echo "dist/${tarball}"
