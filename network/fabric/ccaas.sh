#!/usr/bin/env bash
# ccaas.sh start|stop|status — the chaincode service: the project's own chaincode build
# (chaincode/dist) served by fabric-chaincode-node over TLS. One process serves every peer.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "${FABRIC_SCRIPTS_DIR}/lib/proc.sh"

name=ccaas
PKG_ID_FILE="${STATE_DIR}/chaincode/package-id"

start() {
  [[ -f "${PKG_ID_FILE}" ]] || die "no chaincode package id: run chaincode.sh package"
  [[ -f "${REPO_ROOT}/chaincode/dist/index.js" ]] || die "chaincode not built: run npx tsc -b chaincode"
  local cli tls
  cli="$(readlink -f "${REPO_ROOT}/node_modules/.bin/fabric-chaincode-node")"
  [[ -f "${cli}" ]] || die "fabric-chaincode-node not installed: run npm ci"
  tls="$(peer_org_dir regulator)/peers/ccaas.$(org_domain regulator)/tls"
  CORE_CHAINCODE_LOGGING_LEVEL="${CORE_CHAINCODE_LOGGING_LEVEL:-WARNING}" \
    start_process "${name}" "${REPO_ROOT}/chaincode" node "${cli}" server \
    --chaincode-address "${FABRIC_HOST}:$(cc_server_port)" \
    --chaincode-id "$(cat "${PKG_ID_FILE}")" \
    --module-path "${REPO_ROOT}/chaincode" \
    --chaincode-tls-cert-file "${tls}/server.crt" \
    --chaincode-tls-key-file "${tls}/server.key" \
    --chaincode-tls-client-cacert-file "${tls}/ca.crt"
  wait_port "${name}" "$(cc_server_port)" 60
}

case "${1:?usage: ccaas.sh start|stop|status}" in
  start) start ;;
  stop) stop_process "${name}" ;;
  status) if is_running "${name}"; then echo running; else echo stopped; exit 1; fi ;;
  *) die "unknown action: $1" ;;
esac
