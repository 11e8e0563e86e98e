#!/usr/bin/env bash
# chaincode.sh package|deploy — the chaincode as a service.
#   package: builds the ccaas package reproducibly (same bytes, same package id on every peer)
#   deploy:  installs it on every peer, approves it for every org and commits the definition.
# FABRIC_CC_PKG_DIR (default <state>/chaincode) and FABRIC_CC_SERVER_PORT (default base+99) let
# baseline.sh package another service (the benchmark's put-only chaincode) the same way.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "${FABRIC_SCRIPTS_DIR}/lib/cli.sh"
require_binaries

CC_DIR="${FABRIC_CC_PKG_DIR:-${STATE_DIR}/chaincode}"
PKG="${CC_DIR}/${CC_LABEL}.tar.gz"
PKG_ID_FILE="${CC_DIR}/package-id"
ccaas_tls() { echo "$(peer_org_dir regulator)/peers/$1.$(org_domain regulator)/tls"; }

# Deterministic tar.gz of the named files in the current directory.
reproducible_tgz() {
  local out="$1"
  shift
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu -cf - "$@" | gzip -n -9 >"${out}"
}

package() {
  local work
  work="$(mktemp -d)"
  # shellcheck disable=SC2064
  trap "rm -rf '${work}'" RETURN
  mkdir -p "${CC_DIR}" "${work}/src"
  ADDRESS="${FABRIC_HOST}:${FABRIC_CC_SERVER_PORT:-$(cc_server_port)}" \
    ROOT_CERT="$(ccaas_tls ccaas)/ca.crt" \
    CLIENT_CERT="$(ccaas_tls ccaas-client)/server.crt" \
    CLIENT_KEY="$(ccaas_tls ccaas-client)/server.key" \
    node -e '
      const fs = require("node:fs");
      const e = process.env;
      const read = (p) => fs.readFileSync(p, "utf8");
      process.stdout.write(JSON.stringify({
        address: e.ADDRESS, dial_timeout: "10s", tls_required: true, client_auth_required: true,
        root_cert: read(e.ROOT_CERT), client_cert: read(e.CLIENT_CERT), client_key: read(e.CLIENT_KEY),
      }, null, 2));' >"${work}/src/connection.json"
  printf '{"type":"ccaas","label":"%s"}\n' "${CC_LABEL}" >"${work}/metadata.json"
  (cd "${work}/src" && reproducible_tgz "${work}/code.tar.gz" connection.json)
  (cd "${work}" && reproducible_tgz "${PKG}" metadata.json code.tar.gz)
  local id
  id="$(as_admin regulator peer lifecycle chaincode calculatepackageid "${PKG}")"
  echo "${id}" >"${PKG_ID_FILE}"
  log "packaged ${PKG} (${id})"
}

install_on() {
  local org="$1" id
  id="$(cat "${PKG_ID_FILE}")"
  if as_admin "${org}" peer lifecycle chaincode queryinstalled 2>/dev/null | grep -qF "${id}"; then
    log "already installed on ${org}"
    return
  fi
  as_admin "${org}" peer lifecycle chaincode install "${PKG}" >>"${LOG_DIR}/cli.log" 2>&1 ||
    die "install on ${org} failed; see ${LOG_DIR}/cli.log"
  log "installed on ${org}"
}

definition_flags() {
  echo --channelID "${CHANNEL}" --name "${CC_NAME}" --version "${CC_VERSION}" --sequence "${CC_SEQUENCE}" \
    --signature-policy "${CC_POLICY}"
}

approve_for() {
  local org="$1"
  # shellcheck disable=SC2046
  if as_admin "${org}" peer lifecycle chaincode queryapproved --channelID "${CHANNEL}" --name "${CC_NAME}" \
    --sequence "${CC_SEQUENCE}" >/dev/null 2>&1; then
    log "already approved by ${org}"
    return
  fi
  # shellcheck disable=SC2046
  as_admin "${org}" peer lifecycle chaincode approveformyorg $(orderer_flags) $(definition_flags) \
    --package-id "$(cat "${PKG_ID_FILE}")" >>"${LOG_DIR}/cli.log" 2>&1 ||
    die "approve by ${org} failed; see ${LOG_DIR}/cli.log"
  log "approved by ${org}"
}

commit() {
  if as_admin regulator peer lifecycle chaincode querycommitted --channelID "${CHANNEL}" --name "${CC_NAME}" \
    2>/dev/null | grep -q "Sequence: ${CC_SEQUENCE},"; then
    log "${CC_NAME} sequence ${CC_SEQUENCE} already committed"
    return
  fi
  local peers=() org
  for org in "${ORGS[@]}"; do
    peers+=(--peerAddresses "${FABRIC_HOST}:$(peer_port "${org}")" --tlsRootCertFiles "$(peer_tls_ca "${org}")")
  done
  # shellcheck disable=SC2046
  as_admin regulator peer lifecycle chaincode commit $(orderer_flags) $(definition_flags) "${peers[@]}" \
    >>"${LOG_DIR}/cli.log" 2>&1 || die "commit failed; see ${LOG_DIR}/cli.log"
  log "committed ${CC_NAME} sequence ${CC_SEQUENCE} on ${CHANNEL}"
}

deploy() {
  [[ -f "${PKG_ID_FILE}" ]] || package
  local org
  for org in "${ORGS[@]}"; do install_on "${org}"; done
  for org in "${ORGS[@]}"; do approve_for "${org}"; done
  commit
}

case "${1:?usage: chaincode.sh package|deploy}" in
  package) package ;;
  deploy) deploy ;;
  *) die "unknown action: $1" ;;
esac
