#!/usr/bin/env bash
# Tocsin local Kafka: one KRaft node (broker+controller) on loopback, run from Maven Central jars.
#
#   kafka.sh start                         resolve jars if needed, format storage once, start, wait ready
#   kafka.sh stop                          SIGTERM, wait, SIGKILL if needed
#   kafka.sh status                        exit 0 if running and accepting, 1 otherwise
#   kafka.sh create-topics [name[:parts]]...  idempotent; no args = the Tocsin topics
#   kafka.sh topics [--describe]           list (or describe) topics
#   kafka.sh produce TOPIC                 send stdin lines (one record per line)
#   kafka.sh consume TOPIC [MAX] [TIMEOUT_MS]  print records from the beginning
#   kafka.sh libs                          only resolve the jars
#   kafka.sh reset                         stop and delete all broker data (topics, offsets, cluster id)
#   kafka.sh client-env                    the TOCSIN_KAFKA* settings a Tocsin client needs for this broker,
#                                          as shell exports (with sasl_ssl: protocol, user, password file, CA)
#
# Environment:
#   TOCSIN_HOME                    repo root (default: three levels above this script)
#   TOCSIN_LOCAL_DIR               runtime dir (default: $TOCSIN_HOME/.local)
#   TOCSIN_KAFKA_LIBS              where the broker's jars are resolved (default: $TOCSIN_LOCAL_DIR/kafka/libs;
#                                  tests point it at the checkout's, so jars resolve once)
#   TOCSIN_KAFKA_PORT              client listener on 127.0.0.1 (default 9092)
#   TOCSIN_KAFKA_SECURITY          plaintext (default) or sasl_ssl: the client listener speaks SASL/SCRAM-SHA-512
#                                  over TLS; on first start a local CA, the broker's certificate (127.0.0.1,
#                                  localhost) and the SCRAM users 'admin' (broker, tools) and 'tocsin' (clients)
#                                  are made under $TOCSIN_LOCAL_DIR/kafka/security (passwords in files, mode 600;
#                                  TOCSIN_KAFKA_PASSWORD sets the 'tocsin' one). The controller listener stays
#                                  plaintext on loopback. Changing the profile of formatted data needs 'reset'.
#   TOCSIN_KAFKA_CONTROLLER_PORT   CONTROLLER listener on 127.0.0.1 (default 9093)
#   TOCSIN_KAFKA_HEAP              broker max heap (default 512m)
#   TOCSIN_KAFKA_OPTS              extra broker JVM options
#   TOCSIN_KAFKA_START_TIMEOUT     seconds to wait for readiness (default 90)
#   TOCSIN_KAFKA_STOP_TIMEOUT      seconds to wait after SIGTERM (default 30)
#   JAVA_HOME                      java from $JAVA_HOME/bin/java, else java on PATH (17+)
#   MVN                            maven command for resolving jars (default mvn)
#
# Exit codes: 0 ok; 1 failed / not running; 2 usage; 3 port taken by another process;
#             4 broker did not come up; 5 environment (java/maven/jar resolution).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${TOCSIN_HOME:-$(cd "$SCRIPT_DIR/../../.." && pwd)}
LOCAL=${TOCSIN_LOCAL_DIR:-$ROOT/.local}
KDIR=$LOCAL/kafka
LIBS=${TOCSIN_KAFKA_LIBS:-$KDIR/libs}
DATA=$KDIR/data
PROPS=$KDIR/server.properties
ADMIN_PROPS=$KDIR/admin.properties
CLUSTER_ID_FILE=$KDIR/cluster.id
RUN_DIR=$LOCAL/run
PID_FILE=$RUN_DIR/kafka.pid
LOG_DIR=$LOCAL/logs
LOG_FILE=$LOG_DIR/kafka.log
OUT_FILE=$LOG_DIR/kafka.out

PORT=${TOCSIN_KAFKA_PORT:-9092}
CPORT=${TOCSIN_KAFKA_CONTROLLER_PORT:-9093}
HEAP=${TOCSIN_KAFKA_HEAP:-512m}
START_TIMEOUT=${TOCSIN_KAFKA_START_TIMEOUT:-90}
STOP_TIMEOUT=${TOCSIN_KAFKA_STOP_TIMEOUT:-30}
BOOTSTRAP=127.0.0.1:$PORT
MVN=${MVN:-mvn}

