#!/usr/bin/env bash
# Why: builds the .vsix from a staging folder (scripts/stage-vsix.mjs: self-contained production bundles, only esbuild's binary and a one-file
# Azurite beside them) with the CLI tarball and the runtime tarball it ships, then `vsce package` there; prints the .vsix path.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null
node esbuild.mjs >/dev/null           # dist/spec and dist/scaffold-templates (the staged bundles find them beside them)
bash scripts/pack-cli.sh >/dev/null   # the runtime tarball and the installable CLI new workloads devDepend on (dist/*-<version>.tgz)
stage=$(node scripts/stage-vsix.mjs)
version=$(node -p 'require("./package.json").version')
out="$PWD/dist/azure-batch-manager-${version}.vsix"
# --no-dependencies: nothing from node_modules; what the bundles need at run time is staged in dist/node_modules
(cd "$stage" && node "$OLDPWD/node_modules/@vscode/vsce/vsce" package --no-dependencies --allow-missing-repository --no-rewrite-relative-links --out "$out" >&2)
echo "dist/azure-batch-manager-${version}.vsix"
