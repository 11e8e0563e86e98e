#!/usr/bin/env bash
# Generates the network's crypto material (cryptogen), node configs and the channel
# genesis block (configtxgen) under ${XINLIAN_FABRIC_DIR}. Does nothing when they exist.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
require_binaries

CONFIG_DIR="${STATE_DIR}/config"
BLOCK="${STATE_DIR}/channel/${CHANNEL}.block"
if [[ -f "${BLOCK}" && -d "${CRYPTO_DIR}" ]]; then
  log "crypto and genesis block already in ${STATE_DIR}"
  exit 0
fi
mkdir -p "${CONFIG_DIR}" "${STATE_DIR}/channel"
touch "${STATE_DIR}/.xinlian-fabric"
cleanup_on_failure() {
  local rc=$?
  if ((rc != 0)); then
    log "generate failed: removing partial output"
    rm -rf "${CRYPTO_DIR}" "${BLOCK}"
  fi
}
trap cleanup_on_failure EXIT

write_crypto_config() {
  local org
  {
    echo "OrdererOrgs:"
    echo "  - Name: Orderer"
    echo "    Domain: $(org_domain orderer)"
    echo "    EnableNodeOUs: true"
    echo "    Specs:"
    for o in "${ORDERERS[@]}"; do
      echo "      - Hostname: ${o}"
      echo "        SANS: [localhost, 127.0.0.1]"
    done
    echo "PeerOrgs:"
    for org in "${ORGS[@]}"; do
      echo "  - Name: $(msp_of "${org}")"
      echo "    Domain: $(org_domain "${org}")"
      echo "    EnableNodeOUs: true"
      echo "    Template: { Count: 1, SANS: [localhost, 127.0.0.1] }"
      echo "    Users: { Count: 3 }"
      if [[ "${org}" == regulator ]]; then
        # TLS pairs of the chaincode service (server) and of the peers dialling it (client).
        echo "    Specs:"
        echo "      - { Hostname: ccaas, SANS: [localhost, 127.0.0.1] }"
        echo "      - { Hostname: ccaas-client, SANS: [localhost, 127.0.0.1] }"
      fi
    done
  } >"${CONFIG_DIR}/crypto-config.yaml"
}

