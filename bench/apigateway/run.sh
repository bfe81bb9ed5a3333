#!/usr/bin/env bash
# API Gateway benchmark: a REST API method with a Lambda proxy integration
# of a no-op Node.js function, against serverless-offline's HTTP endpoint
# with the same handler and against Stratus's own direct Invoke of the same
# function; and a MOCK method with a small response template against
# Stratus's GetItem. Side by side in one run, reported as ratios. See
# bench/README.md.
set -euo pipefail

usage() {
  cat <<'EOF2'
usage: bench/apigateway/run.sh [options]
  --duration S       measured seconds per workload (default 10)
  --warmup S         unmeasured seconds before each (default 3)
  --rounds N         measure Stratus's workloads N times, interleaved (default 2)
  --connections N    concurrent connections (default 32)
  --threads N        wrk threads (default 2)
  --only NAME        stratus or sls (serverless-offline) (repeatable)
environment: STRATUS_BIN (default build/stratus under the repository root)
EOF2
}

duration=10
warmup=3
rounds=2
connections=32
threads=2
only=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --only)
      case "$2" in stratus|sls) only+=("$2") ;; *) usage >&2; exit 2 ;; esac
      shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
for n in "$duration" "$warmup" "$rounds" "$connections" "$threads"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "not a whole number: $n" >&2; exit 2; }
done
(( duration > 0 && rounds > 0 && connections >= threads && threads > 0 )) \
  || { echo "need duration > 0, rounds > 0, connections >= threads > 0" >&2; exit 2; }
