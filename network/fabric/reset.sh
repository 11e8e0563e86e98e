#!/usr/bin/env bash
# Stops the network and deletes all of its state (crypto, ledgers, logs, pids).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

bash "${FABRIC_SCRIPTS_DIR}/down.sh"
if [[ -d "${STATE_DIR}" ]]; then
  # Only delete a directory these scripts created.
  [[ -f "${STATE_DIR}/.xinlian-fabric" ]] || die "${STATE_DIR} has no .xinlian-fabric marker; not deleting it"
  rm -rf "${STATE_DIR}"
fi
log "network state removed"