write_configtx() {
  local org o
  {
    echo "Organizations:"
    echo "  - &OrdererOrg"
    echo "    Name: OrdererMSP"
    echo "    ID: OrdererMSP"
    echo "    MSPDir: $(orderer_org_dir)/msp"
    echo "    Policies:"
    echo "      Readers: { Type: Signature, Rule: \"OR('OrdererMSP.member')\" }"
    echo "      Writers: { Type: Signature, Rule: \"OR('OrdererMSP.member')\" }"
    echo "      Admins: { Type: Signature, Rule: \"OR('OrdererMSP.admin')\" }"
    echo "    OrdererEndpoints:"
    for o in "${ORDERERS[@]}"; do echo "      - ${FABRIC_HOST}:$(orderer_port "$o")"; done
    for org in "${ORGS[@]}"; do
      local msp
      msp="$(msp_of "${org}")"
      echo "  - &${msp}"
      echo "    Name: ${msp}"
      echo "    ID: ${msp}"
      echo "    MSPDir: $(peer_org_dir "${org}")/msp"
      echo "    Policies:"
      echo "      Readers: { Type: Signature, Rule: \"OR('${msp}.admin', '${msp}.peer', '${msp}.client')\" }"
      echo "      Writers: { Type: Signature, Rule: \"OR('${msp}.admin', '${msp}.client')\" }"
      echo "      Admins: { Type: Signature, Rule: \"OR('${msp}.admin')\" }"
      echo "      Endorsement: { Type: Signature, Rule: \"OR('${msp}.peer')\" }"
      echo "    AnchorPeers:"
      echo "      - { Host: ${FABRIC_HOST}, Port: $(peer_port "${org}") }"
    done
    cat <<'YAML'
Capabilities:
  Channel: &ChannelCapabilities { V3_0: true }
  Orderer: &OrdererCapabilities { V2_0: true }
  Application: &ApplicationCapabilities { V2_5: true }
Application: &ApplicationDefaults
  Organizations:
  Policies:
    Readers: { Type: ImplicitMeta, Rule: "ANY Readers" }
    Writers: { Type: ImplicitMeta, Rule: "ANY Writers" }
    Admins: { Type: ImplicitMeta, Rule: "MAJORITY Admins" }
    LifecycleEndorsement: { Type: ImplicitMeta, Rule: "MAJORITY Endorsement" }
    Endorsement: { Type: ImplicitMeta, Rule: "ANY Endorsement" }
  Capabilities: *ApplicationCapabilities
Orderer: &OrdererDefaults
  OrdererType: etcdraft
  BatchTimeout: 250ms
  BatchSize: { MaxMessageCount: 200, AbsoluteMaxBytes: 10 MB, PreferredMaxBytes: 2 MB }
  Organizations:
  Policies:
    Readers: { Type: ImplicitMeta, Rule: "ANY Readers" }
    Writers: { Type: ImplicitMeta, Rule: "ANY Writers" }
    Admins: { Type: ImplicitMeta, Rule: "MAJORITY Admins" }
    BlockValidation: { Type: ImplicitMeta, Rule: "ANY Writers" }
  Capabilities: *OrdererCapabilities
Channel: &ChannelDefaults
  Policies:
    Readers: { Type: ImplicitMeta, Rule: "ANY Readers" }
    Writers: { Type: ImplicitMeta, Rule: "ANY Writers" }
    Admins: { Type: ImplicitMeta, Rule: "MAJORITY Admins" }
  Capabilities: *ChannelCapabilities
Profiles:
  XinlianChannel:
    <<: *ChannelDefaults
    Orderer:
      <<: *OrdererDefaults
      Organizations: [*OrdererOrg]
      EtcdRaft:
        Options: { TickInterval: 500ms, ElectionTick: 10, HeartbeatTick: 1, MaxInflightBlocks: 5, SnapshotIntervalSize: 16 MB }
        Consenters:
YAML
    for o in "${ORDERERS[@]}"; do
      local tls
      tls="$(orderer_org_dir)/orderers/$(orderer_host "$o")/tls"
      echo "          - { Host: ${FABRIC_HOST}, Port: $(orderer_port "$o"), ClientTLSCert: ${tls}/server.crt, ServerTLSCert: ${tls}/server.crt }"
    done
    echo "    Application:"
    echo "      <<: *ApplicationDefaults"
    echo "      Organizations:"
    for org in "${ORGS[@]}"; do echo "        - *$(msp_of "${org}")"; done
  } >"${CONFIG_DIR}/configtx.yaml"
}

# Node configs: Fabric's own sampleconfig with the Docker endpoint emptied
# (an empty env var would be ignored); everything else is set per node by env.
write_node_configs() {
  cp "${FABRIC_SAMPLECONFIG_DIR}/core.yaml" "${FABRIC_SAMPLECONFIG_DIR}/orderer.yaml" "${CONFIG_DIR}/"
  chmod u+w "${CONFIG_DIR}/core.yaml" "${CONFIG_DIR}/orderer.yaml"
  sed -i 's#^\(  endpoint:\) unix:///var/run/docker.sock#\1 ""#' "${CONFIG_DIR}/core.yaml"
  grep -q '^  endpoint: ""' "${CONFIG_DIR}/core.yaml" || die "could not empty vm.endpoint in core.yaml"
}

generate() {
  write_crypto_config
  rm -rf "${CRYPTO_DIR}"
  cryptogen generate --config "${CONFIG_DIR}/crypto-config.yaml" --output "${CRYPTO_DIR}" >/dev/null
  write_configtx
  write_node_configs
  configtxgen -configPath "${CONFIG_DIR}" -profile XinlianChannel -channelID "${CHANNEL}" \
    -outputBlock "${BLOCK}" 2>>"${LOG_DIR}/configtxgen.log"
}
mkdir -p "${LOG_DIR}"
phase generate generate
log "crypto in ${CRYPTO_DIR}, genesis block ${BLOCK}"
