#!/usr/bin/env bash
# Scale-out benchmark: sustained notifications/s of the live job on the local Flink session cluster
# (./tocsin cluster: 1 JobManager, 2 TaskManagers x 2 slots) at parallelism 1, 2 and 4, and on a
# local MiniCluster at 4, over the same preloaded backlog, with many correlation partitions and
# with one hot partition (io.tocsin.bench.cluster.ScaleOut). About 10 minutes.
# Run as ./tocsin bench cluster [--notifications N]. Starts the local Kafka broker and the cluster
# when they are not running (and stops them after).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOCAL="$ROOT/.local"
KAFKA="$ROOT/deploy/local/kafka/kafka.sh"
CLUSTER="$ROOT/deploy/cluster/cluster.sh"

STARTED_KAFKA=0
STARTED_CLUSTER=0
cleanup() {
  if [[ $STARTED_CLUSTER == 1 ]]; then bash "$CLUSTER" down >/dev/null || true; fi
  if [[ $STARTED_KAFKA == 1 ]]; then bash "$KAFKA" stop >/dev/null || true; fi
}
trap cleanup EXIT
bash "$KAFKA" status >/dev/null 2>&1 || { bash "$KAFKA" start; STARTED_KAFKA=1; }
bash "$CLUSTER" status >/dev/null 2>&1 || { bash "$CLUSTER" up; STARTED_CLUSTER=1; }

CP="$ROOT/benchmarks/target/classes:$(cat "$LOCAL/bench.classpath")"
java -Xmx1g -cp "$CP" io.tocsin.bench.cluster.ScaleOut --root "$ROOT" \
  --kafka "127.0.0.1:${TOCSIN_KAFKA_PORT:-9092}" --work "$LOCAL/bench-cluster" "$@"
