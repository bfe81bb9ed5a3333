#!/usr/bin/env bash
# Lambda benchmark: Invoke (RequestResponse) of a no-op Node.js function
# through the Lambda API, Stratus against serverless-offline, side by side in
# one run, reported as ratios. Also cold start (CreateFunction + first Invoke)
# and memory per idle environment. See bench/README.md.
set -euo pipefail

usage() {
  cat <<'EOF2'
usage: bench/lambda/run.sh [options]
  --duration S       measured seconds of Invoke load (default 10)
  --warmup S         unmeasured seconds before it (default 5)
  --sustain S        then S more unmeasured seconds of load and a second
                     measured window (default 30; 0: no second window)
  --connections N    concurrent connections (default 32)
  --threads N        wrk threads (default 2)
  --repeat N         cold starts per runtime (default 5)
  --only NAME        run one server only: stratus, sls (serverless-offline,
                     worker threads) or sls-inprocess (--useInProcess)
                     (repeatable)
environment: STRATUS_BIN (default build/stratus under the repository root)
EOF2
}

duration=10
warmup=5
sustain=30
connections=32
threads=2
repeat=5
only=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --sustain) sustain=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --only)
      case "$2" in stratus|sls|sls-inprocess) only+=("$2") ;; *) usage >&2; exit 2 ;; esac
      shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
for n in "$duration" "$warmup" "$sustain" "$connections" "$threads" "$repeat"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "not a whole number: $n" >&2; exit 2; }
done
(( duration > 0 && repeat > 0 && connections >= threads && threads > 0 )) \
  || { echo "need duration > 0, repeat > 0, connections >= threads > 0" >&2; exit 2; }