SECURITY=${TOCSIN_KAFKA_SECURITY:-plaintext}
SEC_DIR=$KDIR/security
case "$SECURITY" in
  plaintext|sasl_ssl) ;;
  *) echo "kafka: ERROR: TOCSIN_KAFKA_SECURITY: '$SECURITY' is not plaintext or sasl_ssl" >&2; exit 2 ;;
esac

DEFAULT_TOPICS=(alerts:4 incident-events:4 pages:4 dead-letters:1 commands:4 control:1 telemetry:4 changes:4 status-updates:4)

log() { echo "kafka: $*" >&2; }
die() { local code=$1; shift; echo "kafka: ERROR: $*" >&2; exit "$code"; }

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# ---------------------------------------------------------------- environment

find_java() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    JAVA=$JAVA_HOME/bin/java
  elif command -v java >/dev/null 2>&1; then
    JAVA=$(command -v java)
  else
    die 5 "no java found (set JAVA_HOME or put java 17+ on PATH)"
  fi
  local v major
  v=$("$JAVA" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')
  major=${v%%.*}
  [[ "$major" == 1 ]] && major=$(echo "$v" | cut -d. -f2)
  if ! [[ "$major" =~ ^[0-9]+$ ]] || (( major < 17 )); then
    die 5 "Kafka 4.2 needs Java 17+, $JAVA is '${v:-unknown}'"
  fi
}

pom_hash() { sha256sum "$SCRIPT_DIR/pom.xml" | cut -d' ' -f1; }

# .resolved = the pom's hash, then the jar names resolved from it; complete = same pom, every jar there.
libs_complete() {
  [[ -f "$LIBS/.resolved" ]] || return 1
  [[ "$(head -n 1 "$LIBS/.resolved")" == "$(pom_hash)" ]] || return 1
  local jar n=0
  while IFS= read -r jar; do
    [[ -f "$LIBS/$jar" ]] || return 1
    n=$((n + 1))
  done < <(tail -n +2 "$LIBS/.resolved")
  (( n > 0 )) && compgen -G "$LIBS/kafka_2.13-*.jar" >/dev/null && compgen -G "$LIBS/kafka-tools-*.jar" >/dev/null
}

ensure_libs() {
  libs_complete && return 0
  command -v "$MVN" >/dev/null 2>&1 || die 5 "jars missing in $LIBS and no maven ('$MVN') to resolve them"
  log "resolving Kafka jars into $LIBS (Maven Central)..."
  local tmp="$LIBS.tmp.$$" out="$KDIR/resolve.log"
  rm -rf "$tmp"; mkdir -p "$KDIR" "$(dirname "$LIBS")"
  if ! "$MVN" -B -q -f "$SCRIPT_DIR/pom.xml" dependency:copy-dependencies \
        -DoutputDirectory="$tmp" >"$out" 2>&1; then
    tail -n 30 "$out" >&2
    rm -rf "$tmp"
    die 5 "jar resolution failed (full output: $out)"
  fi
  { pom_hash; (cd "$tmp" && ls -1 -- *.jar); } >"$tmp/.resolved"
  rm -rf "$LIBS"; mv "$tmp" "$LIBS"
  log "resolved $(ls "$LIBS"/*.jar | wc -l) jars"
}

# Run a Kafka tool class (quiet logging, small fast-starting JVM).
tool_cmd() {
  TOOL=("$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
        "-Dlog4j2.configurationFile=$SCRIPT_DIR/tools-log4j2.yaml" -cp "$LIBS/*")
}
tool() { tool_cmd; "${TOOL[@]}" "$@"; }

# ---------------------------------------------------------------- process helpers

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# Prints the broker pid and returns 0 if the pid file names a live broker of this checkout.
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid args
  pid=$(tr -dc '0-9' <"$PID_FILE")
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  args=$(ps -p "$pid" -o args= 2>/dev/null || tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
  [[ "$args" == *kafka.Kafka* && "$args" == *"$PROPS"* ]] || return 1
  echo "$pid"
}

