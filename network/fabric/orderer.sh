#!/usr/bin/env bash
# orderer.sh NAME start|stop|status|is-leader — one Raft orderer (orderer1..3) as a native process.
# is-leader exits 0 when the orderer is the Raft leader of the channel (from its metrics).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "${FABRIC_SCRIPTS_DIR}/lib/proc.sh"

name="${1:?usage: orderer.sh NAME start|stop|status|is-leader}"
action="${2:?usage: orderer.sh NAME start|stop|status|is-leader}"
orderer_index "${name}" >/dev/null

start() {
  require_binaries
  local dir data port
  dir="$(orderer_org_dir)/orderers/$(orderer_host "${name}")"
  data="${STATE_DIR}/data/${name}"
  port="$(orderer_port "${name}")"
  mkdir -p "${data}"
  FABRIC_CFG_PATH="${STATE_DIR}/config" \
    FABRIC_LOGGING_SPEC="${FABRIC_LOGGING_SPEC:-info}" \
    ORDERER_GENERAL_LISTENADDRESS="${FABRIC_HOST}" \
    ORDERER_GENERAL_LISTENPORT="${port}" \
    ORDERER_GENERAL_LOCALMSPID=OrdererMSP \
    ORDERER_GENERAL_LOCALMSPDIR="${dir}/msp" \
    ORDERER_GENERAL_BOOTSTRAPMETHOD=none \
    ORDERER_GENERAL_TLS_ENABLED=true \
    ORDERER_GENERAL_TLS_PRIVATEKEY="${dir}/tls/server.key" \
    ORDERER_GENERAL_TLS_CERTIFICATE="${dir}/tls/server.crt" \
    ORDERER_GENERAL_TLS_ROOTCAS="[${dir}/tls/ca.crt]" \
    ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE="${dir}/tls/server.crt" \
    ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY="${dir}/tls/server.key" \
    ORDERER_GENERAL_CLUSTER_ROOTCAS="[${dir}/tls/ca.crt]" \
    ORDERER_FILELEDGER_LOCATION="${data}/ledger" \
    ORDERER_CONSENSUS_WALDIR="${data}/etcdraft/wal" \
    ORDERER_CONSENSUS_SNAPDIR="${data}/etcdraft/snapshot" \
    ORDERER_CHANNELPARTICIPATION_ENABLED=true \
    ORDERER_ADMIN_LISTENADDRESS="${FABRIC_HOST}:$(orderer_admin_port "${name}")" \
    ORDERER_ADMIN_TLS_ENABLED=true \
    ORDERER_ADMIN_TLS_PRIVATEKEY="${dir}/tls/server.key" \
    ORDERER_ADMIN_TLS_CERTIFICATE="${dir}/tls/server.crt" \
    ORDERER_ADMIN_TLS_ROOTCAS="[${dir}/tls/ca.crt]" \
    ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED=true \
    ORDERER_ADMIN_TLS_CLIENTROOTCAS="[${dir}/tls/ca.crt]" \
    ORDERER_OPERATIONS_LISTENADDRESS="${FABRIC_HOST}:$(orderer_ops_port "${name}")" \
    ORDERER_METRICS_PROVIDER=prometheus \
    start_process "${name}" "${data}" orderer
  wait_healthy "${name}" "http://${FABRIC_HOST}:$(orderer_ops_port "${name}")/healthz" 60
}

case "${action}" in
  start) start ;;
  stop) stop_process "${name}" ;;
  status) if is_running "${name}"; then echo running; else echo stopped; exit 1; fi ;;
  is-leader)
    metrics="$(curl -fsS "http://${FABRIC_HOST}:$(orderer_ops_port "${name}")/metrics" 2>/dev/null)" || exit 1
    grep -q "^consensus_etcdraft_is_leader{channel=\"${CHANNEL}\"} 1" <<<"${metrics}"
    ;;
  *) die "unknown action: ${action}" ;;
esac