(( ${#only[@]} > 0 )) || only=(stratus sls sls-inprocess)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
stratus_bin=${STRATUS_BIN:-$root/build/stratus}
peers=$root/bench/.peers-lambda
py=/usr/bin/python3
# Pinned so runs stay comparable. Serverless Framework v4 needs a login, v3 not.
serverless_pkg=serverless@3.40.0
offline_pkg=serverless-offline@13.10.1
clk_tck=$(getconf CLK_TCK)
fn=noop

work=$(mktemp -d /tmp/stratus-bench-lambda.XXXXXX)
server_pid=
child_pid=
cleanup() {
  local rc=$?
  [[ -n "$child_pid" ]] && kill -TERM "$child_pid" 2>/dev/null
  stop_server
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

. "$here/../lib.sh"

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
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
  local tree
  tree=$(descendants "$server_pid")
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  wait "$server_pid" 2>/dev/null || true
  # Whatever the server left behind (by pid, as recorded above).
  local p
  for p in $tree; do kill -KILL "$p" 2>/dev/null || true; done
  server_pid=
}

# ---------------------------------------------------------------- peers ----

install_peers() {
  if { wants sls || wants sls-inprocess; } &&
     [[ ! -f $peers/node_modules/serverless-offline/package.json || ! -f $peers/node_modules/serverless/bin/serverless.js ]]; then
    command -v npm >/dev/null || die "npm is needed to install $serverless_pkg and $offline_pkg"
    log "installing $serverless_pkg and $offline_pkg into bench/.peers-lambda"
    mkdir -p "$peers"
    timeout 900 nice npm install --prefix "$peers" --no-audit --no-fund --loglevel=error \
      "$serverless_pkg" "$offline_pkg" >&2 || die "npm install failed"
  fi
}

# ------------------------------------------------------------- servers ----
# Each start_* sets server_pid and port (where the Lambda API answers).

start_stratus() {
  [[ -x "$stratus_bin" ]] || die "no Stratus binary at $stratus_bin (build it, or set STRATUS_BIN)"
  mkdir -p "$work/stratus-data"
  : >"$work/server.out"
  "$stratus_bin" serve --port 0 --data-dir "$work/stratus-data" \
    >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
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

# serverless-offline serves the Lambda Invoke API on its lambdaPort. The
# service is one function, the same no-op handler, named "noop" (not the
# default bench-dev-noop) so the request path is the same as on Stratus.
write_service() {
  local svc=$work/sls-service
  mkdir -p "$svc"
  ln -sfn "$peers/node_modules" "$svc/node_modules"
  printf 'exports.handler = async () => ({});\n' >"$svc/handler.js"
  cat >"$svc/serverless.yml" <<YAML
service: bench
frameworkVersion: '3'
provider:
  name: aws
  runtime: nodejs20.x
  region: us-east-1
  stage: dev
plugins:
  - serverless-offline
functions:
  noop:
    handler: handler.handler
    name: $fn
YAML
}

start_sls_common() {
  write_service
  port=$(free_port)
  local http ws
  http=$(free_port); ws=$(free_port)
  # No telemetry, no update checks: the run stays offline.
  (cd "$work/sls-service" && exec env SLS_TELEMETRY_DISABLED=1 SLS_NOTIFICATIONS_MODE=off \
     SLS_DEPRECATION_DISABLE='*' AWS_ACCESS_KEY_ID=AKIABENCHMARK0000000 \
     AWS_SECRET_ACCESS_KEY=x AWS_REGION=us-east-1 \
     node "$peers/node_modules/serverless/bin/serverless.js" offline start \
       --host 127.0.0.1 --lambdaPort "$port" --httpPort "$http" --websocketPort "$ws" "$@") \
    >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
}
start_sls() { start_sls_common; }
start_sls_inprocess() { start_sls_common --useInProcess; }

# ---------------------------------------------------------- measurement ----

client() {
  run timeout 600 "$py" "$here/client.py" --endpoint "http://127.0.0.1:$port" --function "$fn" "$@"
}

run_wrk() {
  local seconds=$1
  run timeout $(( seconds + 60 )) wrk -t "$threads" -c "$connections" -d "${seconds}s" \
    --timeout 10s -s "$here/invoke.lua" "http://127.0.0.1:$port/" -- "$work/invoke.headers" "$fn"
}


results=$work/results.tsv
: >"$results"

# One measured window of Invoke load: a row of $results labelled $2 (INVOKE:
# after the warm-up; SUSTAINED: after --sustain more seconds of load).
measure_invoke() {
  local name=$1 label=$2 tree c0 c0s c1 c1s out line req
  tree=$(descendants "$server_pid")
  c0=$(cpu_ticks $tree); c0s=$(cpu_ticks "$server_pid")
  run_wrk "$duration" >"$work/wrk.out" || die "wrk failed on $name"
  out=$(<"$work/wrk.out")
  # Environments started during the run count too (from their start).
  tree=$(descendants "$server_pid")
  c1=$(cpu_ticks $tree); c1s=$(cpu_ticks "$server_pid")
  line=$(grep '^RESULT' <<<"$out") || { log "$out"; die "wrk printed no result for $name"; }
  req=$(field requests "$line")
  awk -v s="$name" -v label="$label" -v req="$req" -v dus="$(field duration_us "$line")" \
      -v p50="$(field p50_us "$line")" -v p99="$(field p99_us "$line")" \
      -v errs="$(( $(field status_errors "$line") + $(field socket_errors "$line") ))" \
      -v ticks="$(( c1 - c0 ))" -v sticks="$(( c1s - c0s ))" -v hz="$clk_tck" \
      -v bytes="$(field bytes "$line")" \
      'BEGIN { printf("%s\t%s\t%.0f\t%.2f\t%.2f\t%.1f\t%.1f\t%d\t%.0f\n", s, label, req / (dus / 1e6),
                      p50 / 1000, p99 / 1000, (req > 0 ? ticks * 1e6 / hz / req : 0),
                      (req > 0 ? sticks * 1e6 / hz / req : 0), errs, (req > 0 ? bytes / req : 0)) }' >>"$results"
  log "$(tail -1 "$results" | awk -F'\t' '{ printf "%s: %s req/s, p50 %s ms, p99 %s ms, %s CPU us/invoke (server process alone %s), %s errors, %s response bytes/req", $2, $3, $4, $5, $6, $7, $8, $9 }')"
}

bench_server() {
  local name=$1 fname=${1//-/_}
  log ""
  log "== $name"
  "start_$fname"
  local rss_start first_ms=-
  if [[ $name == stratus ]]; then
    client --timeout 60 wait-ready || { cat "$work/server.err" >&2; die "$name did not answer"; }
    rss_start=$(rss_kib "$server_pid")
    client create || die "CreateFunction failed on $name"
  else
    # The port opens once the plugin is up; the first Invoke loads the handler.
    rss_start=
    local i
    for i in $(seq 600); do
      kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.out" "$work/server.err" >&2; die "$name exited"; }
      "$py" -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' \
        "$port" 2>/dev/null && break
      sleep 0.1
    done
    rss_start=$(rss_kib $(descendants "$server_pid"))
    first_ms=$(client --timeout 60 wait-ready --invoke) || { cat "$work/server.out" "$work/server.err" >&2; die "$name did not answer"; }
    printf '%s\tCOLD\tnodejs20.x\t-\t%s\t-\t-\t1\t-\t-\n' "$name" "$first_ms" >>"$results"
  fi

  # Memory of one idle environment: after two warm invokes of the no-op
  # function, the only function on the server (cold starts come after).
  client invoke --count 2 >/dev/null || die "Invoke failed on $name"
  sleep 0.5
  local tree envs env_rss rss_total
  tree=$(descendants "$server_pid")
  envs=$(grep -vx "$server_pid" <<<"$tree" || true)
  env_rss=$( [[ -n "$envs" ]] && rss_kib $envs || echo 0 )
  rss_total=$(rss_kib $tree)
  printf '%s\tMEM\t%s\t%s\t%s\t%s\n' "$name" "$rss_start" "$(rss_kib "$server_pid")" \
    "$(wc -w <<<"$envs")" "$env_rss" >>"$results"
  [[ -n "$envs" ]] && log "environment processes: $(for p in $envs; do printf '%s(%s kB) ' "$(cat /proc/$p/comm 2>/dev/null)" "$(rss_kib $p)"; done)"
  if [[ $name == stratus ]]; then
    # Cold start: CreateFunction then the first Invoke, per runtime.
    log "cold starts: $repeat per runtime"
    client cold-start --repeat "$repeat" --delete >"$work/cold.tsv" || die "cold start failed on $name"
    sed "s/^/$name\tCOLD\t/" "$work/cold.tsv" >>"$results"
  fi

  client sign >"$work/invoke.headers"
  if (( warmup > 0 )); then run_wrk "$warmup" >/dev/null || die "wrk failed"; fi
  measure_invoke "$name" INVOKE
  if (( sustain > 0 )); then
    run_wrk "$sustain" >/dev/null || die "wrk failed"
    measure_invoke "$name" SUSTAINED
  fi
  tree=$(descendants "$server_pid")
  printf '%s\tAFTER\t%s\t%s\n' "$name" "$(( $(wc -w <<<"$tree") - 1 ))" "$(rss_kib $tree)" >>"$results"
  if [[ -s "$work/server.err" ]] && grep -qiE 'error|exception|fatal' "$work/server.err"; then
    log "$name wrote errors to stderr; first lines:"
    grep -iE 'error|exception|fatal' "$work/server.err" | head -5 >&2
  fi
  stop_server
}

report() {
  echo
  echo "Lambda benchmark: Invoke of a no-op nodejs20.x function, $connections connections, $threads wrk threads, ${duration}s ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs)"
  echo "load average at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "CPU us/invoke: utime+stime of the server and all its descendant processes (environments); 'server' is the server process alone."
  echo "window: 'first' is the ${duration}s after a ${warmup}s warm-up; 'sustained' the ${duration}s after ${sustain}s more of load."
  awk -F'\t' '
    BEGIN { printf "%-14s %-10s %9s %9s %9s %14s %12s %7s\n", "server", "window", "req/s", "p50 ms", "p99 ms", "CPU us/invoke", "(server)", "errors" }
    $2 == "INVOKE" || $2 == "SUSTAINED" {
      printf "%-14s %-10s %9s %9s %9s %14s %12s %7s\n", $1, ($2 == "INVOKE" ? "first" : "sustained"), $3, $4, $5, $6, $7, $8
    }' "$results"
  echo
  echo "Cold start (wall time seen by a botocore client; median of N; Stratus: CreateFunction until Active, then the first Invoke)"
  awk -F'\t' '
    BEGIN { printf "%-14s %-11s %10s %15s %10s %12s %4s %16s\n", "server", "runtime", "create ms", "first invoke ms", "total ms", "warm inv. ms", "N", "total min..max" }
    $2 == "COLD" { printf "%-14s %-11s %10s %15s %10s %12s %4s %16s\n", $1, $3, $4, $5, $6, $7, $8, $9 ".." $10 }' "$results"
  echo "(serverless-offline has no CreateFunction: its row is the first Invoke after start, which loads the handler)"
  echo
  echo "Memory (VmRSS)"
  awk -F'\t' '
    $2 == "MEM" {
      if ($5 > 0) printf "%-14s %d idle environment process(es) after a warm invoke: %.1f MiB in all, %.1f MiB each; server process %.1f MiB\n", $1, $5, $6 / 1024, $6 / 1024 / $5, $4 / 1024
      else printf "%-14s no environment process (handlers run inside the server): server %.1f MiB before the first invoke, %.1f MiB after a warm invoke (+%.1f MiB)\n", $1, $3 / 1024, $4 / 1024, ($4 - $3) / 1024
    }
    $2 == "AFTER" { printf "%-14s after the load: %d descendant process(es), %.1f MiB in all with the server\n", $1, $3, $4 / 1024 }' "$results"
  if grep -q $'^stratus\tINVOKE' "$results" && grep -v '^stratus' "$results" | grep -q $'\tINVOKE\t'; then
    echo
    echo "Ratios Stratus/peer (req/s: higher is better for Stratus; latency and CPU: lower is better)"
    echo "(each window against the same window of the peer; 'strictest' compares Stratus's worse window with the peer's better one)"
    awk -F'\t' '
      $2 != "INVOKE" && $2 != "SUSTAINED" { next }
      $1 == "stratus" { s[$2] = $0; next }
      { if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }; p[$1, $2] = $0 }
      function ratio(peer, window, mine, theirs,   a, b) {
        split(mine, a, "\t"); split(theirs, b, "\t")
        printf "%-14s %-10s %7.2fx %7.2fx %7.2fx %13.2fx\n", peer, window, a[3] / b[3],
               (b[4] > 0 ? a[4] / b[4] : 0), (b[5] > 0 ? a[5] / b[5] : 0), (b[6] > 0 ? a[6] / b[6] : 0)
      }
      function rate(row,   f) { split(row, f, "\t"); return f[3] + 0 }
      END {
        printf "%-14s %-10s %8s %8s %8s %14s\n", "peer", "window", "req/s", "p50", "p99", "CPU us/invoke"
        for (i = 1; i <= n; i++) {
          peer = order[i]
          if (("INVOKE" in s) && ((peer, "INVOKE") in p)) ratio(peer, "first", s["INVOKE"], p[peer, "INVOKE"])
          if (("SUSTAINED" in s) && ((peer, "SUSTAINED") in p)) ratio(peer, "sustained", s["SUSTAINED"], p[peer, "SUSTAINED"])
          if (("SUSTAINED" in s) && ((peer, "SUSTAINED") in p)) {
            mine = rate(s["INVOKE"]) < rate(s["SUSTAINED"]) ? s["INVOKE"] : s["SUSTAINED"]
            theirs = rate(p[peer, "INVOKE"]) > rate(p[peer, "SUSTAINED"]) ? p[peer, "INVOKE"] : p[peer, "SUSTAINED"]
            ratio(peer, "strictest", mine, theirs)
          }
        }
      }' "$results"
  fi
}

command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
"$py" -c 'import botocore' 2>/dev/null || die "$py needs botocore (apt-get install python3-botocore)"
install_peers
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for server in stratus sls sls-inprocess; do
  wants "$server" && bench_server "$server"
done
report
