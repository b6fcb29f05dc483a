#!/usr/bin/env bash
# Fuzzing: each target of src/fuzz/ (properties of the parsers we own, checked on random
# structured input with arbtest, on stable Rust) for SECONDS_EACH seconds, one after the other.
# Prints per target the cases run and whether it failed; exits 1 if any failed. A failure prints
# its seed: ARBTEST_SEED=0x… cargo test --lib fuzz::<module>::<target> replays it.
#
# Usage: bench/fuzz.sh [seconds per target, default 60] [target …]
# Targets: report_body event_input markdown attendee_csv tally_request (all by default).
#
# The dev profile's build is reused; only our crate and the Markdown and HTML crates are built
# optimised, as separate artifacts (plain `cargo test` stays as it is).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECONDS_EACH=${1:-60}
shift || true
declare -A MODULE=(
  [report_body]=report_body [event_input]=event_input [markdown]=markdown
  [attendee_csv]=csv_export [tally_request]=tally_request
)
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(report_body event_input markdown attendee_csv tally_request)
OPTIMISED=(writeathon pulldown-cmark ammonia html5ever markup5ever)
CONFIG=()
for p in "${OPTIMISED[@]}"; do CONFIG+=(--config "profile.dev.package.$p.opt-level=3"); done

echo "building the fuzz targets (opt-level 3: ${OPTIMISED[*]})" >&2
cargo test "${CONFIG[@]}" --lib --no-run -q

log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed=0
printf '%-16s %12s %10s  %s\n' target cases seconds result
for t in "${TARGETS[@]}"; do
  m=${MODULE[$t]:?unknown target $t}
  if WRITEATHON_FUZZ_SECONDS=$SECONDS_EACH cargo test "${CONFIG[@]}" --lib -q \
      "fuzz::$m::$t" -- --exact --nocapture >"$log" 2>&1; then
    line=$(grep -E "^fuzz $t: " "$log" | tail -1)
    cases=$(sed -E 's/^fuzz [^:]+: ([0-9]+) cases in ([0-9.]+) s.*/\1/' <<<"$line")
    secs=$(sed -E 's/^fuzz [^:]+: ([0-9]+) cases in ([0-9.]+) s.*/\2/' <<<"$line")
    printf '%-16s %12s %10s  %s\n' "$t" "$cases" "$secs" "0 failures"
  else
    failed=1
    printf '%-16s %12s %10s  %s\n' "$t" - - "FAILED"
    grep -E "panicked|Seed|assert" "$log" | head -20 >&2 || true
  fi
done
exit $failed
