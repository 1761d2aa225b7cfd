#!/usr/bin/env bash
# Why: builds the .vsix: production bundles (extension, CLI with the local service), the runtime tarball it ships, then `vsce package`.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null
node scripts/build-extension.mjs --production >/dev/null
node esbuild.mjs >/dev/null
bash scripts/pack-runtime.sh >/dev/null
bash scripts/pack-cli.sh >/dev/null   # the installable CLI new workloads devDepend on (dist/batch-manager-cli-<version>.tgz)
version=$(node -p 'require("./package.json").version')
out="dist/azure-batch-manager-${version}.vsix"
npx vsce package --allow-missing-repository --no-rewrite-relative-links --out "$out" >&2
echo "$out"
