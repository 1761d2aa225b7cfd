# Why: sourced by the test and bench scripts: every temporary folder of the run (data folders, workloads, Azurite, the VS Code profile) lives under one that is removed when the run ends, pass or fail.
# sticky and world-writable like /tmp, so tasks run as other users (nobody) still work
SCOPED_TMP="$(mktemp -d "${TMPDIR:-/tmp}/bmt-XXXXXX")"
chmod 1777 "$SCOPED_TMP"
trap 'rm -rf "$SCOPED_TMP"' EXIT
export TMPDIR="$SCOPED_TMP"
