#!/usr/bin/env bash
# Runs the Fabric tests (network/test/fabric, scripts/test/fabric): builds the binaries and
# brings the network up when needed, runs vitest with each suite's config and prints the time
# of each phase. Arguments are passed to vitest (e.g. a file filter).
# A network this script started is stopped again at the end (FABRIC_KEEP_UP=1 keeps it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
S="${FABRIC_SCRIPTS_DIR}"

started_here=0
results_dir="$(mktemp -d "${TMPDIR:-/tmp}/xinlian-fabric-tests.XXXXXX")"
on_exit() {
  local rc=$?
  rm -rf "${results_dir}"
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

# The suites that need the live network: the ledger client's (network/test/fabric) and the
# demo consortium's (scripts/test/fabric), one vitest run each, with one combined count.
SUITES=(network/test/fabric/vitest.config.ts scripts/test/fabric/vitest.config.ts)
run_tests() {
  cd "${REPO_ROOT}"
  local rc=0 i=0 config extra=()
  # A file filter selects tests of one suite; the other then has none, which is fine.
  if (($# > 0)); then extra=(--passWithNoTests); fi
  for config in "${SUITES[@]}"; do
    i=$((i + 1))
    npx vitest run --config "${config}" \
      --reporter=default --reporter=json --outputFile.json="${results_dir}/${i}.json" "${extra[@]}" "$@" || rc=$?
  done
  # CI counts tests from one plain closing line.
  node -e '
    const fs = require("node:fs");
    let passed = 0, failed = 0;
    for (const f of fs.readdirSync(process.argv[1])) {
      const r = JSON.parse(fs.readFileSync(`${process.argv[1]}/${f}`, "utf8"));
      passed += r.numPassedTests; failed += r.numFailedTests;
    }
    console.log(`${passed} passed, ${failed} failed`);' "${results_dir}" || true
  return "${rc}"
}
t1=$(date +%s)
rc=0
run_tests "$@" || rc=$?
log "phase fabric-tests: $(($(date +%s) - t1))s"
log "test:fabric total $(($(date +%s) - t0))s"
exit "${rc}"
