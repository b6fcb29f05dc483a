#!/usr/bin/env bash
# Report ingest: acknowledged reports per second over HTTP (src/bin/writeathon-load.rs), where a
# report's time goes (`writeathon-load breakdown`), and, in the same run, a raw insert loop of
# equivalent report rows at the same durability (one transaction per report; SQLite
# synchronous=FULL, PostgreSQL synchronous_commit=on), one at a time and CONCURRENCY at a time.
#
# Usage: cargo build --release && bench/ingest.sh [sqlite|postgres|both]
# Knobs (environment): HOSTS=200 REPORTS=50000 CONCURRENCY=256 RAW_REPORTS=5000
#   PG_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres  WRITEATHON_LOG (server log filter)
#   NICE=-10: on a shared machine, run the server, the load generator and the PostgreSQL backends of
#   the benchmark's database ahead of other work (root only)
#
# bench/tally.sh sources this file for its setup functions.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN=${WRITEATHON_BIN:-target/release/writeathon}
LOAD=${WRITEATHON_LOAD_BIN:-target/release/writeathon-load}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PORT=${PORT:-18090}
PASSWORD="letters for lighthouse keepers 17"
NICE=${NICE:-0}
prio=()
[ "$NICE" = 0 ] || prio=(nice -n "$NICE")
for b in "$BIN" "$LOAD"; do
  [ -x "$b" ] || { echo "build it first: cargo build --release ($b missing)" >&2; exit 1; }
done

# new_database sqlite|postgres DIR: prints a database URL for a fresh database.
new_database() {
  case $1 in
    sqlite) echo "sqlite://$2/bench.db" ;;
    postgres)
      local name="writeathon_bench_$RANDOM$RANDOM"
      psql -q "$PG_ADMIN_URL" -c "CREATE DATABASE $name" >/dev/null
      echo "${PG_ADMIN_URL%/*}/$name" ;;
  esac
}

# prioritise_pg URL: while it runs, renices the PostgreSQL backends of the database (they come and
# go with the pool's connections) to $NICE. Start it in the background; kill it by its pid.
prioritise_pg() {
  [ "$NICE" != 0 ] || return 0
  case $1 in postgres*) ;; *) return 0 ;; esac
  local pids
  while true; do
    pids=$(psql -Atq "$PG_ADMIN_URL" -c "SELECT pid FROM pg_stat_activity WHERE datname = '${1##*/}'" | tr '\n' ' ')
    [ -z "${pids// /}" ] || renice -n "$NICE" -p $pids >/dev/null 2>&1 || true
    sleep 0.5
  done
}

drop_database() { # URL
  case $1 in
    postgres*) psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS ${1##*/} WITH (FORCE)" >/dev/null ;;
  esac
}

# start_server URL DIR: starts `writeathon serve` on $PORT with the demo; sets $SERVER_PID, $BASE.
start_server() {
  WRITEATHON_DATABASE_URL=$1 WRITEATHON_DATA_DIR=$2 \
    "${prio[@]}" "$BIN" serve --listen "127.0.0.1:$PORT" --demo >>"$2/server.log" 2>&1 &
  SERVER_PID=$!
  BASE="http://127.0.0.1:$PORT"
  for _ in $(seq 1 400); do
    curl -fs -o /dev/null "$BASE/api/v1/campaigns" && return 0
    sleep 0.05
  done
  echo "the server did not start; see $2/server.log" >&2
  exit 1
}

stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}

# The current demo campaign: the one with the latest global day.
campaign_slug() {
  curl -fs "$BASE/api/v1/campaigns" | python3 -c \
    'import json,sys; c=[x for x in json.load(sys.stdin) if x["slug"].startswith("w4r-")]; print(max(c, key=lambda x: x["global_day"])["slug"])'
}

# make_hosts URL DIR N: N host accounts (command line), a token each in DIR/tokens, and one event
# each (API, started three hours ago) in DIR/events. Needs the server running; sets $SLUG.
make_hosts() {
  local url=$1 dir=$2 n=$3
  SLUG=$(campaign_slug)
  export WRITEATHON_DATABASE_URL=$url WRITEATHON_DATA_DIR=$dir WRITEATHON_LOG=warn BIN PASSWORD
  # Two at a time: each hashes a password (argon2id).
  seq 1 "$n" | xargs -P 2 -I{} sh -c \
    'printf "%s\n" "$PASSWORD" | "$BIN" user add --email "bench-{}@example.org" --name "Bench Host {}" --password-stdin 2>/dev/null'
  : >"$dir/tokens"
  : >"$dir/events"
  local starts ends token id
  starts=$(date -u -d '-3 hours' +%Y-%m-%dT%H:%M:%SZ)
  ends=$(date -u -d '+3 hours' +%Y-%m-%dT%H:%M:%SZ)
  for i in $(seq 1 "$n"); do
    token=$("$BIN" token issue --email "bench-$i@example.org")
    id=$(curl -fs -X POST "$BASE/api/v1/campaigns/$SLUG/events" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' \
      -d "{\"title\":\"Bench cafe $i\",\"kind\":\"cafe\",\"visibility\":\"public\",\"starts_at\":\"$starts\",\"ends_at\":\"$ends\",\"city\":\"Halifax\",\"country\":\"CA\",\"address\":\"x\"}" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    echo "$token" >>"$dir/tokens"
    echo "$id" >>"$dir/events"
  done
  unset WRITEATHON_DATABASE_URL WRITEATHON_DATA_DIR WRITEATHON_LOG
}

# seed_reports FILE N: N report rows (one item each, spread over the published events and the
# cases of their campaigns) written with SQL straight into the SQLite file FILE, for benchmarks
# that need a large database fast (a million in about 15 s); run `reconcile` afterwards.
seed_reports() {
  local source_db=$1 REPORTS=$2 now
  now=$(($(date +%s) * 1000))
sqlite3 "$source_db" <<SQL
PRAGMA foreign_keys = ON;
CREATE TEMP TABLE bench_events AS
  SELECT id, campaign_id, host_id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k
  FROM events WHERE status = 'published';
CREATE TEMP TABLE bench_cases AS
  SELECT id, campaign_id, ROW_NUMBER() OVER (PARTITION BY campaign_id ORDER BY id) - 1 AS k,
         COUNT(*) OVER (PARTITION BY campaign_id) AS n
  FROM cases;
CREATE TEMP TABLE bench_start AS SELECT COALESCE(MAX(id), 0) AS id FROM reports;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $REPORTS)
INSERT INTO reports (event_id, campaign_id, author_id, participants, highlights, flags, created_at, updated_at)
SELECT e.id, e.campaign_id, e.host_id, 1 + i % 30, 'We wrote together at the library, report ' || i, '', $now, $now
FROM n JOIN bench_events e ON e.k = i % (SELECT COUNT(*) FROM bench_events);
INSERT INTO report_items (report_id, case_id, letters, solidarity)
SELECT r.id, c.id, 1 + r.id % 40, r.id % 7
FROM reports r JOIN bench_cases c ON c.campaign_id = r.campaign_id AND c.k = r.id % c.n
WHERE r.id > (SELECT id FROM bench_start);
COMMIT;
SQL
}

