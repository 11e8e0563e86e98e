#!/usr/bin/env bash
# Joins every orderer (channel participation API) and every peer to the channel.
# Idempotent: members already joined are skipped.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "${FABRIC_SCRIPTS_DIR}/lib/cli.sh"
require_binaries

BLOCK="${STATE_DIR}/channel/${CHANNEL}.block"
[[ -f "${BLOCK}" ]] || die "no genesis block at ${BLOCK}: run generate.sh"
admin_tls="$(orderer_org_dir)/users/Admin@$(org_domain orderer)/tls"

join_orderer() {
  local o="$1" out
  local flags=(-o "${FABRIC_HOST}:$(orderer_admin_port "$o")" --ca-file "$(orderer_tls_ca)"
    --client-cert "${admin_tls}/client.crt" --client-key "${admin_tls}/client.key")
  if osnadmin channel list "${flags[@]}" --channelID "${CHANNEL}" 2>/dev/null | grep -q "^Status: 200"; then
    log "${o} already in ${CHANNEL}"
    return
  fi
  # osnadmin exits 0 whatever the HTTP status: check it.
  out="$(osnadmin channel join "${flags[@]}" --channelID "${CHANNEL}" --config-block "${BLOCK}" 2>&1)" || true
  grep -q "^Status: 201" <<<"${out}" || die "${o} could not join ${CHANNEL}: ${out}"
  log "${o} joined ${CHANNEL}"
}

join_peer() {
  local org="$1" i
  if as_admin "${org}" peer channel list 2>/dev/null | grep -qx "${CHANNEL}"; then
    log "peer of ${org} already in ${CHANNEL}"
    return
  fi
  # The orderers need a moment to elect a leader; the join itself only needs the block.
  for ((i = 0; i < 10; i++)); do
    if as_admin "${org}" peer channel join -b "${BLOCK}" >>"${LOG_DIR}/cli.log" 2>&1; then
      log "peer of ${org} joined ${CHANNEL}"
      return
    fi
    sleep 1
  done
  die "peer of ${org} could not join ${CHANNEL}; see ${LOG_DIR}/cli.log"
}

for o in "${ORDERERS[@]}"; do join_orderer "$o"; done
for org in "${ORGS[@]}"; do join_peer "${org}"; done
