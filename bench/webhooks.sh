#!/usr/bin/env bash
# Webhooks beside report ingest: REPORTS reports over HTTP (writeathon-load, as bench/ingest.sh)
# into a fresh database twice — once with no webhook, once with an administrator's webhook on
# `report.created` pointing at a receiver on loopback (`writeathon-load webhook-sink`, answering
# 204) — and how fast the worker delivers them: the deliveries per second from the first to the
# last, and the ingest with the webhook against the ingest without it, in the same run.
#
# Usage: cargo build --release && bench/webhooks.sh [sqlite|postgres|both]
# The two runs alternate ROUNDS times (the machine's noise is larger than the difference).
# Knobs (environment): REPORTS=50000 HOSTS=200 CONCURRENCY=256 ROUNDS=2
#   PG_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/ingest.sh
REPORTS=${REPORTS:-50000}
ROUNDS=${ROUNDS:-2}
HOSTS=${HOSTS:-200}
CONCURRENCY=${CONCURRENCY:-256}
SINK_PORT=${SINK_PORT:-18380}

sink_pid=
stop_sink() { [ -z "$sink_pid" ] || { kill "$sink_pid" 2>/dev/null || true; wait "$sink_pid" 2>/dev/null || true; sink_pid=; }; }
trap 'stop_sink; stop_server' EXIT

# subscribe URL DIR: an administrator and a webhook on `report.created` to the sink.
subscribe() {
  local url=$1 dir=$2 token
  printf '%s\n' "$PASSWORD" | WRITEATHON_LOG=warn "$BIN" user add --database-url "$url" --data-dir "$dir" \
    --email bench-admin@example.org --name "Bench Admin" --role admin --password-stdin >/dev/null 2>&1
  token=$(WRITEATHON_LOG=warn "$BIN" token issue --database-url "$url" --data-dir "$dir" --email bench-admin@example.org)
  curl -fs -o /dev/null -X POST "$BASE/api/v1/webhooks" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    -d "{\"url\":\"http://127.0.0.1:$SINK_PORT/hooks/writeathon\",\"events\":[\"report.created\"]}" \
    || { echo "the webhook was not created; see $dir/server.log" >&2; exit 1; }
}

# run BACKEND with|without: a fresh database and server, one ingest; sets ${mode}_rate.
run() {
  local backend=$1 mode=$2 dir url out
  dir=$(mktemp -d)
  url=$(new_database "$backend" "$dir")
  WRITEATHON_WEBHOOK_ALLOW_PRIVATE=true start_server "$url" "$dir"
  make_hosts "$url" "$dir" "$HOSTS"
  if [ "$mode" = with ]; then
    subscribe "$url" "$dir"
    "$LOAD" webhook-sink --listen "127.0.0.1:$SINK_PORT" --until "$REPORTS" >"$dir/sink.out" 2>"$dir/sink.err" &
    sink_pid=$!
  fi
  echo "-- $backend, $([ "$mode" = with ] && echo "a webhook on report.created" || echo "no webhook"); before: $(machine_load)"
  out=$("$LOAD" reports --base "$BASE" --campaign "$SLUG" --tokens "$dir/tokens" --events "$dir/events" \
    -n "$REPORTS" -c "$CONCURRENCY" --out "$dir/acked.tsv")
  echo "$out" | grep -v '^RESULT'
  eval "${mode}_rate=$(result acked_per_s "$out")"
  if [ "$mode" = with ]; then
    # Every report's delivery, however long it takes after the last report (at most 5 minutes).
    for _ in $(seq 1 3000); do kill -0 "$sink_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$sink_pid" 2>/dev/null && { echo "not every delivery arrived: $(tail -1 "$dir/sink.err")" >&2; exit 1; }
    wait "$sink_pid" || true
    sink_pid=
    grep -v '^RESULT' "$dir/sink.out"
    hooks_rate=$(result webhooks_per_s "$(cat "$dir/sink.out")")
    hooks_posts=$(result webhook_posts "$(cat "$dir/sink.out")")
  fi
  stop_server
  drop_database "$url"
  rm -rf "$dir"
}

webhooks_backend() {
  local backend=$1 sum_without=0 sum_with=0 rates=""
  echo "== $backend: $REPORTS reports, $HOSTS hosts, $CONCURRENCY in flight, $ROUNDS rounds"
  for _ in $(seq 1 "$ROUNDS"); do
    run "$backend" without
    run "$backend" with
    sum_without=$(awk "BEGIN {print $sum_without + $without_rate}")
    sum_with=$(awk "BEGIN {print $sum_with + $with_rate}")
    rates="$rates ${without_rate}/${with_rate} (${hooks_rate} deliveries/s, ${hooks_posts} posts)"
  done
  printf '%s: ingest without/with a webhook per round:%s; mean %.0f/s and %.0f/s = %s%%\n' \
    "$backend" "$rates" "$(awk "BEGIN {print $sum_without / $ROUNDS}")" "$(awk "BEGIN {print $sum_with / $ROUNDS}")" \
    "$(awk "BEGIN {printf \"%.0f\", 100 * $sum_with / $sum_without}")"
}

echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
case ${1:-both} in
  sqlite) webhooks_backend sqlite ;;
  postgres) webhooks_backend postgres ;;
  both) webhooks_backend sqlite; webhooks_backend postgres ;;
  *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;;
esac
