#!/usr/bin/env bash
# The event finder under load: requests/s and p50/p95/p99 latency of the finder API for realistic
# queries over the demo data plus N generated events, on SQLite and PostgreSQL; and what the finder
# page weighs, gzipped, with its CSS, JavaScript and marker images (map tiles excluded).
#
# Usage: cargo build --release && bench/finder.sh [seconds per run, default 10] [events, default 100000]
#   BACKENDS="sqlite postgres"   which backends (PostgreSQL is skipped when it cannot be reached)
#   CONCURRENCY="1 8"            connections per run
#   PG_URL=postgres://postgres@127.0.0.1:5432/postgres   a database we may create others from
#   NICE=-10                     on a shared machine, run the server, wrk and the PostgreSQL
#                                backends of the benchmark's own database at this priority
#
# Builds nothing. Installs wrk and jq from Debian when missing. Every run is bounded by time and
# goes to the server it started on 127.0.0.1; temporary data and databases are removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${WRITEATHON_BIN:-target/release/writeathon}
DURATION=${1:-10}
EVENTS=${2:-100000}
BACKENDS=${BACKENDS:-sqlite postgres}
NICE=${NICE:-0}
CONCURRENCY=${CONCURRENCY:-1 8}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
[ -x "$BIN" ] || { echo "build it first: cargo build --release" >&2; exit 1; }

need() { # $1 = command, $2 = Debian package
  command -v "$1" >/dev/null 2>&1 && return
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
need wrk wrk
need jq jq
need curl curl

prio=()
[ "$NICE" = 0 ] || prio=(nice -n "$NICE")
# The PostgreSQL backends serving the benchmark's database (started for its connections).
prioritise_pg() {
  [ "$NICE" != 0 ] && [ -n "$pgdb" ] || return 0
  local pids
  pids=$(psql -Atq "$PG_URL" -c "SELECT pid FROM pg_stat_activity WHERE datname = '$pgdb'" | tr '\n' ' ')
  [ -z "${pids// /}" ] || renice -n "$NICE" -p $pids >/dev/null
}

work=$(mktemp -d)
pid=""
pgdb=""
stop_server() {
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=""
  fi
}
drop_pg() {
  if [ -n "$pgdb" ]; then
    psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true
    pgdb=""
  fi
}
cleanup() { stop_server; drop_pg; rm -rf "$work"; }
trap cleanup EXIT

# wrk prints this line at the end of a run: requests/s, p50, p95, p99 (ms), requests, errors.
cat >"$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.0f %.2f %.2f %.2f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout))
end
LUA

start_server() { # $1 = label; uses db_args; sets pid and base
  local log="$work/serve-$1.log" addr=""
  "${prio[@]}" "$BIN" serve --listen 127.0.0.1:0 "${db_args[@]}" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 400); do
    addr=$(grep -ao 'listening on http://[0-9.]*:[0-9]*' "$log" | head -n1 | sed 's|listening on http://||' || true)
    [ -n "$addr" ] && break
    sleep 0.05
  done
  [ -n "$addr" ] || { echo "the server did not start:" >&2; cat "$log" >&2; exit 1; }
  base="http://$addr"
}

seed() { # $1 = label
  local t0=$EPOCHREALTIME
  "$BIN" seed-demo "${db_args[@]}" 2>&1 | grep -a 'demo data' || true
  awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "seed-demo took %.2f s\n", b - a }'
  "$BIN" seed-bench --events "$EVENTS" "${db_args[@]}" 2>&1 | grep -a 'seed-bench' || true
}

API=/api/v1/campaigns/w4r-2017/events
QUERIES=(
  "toronto|$API?near=43.65,-79.38&radius_km=25"
  "montreal-by-date|$API?near=45.50,-73.57&radius_km=50&sort=date"
  "text|$API?q=letters"
  "kind-country|$API?kind=school&country=CA"
)

