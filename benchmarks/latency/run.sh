#!/usr/bin/env bash
# Latency benchmark: a new critical alert to its page, with the job running as `tocsin run` runs
# it (its own process, RocksDB checkpoints, at-least-once outputs) on the real local broker,
# beside Debian's Alertmanager (group_wait 1 s, webhook on loopback) in the same run.
# Run as ./tocsin bench latency [--full] [options of io.tocsin.bench.latency.LatencyBenchmark].
#
# Quick (default, about 10 minutes): 3 probes after 60 s of quiet, 30 s load phases at 25/50/90%
# of each system's sustained rate. Full (--full, about 25 minutes): 10 quiet probes, 60 s phases.
# Starts the local Kafka broker when it is not running (and stops it after); installs
# prometheus-alertmanager with apt-get when missing.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOCAL="$ROOT/.local"
OUT="$LOCAL/bench-latency"
KAFKA="$ROOT/deploy/local/kafka/kafka.sh"

ARGS=(--mode quick)
if [[ ${1:-} == --full ]]; then
  shift
  ARGS=(--mode full --quiet-probes 10 --phase-seconds 60 --flood-seconds 40)
fi

AM_BIN=$(command -v prometheus-alertmanager || command -v alertmanager || true)
if [[ -z $AM_BIN ]]; then
  echo "bench latency: installing Debian's prometheus-alertmanager (the peer)"
  apt-get install -y -qq prometheus-alertmanager >/dev/null
  AM_BIN=$(command -v prometheus-alertmanager)
fi

STARTED_KAFKA=0
cleanup() {
  if [[ $STARTED_KAFKA == 1 ]]; then bash "$KAFKA" stop >/dev/null || true; fi
}
trap cleanup EXIT
bash "$KAFKA" status >/dev/null 2>&1 || { bash "$KAFKA" start; STARTED_KAFKA=1; }

rm -rf "$OUT"
mkdir -p "$OUT"
CP="$ROOT/benchmarks/target/classes:$(cat "$LOCAL/bench.classpath")"
java -Xmx1g -cp "$CP" io.tocsin.bench.latency.LatencyBenchmark \
  --kafka "127.0.0.1:${TOCSIN_KAFKA_PORT:-9092}" --tocsin "$ROOT/tocsin" \
  --policy "$ROOT/benchmarks/latency/policy.yaml" --alertmanager "$AM_BIN" \
  --am-port "${TOCSIN_BENCH_AM_PORT:-19328}" --out "$OUT" "${ARGS[@]}" "$@"