(( ${#only[@]} > 0 )) || only=(stratus sls)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
stratus_bin=${STRATUS_BIN:-$root/build/stratus}
# The same pinned peers as bench/lambda/run.sh, in the same place.
peers=$root/bench/.peers-lambda
serverless_pkg=serverless@3.40.0
offline_pkg=serverless-offline@13.10.1
py=/usr/bin/python3
clk_tck=$(getconf CLK_TCK)

work=$(mktemp -d /tmp/stratus-bench-apigw.XXXXXX)
server_pid=
cleanup() {
  local rc=$?
  stop_server
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

. "$here/../lib.sh"

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
wants() { local n; for n in "${only[@]}"; do [[ $n == "$1" ]] && return 0; done; return 1; }

stop_server() {
  [[ -n "$server_pid" ]] || return 0
  local tree p
  tree=$(descendants "$server_pid")
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  for p in $tree; do kill -KILL "$p" 2>/dev/null || true; done
  server_pid=
}

results=$work/results.tsv
: >"$results"

# One workload: $1 server, $2 workload, $3 the request file.
measure() {
  local name=$1 workload=$2 request=$3 tree c0 c1 line req
  if (( warmup > 0 )); then
    timeout $(( warmup + 60 )) wrk -t "$threads" -c "$connections" -d "${warmup}s" \
      -s "$here/replay.lua" "http://127.0.0.1:$port/" -- "$request" >/dev/null || die "wrk failed"
  fi
  tree=$(descendants "$server_pid")
  c0=$(cpu_ticks $tree)
  line=$(timeout $(( duration + 60 )) wrk -t "$threads" -c "$connections" -d "${duration}s" \
           --timeout 10s -s "$here/replay.lua" "http://127.0.0.1:$port/" -- "$request" |
         grep '^RESULT') || die "wrk printed no result for $name $workload"
  tree=$(descendants "$server_pid")
  c1=$(cpu_ticks $tree)
  req=$(field requests "$line")
  awk -v s="$name" -v w="$workload" -v req="$req" -v dus="$(field duration_us "$line")" \
      -v p50="$(field p50_us "$line")" -v p99="$(field p99_us "$line")" \
      -v errs="$(( $(field status_errors "$line") + $(field socket_errors "$line") ))" \
      -v ticks="$(( c1 - c0 ))" -v hz="$clk_tck" \
      'BEGIN { printf("%s\t%s\t%.0f\t%.2f\t%.2f\t%.1f\t%d\n", s, w, req / (dus / 1e6), p50 / 1000,
                      p99 / 1000, (req > 0 ? ticks * 1e6 / hz / req : 0), errs) }' >>"$results"
  log "$(tail -1 "$results" | awk -F'\t' '{ printf "%s %s: %s req/s, p50 %s ms, p99 %s ms, %s CPU us/req, %s errors", $1, $2, $3, $4, $5, $6, $7 }')"
}

bench_stratus() {
  [[ -x "$stratus_bin" ]] || die "no Stratus binary at $stratus_bin"
  mkdir -p "$work/data"
  "$stratus_bin" serve --port 0 --data-dir "$work/data" >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
  for _ in $(seq 100); do
    port=$(sed -n 's#.*listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p' "$work/server.out")
    [[ -n "$port" ]] && break
    sleep 0.1
  done
  [[ -n "${port:-}" ]] || { cat "$work/server.err" >&2; die "Stratus did not start"; }
  "$py" "$here/client.py" --endpoint "http://127.0.0.1:$port" --out "$work" stratus \
    || die "setup failed on Stratus"
  local r w
  for r in $(seq "$rounds"); do
    for w in proxy invoke invoke-event mock getitem; do measure stratus "$w" "$work/$w.req"; done
  done
  stop_server
}

bench_sls() {
  if [[ ! -f $peers/node_modules/serverless-offline/package.json ]]; then
    log "installing $serverless_pkg and $offline_pkg into bench/.peers-lambda"
    mkdir -p "$peers"
    timeout 900 nice npm install --prefix "$peers" --no-audit --no-fund --loglevel=error \
      "$serverless_pkg" "$offline_pkg" >&2 || die "npm install failed"
  fi
  local svc=$work/sls-service
  mkdir -p "$svc"
  ln -sfn "$peers/node_modules" "$svc/node_modules"
  printf "exports.handler = async () => ({ statusCode: 200, body: '{}' });\n" >"$svc/handler.js"
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
    events:
      - http:
          path: noop
          method: get
YAML
  port=$(free_port)
  (cd "$svc" && exec env SLS_TELEMETRY_DISABLED=1 SLS_NOTIFICATIONS_MODE=off \
     SLS_DEPRECATION_DISABLE='*' AWS_ACCESS_KEY_ID=AKIABENCHMARK0000000 \
     AWS_SECRET_ACCESS_KEY=x AWS_REGION=us-east-1 \
     node "$peers/node_modules/serverless/bin/serverless.js" offline start --host 127.0.0.1 \
       --httpPort "$port" --lambdaPort "$(free_port)" --websocketPort "$(free_port)" --noTimeout) \
    >"$work/sls.out" 2>"$work/sls.err" &
  server_pid=$!
  "$py" "$here/client.py" --endpoint "http://127.0.0.1:$port" --out "$work" sls \
    || { cat "$work/sls.out" "$work/sls.err" >&2; die "serverless-offline did not answer"; }
  measure sls proxy "$work/sls.req"
  stop_server
}

report() {
  echo
  echo "API Gateway benchmark: $connections connections, $threads wrk threads, ${duration}s per workload ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs)"
  echo "load average at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "CPU us/req: utime+stime of the server and its descendants (environments) over the window"
  echo
  awk -F'\t' 'BEGIN { printf "%-8s %-12s %9s %8s %8s %12s %7s\n", "server", "workload", "req/s", "p50 ms", "p99 ms", "CPU us/req", "errors" }
              { printf "%-8s %-12s %9s %8s %8s %12s %7s\n", $1, $2, $3, $4, $5, $6, $7 }' "$results"
  echo
  echo "Ratios (req/s; each Stratus round against the other side)"
  awk -F'\t' '
    $1 == "stratus" { n[$2]++; s[$2, n[$2]] = $3; c[$2, n[$2]] = $6 }
    $1 == "sls" { sls = $3; slscpu = $6 }
    END {
      for (i = 1; i <= n["proxy"]; i++) {
        if (sls) printf "round %d  API->AWS_PROXY / serverless-offline HTTP: %.2fx req/s, %.2fx CPU per request\n", i, s["proxy", i] / sls, c["proxy", i] / slscpu
        printf "round %d  API->AWS_PROXY / direct Invoke:            %.2fx req/s\n", i, s["proxy", i] / s["invoke", i]
        printf "round %d  API->AWS_PROXY / Invoke of a same-size event: %.2fx req/s\n", i, s["proxy", i] / s["invoke-event", i]
        printf "round %d  API->MOCK / GetItem:                       %.2fx req/s\n", i, s["mock", i] / s["getitem", i]
      }
    }' "$results"
}

command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
wants stratus && bench_stratus
wants sls && bench_sls
report
