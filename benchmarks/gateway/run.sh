#!/usr/bin/env bash
# Gateway benchmark: POST /api/v2/alerts on Tocsin's gateway (every alert acknowledged by Kafka,
# acks=all, before the answer) beside Debian's Alertmanager (in memory) in the same run, with the
# same client (benchmarks: io.tocsin.bench.gateway.AlertPostLoad: 4 threads, 64 alerts per POST,
# keep-alive, loopback). Run as ./tocsin bench gateway [--seconds N] [--warmup N].
#
# Starts what it needs and stops what it started: the local Kafka broker (deploy/local/kafka, on
# TOCSIN_KAFKA_PORT), the gateway (TOCSIN_BENCH_GATEWAY_PORT, default 19317) and Alertmanager
# (TOCSIN_BENCH_AM_PORT, default 19318; installed with apt-get when missing).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOCAL="$ROOT/.local"
OUT="$LOCAL/bench-gateway"
KAFKA="$ROOT/deploy/local/kafka/kafka.sh"
GW_PORT="${TOCSIN_BENCH_GATEWAY_PORT:-19317}"
AM_PORT="${TOCSIN_BENCH_AM_PORT:-19318}"
SECONDS_MEASURED=30
WARMUP=10
while (( $# )); do
  case "$1" in
    --seconds) SECONDS_MEASURED="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    *) echo "bench gateway: unknown option '$1' (--seconds N, --warmup N)" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT" "$LOCAL/logs" "$LOCAL/run"
rm -rf "$OUT/am-data"

STARTED_KAFKA=0
GW_PID=""
AM_PID=""
cleanup() {
  [[ -n $AM_PID ]] && kill "$AM_PID" 2>/dev/null || true
  [[ -n $GW_PID ]] && kill "$GW_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  if [[ $STARTED_KAFKA == 1 ]]; then bash "$KAFKA" stop >/dev/null || true; fi
}
trap cleanup EXIT

# Debian names the binary prometheus-alertmanager.
AM_BIN=$(command -v prometheus-alertmanager || command -v alertmanager || true)
if [[ -z $AM_BIN ]]; then
  echo "bench gateway: installing Debian's prometheus-alertmanager (the peer)"
  apt-get install -y -qq prometheus-alertmanager >/dev/null
  AM_BIN=$(command -v prometheus-alertmanager)
fi

bash "$KAFKA" status >/dev/null 2>&1 || { bash "$KAFKA" start; STARTED_KAFKA=1; }
bash "$KAFKA" create-topics >/dev/null
KAFKA_PID=$(cat "$LOCAL/run/kafka.pid")

wait_http() {
  local i
  for i in $(seq 1 120); do
    curl -sf "$1" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "bench gateway: $1 did not answer" >&2
  return 1
}

cat >"$OUT/alertmanager.yml" <<'AM'
route:
  receiver: discard
  group_by: ['alertname', 'service']
receivers:
  - name: discard
AM
"$AM_BIN" --config.file="$OUT/alertmanager.yml" --storage.path="$OUT/am-data" \
  --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address="" --log.level=warn \
  >"$LOCAL/logs/bench-alertmanager.log" 2>&1 &
AM_PID=$!
java -Xmx512m -Dlog4j.configurationFile=log4j2-gateway.properties -jar "$ROOT/gateway/target/tocsin-gateway.jar" \
  --listen "127.0.0.1:$GW_PORT" --kafka "127.0.0.1:${TOCSIN_KAFKA_PORT:-9092}" \
  >"$LOCAL/logs/bench-gateway.log" 2>&1 &
GW_PID=$!
wait_http "http://127.0.0.1:$AM_PORT/-/ready"
wait_http "http://127.0.0.1:$GW_PORT/-/ready"

CP="$ROOT/benchmarks/target/classes:$(cat "$LOCAL/bench.classpath")"
load() {
  java -Xmx1g -cp "$CP" io.tocsin.bench.gateway.AlertPostLoad --threads 4 --batch 64 \
    --warmup "$WARMUP" --seconds "$SECONDS_MEASURED" "$@"
}
echo "bench gateway: Alertmanager $("$AM_BIN" --version 2>&1 | head -1 | awk '{print $3}') on :$AM_PORT, ${WARMUP}s warm-up, ${SECONDS_MEASURED}s measured"
AM_LINE=$(load --url "http://127.0.0.1:$AM_PORT" --label alertmanager --pids "$AM_PID")
echo "$AM_LINE"
echo "bench gateway: Tocsin gateway on :$GW_PORT (Kafka 127.0.0.1:${TOCSIN_KAFKA_PORT:-9092}, acks=all)"
GW_LINE=$(load --url "http://127.0.0.1:$GW_PORT" --label gateway --pids "$GW_PID" --broker-pids "$KAFKA_PID")
echo "$GW_LINE"
{
  echo "run: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores; commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "$AM_LINE"
  echo "$GW_LINE"
} | tee "$OUT/result.txt" >/dev/null
echo "bench gateway: results in $OUT/result.txt (copy the figures to benchmarks/RESULTS.md)"
