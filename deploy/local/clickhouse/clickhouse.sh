#!/usr/bin/env bash
# Local ClickHouse (chDB engine behind a ClickHouse-compatible HTTP server).
#
#   clickhouse.sh start|stop|status|restart
#
# Environment:
#   TOCSIN_HOME            project root (default: three levels above this script)
#   TOCSIN_CH_PORT         HTTP port (default 8123)
#   TOCSIN_CH_HOST         bind address (default 127.0.0.1)
#   TOCSIN_CH_DATA         data directory (default $TOCSIN_HOME/.local/clickhouse/data)
#   TOCSIN_CH_START_TIMEOUT seconds to wait for /ping (default 60)
#   TOCSIN_CH_VERBOSE=1    log request parameters/headers too (never credentials)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT="${TOCSIN_HOME:-$(cd "$SCRIPT_DIR/../../.." && pwd)}"
export TOCSIN_HOME="$ROOT"
PORT="${TOCSIN_CH_PORT:-8123}"
HOST="${TOCSIN_CH_HOST:-127.0.0.1}"
DATA="${TOCSIN_CH_DATA:-$ROOT/.local/clickhouse/data}"
RUN_DIR="$ROOT/.local/run"
LOG_DIR="$ROOT/.local/logs"
PID_FILE="$RUN_DIR/clickhouse.pid"
PORT_FILE="$RUN_DIR/clickhouse.port"
LOG_FILE="$LOG_DIR/clickhouse.log"
START_TIMEOUT="${TOCSIN_CH_START_TIMEOUT:-60}"

say() { echo "clickhouse: $*"; }
err() { echo "clickhouse: $*" >&2; }

find_python() {
  if command -v python3 >/dev/null 2>&1; then
    echo python3
  else
    err "python3 is required"
    exit 1
  fi
}

# PID of our running server, or nothing.
running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid=$(cat "$PID_FILE" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Make sure the PID still belongs to chserver.py (PIDs get reused).
  if [ -r "/proc/$pid/cmdline" ] && ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'chserver.py'; then
    return 1
  fi
  echo "$pid"
}

ping_ok() {
  local port=$1 py
  py=$(find_python)
  "$py" - "$HOST" "$port" <<'PY' >/dev/null 2>&1
import sys, urllib.request
host, port = sys.argv[1], sys.argv[2]
if ":" in host and not host.startswith("["):
    host = "[" + host + "]"
if host in ("0.0.0.0", "[::]"):
    host = "127.0.0.1"
with urllib.request.urlopen("http://%s:%s/ping" % (host, port), timeout=2) as r:
    sys.exit(0 if r.read() == b"Ok.\n" else 1)
PY
}

port_in_use() {
  local py
  py=$(find_python)
  "$py" - "$HOST" "$PORT" <<'PY' >/dev/null 2>&1
import socket, sys
host, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind((host, port))
except OSError:
    sys.exit(0)   # in use
finally:
    s.close()
sys.exit(1)
PY
}

start() {
  local pid
  if pid=$(running_pid); then
    say "already running (pid $pid, port $(cat "$PORT_FILE" 2>/dev/null || echo "$PORT"))"
    return 0
  fi
  rm -f "$PID_FILE" "$PORT_FILE"
  local py lib
  py=$(find_python)
  if ! lib=$("$SCRIPT_DIR/install.sh"); then
    err "installing chDB failed (see above)"
    return 1
  fi
  lib=$(echo "$lib" | tail -n1)
  if [ "$PORT" != "0" ] && port_in_use; then
    err "port $PORT on $HOST is already in use (set TOCSIN_CH_PORT to use another port)"
    return 1
  fi
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$DATA"
  local verbose=()
  [ "${TOCSIN_CH_VERBOSE:-0}" = "1" ] && verbose=(--verbose)
  echo "---- $(date -u +%Y-%m-%dT%H:%M:%SZ) starting on $HOST:$PORT" >>"$LOG_FILE"
  nohup "$py" "$SCRIPT_DIR/chserver.py" --host "$HOST" --port "$PORT" --data "$DATA" \
      --lib "$lib" --port-file "$PORT_FILE" "${verbose[@]}" \
      >>"$LOG_FILE" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PID_FILE"
  local deadline=$((SECONDS + START_TIMEOUT))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      err "server exited during startup; last log lines ($LOG_FILE):"
      tail -n 20 "$LOG_FILE" >&2 || true
      rm -f "$PID_FILE"
      return 1
    fi
    if [ -s "$PORT_FILE" ] && ping_ok "$(cat "$PORT_FILE")"; then
      say "started (pid $pid) on http://$HOST:$(cat "$PORT_FILE") data=$DATA log=$LOG_FILE"
      return 0
    fi
    sleep 0.2
  done
  err "server did not answer /ping within ${START_TIMEOUT}s; last log lines ($LOG_FILE):"
  tail -n 20 "$LOG_FILE" >&2 || true
  kill "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
  return 1
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$PID_FILE" "$PORT_FILE"
    say "not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 150); do          # up to 30 s for a clean shutdown
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    err "pid $pid did not stop after SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$PID_FILE" "$PORT_FILE"
  say "stopped"
}

status() {
  local pid
  if pid=$(running_pid); then
    local port
    port=$(cat "$PORT_FILE" 2>/dev/null || echo "$PORT")
    if ping_ok "$port"; then
      say "running (pid $pid) on http://$HOST:$port"
    else
      say "running (pid $pid) on port $port but not answering /ping"
    fi
    return 0
  fi
  say "not running"
  return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  restart) stop; start ;;
  *) echo "usage: $0 start|stop|status|restart" >&2; exit 2 ;;
esac
