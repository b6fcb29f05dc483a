#!/usr/bin/env bash
# The tally under load, in one run:
#  1. GET /api/v1/campaigns/{slug}/tally with wrk, against the same bytes served as a static file by
#     nginx (Debian's package, on a loopback port with a temporary config); req/s and the ratio.
#  2. STREAMS concurrent subscribers on /api/v1/campaigns/{slug}/tally/stream, once per view in
#     VIEWS (the whole tally, then `?view=summary`): after one report, how long until every stream
#     has the new tally; the server's memory (/proc/PID/status).
#
# Usage: cargo build --release && bench/tally.sh [sqlite|postgres]
# Knobs (environment): DURATION=10s CONNECTIONS=64 THREADS=2 ROUNDS=2 STREAMS=10000
#   VIEWS="full summary" (the stream views measured, in turn)
#   HOSTS=20 REPORTS=5000 (reports sent first, so the tally has numbers)
#   SEED_EVENTS=0 (generated events added first with `writeathon seed-bench`: a bigger tally, as on
#   the global day when thousands of towns take part)
#   WRITEATHON_LOG (the server's log filter; default: what `serve` logs, one line per request)
#   NICE=-10: run the server, nginx, wrk and the load generator ahead of other work (root only)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ingest.sh"
BACKEND=${1:-sqlite}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-2}
STREAMS=${STREAMS:-10000}
VIEWS=${VIEWS:-full summary}
HOSTS=${HOSTS:-20}
REPORTS=${REPORTS:-5000}
SEED_EVENTS=${SEED_EVENTS:-0}
NGINX_PORT=${NGINX_PORT:-18091}

need() { # command, Debian package
  command -v "$1" >/dev/null 2>&1 && return
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
need wrk wrk
need nginx nginx
export PATH="$PATH:/usr/sbin"

# Every stream is a socket in the server and in the client: raise the open-files limit for both.
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -le $((STREAMS + 1000)) ]; then
  echo "open-files limit $(ulimit -n) is too low for $STREAMS streams" >&2
  exit 1
fi

dir=$(mktemp -d)
chmod 755 "$dir"
url=$(new_database "$BACKEND" "$dir")
NGINX_PID=""
prioritise_pg "$url" &
RENICER=$!
cleanup() {
  kill "$RENICER" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill -TERM "$NGINX_PID" 2>/dev/null || true
  stop_server
  drop_database "$url"
  rm -rf "$dir"
}
trap cleanup EXIT

echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $BACKEND, nice $NICE; $(machine_load)"
# Every stream comes from this one address: lift the per-client cap on streams (8 by default)
# and the cap on connections for this run.
export WRITEATHON_TALLY_STREAMS_PER_CLIENT=$STREAMS WRITEATHON_MAX_CONNECTIONS=$((STREAMS + 1000))
start_server "$url" "$dir"
make_hosts "$url" "$dir" "$HOSTS"
if [ "$SEED_EVENTS" -gt 0 ]; then
  WRITEATHON_LOG=warn "$BIN" seed-bench --campaign "$SLUG" --events "$SEED_EVENTS" \
    --database-url "$url" --data-dir "$dir" 2>&1 | tail -n 1
fi
# (The reports below make the server rebuild its tally, new events included.)
"${prio[@]}" "$LOAD" reports --base "$BASE" --campaign "$SLUG" --tokens "$dir/tokens" --events "$dir/events" \
  -n "$REPORTS" -c 32 --out "$dir/acked.tsv" | grep '^acknowledged'
sleep 2 # the tally is rebuilt at most once a second

# 1. JSON from the application vs the same bytes from nginx.
TALLY="$BASE/api/v1/campaigns/$SLUG/tally"
mkdir -p "$dir/www"
curl -fs "$TALLY" -o "$dir/www/tally.json"
chmod 644 "$dir/www/tally.json"
echo "tally JSON: $(wc -c <"$dir/www/tally.json") bytes; $(python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); print(len(t["by_city"]), "by_city rows,", len(t["by_country"]), "countries")' "$dir/www/tally.json")"
echo "summary view: $(curl -fsN --max-time 2 "$TALLY/stream?view=summary" | head -c 1000000 | awk 'NR==2' | wc -c) bytes per change" || true
cat >"$dir/nginx.conf" <<EOF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  access_log $dir/nginx-access.log;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $dir/www;
  }
}
EOF
"${prio[@]}" nginx -c "$dir/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT/tally.json" && break; sleep 0.05; done
cmp -s "$dir/www/tally.json" <(curl -fs "http://127.0.0.1:$NGINX_PORT/tally.json") || { echo "nginx serves other bytes" >&2; exit 1; }

rps() { # URL: requests/s of one wrk run (and complain about non-2xx answers)
  local out
  out=$("${prio[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$1")
  if grep -q 'Non-2xx' <<<"$out"; then grep 'Non-2xx' <<<"$out" >&2; fi
  echo "$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out") $(awk '$1 == "50%" {print $2}' <<<"$out") $(awk '$1 == "99%" {print $2}' <<<"$out")"
}
app_best=0
nginx_best=0
for round in $(seq 1 "$ROUNDS"); do
  read -r app p50 p99 < <(rps "$TALLY")
  echo "round $round: writeathon $app req/s (p50 $p50, p99 $p99)"
  read -r ngx np50 np99 < <(rps "http://127.0.0.1:$NGINX_PORT/tally.json")
  echo "round $round: nginx      $ngx req/s (p50 $np50, p99 $np99)"
  [ "$app" -gt "$app_best" ] && app_best=$app
  [ "$ngx" -gt "$nginx_best" ] && nginx_best=$ngx
done
echo "$(machine_load)"
echo "tally JSON, best of $ROUNDS: writeathon $app_best req/s, nginx $nginx_best req/s: $(awk "BEGIN {printf \"%.0f\", 100*$app_best/$nginx_best}")% (target ≥ 50%)"
kill -TERM "$NGINX_PID"
wait "$NGINX_PID" 2>/dev/null || true
NGINX_PID=""

# 2. Fan-out to many streams.
for view in $VIEWS; do
  echo "streams: $STREAMS subscribers, view $view; $(machine_load)"
  "${prio[@]}" "$LOAD" sse --base "$BASE" --campaign "$SLUG" --tokens "$dir/tokens" --events "$dir/events" \
    --streams "$STREAMS" --view "$view" --pid "$SERVER_PID" | grep -v '^RESULT'
done
