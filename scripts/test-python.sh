#!/usr/bin/env bash
# Why: the Python runtime's pytest suite (src/runtime-python) with Debian's Python and Azure SDK packages, installing them first when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export AZURITE_DISABLE_TELEMETRY=true PYTHONDONTWRITEBYTECODE=1

PACKAGES=(python3-azure python3-azure-storage python3-debugpy python3-pytest)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# the tests start the local service with `node dist/cli.js local start --detach`
if [ ! -f dist/cli.js ]; then node esbuild.mjs >/dev/null; fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
(cd src/runtime-python && /usr/bin/python3 -m pytest -q tests) >"$log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then cat "$log"; fi
echo "python runtime (pytest): $(tail -n 1 "$log")"
exit "$status"
