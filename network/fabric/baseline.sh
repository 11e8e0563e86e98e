#!/usr/bin/env bash
# baseline.sh deploy|start|stop|status — the Fabric benchmark's put-only baseline chaincode
# (baseline-chaincode/, fabric-shim's low-level interface) as a second chaincode service beside
# xinlian's: its own package label, definition name and server port (base+98), the same TLS
# material as ccaas. Its process is tracked as `baseline` and stopped by down.sh.
#   deploy: packages it (once), starts its server, installs/approves/commits its definition
#           (idempotent: what is already done is kept)
#   start / stop / status: its server process only
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "${FABRIC_SCRIPTS_DIR}/lib/proc.sh"

name=baseline
BASELINE_NAME="${FABRIC_BASELINE_NAME:-xinlian_baseline}"
BASELINE_DIR="${STATE_DIR}/baseline"
BASELINE_PORT=$((FABRIC_PORT_BASE + 98))
PKG_ID_FILE="${BASELINE_DIR}/package-id"
SOURCE_DIR="${FABRIC_SCRIPTS_DIR}/baseline-chaincode"

# chaincode.sh with the baseline's package dir, label, port and definition name.
chaincode() {
  FABRIC_CC_PKG_DIR="${BASELINE_DIR}" FABRIC_CC_SERVER_PORT="${BASELINE_PORT}" \
    FABRIC_CC_LABEL=xinlian_baseline_1.0 FABRIC_CC_NAME="${BASELINE_NAME}" \
    FABRIC_CC_VERSION=1.0 FABRIC_CC_SEQUENCE=1 \
    bash "${FABRIC_SCRIPTS_DIR}/chaincode.sh" "$@"
}

start() {
  [[ -f "${PKG_ID_FILE}" ]] || die "no baseline package id: run baseline.sh deploy"
  [[ -f "${REPO_ROOT}/node_modules/fabric-shim/package.json" ]] || die "fabric-shim not installed: run npm ci"
  local tls
  tls="$(peer_org_dir regulator)/peers/ccaas.$(org_domain regulator)/tls"
  CHAINCODE_ID="$(cat "${PKG_ID_FILE}")" \
    CHAINCODE_ADDRESS="${FABRIC_HOST}:${BASELINE_PORT}" \
    CHAINCODE_TLS_CERT_FILE="${tls}/server.crt" \
    CHAINCODE_TLS_KEY_FILE="${tls}/server.key" \
    CHAINCODE_TLS_CLIENT_CA_FILE="${tls}/ca.crt" \
    CORE_CHAINCODE_LOGGING_LEVEL="${CORE_CHAINCODE_LOGGING_LEVEL:-WARNING}" \
    start_process "${name}" "${SOURCE_DIR}" node "${SOURCE_DIR}/index.js"
  wait_port "${name}" "${BASELINE_PORT}" 60
}

deploy() {
  [[ -f "${PKG_ID_FILE}" ]] || chaincode package
  start
  chaincode deploy
  log "baseline chaincode ${BASELINE_NAME} deployed and served on ${FABRIC_HOST}:${BASELINE_PORT}"
}

case "${1:?usage: baseline.sh deploy|start|stop|status}" in
  deploy) deploy ;;
  start) start ;;
  stop) stop_process "${name}" ;;
  status) if is_running "${name}"; then echo running; else echo stopped; exit 1; fi ;;
  *) die "unknown action: $1" ;;
esac
