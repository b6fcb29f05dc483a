#!/usr/bin/env bash
# Two server builds side by side: each gets its own fresh database, its own 200 hosts and its own
# `writeathon-load reports`, and both loads run at the same moment. On a shared machine whose
# speed changes by half from one minute to the next, runs of one build after the other compare the
# minutes more than the builds; two builds under load in the same seconds meet the same machine.
# Check the method first with the same binary on both sides (A/A): the sides then differ by a few
# percent.
#
# Usage: bench/ab.sh BIN_A BIN_B [sqlite|postgres]
#   e.g. cp target/release/writeathon /tmp/before; (change, build); bench/ab.sh /tmp/before target/release/writeathon
# Knobs (environment): ROUNDS=3 REPORTS=15000 (per side and round) CONCURRENCY=32 (per side)
#   HOSTS=200  TURNS=together (both loads at once: compares CPU per report on a saturated machine)
#   or TURNS=alternate (one server under load at a time, taking turns: compares the rate one
#   server reaches alone, where the committer's serial path counts)  ENV_A / ENV_B: extra environment for one side's server, e.g. ENV_B="WRITEATHON_LOG=warn"
#
# Each round adds REPORTS to both databases, so later rounds also show how a build ages with them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ingest.sh"
[ $# -ge 2 ] || { echo "usage: $0 BIN_A BIN_B [sqlite|postgres]" >&2; exit 2; }
ROUNDS=${ROUNDS:-3}
REPORTS=${REPORTS:-15000}
CONCURRENCY=${CONCURRENCY:-32}
HOSTS=${HOSTS:-200}
TURNS=${TURNS:-together}
backend=${3:-sqlite}
declare -A bin=([A]=$1 [B]=$2) env=([A]=${ENV_A:-} [B]=${ENV_B:-}) port=([A]=18090 [B]=18092)
declare -A pid dir url base slug
for b in "${bin[@]}"; do [ -x "$b" ] || { echo "not an executable: $b" >&2; exit 2; }; done

cleanup() {
  for s in A B; do
    [ -z "${pid[$s]:-}" ] || { kill -TERM "${pid[$s]}" 2>/dev/null || true; wait "${pid[$s]}" 2>/dev/null || true; }
    [ -z "${url[$s]:-}" ] || drop_database "${url[$s]}"
    [ -z "${dir[$s]:-}" ] || rm -rf "${dir[$s]}"
  done
}
trap cleanup EXIT

echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $backend; A = ${bin[A]} ${env[A]}; B = ${bin[B]} ${env[B]}"
for s in A B; do
  dir[$s]=$(mktemp -d)
  url[$s]=$(new_database "$backend" "${dir[$s]}")
  # start_server and make_hosts (ingest.sh) serve one side at a time: $BIN, $PORT, $BASE, $SLUG.
  BIN=${bin[$s]} PORT=${port[$s]}
  names=()
  for kv in ${env[$s]}; do export "${kv?}"; names+=("${kv%%=*}"); done
  start_server "${url[$s]}" "${dir[$s]}"
  for n in "${names[@]}"; do unset "$n"; done
  pid[$s]=$SERVER_PID
  make_hosts "${url[$s]}" "${dir[$s]}" "$HOSTS"
  base[$s]=$BASE slug[$s]=$SLUG
done

declare -A rate_sum cpu_sum
for r in $(seq 1 "$ROUNDS"); do
  declare -A cpu0 job
  for s in A B; do cpu0[$s]=$(cpu_seconds "${pid[$s]}"); done
  # Together: both loads at once. In turn: one after the other, A first in odd rounds and B first
  # in even ones, so each server has the machine to itself, as in bench/ingest.sh.
  order="A B"; [ "$TURNS" = together ] || [ $((r % 2)) = 1 ] || order="B A"
  for s in $order; do
    "$LOAD" reports --base "${base[$s]}" --campaign "${slug[$s]}" --tokens "${dir[$s]}/tokens" \
      --events "${dir[$s]}/events" -n "$REPORTS" -c "$CONCURRENCY" --out "${dir[$s]}/acked.tsv" >"${dir[$s]}/load.out" &
    job[$s]=$!
    [ "$TURNS" = together ] || wait "${job[$s]}"
  done
  line="round $r:"
  for s in A B; do
    wait "${job[$s]}"
    out=$(cat "${dir[$s]}/load.out")
    rate=$(result acked_per_s "$out")
    cpu=$(awk "BEGIN {printf \"%.0f\", 1e6 * ($(cpu_seconds "${pid[$s]}") - ${cpu0[$s]}) / $(result acked "$out")}")
    rate_sum[$s]=$(( ${rate_sum[$s]:-0} + rate )) cpu_sum[$s]=$(( ${cpu_sum[$s]:-0} + cpu ))
    line="$line  $s $rate/s, $(result errors "$out") errors, $cpu µs server CPU per report;"
  done
  echo "$line $(machine_load)"
done
awk "BEGIN {printf \"B ÷ A over %d rounds: acknowledged/s %.1f%%, server CPU per report %.1f%%\n\", $ROUNDS, \
  100 * ${rate_sum[B]} / ${rate_sum[A]}, 100 * ${cpu_sum[B]} / ${cpu_sum[A]}}"
