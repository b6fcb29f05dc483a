#!/usr/bin/env bash
# A backup taken while reports come in: `writeathon serve` with HOSTS hosts and their events,
# `writeathon-load reports` sending REPORTS reports CONCURRENCY at a time (printing the acknowledged
# count every second), and after WARMUP seconds `writeathon backup` of the same database. Prints
# the backup's time and peak RSS, the reports acknowledged per second before, during and after
# it, and checks that the archive restores (counts and checksums) into a fresh SQLite file.
#
# Usage: cargo build --release && bench/backup-live.sh [sqlite|postgres]
# Knobs (environment): HOSTS=20 REPORTS=60000 CONCURRENCY=4 WARMUP=10 (and bench/ingest.sh's);
#   SEED_REPORTS=1000000 (SQLite only): that many report rows written into the database first, so
#   the backup has a large database to read while the new reports arrive.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ingest.sh"
BACKEND=${1:-sqlite}
HOSTS=${HOSTS:-20}
REPORTS=${REPORTS:-60000}
CONCURRENCY=${CONCURRENCY:-4}
WARMUP=${WARMUP:-10}
SEED_REPORTS=${SEED_REPORTS:-0}
PORT=${PORT:-18095}

dir=$(mktemp -d)
url=$(new_database "$BACKEND" "$dir")
cleanup() {
  stop_server
  [ -n "${LOAD_PID:-}" ] && kill "$LOAD_PID" 2>/dev/null || true
  [ "$BACKEND" = postgres ] && drop_database "$url"
  rm -rf "$dir"
}
trap cleanup EXIT

echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $BACKEND; $(machine_load)"
if [ "$BACKEND" = sqlite ] && [ "$SEED_REPORTS" -gt 0 ]; then
  "$BIN" seed-demo --database-url "$url" --data-dir "$dir" >/dev/null
  seed_reports "${url#sqlite://}" "$SEED_REPORTS"
  "$BIN" reconcile --database-url "$url" >/dev/null 2>&1 || true
  echo "seeded: $(sqlite3 "${url#sqlite://}" "SELECT COUNT(*) FROM reports") reports, $(du -m "${url#sqlite://}" | cut -f1) MB"
fi
start_server "$url" "$dir"
make_hosts "$url" "$dir" "$HOSTS"
"$LOAD" reports --base "$BASE" --campaign "$SLUG" --tokens "$dir/tokens" --events "$dir/events" \
  -n "$REPORTS" -c "$CONCURRENCY" --out "$dir/acked" --progress >"$dir/load.out" 2>"$dir/progress" &
LOAD_PID=$!
sleep "$WARMUP"
began=$(date +%s.%N)
/usr/bin/time -f '%e %M' -o "$dir/time" "$BIN" backup --to "$dir/live.backup" \
  --database-url "$url" --data-dir "$dir" >"$dir/backup.out"
ended=$(date +%s.%N)
sleep "$WARMUP"
kill "$LOAD_PID" 2>/dev/null || true
wait "$LOAD_PID" 2>/dev/null || true
LOAD_PID=
read -r secs kb <"$dir/time"
echo "backup while reports came in: ${secs} s, peak RSS $((kb / 1024)) MB, archive $(du -h "$dir/live.backup" | cut -f1)"
# The load generator's clock started a moment before $WARMUP's sleep: close enough for per-second rates.
python3 - "$dir/progress" "$WARMUP" "$(python3 -c "print($ended - $began)")" <<'PY'
import re, sys
lines = [l for l in open(sys.argv[1]) if "acknowledged" in l]
warm, took = float(sys.argv[2]), float(sys.argv[3])
rows = [(float(m.group(1)), int(m.group(2))) for m in (re.match(r"\s*([\d.]+) s: \d+ acknowledged \(\+(\d+)\)", l) for l in lines) if m]
def rate(a, b):
    xs = [n for t, n in rows if a < t <= b]
    return sum(xs) / len(xs) if xs else float("nan")
before, during, after = rate(1, warm), rate(warm, warm + took), rate(warm + took + 1, warm + took + warm)
print(f"reports acknowledged per second: before {before:.0f}, during the backup {during:.0f} ({during / before:.0%}), after {after:.0f}")
PY
"$BIN" restore --from "$dir/live.backup" --database-url "sqlite://$dir/check.db" --data-dir "$dir/check" >/dev/null
echo "the archive restores into a fresh SQLite file (counts and checksums checked)"
