# shellcheck shell=bash
# Environment for the peer CLI acting as an org's admin against that org's peer.
# Needs env.sh sourced first.

# as_admin ORG CMD...: runs CMD with the peer CLI pointed at ORG's peer as ORG's admin.
as_admin() {
  local org="$1"
  shift
  FABRIC_CFG_PATH="${STATE_DIR}/config" \
    FABRIC_LOGGING_SPEC=warning \
    CORE_PEER_LOCALMSPID="$(msp_of "${org}")" \
    CORE_PEER_MSPCONFIGPATH="$(admin_msp "${org}")" \
    CORE_PEER_ADDRESS="${FABRIC_HOST}:$(peer_port "${org}")" \
    CORE_PEER_TLS_ENABLED=true \
    CORE_PEER_TLS_ROOTCERT_FILE="$(peer_tls_ca "${org}")" \
    "$@"
}

# Orderer connection flags for peer CLI commands that submit.
orderer_flags() {
  echo -o "${FABRIC_HOST}:$(orderer_port "${ORDERERS[0]}")" --tls --cafile "$(orderer_tls_ca)"
}
