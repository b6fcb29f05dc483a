#!/usr/bin/env bash
# Event kits on the release binary: letters made one by one (a new letter each time: every case in
# every language on both papers), the demo campaign's kit cold then from its cache (with its ETag:
# 304, and without: the whole PDF), event kits, their sizes and pages, and the server's memory
# while eight event kits are made at once.
# Usage: cargo build --release && bench/kits.sh
# Needs curl, ab (Debian apache2-utils) and pdfinfo (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${WRITEATHON_BIN:-target/release/writeathon}
PORT=${PORT:-18085}
URL="http://127.0.0.1:$PORT"
PASS="kits are printed before the day 2026"
[ -x "$BIN" ] || { echo "build it first: cargo build --release" >&2; exit 1; }
dir=$(mktemp -d)
cleanup() { [ -n "${pid:-}" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" || true; rm -rf "$dir"; }
trap cleanup EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { awk '{printf "%.1f\n", $1 * 1000}'; }

echo "$PASS" | "$BIN" user add --email bench-host@example.org --name "Bench Host" --password-stdin --data-dir "$dir" >/dev/null
"$BIN" serve --listen "127.0.0.1:$PORT" --data-dir "$dir" --demo >"$dir/log" 2>&1 &
pid=$!
until curl -fs -o /dev/null "$URL/healthz"; do sleep 0.05; done
slug=$(curl -fs "$URL/api/v1/campaigns" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["slug"])')
cases=$(curl -fs "$URL/api/v1/campaigns/$slug/cases" | python3 -c 'import json,sys; print(" ".join(c["slug"] for c in json.load(sys.stdin)))')
echo "campaign $slug, $(wc -w <<<"$cases") cases; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# The first document of the process (fonts and Typst's library loaded then).
first=$(curl -fs -o /dev/null -w '%{time_total}' "$URL/campaigns/$slug/cases/${cases%% *}/letter.pdf?lang=en&paper=a4" | ms)
echo "first letter of the process: $first ms"

times=(); biggest=0
for c in $cases; do
  for lang in en fr es; do
    for paper in a4 letter; do
      [ "$c/$lang/$paper" = "${cases%% *}/en/a4" ] && continue
      t=$(curl -fs -o "$dir/l.pdf" -w '%{time_total}' "$URL/campaigns/$slug/cases/$c/letter.pdf?lang=$lang&paper=$paper" | ms)
      times+=("$t")
      size=$(stat -c %s "$dir/l.pdf"); (( size > biggest )) && biggest=$size
    done
  done
done
echo "letters, each made on its request (HTTP included): median $(printf '%s\n' "${times[@]}" | median) ms over ${#times[@]}, slowest $(printf '%s\n' "${times[@]}" | sort -n | tail -1) ms; largest $((biggest / 1024)) kB"

kit="$URL/campaigns/$slug/kit.pdf?lang=en&paper=a4"
cold=$(curl -fs -D "$dir/h" -o "$dir/kit.pdf" -w '%{time_total}' "$kit" | ms)
etag=$(awk 'tolower($1) == "etag:" {print $2}' "$dir/h" | tr -d '\r')
echo "campaign kit, cold: $cold ms; $(stat -c %s "$dir/kit.pdf" | awk '{printf "%d kB", $1 / 1024}'), $(pdfinfo "$dir/kit.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}') pages"
again=$(curl -fs -o /dev/null -w '%{time_total}' "$kit" | ms)
echo "campaign kit, from the cache: $again ms"
ab -q -k -n 50000 -c 16 -H "If-None-Match: $etag" "$kit" | awk '/^Non-2xx|^Requests per second|^Time per request.*mean\)$/ {print "  with its ETag (304): " $0}'
ab -q -k -n 5000 -c 16 "$kit" | awk '/^Requests per second|^Transfer rate/ {print "  without (200, the whole PDF): " $0}'

# Event kits: a host's events, asked by the host (signed in with the form).
token=$("$BIN" token issue --email bench-host@example.org --data-dir "$dir")
day=$(curl -fs "$URL/api/v1/campaigns/$slug" | python3 -c 'import json,sys; print(json.load(sys.stdin)["global_day"])')
ids=()
for i in $(seq 1 9); do
  ids+=("$(curl -fs -X POST "$URL/api/v1/campaigns/$slug/events" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"title\":\"Kit bench $i\",\"kind\":\"library\",\"visibility\":\"public\",\"starts_at\":\"${day}T14:00:00+01:00\",\"ends_at\":\"${day}T17:00:00+01:00\",\"timezone\":\"Europe/Paris\",\"venue_name\":\"Bibliothèque $i\",\"address\":\"$i rue des Livres\",\"city\":\"Lyon\",\"region\":\"FR-ARA\",\"country\":\"FR\",\"latitude\":45.76,\"longitude\":4.83,\"language\":\"fr\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')")
done
csrf=$(curl -fs -c "$dir/jar" "$URL/signin" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -fs -b "$dir/jar" -c "$dir/jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "email=bench-host@example.org" --data-urlencode "password=$PASS" "$URL/signin"
ev=$(curl -fs -b "$dir/jar" -o "$dir/event.pdf" -w '%{time_total}' "$URL/events/${ids[0]}/kit.pdf" | ms)
echo "event kit (sign-in sheet, poster, $(wc -w <<<"$cases") cases), made: $ev ms; $(stat -c %s "$dir/event.pdf" | awk '{printf "%d kB", $1 / 1024}'), $(pdfinfo "$dir/event.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}') pages"
before=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
start=$(date +%s%N)
printf '%s\n' "${ids[@]:1}" | xargs -P 8 -I{} curl -fs -b "$dir/jar" -o /dev/null "$URL/events/{}/kit.pdf"
took=$(( ($(date +%s%N) - start) / 1000000 ))
echo "8 event kits asked at once: all made in $took ms; server memory $((before / 1024)) MB before, peak of the process $(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status") MB, $(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status") MB after"
