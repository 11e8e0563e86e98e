#!/usr/bin/env bash
# Prints the state of every process of the network; exits 0 only when all are running.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "${FABRIC_SCRIPTS_DIR}/lib/proc.sh"

all=0
for name in "${ORDERERS[@]}" $(printf 'peer-%s ' "${ORGS[@]}") ccaas; do
  if is_running "${name}"; then
    echo "${name}: running (pid $(cat "$(pid_file "${name}")"))"
  else
    echo "${name}: stopped"
    all=1
  fi
done
exit "${all}"