bench_backend() { # $1 = label
  local label=$1 cursor name path c threads line
  start_server "$label"
  cursor=$(curl -fs "$base$API?near=43.65,-79.38&radius_km=25" | jq -r .next_cursor)
  [ -n "$cursor" ] && [ "$cursor" != null ] || { echo "no next_cursor for Toronto" >&2; exit 1; }
  local queries=("${QUERIES[@]}" "toronto-page-2|$API?near=43.65,-79.38&radius_km=25&cursor=$cursor")
  echo
  echo "### $label: $EVENTS generated events + demo, ${DURATION}s per run"
  echo
  echo "| query | events on page | connections | requests/s | p50 ms | p95 ms | p99 ms | errors | load after |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for q in "${queries[@]}"; do
    name=${q%%|*}
    path=${q#*|}
    local n
    n=$(curl -fs "$base$path" | jq '.events | length')
    # Warm up: caches, the connection pool, SQLite's page cache.
    wrk -t2 -c8 -d2s "$base$path" >/dev/null
    for c in $CONCURRENCY; do
      threads=$((c < 2 ? c : 2))
      prioritise_pg
      line=$("${prio[@]}" wrk -t"$threads" -c"$c" -d"${DURATION}s" -s "$work/report.lua" "$base$path" | grep -a '^RESULT')
      read -r _ rps p50 p95 p99 total errors <<<"$line"
      echo "| $name | $n | $c | $rps | $p50 | $p95 | $p99 | $errors of $total | $(cut -d' ' -f1 /proc/loadavg) |"
    done
  done
  stop_server
}

page_weight() { # on the server of the first backend; uses db_args
  start_server weight
  local page="/campaigns/w4r-2017/events?place=Toronto" size total assets=0 a
  size=$(curl -fs -H 'Accept-Encoding: gzip' -o "$work/page.gz" -w '%{size_download}' "$base$page")
  total=$size
  echo
  echo "### Finder page weight (gzip), $page"
  echo
  echo "| what | bytes |"
  echo "|---|---|"
  echo "| HTML | $size |"
  # The page's stylesheets and scripts, then the marker images the map loads.
  for a in $(curl -fs "$base$page" | grep -aoE '(href|src)="/static/[^"]+\.(css|js)[^"]*"' | sed -E 's/^(href|src)="//; s/"$//'); do
    size=$(curl -fs -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$base$a")
    echo "| ${a%%\?*} | $size |"
    assets=$((assets + size))
  done
  for a in marker-icon.png marker-icon-2x.png marker-shadow.png; do
    size=$(curl -fs -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$base/static/vendor/leaflet/images/$a")
    echo "| /static/vendor/leaflet/images/$a | $size |"
    assets=$((assets + size))
  done
  total=$((total + assets))
  echo "| **total** | **$total** ($((total / 1024)) KiB) |"
  stop_server
}

first=1
for backend in $BACKENDS; do
  case $backend in
    sqlite)
      db_args=(--data-dir "$work/sqlite")
      ;;
    postgres)
      if ! psql -q "$PG_URL" -c 'SELECT 1' >/dev/null 2>&1; then
        echo "PostgreSQL at $PG_URL cannot be reached: skipped" >&2
        continue
      fi
      pgdb="writeathon_bench_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
      psql -q "$PG_URL" -c "CREATE DATABASE $pgdb" >/dev/null
      db_args=(--data-dir "$work/pg" --database-url "${PG_URL%/*}/$pgdb")
      ;;
    *)
      echo "unknown backend $backend" >&2
      exit 1
      ;;
  esac
  echo
  echo "== $backend (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  seed "$backend"
  if [ "$backend" = postgres ]; then
    # What autovacuum would do shortly after a bulk load: give the planner its statistics.
    psql -q "${PG_URL%/*}/$pgdb" -c 'ANALYZE' >/dev/null
  fi
  if [ $first = 1 ]; then
    page_weight
    first=0
  fi
  bench_backend "$backend"
  drop_pg
done
echo
echo "priority: nice $NICE; machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(date -u +%Y-%m-%d)"
