#!/usr/bin/env bash
# Tocsin local Flink session cluster: one JobManager and TaskManagers (separate JVMs) on loopback,
# run from Flink's own jars on Maven Central (deploy/cluster/pom.xml) with deploy/cluster/config.yaml.
#
#   cluster.sh up                      resolve jars if needed, start the JobManager and the
#                                      TaskManagers, wait until every slot is registered
#   cluster.sh down                    stop the TaskManagers, then the JobManager
#   cluster.sh status                  processes, slots, jobs; exit 0 if the JobManager answers
#   cluster.sh submit [OPTIONS] [-- JOB_ARGS...]
#                                      upload the job jar through the REST API and run it
#                                      (tocsin run JOB_ARGS...), restoring from the newest retained
#                                      checkpoint or savepoint unless told otherwise; prints the job id
#       --parallelism N                default 4
#       --from-savepoint PATH          restore from this savepoint or checkpoint
#       --fresh                        empty state (the checkpoints stay on disk)
#       --allow-non-restored-state     the snapshot may hold state of an operator the job lacks
#       --jar FILE                     default jobs/target/tocsin-jobs-cluster.jar
#   cluster.sh cancel [JOB_ID] [--savepoint [DIR]] [--drain]
#                                      cancel the job (default: the one running); with --savepoint
#                                      stop it with a savepoint (default dir: the cluster's) and
#                                      print its path; --drain first ends event time (every pending
#                                      timer fires: the end of a replay)
#   cluster.sh start-taskmanager       start one more TaskManager (the next free number)
#   cluster.sh stop-taskmanager N      stop TaskManager N
#   cluster.sh latest-checkpoint       print the newest retained checkpoint or savepoint, if any
#   cluster.sh rest                    print the REST endpoint
#   cluster.sh libs                    only resolve the jars
#
# Environment:
#   TOCSIN_HOME                     repo root (default: three levels above this script)
#   TOCSIN_LOCAL_DIR                runtime dir (default: $TOCSIN_HOME/.local)
#   TOCSIN_CLUSTER_LIBS             where Flink's jars are resolved (default: $TOCSIN_LOCAL_DIR/cluster/libs;
#                                   tests point it at the checkout's, so jars resolve once)
#   TOCSIN_CLUSTER_REST_PORT        REST API and web UI on 127.0.0.1 (default 8081)
#   TOCSIN_CLUSTER_RPC_PORT         JobManager RPC on 127.0.0.1 (default 6123)
#   TOCSIN_CLUSTER_METRICS_PORTS    Prometheus reporter ports, one per process, first free taken
#                                   (default 9250-9260)
#   TOCSIN_CLUSTER_TASKMANAGERS     TaskManagers started by up (default 2)
#   TOCSIN_CLUSTER_SLOTS            slots per TaskManager (default 2)
#   TOCSIN_CLUSTER_STATE_DIR        shared checkpoint and savepoint directory (default
#                                   $TOCSIN_LOCAL_DIR/cluster/state)
#   TOCSIN_CLUSTER_OPTS             extra -D key=value for every process (e.g. "-D heartbeat.timeout=30s")
#   TOCSIN_CLUSTER_START_TIMEOUT    seconds to wait for the processes and slots (default 120)
#   JAVA_HOME, MVN                  as for deploy/local/kafka/kafka.sh
#
# Exit codes: 0 ok; 1 failed / not running; 2 usage; 3 port taken by another process;
#             4 the cluster did not come up; 5 environment (java/maven/jar resolution).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${TOCSIN_HOME:-$(cd "$SCRIPT_DIR/../.." && pwd)}
LOCAL=${TOCSIN_LOCAL_DIR:-$ROOT/.local}
CDIR=$LOCAL/cluster
LIBS=${TOCSIN_CLUSTER_LIBS:-$CDIR/libs}
CONF=$CDIR/conf
STATE=${TOCSIN_CLUSTER_STATE_DIR:-$CDIR/state}
RUN_DIR=$LOCAL/run
LOG_DIR=$LOCAL/logs
JM_PID=$RUN_DIR/flink-jobmanager.pid
REST_PORT=${TOCSIN_CLUSTER_REST_PORT:-8081}
RPC_PORT=${TOCSIN_CLUSTER_RPC_PORT:-6123}
METRICS_PORTS=${TOCSIN_CLUSTER_METRICS_PORTS:-9250-9260}
TASKMANAGERS=${TOCSIN_CLUSTER_TASKMANAGERS:-2}
SLOTS=${TOCSIN_CLUSTER_SLOTS:-2}
START_TIMEOUT=${TOCSIN_CLUSTER_START_TIMEOUT:-120}
REST=http://127.0.0.1:$REST_PORT
MVN=${MVN:-mvn}
JM_CLASS=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
TM_CLASS=org.apache.flink.runtime.taskexecutor.TaskManagerRunner
ENTRY_CLASS=io.tocsin.cli.ClusterJob

