#!/usr/bin/env bash
# Writes one connection profile per org (${XINLIAN_FABRIC_DIR}/connection/<org>.json):
# the org's peer endpoint, TLS root and its users' certificate and key paths, so a
# client (network/src/fabric/connection-profile.ts) can connect as that org.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

out_dir="${STATE_DIR}/connection"
mkdir -p "${out_dir}"
for org in "${ORGS[@]}"; do
  ORG="${org}" MSP="$(msp_of "${org}")" DOMAIN="$(org_domain "${org}")" \
    ENDPOINT="${FABRIC_HOST}:$(peer_port "${org}")" HOST_ALIAS="$(peer_host "${org}")" \
    TLS_ROOT="$(peer_tls_ca "${org}")" USERS_DIR="$(peer_org_dir "${org}")/users" \
    CHANNEL="${CHANNEL}" CHAINCODE="${CC_NAME}" \
    node -e '
      const fs = require("node:fs");
      const path = require("node:path");
      const e = process.env;
      const users = {};
      for (const dir of fs.readdirSync(e.USERS_DIR).sort()) {
        const msp = path.join(e.USERS_DIR, dir, "msp");
        const name = dir.split("@")[0];
        const cert = fs.readdirSync(path.join(msp, "signcerts"))[0];
        const key = fs.readdirSync(path.join(msp, "keystore"))[0];
        users[name] = { certPath: path.join(msp, "signcerts", cert), keyPath: path.join(msp, "keystore", key) };
      }
      const profile = {
        org: e.ORG, mspId: e.MSP, peerEndpoint: e.ENDPOINT, hostAlias: e.HOST_ALIAS,
        tlsRootCertPath: e.TLS_ROOT, channel: e.CHANNEL, chaincode: e.CHAINCODE, users,
      };
      process.stdout.write(JSON.stringify(profile, null, 2) + "\n");' >"${out_dir}/${org}.json"
done
log "connection profiles in ${out_dir}"
