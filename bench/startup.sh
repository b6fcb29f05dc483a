#!/usr/bin/env bash
# Cold start to first served page, and idle memory, of the release binary.
# Usage: cargo build --release && bench/startup.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${WRITEATHON_BIN:-target/release/writeathon}
RUNS=${1:-10}
PORT=${PORT:-18080}
[ -x "$BIN" ] || { echo "build it first: cargo build --release" >&2; exit 1; }

ms() { date +%s%N | cut -c1-13; }

first_page() { # $1 = data dir; sets $took (ms from exec to the first 200 of a campaign page) and $pid
  local start; start=$(ms)
  "$BIN" serve --listen "127.0.0.1:$PORT" --data-dir "$1" --demo >/dev/null 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/campaigns/w4r-2017"; do sleep 0.005; done
  took=$(( $(ms) - start ))
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

empty=(); warm=()
for _ in $(seq "$RUNS"); do
  dir=$(mktemp -d)
  first_page "$dir"; empty+=("$took"); kill -TERM "$pid"; wait "$pid" || true
  first_page "$dir"; warm+=("$took"); kill -TERM "$pid"; wait "$pid" || true
  rm -rf "$dir"
done
echo "first page, empty data dir (create + migrate + seed demo): median $(printf '%s\n' "${empty[@]}" | median) ms over $RUNS runs (all: ${empty[*]})"
echo "first page, existing database:                            median $(printf '%s\n' "${warm[@]}" | median) ms over $RUNS runs (all: ${warm[*]})"

dir=$(mktemp -d)
first_page "$dir"
for path in / /campaigns/w4r-2017 /signin /api/v1/campaigns /api/v1/campaigns/w4r-2017/cases; do
  for _ in 1 2 3 4 5; do curl -fs -o /dev/null "http://127.0.0.1:$PORT$path"; done
done
sleep 5
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
echo "idle resident memory after serving 25 pages: $((rss / 1024)) MB ($rss kB)"
kill -TERM "$pid"; wait "$pid" || true
rm -rf "$dir"
