# shellcheck shell=bash
# Process helpers: start a long-running process detached, track its pid, stop it.
# Needs env.sh sourced first.

pid_file() { echo "${PID_DIR}/$1.pid"; }

# is_running NAME: true when NAME's tracked pid is alive.
is_running() {
  local f
  f="$(pid_file "$1")"
  [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null
}

# start_process NAME WORKDIR CMD...: runs CMD detached (own session), logs to logs/NAME.log.
start_process() {
  local name="$1" workdir="$2"
  shift 2
  mkdir -p "${LOG_DIR}" "${PID_DIR}"
  if is_running "${name}"; then
    log "${name} already running (pid $(cat "$(pid_file "${name}")"))"
    return 0
  fi
  (cd "${workdir}" && exec setsid "$@" >>"${LOG_DIR}/${name}.log" 2>&1 </dev/null) &
  echo $! >"$(pid_file "${name}")"
  log "started ${name} (pid $!), log ${LOG_DIR}/${name}.log"
}

# stop_process NAME: SIGTERM, wait up to 10 s, then SIGKILL. Removes the pid file.
stop_process() {
  local name="$1" f pid i
  f="$(pid_file "${name}")"
  [[ -f "$f" ]] || return 0
  pid="$(cat "$f")"
  if kill -0 "${pid}" 2>/dev/null; then
    kill -TERM "${pid}" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      kill -0 "${pid}" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "${pid}" 2>/dev/null; then
      log "${name} did not stop in 10 s: SIGKILL"
      kill -KILL "${pid}" 2>/dev/null || true
    fi
    log "stopped ${name} (pid ${pid})"
  fi
  rm -f "$f"
}

# wait_healthy NAME URL [SECONDS]: polls an operations /healthz URL until it answers 200.
wait_healthy() {
  local name="$1" url="$2" limit="${3:-60}" i
  for ((i = 0; i < limit * 4; i++)); do
    if curl -fsS -o /dev/null "${url}" 2>/dev/null; then
      return 0
    fi
    is_running "${name}" || die "${name} exited; see ${LOG_DIR}/${name}.log"
    sleep 0.25
  done
  die "${name} not healthy after ${limit}s (${url}); see ${LOG_DIR}/${name}.log"
}

# wait_port NAME PORT [SECONDS]: waits until something listens on 127.0.0.1:PORT.
wait_port() {
  local name="$1" port="$2" limit="${3:-60}" i
  for ((i = 0; i < limit * 4; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
      return 0
    fi
    is_running "${name}" || die "${name} exited; see ${LOG_DIR}/${name}.log"
    sleep 0.25
  done
  die "${name} not listening on ${port} after ${limit}s; see ${LOG_DIR}/${name}.log"
}
