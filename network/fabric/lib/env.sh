# shellcheck shell=bash disable=SC2034
# Shared settings for the xinlian Fabric scripts. Sourced, never executed.
# Every value can be overridden from the environment.

FABRIC_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "${FABRIC_SCRIPTS_DIR}/../.." && pwd)"

# Pinned Fabric release (see tools/go.mod; the proxy serves this release commit).
FABRIC_VERSION="${FABRIC_VERSION:-3.1.1}"
FABRIC_BIN_DIR="${FABRIC_BIN_DIR:-${HOME}/.cache/xinlian/fabric/${FABRIC_VERSION}/bin}"
# Fabric's own sampleconfig (core.yaml, orderer.yaml), copied from the module at build time.
FABRIC_SAMPLECONFIG_DIR="${FABRIC_BIN_DIR%/bin}/sampleconfig"

# Runtime state: crypto, ledgers, logs, pids.
XINLIAN_FABRIC_DIR="${XINLIAN_FABRIC_DIR:-${REPO_ROOT}/.xinlian/fabric}"
STATE_DIR="${XINLIAN_FABRIC_DIR}"
LOG_DIR="${STATE_DIR}/logs"
PID_DIR="${STATE_DIR}/pids"

CHANNEL="${FABRIC_CHANNEL:-xinlian}"
CC_NAME="${FABRIC_CC_NAME:-xinlian}"
CC_LABEL="${FABRIC_CC_LABEL:-xinlian_1.0}"
CC_VERSION="${FABRIC_CC_VERSION:-1.0}"
CC_SEQUENCE="${FABRIC_CC_SEQUENCE:-1}"
# Any single member org may endorse; the chaincode itself checks who the caller is.
CC_POLICY="${FABRIC_CC_POLICY:-OR('RegulatorMSP.member','LenderMSP.member','ProviderMSP.member')}"

# Port block: everything binds 127.0.0.1. Base 7000 by default.
FABRIC_PORT_BASE="${FABRIC_PORT_BASE:-7000}"
FABRIC_HOST=127.0.0.1

ORGS=(regulator lender provider)
ORDERERS=(orderer1 orderer2 orderer3)

# org short name -> MSP id
msp_of() {
  case "$1" in
    regulator) echo RegulatorMSP ;;
    lender) echo LenderMSP ;;
    provider) echo ProviderMSP ;;
    orderer) echo OrdererMSP ;;
    *) die "unknown org: $1" ;;
  esac
}

# index of an org (0-based) for port allocation
org_index() {
  local i
  for i in "${!ORGS[@]}"; do [[ "${ORGS[$i]}" == "$1" ]] && { echo "$i"; return; }; done
  die "unknown org: $1"
}
orderer_index() {
  local i
  for i in "${!ORDERERS[@]}"; do [[ "${ORDERERS[$i]}" == "$1" ]] && { echo "$i"; return; }; done
  die "unknown orderer: $1"
}

# Ports. Orderers: base+50+10*i (+0 listen and cluster, +1 admin, +2 operations).
orderer_port() { echo $((FABRIC_PORT_BASE + 50 + 10 * $(orderer_index "$1"))); }
orderer_admin_port() { echo $(($(orderer_port "$1") + 1)); }
orderer_ops_port() { echo $(($(orderer_port "$1") + 2)); }
# Peers: base+10*i (+0 listen, +1 chaincode, +2 operations).
peer_port() { echo $((FABRIC_PORT_BASE + 10 * $(org_index "$1"))); }
peer_cc_port() { echo $(($(peer_port "$1") + 1)); }
peer_ops_port() { echo $(($(peer_port "$1") + 2)); }
# Chaincode server (one process serves all peers).
cc_server_port() { echo $((FABRIC_PORT_BASE + 99)); }

peer_host() { echo "peer0.$1.xinlian.local"; }
orderer_host() { echo "$1.orderer.xinlian.local"; }
org_domain() { if [[ "$1" == orderer ]]; then echo orderer.xinlian.local; else echo "$1.xinlian.local"; fi; }

CRYPTO_DIR="${STATE_DIR}/crypto"
peer_org_dir() { echo "${CRYPTO_DIR}/peerOrganizations/$(org_domain "$1")"; }
orderer_org_dir() { echo "${CRYPTO_DIR}/ordererOrganizations/$(org_domain orderer)"; }
admin_msp() { echo "$(peer_org_dir "$1")/users/Admin@$(org_domain "$1")/msp"; }
orderer_tls_ca() { echo "$(orderer_org_dir)/tlsca/tlsca.$(org_domain orderer)-cert.pem"; }
peer_tls_ca() { echo "$(peer_org_dir "$1")/tlsca/tlsca.$(org_domain "$1")-cert.pem"; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Run a timed phase: phase NAME CMD...
phase() {
  local name="$1" start end
  shift
  start=$(date +%s.%N)
  "$@"
  end=$(date +%s.%N)
  log "phase ${name}: $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}')s"
}

require_binaries() {
  local b
  for b in peer orderer configtxgen osnadmin cryptogen; do
    [[ -x "${FABRIC_BIN_DIR}/${b}" ]] || die "missing ${FABRIC_BIN_DIR}/${b}: run npm run fabric:build"
  done
  [[ -f "${FABRIC_SAMPLECONFIG_DIR}/core.yaml" ]] || die "missing ${FABRIC_SAMPLECONFIG_DIR}: run npm run fabric:build"
  export PATH="${FABRIC_BIN_DIR}:${PATH}"
}
