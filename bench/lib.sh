# Shell helpers the benchmark scripts share; sourced, not run. They read
# $py (the Python interpreter with botocore) where they need one.

# A process and every process below it, by pid.
descendants() {
  local p c
  for p in "$@"; do
    echo "$p"
    for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do descendants "$c"; done
  done
}

# utime + stime of processes, in clock ticks, summed.
cpu_ticks() {
  local p stat sum=0
  for p in "$@"; do
    stat=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    set -- $stat
    sum=$(( sum + ${12} + ${13} ))
  done
  echo "$sum"
}

# VmRSS summed over processes, in KiB.
rss_kib() {
  local p sum=0 v
  for p in "$@"; do
    v=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$p/status" 2>/dev/null) || continue
    sum=$(( sum + ${v:-0} ))
  done
  echo "$sum"
}

free_port() {
  "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The value of name=value in a RESULT line of the wrk scripts.
field() { sed -n "s/.*[[:space:]]$1=\([0-9.]*\).*/\1/p" <<<" $2" | head -1; }
