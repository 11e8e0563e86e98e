#!/usr/bin/env bash
# Stops every process of the network (chaincode service, peers, orderers). Keeps the state.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "${FABRIC_SCRIPTS_DIR}/lib/proc.sh"

# Clients first, then peers, then orderers; each group in parallel.
stop_group() {
  local name
  for name in "$@"; do stop_process "${name}" & done
  wait
}
stop_group ccaas baseline
peers=()
for org in "${ORGS[@]}"; do peers+=("peer-${org}"); done
stop_group "${peers[@]}"
stop_group "${ORDERERS[@]}"
# Anything else still tracked (e.g. from an older layout).
if [[ -d "${PID_DIR}" ]]; then
  for f in "${PID_DIR}"/*.pid; do
    [[ -e "$f" ]] || continue
    stop_process "$(basename "$f" .pid)"
  done
fi
log "network stopped"