# How busy the machine is (other work skews every number): load average and CPU pressure.
machine_load() {
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg); CPU pressure $(awk '/^some/ {print $2 ", " $3}' /proc/pressure/cpu 2>/dev/null)"
}

# cpu_seconds PID: CPU time (user + system) the process has used so far.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }

# result KEY OUTPUT: the value of KEY on the RESULT line of a writeathon-load run.
result() { grep '^RESULT' <<<"$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

ingest_backend() { # sqlite|postgres
  local backend=$1 dir url out raw1 rawc
  dir=$(mktemp -d)
  url=$(new_database "$backend" "$dir")
  echo "== $backend: $HOSTS hosts/events, $REPORTS reports, $CONCURRENCY in flight; nice $NICE"
  prioritise_pg "$url" &
  local renicer=$!
  start_server "$url" "$dir"
  make_hosts "$url" "$dir" "$HOSTS"
  echo "before: $(machine_load)"
  local cpu0 cpu1
  cpu0=$(cpu_seconds "$SERVER_PID")
  out=$("${prio[@]}" "$LOAD" reports --base "$BASE" --campaign "$SLUG" --tokens "$dir/tokens" --events "$dir/events" \
    -n "$REPORTS" -c "$CONCURRENCY" --out "$dir/acked.tsv")
  cpu1=$(cpu_seconds "$SERVER_PID")
  echo "$out" | grep -v '^RESULT'
  echo "after: $(machine_load)"
  echo "server: $(awk "BEGIN {printf \"%.2f s CPU, %.0f µs per acknowledged report\", $cpu1 - $cpu0, 1e6 * ($cpu1 - $cpu0) / $(result acked "$out")}"); \
RSS $(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$SERVER_PID/status"); \
$(grep -c 'slow statement' "$dir/server.log" || true) slow statements logged, \
$(grep -c 'batch failed' "$dir/server.log" || true) failed batches"
  stop_server
  if WRITEATHON_LOG=warn "$BIN" reconcile --database-url "$url" --data-dir "$dir" >/dev/null 2>&1; then
    echo "reconcile: the counters match a recount"
  else
    echo "reconcile: DRIFT (repaired)"
  fi
  # Where a report's time goes: the handler's lookups and the committer's transaction, timed one by
  # one through the application's own functions (this adds a few thousand reports).
  "${prio[@]}" "$LOAD" breakdown --database-url "$url" --campaign "$SLUG" --tokens "$dir/tokens" \
    --events "$dir/events" | grep -v '^RESULT'
  # The baseline, on the same database once the server has stopped.
  raw1=$("${prio[@]}" "$LOAD" raw --database-url "$url" --campaign "$SLUG" -n "$RAW_REPORTS" -c 1)
  rawc=$("${prio[@]}" "$LOAD" raw --database-url "$url" --campaign "$SLUG" -n "$RAW_REPORTS" -c "$CONCURRENCY")
  echo "$raw1" | grep -v '^RESULT'
  echo "$rawc" | grep -v '^RESULT'
  local http r1 rc
  http=$(result acked_per_s "$out")
  r1=$(result per_s "$raw1")
  rc=$(result per_s "$rawc")
  printf '%s: HTTP %s acknowledged/s; raw loop %s/s (1 at a time), %s/s (%s at a time); HTTP/raw = %s%% and %s%%\n' \
    "$backend" "$http" "$r1" "$rc" "$CONCURRENCY" \
    "$(awk "BEGIN {printf \"%.0f\", 100*$http/$r1}")" "$(awk "BEGIN {printf \"%.0f\", 100*$http/$rc}")"
  kill "$renicer" 2>/dev/null || true
  wait "$renicer" 2>/dev/null || true
  drop_database "$url"
  rm -rf "$dir"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  HOSTS=${HOSTS:-200}
  REPORTS=${REPORTS:-50000}
  CONCURRENCY=${CONCURRENCY:-256}
  RAW_REPORTS=${RAW_REPORTS:-5000}
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  case ${1:-both} in
    sqlite) ingest_backend sqlite ;;
    postgres) ingest_backend postgres ;;
    both) ingest_backend sqlite; ingest_backend postgres ;;
    *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;;
  esac
fi
