#!/usr/bin/env bash
# Memory soak: Stratus under a mixed GetItem/PutItem/Query load for a while
# (default 10 minutes), its resident memory sampled every 30 s. Growth after
# the first minutes means a leak or an unbounded cache. See bench/README.md.
#
# usage: bench/dynamodb/soak.sh [--minutes M] [--items N] [--connections C]
set -euo pipefail
minutes=10
items=20000
connections=32
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --items) items=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "usage: $0 [--minutes M] [--items N] [--connections C]" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${STRATUS_BIN:-$root/build/stratus}
py=/usr/bin/python3
work=$(mktemp -d /tmp/stratus-soak.XXXXXX)
pid=
cleanup() { [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$bin" serve --port 0 --data-dir "$work/data" >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 100); do
  port=$(sed -n 's#.*listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p' "$work/out")
  [[ -n "$port" ]] && break
  sleep 0.1
done
[[ -n "$port" ]] || { cat "$work/err" >&2; exit 1; }
client() { "$py" "$here/client.py" --endpoint "http://127.0.0.1:$port" "$@"; }
rss() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status"; }

client wait-ready
echo "idle RSS: $(rss) KiB"
client create-table
client --table bench_q create-query-table --items "$items"
for op in GetItem PutItem Query; do client sign --operation "$op" >"$work/$op.headers"; done
# The bench table fills through the load's own PutItems (GetItems of keys not
# written yet are misses, still whole requests); bench_q is preloaded.
echo "load: ${minutes} min, $connections connections, $items keys"
wrk -t 2 -c "$connections" -d "${minutes}m" --timeout 10s -s "$here/mixed.lua" \
  "http://127.0.0.1:$port/" -- "$work/GetItem.headers" "$items" 2 "$connections" \
  "$work/PutItem.headers" "$work/Query.headers" >"$work/wrk.out" &
wrk_pid=$!
echo "seconds rss_kib"
start=$(date +%s)
while kill -0 "$wrk_pid" 2>/dev/null; do
  echo "$(( $(date +%s) - start )) $(rss)"
  sleep 30
done
wait "$wrk_pid"
grep '^RESULT' "$work/wrk.out" || cat "$work/wrk.out"
echo "final RSS: $(rss) KiB"
