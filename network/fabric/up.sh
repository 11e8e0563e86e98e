#!/usr/bin/env bash
# Brings the whole network up as native processes: 3 Raft orderers, one peer per org,
# the channel, and the chaincode as a service. Idempotent: what is already up is kept.
# On failure, stops everything it tracks (down.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
S="${FABRIC_SCRIPTS_DIR}"

on_exit() {
  local rc=$?
  if ((rc != 0)); then
    log "up failed (exit ${rc}); stopping the network (logs kept in ${LOG_DIR})"
    bash "${S}/down.sh" || true
  fi
}
trap on_exit EXIT

started=$(date +%s)
phase binaries bash "${S}/build-binaries.sh"
phase chaincode-build bash -c "cd '${REPO_ROOT}' && npx tsc -b chaincode"
mkdir -p "${STATE_DIR}" "${LOG_DIR}" "${PID_DIR}"
touch "${STATE_DIR}/.xinlian-fabric"
bash "${S}/generate.sh"
start_orderers() { local o; for o in "${ORDERERS[@]}"; do bash "${S}/orderer.sh" "$o" start; done; }
start_peers() { local org; for org in "${ORGS[@]}"; do bash "${S}/peer.sh" "${org}" start; done; }
phase orderers start_orderers
phase peers start_peers
phase channel bash "${S}/channel.sh"
if [[ ! -f "${STATE_DIR}/chaincode/package-id" ]]; then phase package bash "${S}/chaincode.sh" package; fi
phase chaincode-server bash "${S}/ccaas.sh" start
phase deploy bash "${S}/chaincode.sh" deploy
phase profiles bash "${S}/profiles.sh"
log "network up in $(($(date +%s) - started))s: channel ${CHANNEL}, chaincode ${CC_NAME}, state ${STATE_DIR}"
