#!/usr/bin/env bash
# Exports stream: the server's memory while it sends a campaign's report items as CSV, at two
# sizes (SMALL, then ROWS report items), so a memory that grows with the export shows as a
# difference. The report rows are written straight into a SQLite database seeded with the demo
# (the benchmark measures the export, not ingest); then `serve` starts on it and an admin's token
# downloads `GET /api/v1/campaigns/{campaign}/exports/reports.csv` with curl while the server's
# VmRSS is read from /proc every 20 ms. Python's csv module reads every file back: the row count
# must equal the database's, and no cell may start a formula (each report's highlights field is
# not exported, but its case slug, city and title are; the bench event's title is a formula).
#
# Usage: cargo build --release && bench/export.sh
# Knobs (environment): ROWS=100000 SMALL=10000 WRITEATHON_BIN=target/release/writeathon
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN=${WRITEATHON_BIN:-target/release/writeathon}
ROWS=${ROWS:-100000}
SMALL=${SMALL:-10000}
PORT=${PORT:-18093}
PASSWORD="letters for lighthouse keepers 17"
[ -x "$BIN" ] || { echo "build it first: cargo build --release ($BIN missing)" >&2; exit 1; }
dir=$(mktemp -d)
trap 'kill "$SERVER_PID" 2>/dev/null || true; rm -rf "$dir"' EXIT
export WRITEATHON_DATABASE_URL="sqlite://$dir/bench.db" WRITEATHON_DATA_DIR="$dir"
"$BIN" seed-demo >/dev/null 2>&1
printf '%s\n' "$PASSWORD" | "$BIN" user add --email bench-admin@example.org --name "Bench Admin" \
  --role admin --password-stdin >/dev/null 2>&1
TOKEN=$("$BIN" token issue --email bench-admin@example.org)
SLUG=$(sqlite3 "$dir/bench.db" "SELECT slug FROM campaigns WHERE slug LIKE 'w4r-%' ORDER BY global_day DESC LIMIT 1")

# add_reports N: N more reports of one item each, on the campaign's first event.
add_reports() {
  sqlite3 "$dir/bench.db" <<SQL
UPDATE events SET title = '=HYPERLINK("http://x","bench")'
  WHERE id = (SELECT MIN(id) FROM events WHERE campaign_id = (SELECT id FROM campaigns WHERE slug = '$SLUG'));
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
INSERT INTO reports (event_id, campaign_id, author_id, participants, highlights, flags, created_at, updated_at)
SELECT e.id, e.campaign_id, e.host_id, 3, 'bench', '', 1765000000000 + n.i, 1765000000000 + n.i
FROM n, (SELECT id, campaign_id, host_id FROM events
         WHERE campaign_id = (SELECT id FROM campaigns WHERE slug = '$SLUG') ORDER BY id LIMIT 1) e;
INSERT INTO report_items (report_id, case_id, letters, solidarity)
SELECT r.id, (SELECT MIN(id) FROM cases WHERE campaign_id = r.campaign_id), 7, 1
FROM reports r WHERE r.highlights = 'bench' AND NOT EXISTS (SELECT 1 FROM report_items i WHERE i.report_id = r.id);
SQL
}

start_server() {
  "$BIN" serve --listen "127.0.0.1:$PORT" >>"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 400); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && return 0
    sleep 0.05
  done
  echo "the server did not start; see $dir/server.log" >&2
  exit 1
}

# The server's resident memory, all of it and its anonymous part (the heap; the rest is the
# database file's pages, memory-mapped for reads, which the kernel may drop at any time).
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
anon_kb() { awk '/^RssAnon/ {print $2}' "/proc/$SERVER_PID/status"; }

# export_once LABEL: downloads the export, prints rows, seconds, RSS before and peak during.
export_once() {
  local before anon_before peak anon_peak sampler start end rows expected
  before=$(rss_kb)
  anon_before=$(anon_kb)
  echo "$before" >"$dir/peak"
  echo "$anon_before" >"$dir/anon_peak"
  ( peak=0; apeak=0; while :; do
      r=$(rss_kb || echo 0); a=$(anon_kb || echo 0)
      [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" >"$dir/peak"
      [ "$a" -gt "$apeak" ] && apeak=$a && echo "$apeak" >"$dir/anon_peak"
      sleep 0.02
    done ) &
  sampler=$!
  start=$(date +%s.%N)
  curl -fs -H "Authorization: Bearer $TOKEN" -o "$dir/export.csv" \
    "http://127.0.0.1:$PORT/api/v1/campaigns/$SLUG/exports/reports.csv"
  end=$(date +%s.%N)
  sleep 0.1
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  peak=$(cat "$dir/peak")
  anon_peak=$(cat "$dir/anon_peak")
  rows=$(python3 - "$dir/export.csv" <<'PY'
import csv, sys
bad = ('=', '+', '-', '@', '\t', '\r', '\uff1d', '\uff0b', '\uff0d', '\uff20')
with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
    rows = list(csv.reader(f))
assert rows[0][0] == 'report_id', rows[0]
for r in rows:
    for c in r:
        assert not c.lstrip(' ').startswith(bad), r
print(len(rows) - 1)
PY
)
  expected=$(sqlite3 "$dir/bench.db" "SELECT COUNT(*) FROM report_items i JOIN reports r ON r.id = i.report_id JOIN campaigns c ON c.id = r.campaign_id WHERE c.slug = '$SLUG'")
  [ "$rows" = "$expected" ] || { echo "rows read back: $rows, in the database: $expected" >&2; exit 1; }
  echo "RESULT label=$1 rows=$rows bytes=$(stat -c %s "$dir/export.csv") seconds=$(echo "$end - $start" | bc) rss_before_kb=$before rss_peak_kb=$peak anon_before_kb=$anon_before anon_peak_kb=$anon_peak"
}

add_reports "$SMALL"
start_server
export_once small
export_once small-again
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
add_reports $((ROWS - SMALL))
start_server
export_once large
export_once large-again
