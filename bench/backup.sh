#!/usr/bin/env bash
# Backup and restore of a large database: the demo plus REPORTS report rows (one item each, spread
# over the demo's events), on SQLite; `writeathon backup` of it (time, peak RSS, archive size),
# `writeathon restore` of the archive into a fresh PostgreSQL database, then the same the other
# way: a backup of the PostgreSQL copy and its restore into a fresh SQLite file. Each restore
# checks counts and checksums and reconciles the tally, as always.
#
# Usage: cargo build --release && bench/backup.sh
# Knobs (environment): REPORTS=1000000 PG_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/ingest.sh
REPORTS=${REPORTS:-1000000}
dir=$(mktemp -d /tmp/writeathon-backup-bench.XXXXXX)
pg=""
trap '[ -z "$pg" ] || drop_database "$pg"; rm -rf "$dir"' EXIT
export WRITEATHON_LOG=warn

# timed LABEL COMMAND…: runs it, prints wall time and peak RSS.
timed() {
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$dir/time" "$@" >"$dir/out" 2>&1 || { cat "$dir/out" >&2; exit 1; }
  read -r seconds kb <"$dir/time"
  printf '%-40s %7.1f s  peak RSS %4.0f MB\n' "$label" "$seconds" "$(awk "BEGIN {print $kb/1024}")"
}

echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $(machine_load)"
source_db=$dir/source.db
"$BIN" seed-demo --database-url "sqlite://$source_db" --data-dir "$dir/source" >/dev/null
started=$(date +%s.%N)
seed_reports "$source_db" "$REPORTS"
"$BIN" reconcile --database-url "sqlite://$source_db" >/dev/null 2>&1 || true # counters to match the rows
rows=$(sqlite3 "$source_db" "SELECT (SELECT COUNT(*) FROM reports) || ' reports, ' || (SELECT COUNT(*) FROM report_items) || ' report items'")
echo "source: SQLite, $rows, $(du -m "$source_db" | cut -f1) MB file (made in $(awk "BEGIN {printf \"%.0f\", $(date +%s.%N) - $started}") s)"

timed "backup from SQLite" "$BIN" backup --to "$dir/sqlite.backup" --database-url "sqlite://$source_db" --data-dir "$dir/source"
echo "archive: $(du -m "$dir/sqlite.backup" | cut -f1) MB"
pg=$(new_database postgres "$dir")
timed "restore into PostgreSQL" "$BIN" restore --from "$dir/sqlite.backup" --database-url "$pg" --data-dir "$dir/pg"
timed "backup from PostgreSQL" "$BIN" backup --to "$dir/pg.backup" --database-url "$pg" --data-dir "$dir/pg"
timed "restore into SQLite" "$BIN" restore --from "$dir/pg.backup" --database-url "sqlite://$dir/back.db" --data-dir "$dir/back"
echo "machine after: $(machine_load)"