who_listens() {
  command -v ss >/dev/null 2>&1 && ss -ltnpH "sport = :$1" 2>/dev/null | head -n 3 || true
}

LOG_MARK=0   # lines of kafka.log written before this start; show_logs prints only newer ones
show_logs() {
  local n=${1:-25}
  if [[ -s "$OUT_FILE" ]]; then
    echo "---- last lines of $OUT_FILE ----" >&2
    tail -n "$n" "$OUT_FILE" >&2
  fi
  if [[ -s "$LOG_FILE" ]] && (( $(wc -l <"$LOG_FILE") > LOG_MARK )); then
    echo "---- last lines of $LOG_FILE ----" >&2
    tail -n "+$((LOG_MARK + 1))" "$LOG_FILE" | tail -n "$n" >&2
  fi
}

render_props() {
  mkdir -p "$KDIR" "$DATA"
  local esc_data
  esc_data=$(printf '%s' "$DATA" | sed 's/[&|\\]/\\&/g')
  sed -e "s|@KAFKA_PORT@|$PORT|g" -e "s|@CONTROLLER_PORT@|$CPORT|g" -e "s|@DATA_DIR@|$esc_data|g" \
    "$SCRIPT_DIR/server.properties" >"$PROPS.tmp"
  cat >"$ADMIN_PROPS" <<EOF
request.timeout.ms=5000
default.api.timeout.ms=15000
retries=3
EOF
  if [[ "$SECURITY" == sasl_ssl ]]; then
    ensure_security_material
    # The client listener becomes SASL_SSL (the broker talks to itself on it as 'admin').
    sed -i -e "s|^listeners=.*|listeners=SASL_SSL://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CPORT|" \
      -e "s|^advertised.listeners=.*|advertised.listeners=SASL_SSL://127.0.0.1:$PORT|" \
      -e "s|^listener.security.protocol.map=.*|listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT|" \
      -e "s|^inter.broker.listener.name=.*|inter.broker.listener.name=SASL_SSL|" "$PROPS.tmp"
    local admin_jaas store
    admin_jaas="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$(cat "$SEC_DIR/admin.password")\";"
    store=$(cat "$SEC_DIR/store.password")
    {
      echo "sasl.enabled.mechanisms=SCRAM-SHA-512"
      echo "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512"
      echo "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=$admin_jaas"
      echo "ssl.keystore.type=PKCS12"
      echo "ssl.keystore.location=$SEC_DIR/broker.p12"
      echo "ssl.keystore.password=$store"
      echo "ssl.key.password=$store"
      echo "ssl.truststore.type=PEM"
      echo "ssl.truststore.location=$SEC_DIR/ca.pem"
      echo "ssl.client.auth=none"
    } >>"$PROPS.tmp"
    {
      echo "security.protocol=SASL_SSL"
      echo "sasl.mechanism=SCRAM-SHA-512"
      echo "sasl.jaas.config=$admin_jaas"
      echo "ssl.truststore.type=PEM"
      echo "ssl.truststore.location=$SEC_DIR/ca.pem"
    } >>"$ADMIN_PROPS"
  fi
  chmod 600 "$PROPS.tmp" "$ADMIN_PROPS"
  mv "$PROPS.tmp" "$PROPS"
}

