#!/usr/bin/env bash
# The staff dashboard of a big campaign: EVENTS generated events (`writeathon seed-bench`) and
# REPORTS report rows (one item each, spread over the published events) added to the demo on
# SQLite, then the same database restored into PostgreSQL (`writeathon backup` / `restore`).
# On each backend an admin signs in and asks for the campaign's dashboard REQUESTS times, for
# the whole world and for one country (what a section's staff see); server time is curl's time
# to the last byte on loopback, PAUSE seconds apart (so the views span several recounts of the
# events' figures, which run in the background every 5 s while someone looks). Prints the first
# view's time (it counts the figures), then p50, p95 and the slowest.
#
# Usage: cargo build --release && bench/dashboard.sh
# Knobs (environment): EVENTS=100000 REPORTS=300000 REQUESTS=100 PAUSE=0.2 COUNTRY=CA
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/ingest.sh
EVENTS=${EVENTS:-100000}
REPORTS=${REPORTS:-300000}
REQUESTS=${REQUESTS:-100}
PAUSE=${PAUSE:-0.2}
COUNTRY=${COUNTRY:-CA}
CAMPAIGN=w4r-2017
dir=$(mktemp -d /tmp/writeathon-dashboard-bench.XXXXXX)
pg=""
SERVER_PID=
trap 'stop_server; [ -z "$pg" ] || drop_database "$pg"; [ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
export WRITEATHON_LOG=warn

# quietly COMMAND…: runs it, showing its output only if it fails.
quietly() { "$@" >"$dir/quiet.log" 2>&1 || { cat "$dir/quiet.log" >&2; exit 1; }; }

# percentiles FILE: p50, p95 and the largest of the milliseconds in FILE, one per line.
percentiles() {
  sort -n "$1" | awk '{a[NR] = $1} END {printf "p50 %.1f ms, p95 %.1f ms, slowest %.1f ms", a[int(NR * 0.5 + 0.5)], a[int(NR * 0.95 + 0.5)], a[NR]}'
}

# measure URL LABEL: the dashboard at that database, signed in as the bench admin.
measure() {
  local url=$1 label=$2
  local data=$dir/data-$label
  mkdir -p "$data"
  start_server "$url" "$data"
  local csrf
  csrf=$(curl -fs -c "$dir/jar" "$BASE/signin" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
  curl -fs -b "$dir/jar" -c "$dir/jar" -o /dev/null --data-urlencode "csrf=$csrf" \
    --data-urlencode "email=bench-admin@example.org" --data-urlencode "password=$PASSWORD" "$BASE/signin"
  # Staff pages need the session's second factor, a code a person types from their phone: the
  # bench marks the admin's session as past it.
  local past="UPDATE sessions SET second_factor = 1 WHERE account_id = (SELECT id FROM accounts WHERE email = 'bench-admin@example.org')"
  case $url in
    sqlite://*) sqlite3 "${url#sqlite://}" "$past" ;;
    *) psql -q "$url" -c "$past" ;;
  esac
  for scope in world country; do
    local query=""
    [ "$scope" = country ] && query="?country=$COUNTRY"
    local page="$BASE/staff/campaigns/$CAMPAIGN/dashboard$query"
    # The first view of the campaign since the server started counts its events' figures.
    local first
    first=$(curl -fs -b "$dir/jar" -o "$dir/page.html" -w '%{http_code} %{time_total}' "$page")
    [ "${first%% *}" = 200 ] || { echo "the dashboard did not answer 200; see $data/server.log" >&2; exit 1; }
    : >"$dir/times"
    for _ in $(seq 1 "$REQUESTS"); do
      curl -fs -b "$dir/jar" -o /dev/null -w '%{time_total}\n' "$page" | awk '{printf "%.2f\n", $1 * 1000}' >>"$dir/times"
      sleep "$PAUSE"
    done
    printf '%-10s %-8s first %.1f ms; %s (%s kB page)\n' "$label" "$scope" "$(awk '{print $2 * 1000}' <<<"$first")" \
      "$(percentiles "$dir/times")" "$(( $(stat -c %s "$dir/page.html") / 1024 ))"
  done
  stop_server
}

echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $(machine_load)"
db=$dir/bench.db
"$BIN" seed-demo --database-url "sqlite://$db" --data-dir "$dir/source" >/dev/null
"$BIN" seed-bench --database-url "sqlite://$db" --events "$EVENTS" --campaign "$CAMPAIGN" >/dev/null
# The reports go to the published events of every campaign; nearly all are the bench's.
seed_reports "$db" "$REPORTS"
"$BIN" reconcile --database-url "sqlite://$db" >/dev/null 2>&1 || true # counters to match the rows
printf '%s\n' "$PASSWORD" | "$BIN" user add --database-url "sqlite://$db" --email bench-admin@example.org \
  --name "Bench Admin" --role admin --password-stdin >/dev/null
echo "campaign $CAMPAIGN: $(sqlite3 "$db" "SELECT (SELECT COUNT(*) FROM events e JOIN campaigns c ON c.id = e.campaign_id WHERE c.slug = '$CAMPAIGN') || ' events, ' || (SELECT COUNT(*) FROM reports r JOIN campaigns c ON c.id = r.campaign_id WHERE c.slug = '$CAMPAIGN') || ' reports'"); $(du -m "$db" | cut -f1) MB file"
measure "sqlite://$db" sqlite
quietly "$BIN" backup --to "$dir/bench.backup" --database-url "sqlite://$db" --data-dir "$dir/source" --no-media
pg=$(new_database postgres "$dir")
quietly "$BIN" restore --from "$dir/bench.backup" --database-url "$pg" --data-dir "$dir/pg"
psql -q "$pg" -c "ANALYZE" >/dev/null
measure "$pg" postgres
echo "after: $(machine_load)"
