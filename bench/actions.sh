#!/usr/bin/env bash
# Online actions, a viral burst: acknowledged actions per second over HTTP (each stored with its
# confirmation mail queued, durably), then every mailed link pressed (confirmations per second),
# with the outbox worker delivering the mail to an SMTP server on loopback
# (`writeathon-load smtp-sink`) as it comes: how fast it delivers, and the intake with the
# worker delivering against the intake with a worker whose SMTP server never answers (no
# deliveries, no writes). Then, for the ratio, report ingest in the same run (bench/ingest.sh).
#
# Usage: cargo build --release && bench/actions.sh [sqlite|postgres|both]
# Knobs (environment): ACTIONS=20000 CONCURRENCY=64 REPORTS=20000 (0: no ingest run)
#   PG_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/ingest.sh
ACTIONS=${ACTIONS:-20000}
ACTION_CONCURRENCY=${CONCURRENCY:-64}
REPORTS=${REPORTS:-20000}
SMTP_PORT=${SMTP_PORT:-18325}
METRICS_PORT=$((PORT + 1))

sink_pid=
stop_sink() { [ -z "$sink_pid" ] || { kill "$sink_pid" 2>/dev/null || true; wait "$sink_pid" 2>/dev/null || true; sink_pid=; }; }
trap 'stop_sink; stop_server' EXIT

# metric NAME: the value of a metric line of the server's metrics listener.
metric() { curl -fs "http://127.0.0.1:$METRICS_PORT/metrics" | awk -v n="$1" '$1 == n {print $2}'; }

# burst BACKEND MODE(hold|deliver): a fresh database and server, one burst; prints its lines.
burst() {
  local backend=$1 mode=$2 dir url out hold=()
  dir=$(mktemp -d)
  url=$(new_database "$backend" "$dir")
  [ "$mode" = hold ] && hold=(--hold)
  "$LOAD" smtp-sink --listen "127.0.0.1:$SMTP_PORT" --until "$([ "$mode" = hold ] && echo 0 || echo "$ACTIONS")" \
    "${hold[@]}" >"$dir/sink.out" 2>"$dir/sink.err" &
  sink_pid=$!
  WRITEATHON_TRUST_PROXY=true WRITEATHON_ACTION_CHALLENGE=off WRITEATHON_METRICS_LISTEN="127.0.0.1:$METRICS_PORT" \
    WRITEATHON_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT?tls=none" start_server "$url" "$dir"
  local slug
  slug=$(campaign_slug)
  echo "-- $backend, the worker $([ "$mode" = hold ] && echo "held (its SMTP server never answers)" || echo delivering); before: $(machine_load)"
  local cpu0 cpu1 confirm=()
  [ "$mode" = deliver ] && confirm=(--database-url "$url")
  cpu0=$(cpu_seconds "$SERVER_PID")
  out=$("$LOAD" actions --base "$BASE" --campaign "$slug" -n "$ACTIONS" -c "$ACTION_CONCURRENCY" "${confirm[@]}")
  cpu1=$(cpu_seconds "$SERVER_PID")
  echo "$out" | grep -v '^RESULT'
  echo "server: $(awk "BEGIN {printf \"%.2f s CPU\", $cpu1 - $cpu0}"); batches $(metric writeathon_action_batch_size_count), \
$(awk "BEGIN {printf \"%.0f\", $(metric writeathon_action_batch_size_sum) / $(metric writeathon_action_batch_size_count)}") jobs each on average, \
$(awk "BEGIN {printf \"%.1f ms\", 1000 * $(metric writeathon_action_commit_seconds_sum) / $(metric writeathon_action_commit_seconds_count)}") per commit"
  eval "${mode}_rate=$(result actions_per_s "$out")"
  if [ "$mode" = deliver ]; then
    eval "confirm_rate=$(result confirmations_per_s "$out")"
    wait "$sink_pid" || true
    sink_pid=
    grep -v '^RESULT' "$dir/sink.out" || true
    smtp_rate=$(result smtp_messages_per_s "$(cat "$dir/sink.out")")
  fi
  stop_sink
  stop_server
  drop_database "$url"
  rm -rf "$dir"
}

actions_backend() {
  local backend=$1
  echo "== $backend: $ACTIONS actions, $ACTION_CONCURRENCY in flight, each from its own address and email"
  burst "$backend" hold
  burst "$backend" deliver
  printf '%s: actions %s/s (worker held) and %s/s (worker delivering: %s%%); confirmations %s/s; mail delivered %s/s\n' \
    "$backend" "$hold_rate" "$deliver_rate" "$(awk "BEGIN {printf \"%.0f\", 100 * $deliver_rate / $hold_rate}")" \
    "$confirm_rate" "$smtp_rate"
  if [ "$REPORTS" != 0 ]; then
    local ingest
    ingest=$(REPORTS=$REPORTS CONCURRENCY=256 HOSTS=200 RAW_REPORTS=500 ingest_backend "$backend")
    echo "$ingest" | grep -E '^(reports|acknowledged|==)' || true
    local rate
    rate=$(grep -o 'HTTP [0-9]* acknowledged' <<<"$ingest" | grep -o '[0-9]*')
    printf '%s: report ingest %s/s in the same run; actions (worker delivering) = %s%% of it\n' \
      "$backend" "$rate" "$(awk "BEGIN {printf \"%.0f\", 100 * $deliver_rate / $rate}")"
  fi
}

echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
case ${1:-both} in
  sqlite) actions_backend sqlite ;;
  postgres) actions_backend postgres ;;
  both) actions_backend sqlite; actions_backend postgres ;;
  *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;;
esac