# A local CA, the broker's key and certificate signed by it (SAN 127.0.0.1 and localhost, so
# clients verify the host name), and the SCRAM passwords; made once, kept under $SEC_DIR.
ensure_security_material() {
  [[ -s "$SEC_DIR/ca.pem" && -s "$SEC_DIR/broker.p12" && -s "$SEC_DIR/tocsin.password" ]] && return 0
  local keytool=keytool
  [[ -x "$(dirname "$JAVA")/keytool" ]] && keytool=$(dirname "$JAVA")/keytool
  command -v "$keytool" >/dev/null 2>&1 || die 5 "keytool not found next to $JAVA (needed for TOCSIN_KAFKA_SECURITY=sasl_ssl)"
  rm -rf "$SEC_DIR"; mkdir -p "$SEC_DIR"; chmod 700 "$SEC_DIR"
  (umask 077
   head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$SEC_DIR/store.password"
   head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$SEC_DIR/admin.password"
   if [[ -n "${TOCSIN_KAFKA_PASSWORD:-}" ]]; then
     printf '%s' "$TOCSIN_KAFKA_PASSWORD" >"$SEC_DIR/tocsin.password"
   else
     head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$SEC_DIR/tocsin.password"
   fi)
  local pw; pw=$(cat "$SEC_DIR/store.password")
  local out="$SEC_DIR/keytool.log"
  {
    "$keytool" -genkeypair -alias ca -dname "CN=Tocsin local CA" -keyalg RSA -keysize 2048 -validity 3650 \
      -ext bc:c -keystore "$SEC_DIR/ca.p12" -storetype PKCS12 -storepass "$pw" -keypass "$pw" &&
    "$keytool" -exportcert -rfc -alias ca -keystore "$SEC_DIR/ca.p12" -storepass "$pw" -file "$SEC_DIR/ca.pem" &&
    "$keytool" -genkeypair -alias broker -dname "CN=127.0.0.1" -keyalg RSA -keysize 2048 -validity 3650 \
      -keystore "$SEC_DIR/broker.p12" -storetype PKCS12 -storepass "$pw" -keypass "$pw" &&
    "$keytool" -certreq -alias broker -keystore "$SEC_DIR/broker.p12" -storepass "$pw" -file "$SEC_DIR/broker.csr" &&
    "$keytool" -gencert -alias ca -keystore "$SEC_DIR/ca.p12" -storepass "$pw" -infile "$SEC_DIR/broker.csr" \
      -outfile "$SEC_DIR/broker.pem" -rfc -validity 3650 -ext "SAN=IP:127.0.0.1,DNS:localhost" \
      -ext ku:c=digitalSignature,keyEncipherment -ext eku=serverAuth &&
    "$keytool" -importcert -noprompt -alias ca -file "$SEC_DIR/ca.pem" -keystore "$SEC_DIR/broker.p12" -storepass "$pw" &&
    "$keytool" -importcert -noprompt -alias broker -file "$SEC_DIR/broker.pem" -keystore "$SEC_DIR/broker.p12" -storepass "$pw"
  } >"$out" 2>&1 || { cat "$out" >&2; die 5 "could not make the local CA and broker certificate (see $out)"; }
  chmod 600 "$SEC_DIR"/*
  log "made a local CA and broker certificate, SCRAM users admin and tocsin, under $SEC_DIR"
}

format_storage() {
  if [[ -f "$DATA/meta.properties" ]]; then
    local cid
    cid=$(sed -n 's/^cluster\.id=//p' "$DATA/meta.properties")
    local formatted; formatted=$(cat "$DATA/tocsin-security" 2>/dev/null || echo plaintext)
    [[ "$formatted" == "$SECURITY" ]] || die 1 "$DATA was formatted for TOCSIN_KAFKA_SECURITY=$formatted, not $SECURITY; run 'kafka.sh reset' to start over"
    if [[ ! -s "$CLUSTER_ID_FILE" ]]; then
      echo "$cid" >"$CLUSTER_ID_FILE"
    elif [[ "$(cat "$CLUSTER_ID_FILE")" != "$cid" ]]; then
      die 1 "$CLUSTER_ID_FILE ($(cat "$CLUSTER_ID_FILE")) does not match $DATA/meta.properties ($cid); run 'kafka.sh reset' to start over"
    fi
    return 0
  fi
  if [[ ! -s "$CLUSTER_ID_FILE" ]]; then
    tool kafka.tools.StorageTool random-uuid | tr -d '[:space:]' >"$CLUSTER_ID_FILE.tmp"
    [[ -s "$CLUSTER_ID_FILE.tmp" ]] || die 5 "could not generate a cluster id"
    mv "$CLUSTER_ID_FILE.tmp" "$CLUSTER_ID_FILE"
  fi
  log "formatting storage in $DATA (cluster id $(cat "$CLUSTER_ID_FILE"))"
  local scram=()
  if [[ "$SECURITY" == sasl_ssl ]]; then
    scram=(--add-scram "SCRAM-SHA-512=[name=admin,password=$(cat "$SEC_DIR/admin.password")]"
           --add-scram "SCRAM-SHA-512=[name=tocsin,password=$(cat "$SEC_DIR/tocsin.password")]")
  fi
  if ! tool kafka.tools.StorageTool format -t "$(cat "$CLUSTER_ID_FILE")" -c "$PROPS" "${scram[@]}" >"$KDIR/format.log" 2>&1; then
    cat "$KDIR/format.log" >&2
    die 1 "storage format failed"
  fi
  echo "$SECURITY" >"$DATA/tocsin-security"
}

# Ready = process alive, port accepting, and a metadata request (topic list) answers.
wait_ready() {
  local pid=$1 limit=$2
  local deadline=$((SECONDS + limit))
  while (( SECONDS < deadline )); do
    kill -0 "$pid" 2>/dev/null || return 1
    tool_cmd
    if port_open "$PORT" && timeout 30 "${TOOL[@]}" org.apache.kafka.tools.TopicCommand \
         --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_PROPS" --list >/dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  return 2
}

# ---------------------------------------------------------------- commands

cmd_start() {
  local pid
  if pid=$(running_pid); then
    find_java
    if wait_ready "$pid" "$START_TIMEOUT"; then
      echo "kafka already running (pid $pid) on $BOOTSTRAP"
      return 0
    fi
    show_logs
    die 4 "kafka process $pid is up but not answering on $BOOTSTRAP"
  fi
  rm -f "$PID_FILE"
  local p
  for p in "$PORT" "$CPORT"; do
    if port_open "$p"; then
      who_listens "$p" >&2
      die 3 "port 127.0.0.1:$p is already in use by another process (not this checkout's broker); stop it or set TOCSIN_KAFKA_PORT / TOCSIN_KAFKA_CONTROLLER_PORT"
    fi
  done
  find_java
  ensure_libs
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  render_props
  format_storage

  log "starting broker on $BOOTSTRAP (controller 127.0.0.1:$CPORT, heap $HEAP, log $LOG_FILE)"
  # shellcheck disable=SC2206
  local jvm=(-Xms128m "-Xmx$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
             -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true
             "-Dlog4j2.configurationFile=$SCRIPT_DIR/log4j2.yaml" "-Dkafka.logs.dir=$LOG_DIR"
             ${TOCSIN_KAFKA_OPTS:-})
  : >"$OUT_FILE"
  LOG_MARK=$( (wc -l <"$LOG_FILE") 2>/dev/null || echo 0)
  # The inner shell writes its own pid, then execs java under that pid (in a new session, so the
  # caller's Ctrl-C / hangup does not reach the broker).
  local launcher=(nohup)
  command -v setsid >/dev/null 2>&1 && launcher=(setsid nohup)
  "${launcher[@]}" bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    "$JAVA" "${jvm[@]}" -cp "$LIBS/*" kafka.Kafka "$PROPS" >>"$OUT_FILE" 2>&1 </dev/null &
  local i
  for i in $(seq 50); do [[ -s "$PID_FILE" ]] && break; sleep 0.1; done
  pid=$(tr -dc '0-9' <"$PID_FILE" 2>/dev/null || true)
  [[ -n "$pid" ]] || die 4 "broker did not start (no pid)"

  local rc=0
  wait_ready "$pid" "$START_TIMEOUT" || rc=$?
  if (( rc == 0 )); then
    echo "kafka running (pid $pid) on $BOOTSTRAP"
    return 0
  fi
  if (( rc == 1 )); then
    rm -f "$PID_FILE"
    show_logs 40
    die 4 "broker exited during startup (see $LOG_FILE, $OUT_FILE)"
  fi
  show_logs 40
  log "not ready after ${START_TIMEOUT}s; stopping it"
  cmd_stop >/dev/null || true
  die 4 "broker did not become ready on $BOOTSTRAP within ${START_TIMEOUT}s (see $LOG_FILE)"
}

cmd_stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$PID_FILE"
    echo "kafka not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    log "still up after ${STOP_TIMEOUT}s; SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  rm -f "$PID_FILE"
  echo "kafka stopped (pid $pid)"
}

cmd_status() {
  local pid
  if ! pid=$(running_pid); then
    echo "kafka not running"
    return 1
  fi
  if port_open "$PORT"; then
    echo "kafka running (pid $pid) on $BOOTSTRAP"
    return 0
  fi
  echo "kafka process $pid up but $BOOTSTRAP not accepting connections (starting?)"
  return 1
}

require_running() {
  running_pid >/dev/null || die 1 "kafka is not running (run: $0 start)"
  find_java
  libs_complete || die 5 "jars missing in $LIBS (run: $0 libs)"
  [[ -f "$ADMIN_PROPS" ]] || render_props
}

cmd_create_topics() {
  local specs=("$@")
  (( ${#specs[@]} )) || specs=("${DEFAULT_TOPICS[@]}")
  local spec name parts
  for spec in "${specs[@]}"; do
    [[ "$spec" =~ ^[A-Za-z0-9._-]+(:[1-9][0-9]*)?$ ]] || die 2 "bad topic spec '$spec' (want name or name:partitions)"
  done
  require_running
  local existing
  existing=$(tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" \
               --command-config "$ADMIN_PROPS" --list) || die 1 "could not list topics"
  for spec in "${specs[@]}"; do
    name=${spec%%:*}
    parts=1; [[ "$spec" == *:* ]] && parts=${spec##*:}
    if grep -qxF "$name" <<<"$existing"; then
      echo "topic $name exists"
      continue
    fi
    tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_PROPS" \
      --create --if-not-exists --topic "$name" --partitions "$parts" --replication-factor 1 >/dev/null \
      || die 1 "could not create topic $name"
    echo "topic $name created ($parts partitions)"
  done
}

cmd_topics() {
  require_running
  case "${1:-}" in
    "") tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_PROPS" --list ;;
    -d|--describe) tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_PROPS" --describe ;;
    *) usage ;;
  esac
}

cmd_produce() {
  [[ $# -eq 1 ]] || usage
  require_running
  tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_PROPS" --topic "$1"
}

cmd_consume() {
  [[ $# -ge 1 && $# -le 3 ]] || usage
  require_running
  local args=(--bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_PROPS" --topic "$1" --from-beginning --timeout-ms "${3:-10000}")
  [[ -n "${2:-}" ]] && args+=(--max-messages "$2")
  # the console consumer exits non-zero on its idle timeout; that is the normal end here
  tool org.apache.kafka.tools.consumer.ConsoleConsumer "${args[@]}" || true
}

cmd_client_env() {
  echo "export TOCSIN_KAFKA=$BOOTSTRAP"
  if [[ "$SECURITY" == sasl_ssl ]]; then
    [[ -s "$SEC_DIR/tocsin.password" ]] || die 1 "no security material under $SEC_DIR (run: $0 start)"
    echo "export TOCSIN_KAFKA_SECURITY_PROTOCOL=SASL_SSL"
    echo "export TOCSIN_KAFKA_SASL_MECHANISM=SCRAM-SHA-512"
    echo "export TOCSIN_KAFKA_USER=tocsin"
    echo "export TOCSIN_KAFKA_PASSWORD_FILE=$SEC_DIR/tocsin.password"
    echo "export TOCSIN_KAFKA_TRUSTSTORE=$SEC_DIR/ca.pem"
  else
    echo "export TOCSIN_KAFKA_SECURITY_PROTOCOL=PLAINTEXT"
  fi
}

cmd_reset() {
  cmd_stop
  rm -rf "$DATA" "$CLUSTER_ID_FILE" "$PROPS" "$KDIR/format.log" "$SEC_DIR"
  echo "kafka data deleted ($DATA)"
}

case "${1:-}" in
  start)         shift; [[ $# -eq 0 ]] || usage; cmd_start ;;
  stop)          shift; [[ $# -eq 0 ]] || usage; cmd_stop ;;
  status)        shift; [[ $# -eq 0 ]] || usage; cmd_status ;;
  create-topics) shift; cmd_create_topics "$@" ;;
  topics)        shift; cmd_topics "$@" ;;
  produce)       shift; cmd_produce "$@" ;;
  consume)       shift; cmd_consume "$@" ;;
  libs)          shift; find_java; ensure_libs; echo "kafka jars in $LIBS" ;;
  reset)         shift; cmd_reset ;;
  client-env)    shift; [[ $# -eq 0 ]] || usage; cmd_client_env ;;
  -h|--help|help) usage ;;
  *)             usage ;;
esac
