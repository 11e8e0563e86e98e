#!/usr/bin/env bash
# peer.sh ORG start|stop|status — the org's peer (peer0) as a native process.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "${FABRIC_SCRIPTS_DIR}/lib/proc.sh"

org="${1:?usage: peer.sh ORG start|stop|status}"
action="${2:?usage: peer.sh ORG start|stop|status}"
msp="$(msp_of "${org}")"
name="peer-${org}"

start() {
  require_binaries
  local host dir data port
  host="$(peer_host "${org}")"
  dir="$(peer_org_dir "${org}")/peers/${host}"
  data="${STATE_DIR}/data/${name}"
  port="$(peer_port "${org}")"
  mkdir -p "${data}"
  FABRIC_CFG_PATH="${STATE_DIR}/config" \
    FABRIC_LOGGING_SPEC="${FABRIC_LOGGING_SPEC:-info}" \
    CORE_PEER_ID="${host}" \
    CORE_PEER_LISTENADDRESS="${FABRIC_HOST}:${port}" \
    CORE_PEER_ADDRESS="${FABRIC_HOST}:${port}" \
    CORE_PEER_CHAINCODELISTENADDRESS="${FABRIC_HOST}:$(peer_cc_port "${org}")" \
    CORE_PEER_CHAINCODEADDRESS="${FABRIC_HOST}:$(peer_cc_port "${org}")" \
    CORE_PEER_GOSSIP_BOOTSTRAP="${FABRIC_HOST}:${port}" \
    CORE_PEER_GOSSIP_EXTERNALENDPOINT="${FABRIC_HOST}:${port}" \
    CORE_PEER_GOSSIP_USELEADERELECTION=false \
    CORE_PEER_GOSSIP_ORGLEADER=true \
    CORE_PEER_LOCALMSPID="${msp}" \
    CORE_PEER_MSPCONFIGPATH="${dir}/msp" \
    CORE_PEER_TLS_ENABLED=true \
    CORE_PEER_TLS_CERT_FILE="${dir}/tls/server.crt" \
    CORE_PEER_TLS_KEY_FILE="${dir}/tls/server.key" \
    CORE_PEER_TLS_ROOTCERT_FILE="${dir}/tls/ca.crt" \
    CORE_PEER_FILESYSTEMPATH="${data}/production" \
    CORE_LEDGER_SNAPSHOTS_ROOTDIR="${data}/snapshots" \
    CORE_LEDGER_STATE_STATEDATABASE=goleveldb \
    CORE_OPERATIONS_LISTENADDRESS="${FABRIC_HOST}:$(peer_ops_port "${org}")" \
    CORE_METRICS_PROVIDER=prometheus \
    CORE_CHAINCODE_EXTERNALBUILDERS="[{name: ccaas, path: ${FABRIC_SCRIPTS_DIR}/builders/ccaas}]" \
    start_process "${name}" "${data}" peer node start
  wait_healthy "${name}" "http://${FABRIC_HOST}:$(peer_ops_port "${org}")/healthz" 60
}

case "${action}" in
  start) start ;;
  stop) stop_process "${name}" ;;
  status) if is_running "${name}"; then echo running; else echo stopped; exit 1; fi ;;
  *) die "unknown action: ${action}" ;;
esac
