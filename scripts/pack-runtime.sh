#!/usr/bin/env bash
# Why: packs @batch-manager/runtime into dist/batch-manager-runtime-<version>.tgz, the tarball the extension ships for offline `npm install`.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/build-runtime.mjs
tarball=$(cd dist/runtime && npm pack --pack-destination .. --silent)
echo "dist/${tarball}"