log() { echo "cluster: $*" >&2; }
die() { local code=$1; shift; echo "cluster: ERROR: $*" >&2; exit "$code"; }

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
}

need_tools() {
  command -v curl >/dev/null 2>&1 || die 5 "curl not found (Debian: apt-get install curl)"
  command -v python3 >/dev/null 2>&1 || die 5 "python3 not found (reads the REST API's JSON)"
}

# The jars depend on this pom and the parent's versions.
pom_hash() { cat "$SCRIPT_DIR/pom.xml" "$ROOT/pom.xml" | sha256sum | cut -d' ' -f1; }

libs_complete() {
  [[ -f "$LIBS/.resolved" ]] || return 1
  [[ "$(head -n 1 "$LIBS/.resolved")" == "$(pom_hash)" ]] || return 1
  local jar n=0
  while IFS= read -r jar; do
    [[ -f "$LIBS/$jar" ]] || return 1
    n=$((n + 1))
  done < <(tail -n +2 "$LIBS/.resolved")
  (( n > 0 )) && compgen -G "$LIBS/flink-runtime-[0-9]*.jar" >/dev/null \
    && compgen -G "$LIBS/flink-runtime-web-*.jar" >/dev/null
}

ensure_libs() {
  libs_complete && return 0
  command -v "$MVN" >/dev/null 2>&1 || die 5 "jars missing in $LIBS and no maven ('$MVN') to resolve them"
  log "resolving Flink's jars into $LIBS (Maven Central)..."
  local tmp="$LIBS.tmp.$$" out="$CDIR/resolve.log"
  rm -rf "$tmp"; mkdir -p "$CDIR" "$(dirname "$LIBS")"
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

# The --add-opens list Flink needs on JDK 17, declared once in the root pom.xml.
jvm_opens() { sed -n 's:.*<tocsin.jvm.opens>\(.*\)</tocsin.jvm.opens>.*:\1:p' "$ROOT/pom.xml"; }

render_conf() {
  mkdir -p "$CONF" "$STATE/checkpoints" "$STATE/savepoints" "$CDIR/web" "$RUN_DIR" "$LOG_DIR"
  cp "$SCRIPT_DIR/config.yaml" "$CONF/config.yaml.tmp"
  mv "$CONF/config.yaml.tmp" "$CONF/config.yaml"
  cp "$SCRIPT_DIR/log4j2.properties" "$CONF/log4j2.properties"
  echo "$REST_PORT" >"$RUN_DIR/flink-rest.port"
}

# -D options every process gets: this checkout's ports and directories.
dynamic_props() {
  local state_uri
  state_uri=$(python3 -c 'import pathlib,sys; print(pathlib.Path(sys.argv[1]).absolute().as_uri())' "$STATE")
  # shellcheck disable=SC2206
  DYN=(-D "rest.port=$REST_PORT" -D "jobmanager.rpc.port=$RPC_PORT"
       -D "execution.checkpointing.dir=$state_uri/checkpoints"
       -D "execution.checkpointing.savepoint-dir=$state_uri/savepoints"
       -D "metrics.reporter.prom.port=$METRICS_PORTS"
       -D "web.tmpdir=$CDIR/web" -D "web.upload.dir=$CDIR/web"
       -D "taskmanager.numberOfTaskSlots=$SLOTS"
       ${TOCSIN_CLUSTER_OPTS:-})
}

# ---------------------------------------------------------------- process helpers

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# Prints the pid and returns 0 if the pid file names a live process of this checkout's cluster.
running_pid() {
  local file=$1 class=$2 pid args
  [[ -f "$file" ]] || return 1
  pid=$(tr -dc '0-9' <"$file")
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  args=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || ps -p "$pid" -o args= 2>/dev/null || true)
  [[ "$args" == *"$class"* && "$args" == *"$CONF"* ]] || return 1
  echo "$pid"
}

