#!/usr/bin/env bash
# Runs the Fabric tests (network/test/fabric): builds the binaries and brings the network up
# when needed, runs vitest with the Fabric config and prints the time of each phase.
# A network this script started is stopped again at the end (FABRIC_KEEP_UP=1 keeps it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
S="${FABRIC_SCRIPTS_DIR}"

started_here=0
results="$(mktemp "${TMPDIR:-/tmp}/xinlian-fabric-tests.XXXXXX.json")"
on_exit() {
  local rc=$?
  rm -f "${results}"
  if ((started_here == 1)) && [[ "${FABRIC_KEEP_UP:-0}" != 1 ]]; then
    bash "${S}/down.sh" || true
  fi
  exit "${rc}"
}
trap on_exit EXIT

t0=$(date +%s)
if ! bash "${S}/status.sh" >/dev/null 2>&1; then
  started_here=1
  phase network-up bash "${S}/up.sh"
else
  log "network already running"
fi

run_tests() {
  cd "${REPO_ROOT}"
  local rc=0
  npx vitest run --config network/test/fabric/vitest.config.ts \
    --reporter=default --reporter=json --outputFile.json="${results}" "$@" || rc=$?
  # CI counts tests from one plain closing line.
  node -e '
    const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);' "${results}" || true
  return "${rc}"
}
t1=$(date +%s)
rc=0
run_tests "$@" || rc=$?
log "phase fabric-tests: $(($(date +%s) - t1))s"
log "test:fabric total $(($(date +%s) - t0))s"
exit "${rc}"