tm_pid_file() { echo "$RUN_DIR/flink-taskmanager-$1.pid"; }

# Numbers of the TaskManagers whose pid files name a live process.
live_tms() {
  local f n
  for f in "$RUN_DIR"/flink-taskmanager-*.pid; do
    [[ -e "$f" ]] || continue
    n=${f##*/flink-taskmanager-}; n=${n%.pid}
    running_pid "$f" "$TM_CLASS" >/dev/null && echo "$n"
  done
  return 0
}

# Runs BashJavaUtils (as Flink's own scripts do) for the JVM memory flags and the derived
# memory options of a JobManager (JM) or TaskManager (TM).
resource_params() {
  local kind=$1 out
  out=$("$JAVA" -Xmx128m -XX:+UseSerialGC -cp "$LIBS/*" -Dlog4j2.configurationFile=/dev/null \
        org.apache.flink.runtime.util.bash.BashJavaUtils "GET_${kind}_RESOURCE_PARAMS" \
        --configDir "$CONF" "${DYN[@]}" 2>&1) || { echo "$out" >&2; die 4 "BashJavaUtils failed"; }
  RES_JVM=$(grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$out" | sed -n 1p | cut -d: -f2-)
  RES_DYN=$(grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$out" | sed -n 2p | cut -d: -f2-)
  [[ -n "$RES_JVM" ]] || { echo "$out" >&2; die 4 "BashJavaUtils printed no JVM parameters"; }
}

# start_process NAME PID_FILE CLASS EXTRA_DYNAMIC_PROPS...
start_process() {
  local name=$1 pid_file=$2 class=$3 kind
  shift 3
  kind=TM; [[ $class == "$JM_CLASS" ]] && kind=JM
  resource_params "$kind"
  local logf=$LOG_DIR/flink-$name.log out=$LOG_DIR/flink-$name.out
  # shellcheck disable=SC2206
  local jvm=($RES_JVM $(jvm_opens) -XX:+UseG1GC -Djava.awt.headless=true
             "-Dlog.file=$logf" "-Dlog4j.configurationFile=$CONF/log4j2.properties"
             "-Dlog4j2.configurationFile=$CONF/log4j2.properties")
  # shellcheck disable=SC2206
  local res_dyn=($RES_DYN)
  local launcher=(nohup)
  command -v setsid >/dev/null 2>&1 && launcher=(setsid nohup)
  : >"$out"
  rm -f "$pid_file"
  # The inner shell writes its pid and execs java under it, in a session of its own.
  "${launcher[@]}" bash -c 'echo $$ >"$0"; exec "$@"' "$pid_file" \
    "$JAVA" "${jvm[@]}" -cp "$LIBS/*" "$class" --configDir "$CONF" "${DYN[@]}" "${res_dyn[@]}" "$@" \
    >>"$out" 2>&1 </dev/null &
  local i
  for i in $(seq 50); do [[ -s "$pid_file" ]] && break; sleep 0.1; done
  [[ -s "$pid_file" ]] || die 4 "$name did not start (no pid)"
  log "$name started (pid $(cat "$pid_file"), log $logf)"
}

stop_pid() {
  local pid=$1 what=$2 i
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$what still up after 30s; SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

# GET/POST the REST API; prints the body, fails on a transport error.
rest_get() { curl -sS --max-time 30 "$REST$1"; }

# json EXPR: evaluates EXPR (Python) with j = the JSON on stdin.
json() { python3 -c 'import json,sys; j=json.load(sys.stdin); r=eval(sys.argv[1]); print(r if r is not None else "")' "$1"; }

registered_slots() { rest_get /overview 2>/dev/null | json 'j.get("slots-total", 0)' 2>/dev/null || echo 0; }

wait_slots() {
  local want=$1 deadline=$((SECONDS + START_TIMEOUT)) have=0
  while (( SECONDS < deadline )); do
    running_pid "$JM_PID" "$JM_CLASS" >/dev/null || { tail -n 40 "$LOG_DIR/flink-jobmanager.log" >&2 2>/dev/null || true; die 4 "the JobManager exited (see $LOG_DIR/flink-jobmanager.log)"; }
    have=$(registered_slots)
    (( have >= want )) && return 0
    sleep 0.5
  done
  die 4 "only $have of $want slots registered after ${START_TIMEOUT}s (see $LOG_DIR/flink-*.log)"
}

# ---------------------------------------------------------------- commands

cmd_up() {
  need_tools
  find_java
  local pid
  if pid=$(running_pid "$JM_PID" "$JM_CLASS"); then
    log "JobManager already running (pid $pid) on $REST"
  else
    local p
    for p in "$REST_PORT" "$RPC_PORT"; do
      port_open "$p" && die 3 "port 127.0.0.1:$p is already in use by another process; stop it or set TOCSIN_CLUSTER_REST_PORT / TOCSIN_CLUSTER_RPC_PORT"
    done
    ensure_libs
    render_conf
    dynamic_props
    start_process jobmanager "$JM_PID" "$JM_CLASS"
  fi
  render_conf
  dynamic_props
  local n
  for n in $(seq 1 "$TASKMANAGERS"); do
    if ! running_pid "$(tm_pid_file "$n")" "$TM_CLASS" >/dev/null; then
      start_process "taskmanager-$n" "$(tm_pid_file "$n")" "$TM_CLASS" -D "taskmanager.resource-id=tm-$n"
    fi
  done
  local tms
  tms=$(live_tms | wc -l)
  wait_slots $((tms * SLOTS))
  echo "flink cluster running: JobManager $REST, $tms TaskManagers, $((tms * SLOTS)) slots; checkpoints in $STATE/checkpoints"
}

cmd_start_taskmanager() {
  need_tools
  find_java
  running_pid "$JM_PID" "$JM_CLASS" >/dev/null || die 1 "the cluster is not running (run: $0 up)"
  ensure_libs
  render_conf
  dynamic_props
  local n=1
  while running_pid "$(tm_pid_file "$n")" "$TM_CLASS" >/dev/null; do n=$((n + 1)); done
  local before
  before=$(registered_slots)
  start_process "taskmanager-$n" "$(tm_pid_file "$n")" "$TM_CLASS" -D "taskmanager.resource-id=tm-$n-$(date +%s)"
  wait_slots $(( $(live_tms | wc -l) * SLOTS ))
  echo "taskmanager $n running (pid $(cat "$(tm_pid_file "$n")")); slots $before -> $(registered_slots)"
}

cmd_stop_taskmanager() {
  [[ $# -eq 1 && $1 =~ ^[0-9]+$ ]] || usage
  local pid
  if pid=$(running_pid "$(tm_pid_file "$1")" "$TM_CLASS"); then
    stop_pid "$pid" "taskmanager $1"
    echo "taskmanager $1 stopped (pid $pid)"
  else
    echo "taskmanager $1 not running"
  fi
  rm -f "$(tm_pid_file "$1")"
}

cmd_down() {
  local n pid
  for n in $(live_tms); do
    pid=$(running_pid "$(tm_pid_file "$n")" "$TM_CLASS") && stop_pid "$pid" "taskmanager $n"
    echo "taskmanager $n stopped (pid $pid)"
  done
  rm -f "$RUN_DIR"/flink-taskmanager-*.pid
  if pid=$(running_pid "$JM_PID" "$JM_CLASS"); then
    stop_pid "$pid" "jobmanager"
    echo "jobmanager stopped (pid $pid)"
  else
    echo "flink cluster not running"
  fi
  rm -f "$JM_PID"
}

cmd_status() {
  local pid n
  if ! pid=$(running_pid "$JM_PID" "$JM_CLASS"); then
    echo "flink cluster not running"
    return 1
  fi
  echo "jobmanager: running (pid $pid), $REST"
  for n in $(live_tms); do
    echo "taskmanager $n: running (pid $(running_pid "$(tm_pid_file "$n")" "$TM_CLASS"))"
  done
  need_tools
  local overview jobs
  overview=$(rest_get /overview 2>/dev/null) || { echo "REST API not answering (starting?)"; return 1; }
  json '"registered: %d taskmanagers, %d slots (%d free)" % (j["taskmanagers"], j["slots-total"], j["slots-available"])' <<<"$overview"
  jobs=$(rest_get /jobs/overview) || return 1
  json '"\n".join("job %s %s %s" % (x["jid"], x["name"], x["state"]) for x in j["jobs"]) or "no jobs"' <<<"$jobs"
}

# The newest retained checkpoint or savepoint (a job stopped with a savepoint leaves no retained
# checkpoint: its savepoint is where it resumes).
latest_checkpoint() {
  local dirs=()
  [[ -d "$STATE/checkpoints" ]] && dirs+=("$STATE/checkpoints")
  [[ -d "$STATE/savepoints" ]] && dirs+=("$STATE/savepoints")
  (( ${#dirs[@]} )) || return 0
  find "${dirs[@]}" \( -path '*/chk-*/_metadata' -o -path '*/savepoint-*/_metadata' \) \
    -printf '%T@ %h\n' 2>/dev/null | sort -n | tail -n 1 | cut -d' ' -f2-
}

# Ids of the jobs that are not finished (running, restarting, ...).
active_jobs() {
  rest_get /jobs/overview \
    | json '"\n".join(x["jid"] for x in j["jobs"] if x["state"] not in ("FINISHED","CANCELED","FAILED"))'
}

cmd_submit() {
  need_tools
  local parallelism=4 savepoint="" fresh=0 allow=false jar=$ROOT/jobs/target/tocsin-jobs-cluster.jar
  while (( $# )); do
    case "$1" in
      --parallelism) parallelism=${2:?}; shift 2 ;;
      --from-savepoint) savepoint=${2:?}; shift 2 ;;
      --fresh) fresh=1; shift ;;
      --allow-non-restored-state) allow=true; shift ;;
      --jar) jar=${2:?}; shift 2 ;;
      --) shift; break ;;
      *) die 2 "submit: unknown option '$1' (job arguments go after --)" ;;
    esac
  done
  [[ $parallelism =~ ^[1-9][0-9]*$ ]] || die 2 "submit: --parallelism wants a positive number"
  [[ -f "$jar" ]] || die 5 "job jar $jar is missing (./tocsin build)"
  running_pid "$JM_PID" "$JM_CLASS" >/dev/null || die 1 "the cluster is not running (run: $0 up)"
  local active
  active=$(active_jobs) || die 1 "the REST API at $REST does not answer"
  [[ -z "$active" ]] || die 1 "a job is already running on the cluster ($active): cancel it first"
  if [[ -z "$savepoint" && $fresh == 0 ]]; then
    savepoint=$(latest_checkpoint)
    [[ -n "$savepoint" ]] && log "restoring from the newest retained checkpoint $savepoint"
  fi
  [[ -n "$savepoint" ]] || log "starting from empty state"
  local upload id body answer jobid
  upload=$(curl -sS --max-time 300 -X POST -H "Expect:" -F "jarfile=@$jar" "$REST/jars/upload") \
    || die 1 "jar upload failed"
  id=$(json 'j["filename"].rsplit("/", 1)[-1] if j.get("status") == "success" else None' <<<"$upload")
  [[ -n "$id" ]] || die 1 "jar upload failed: $upload"
  body=$(python3 - "$ENTRY_CLASS" "$parallelism" "$savepoint" "$allow" "$@" <<'PY'
import json, sys
entry, parallelism, savepoint, allow, *args = sys.argv[1:]
# The job sets its parallelism itself (tocsin run --parallelism), so it is passed both ways.
req = {"entryClass": entry, "parallelism": int(parallelism),
       "programArgsList": ["run", "--parallelism", parallelism] + args}
if savepoint:
    req["savepointPath"] = savepoint
    req["allowNonRestoredState"] = allow == "true"
print(json.dumps(req))
PY
)
  answer=$(curl -sS --max-time 300 -X POST -H 'Content-Type: application/json' -d "$body" "$REST/jars/$id/run") \
    || die 1 "job submission failed"
  curl -sS --max-time 30 -X DELETE "$REST/jars/$id" >/dev/null 2>&1 || true
  jobid=$(json 'j.get("jobid")' <<<"$answer" 2>/dev/null || true)
  [[ -n "$jobid" ]] || die 1 "job submission failed: $answer"
  echo "submitted job $jobid (parallelism $parallelism${savepoint:+, restored from $savepoint})"
}

cmd_cancel() {
  need_tools
  local job="" with_savepoint=0 dir="" drain=False
  while (( $# )); do
    case "$1" in
      --drain) drain=True; with_savepoint=1; shift ;;
      --savepoint)
        with_savepoint=1; shift
        if [[ $# -gt 0 && $1 != --* ]] && [[ ! $1 =~ ^[0-9a-f]{32}$ ]]; then dir=$1; shift; fi ;;
      -*) die 2 "cancel: unknown option '$1'" ;;
      *) job=$1; shift ;;
    esac
  done
  if [[ -z "$job" ]]; then
    job=$(active_jobs) || die 1 "the REST API at $REST does not answer"
    [[ -n "$job" ]] || die 1 "no job is running"
    (( $(wc -l <<<"$job") == 1 )) || die 2 "several jobs run: name one ($(tr '\n' ' ' <<<"$job"))"
  fi
  if (( with_savepoint )); then
    local body rid status i
    body=$(python3 -c 'import json,sys; print(json.dumps({"drain": sys.argv[2] == "True", **({"targetDirectory": sys.argv[1]} if sys.argv[1] else {})}))' "$dir" "$drain")
    rid=$(curl -sS --max-time 30 -X POST -H 'Content-Type: application/json' -d "$body" "$REST/jobs/$job/stop" \
          | json 'j.get("request-id")') || true
    [[ -n "$rid" ]] || die 1 "could not stop job $job with a savepoint"
    for i in $(seq 600); do
      status=$(rest_get "/jobs/$job/savepoints/$rid" | json '
"IN_PROGRESS" if j["status"]["id"] != "COMPLETED" else ("FAILED " + str(j["operation"].get("failure-cause", {}).get("stack-trace", "")[:400]) if "failure-cause" in j["operation"] else "DONE " + j["operation"]["location"])')
      [[ $status == IN_PROGRESS ]] || break
      sleep 0.5
    done
    [[ $status == DONE* ]] || die 1 "stop with savepoint: $status"
    echo "job $job stopped with savepoint ${status#DONE }"
  else
    curl -sS --max-time 30 -X PATCH "$REST/jobs/$job?mode=cancel" >/dev/null || die 1 "cancel failed"
    local state i
    for i in $(seq 120); do
      state=$(rest_get "/jobs/$job" | json 'j["state"]')
      [[ $state == CANCELED || $state == FAILED || $state == FINISHED ]] && break
      sleep 0.5
    done
    echo "job $job $state"
  fi
}

case "${1:-}" in
  up|start)          shift; [[ $# -eq 0 ]] || usage; cmd_up ;;
  down|stop)         shift; [[ $# -eq 0 ]] || usage; cmd_down ;;
  status)            shift; cmd_status ;;
  submit)            shift; cmd_submit "$@" ;;
  cancel)            shift; cmd_cancel "$@" ;;
  start-taskmanager) shift; cmd_start_taskmanager ;;
  stop-taskmanager)  shift; cmd_stop_taskmanager "$@" ;;
  latest-checkpoint) shift; latest_checkpoint ;;
  rest)              echo "$REST" ;;
  libs)              shift; find_java; ensure_libs; echo "flink jars in $LIBS" ;;
  -h|--help|help)    usage ;;
  *)                 usage ;;
esac
