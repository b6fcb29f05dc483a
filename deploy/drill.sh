#!/usr/bin/env bash
# The three-node drill: nginx (Debian's) with the site from deploy/nginx/writeathon.conf in front
# of three `writeathon serve` processes on one PostgreSQL database, on this machine's loopback.
# While reports (writeathon-load), RSVPs and tally streams come in through nginx, one node is
# killed with SIGKILL and started again, then the two others are restarted one after the other
# with SIGTERM (each unready for its --shutdown-grace while still serving, as systemd would stop
# it). Afterwards it checks, and prints the counts:
#   - every report answered 2xx is stored exactly once, with the counts it was answered with, and
#     `writeathon reconcile` finds the tally equal to a recount of the rows;
#   - every RSVP answered 2xx is stored;
#   - no tally stream went without an update for more than STREAM_GAP_MAX seconds (a stream cut
#     by a stopping node is opened again at once, as a browser's EventSource does);
#   - the session signed in before the drill still signs in, whichever node answers;
#   - no message was delivered twice (one .eml file per Message-ID).
# Exit status 0 when every check passes.
#
# Usage: cargo build --release && deploy/drill.sh
# Knobs (environment): WRITEATHON_BIN, WRITEATHON_LOAD_BIN (default target/release/…),
#   PG_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres, NGINX=/usr/sbin/nginx,
#   HOSTS=20 CONCURRENCY=32 BATCH=2000 (reports per run of the load generator, run again until
#   the drill ends) STREAMS=4 STREAM_GAP_MAX=5 PORT_BASE=18180 KEEP=1 (keep the work folder);
#   THROUGHPUT=N: before the drill, N reports through nginx to one node, then N through nginx to
#   all three, with the CPU a report cost the nodes and the whole machine (BENCHMARKS.md).
#
# The one change made to the shipped site: the TLS server also listens on a plain-HTTP loopback
# port, because the load generator speaks plain HTTP/1.1; the TLS listener (a self-signed
# certificate) is checked with curl. Everything behind the listeners is the shipped file.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# bench/ingest.sh's setup functions (new_database, make_hosts, result…); it checks the binaries.
source bench/ingest.sh
NGINX=${NGINX:-/usr/sbin/nginx}
HOSTS=${HOSTS:-20}
CONCURRENCY=${CONCURRENCY:-32}
BATCH=${BATCH:-2000}
STREAMS=${STREAMS:-4}
STREAM_GAP_MAX=${STREAM_GAP_MAX:-5}
PORT_BASE=${PORT_BASE:-18180}
HTTP_PORT=$PORT_BASE
TLS_PORT=$((PORT_BASE + 1))
REDIRECT_PORT=$((PORT_BASE + 2))
NODE_PORTS=($((PORT_BASE + 11)) $((PORT_BASE + 12)) $((PORT_BASE + 13)))
[ -x "$NGINX" ] || { echo "nginx missing: apt-get install nginx-light" >&2; exit 1; }

work=$(mktemp -d /tmp/writeathon-drill.XXXXXX)
data=$work/data
mkdir -p "$data" "$work/nginx"
declare -a NODE_PIDS=("" "" "")
BACKGROUND=()
NGINX_PID=""
url=""

cleanup() {
  local pid
  for pid in "${BACKGROUND[@]}" "${NODE_PIDS[@]}" "$NGINX_PID"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  [ -z "$url" ] || drop_database "$url" || true
  if [ "${KEEP:-0}" = 1 ]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

say() { printf '%6.1f s  %s\n' "$(awk "BEGIN {print $(date +%s.%N) - ${T0:-$(date +%s.%N)}}")" "$*"; }

# start_node I: node I (0–2) on its port, sharing the database and the data folder.
start_node() {
  local i=$1 port=${NODE_PORTS[$1]}
  WRITEATHON_DATABASE_URL=$url WRITEATHON_DATA_DIR=$data WRITEATHON_LOG=warn,writeathon::app=info \
    "$BIN" serve --listen "127.0.0.1:$port" --trust-proxy --shutdown-grace 3 \
    --public-url "http://127.0.0.1:$HTTP_PORT" >>"$work/node$i.log" 2>&1 &
  NODE_PIDS[$i]=$!
  for _ in $(seq 1 400); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/readyz" && return 0
    sleep 0.05
  done
  echo "node $i did not start; see $work/node$i.log" >&2
  exit 1
}

# stop_node I SIGNAL: sends the signal and waits for the process to end.
stop_node() {
  kill -"$2" "${NODE_PIDS[$1]}"
  wait "${NODE_PIDS[$1]}" 2>/dev/null || true
  NODE_PIDS[$1]=""
}

# The database, the demo, the hosts and their events (through node 0, before nginx is up).
url=$(new_database postgres "$work")
echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $(machine_load)"
WRITEATHON_LOG=warn "$BIN" seed-demo --database-url "$url" --data-dir "$data" >/dev/null
for i in 0 1 2; do start_node "$i"; done
BASE="http://127.0.0.1:${NODE_PORTS[0]}"
make_hosts "$url" "$data" "$HOSTS"

# nginx with the shipped site, pointed at the nodes; sets NGINX_PID. start_nginx NAME HTTP TLS
# REDIRECT NODE… (node numbers; the other nodes' lines are left out of the upstream block).
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=writeathon.example.org \
  -keyout "$work/nginx/key.pem" -out "$work/nginx/cert.pem" 2>/dev/null
start_nginx() {
  local name=$1 http=$2 tls=$3 redirect=$4 prefix=$work/nginx/$1 keep="" n
  shift 4
  for n in "$@"; do keep="$keep|127[.]0[.]0[.]1:$((8080 + n)) "; done
  mkdir -p "$prefix/tmp"
  awk -v keep="${keep#|}" '!/server 127\.0\.0\.1:808[0-9]/ || $0 ~ keep' deploy/nginx/writeathon.conf |
    sed -e "s/127.0.0.1:8080/127.0.0.1:${NODE_PORTS[0]}/; s/127.0.0.1:8081/127.0.0.1:${NODE_PORTS[1]}/; s/127.0.0.1:8082/127.0.0.1:${NODE_PORTS[2]}/" \
      -e "s|listen 443 ssl http2;|listen 127.0.0.1:$tls ssl http2;\n    listen 127.0.0.1:$http;|" \
      -e "s|listen 80;|listen 127.0.0.1:$redirect;|" -e '/listen \[::\]/d' \
      -e "s|/etc/letsencrypt/live/writeathon.example.org/fullchain.pem|$work/nginx/cert.pem|" \
      -e "s|/etc/letsencrypt/live/writeathon.example.org/privkey.pem|$work/nginx/key.pem|" >"$prefix/site.conf"
  printf '%s\n' "worker_processes 2;" "pid $prefix/nginx.pid;" "error_log $prefix/error.log warn;" \
    "events { worker_connections 4096; }" "http {" "  client_body_temp_path $prefix/tmp/body;" \
    "  proxy_temp_path $prefix/tmp/proxy;" "  include $prefix/site.conf;" "}" >"$prefix/nginx.conf"
  "$NGINX" -p "$prefix" -c "$prefix/nginx.conf" -g 'daemon off;' 2>>"$prefix/error.log" &
  NGINX_PID=$!
  for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$http/readyz" && return 0; sleep 0.05; done
  echo "nginx ($name) did not start; see $prefix/error.log" >&2
  exit 1
}
stop_nginx() { kill "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true; NGINX_PID=""; }

# busy_cpu: CPU seconds the whole machine has been busy so far (all cores).
busy_cpu() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / {printf "%.2f", ($2 + $3 + $4 + $7 + $8) / hz}' /proc/stat; }

# Throughput: THROUGHPUT reports through nginx to node 0 alone, then through nginx to all three.
if [ "${THROUGHPUT:-0}" -gt 0 ]; then
  for setup in "one 0" "three 0 1 2"; do
    read -r name nodes <<<"$setup"
    # shellcheck disable=SC2086
    start_nginx "$name" $((PORT_BASE + 5)) $((PORT_BASE + 6)) $((PORT_BASE + 7)) $nodes
    cpu0=0; for i in 0 1 2; do cpu0=$(awk "BEGIN {print $cpu0 + $(cpu_seconds "${NODE_PIDS[$i]}")}"); done
    busy0=$(busy_cpu)
    out=$("$LOAD" reports --base "http://127.0.0.1:$((PORT_BASE + 5))" --campaign "$SLUG" --tokens "$data/tokens" \
      --events "$data/events" -n "$THROUGHPUT" -c "$CONCURRENCY" --out "$work/throughput.$name.tsv")
    busy1=$(busy_cpu)
    cpu1=0; for i in 0 1 2; do cpu1=$(awk "BEGIN {print $cpu1 + $(cpu_seconds "${NODE_PIDS[$i]}")}"); done
    acked=$(result acked "$out")
    echo "$name node(s) behind nginx: $(result acked_per_s "$out") reports/s acknowledged ($acked of $THROUGHPUT, p50 $(result p50_ms "$out") ms, p99 $(result p99_ms "$out") ms)"
    awk "BEGIN {printf \"  CPU per acknowledged report: %.0f µs in the nodes, %.0f µs on the whole machine (the rest: nginx, PostgreSQL, the load generator); the machine busy %.0f%% of its %d cores\n\", 1e6 * ($cpu1 - $cpu0) / $acked, 1e6 * ($busy1 - $busy0) / $acked, 100 * ($busy1 - $busy0) / $(result seconds "$out") / $(nproc), $(nproc)}"
    stop_nginx
  done
fi

start_nginx drill "$HTTP_PORT" "$TLS_PORT" "$REDIRECT_PORT" 0 1 2
NG="http://127.0.0.1:$HTTP_PORT"
tls=$(curl -sk -o /dev/null -w '%{http_version} %{http_code}' "https://127.0.0.1:$TLS_PORT/api/v1/campaigns" -H 'Host: writeathon.example.org')
[ "$tls" = "2 200" ] || { echo "TLS listener answered '$tls', not HTTP/2 200" >&2; exit 1; }
# RSVPs go to an event of tomorrow (the hosts' events have begun).
event=$(curl -fs -X POST "$NG/api/v1/campaigns/$SLUG/events" -H "Authorization: Bearer $(head -n1 "$data/tokens")" \
  -H 'Content-Type: application/json' \
  -d "{\"title\":\"Drill letters\",\"kind\":\"library\",\"visibility\":\"public\",\"starts_at\":\"$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)\",\"ends_at\":\"$(date -u -d '+1 day 2 hours' +%Y-%m-%dT%H:%M:%SZ)\",\"city\":\"Halifax\",\"country\":\"CA\",\"address\":\"x\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

# A host signed in before the drill (its session must outlive every node).
jar=$work/cookies
csrf=$(curl -fs -c "$jar" -b "$jar" "$NG/signin" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
signin=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" "$NG/signin" \
  --data-urlencode "csrf=$csrf" --data-urlencode "email=bench-1@example.org" --data-urlencode "password=$PASSWORD")
[ "$signin" = 303 ] || { echo "signing in answered $signin" >&2; exit 1; }

# The load, all through nginx, until $work/done appears.
T0=$(date +%s.%N)
(
  k=0
  while [ ! -f "$work/done" ]; do
    k=$((k + 1))
    "$LOAD" reports --base "$NG" --campaign "$SLUG" --tokens "$data/tokens" --events "$data/events" \
      -n "$BATCH" -c "$CONCURRENCY" --out "$work/acked.$k.tsv" >"$work/load.$k.out" 2>&1 || true
  done
) &
BACKGROUND+=($!)
(
  i=0
  while [ ! -f "$work/done" ]; do
    i=$((i + 1))
    # Each from its own loopback address: nginx passes it on, and RSVPs are limited per address.
    code=$(curl -s -o /dev/null -w '%{http_code}' --interface "127.0.1.$((1 + i / 20))" --max-time 10 \
      -X POST "$NG/api/v1/events/$event/rsvps" -H 'Content-Type: application/json' \
      -d "{\"name\":\"Drill Guest $i\",\"email\":\"drill-guest-$i@example.org\"}" || echo 000)
    echo "$code drill-guest-$i@example.org" >>"$work/rsvps.log"
    sleep 0.2
  done
) &
BACKGROUND+=($!)
for s in $(seq 1 "$STREAMS"); do
  (
    while [ ! -f "$work/done" ]; do
      curl -sN --max-time 120 "$NG/api/v1/campaigns/$SLUG/tally/stream?view=summary" 2>/dev/null |
        while IFS= read -r line; do
          [ "$line" != "event: tally" ] || date +%s.%N
        done >>"$work/stream.$s" || true
      echo reconnect >>"$work/stream.$s"
      sleep 0.1
    done
  ) &
  BACKGROUND+=($!)
done

sleep 8
say "kill -9 node 0"; stop_node 0 KILL
sleep 4
start_node 0; say "node 0 started again"
sleep 6
for i in 1 2; do
  say "SIGTERM node $i"; stop_node "$i" TERM; say "node $i stopped"
  start_node "$i"; say "node $i started again"
  sleep 6
done
touch "$work/done"
say "drill over; letting the load finish"
wait "${BACKGROUND[0]}" "${BACKGROUND[1]}" 2>/dev/null || true
# Mail queued during the drill: give the workers a moment to deliver it.
sleep 5
for s in "${BACKGROUND[@]:2}"; do kill "$s" 2>/dev/null || true; done
sessions=$(for _ in 1 2 3 4 5 6; do curl -s -o /dev/null -w '%{http_code} ' -b "$jar" "$NG/account"; done)
stop_nginx
for i in 0 1 2; do stop_node "$i" TERM; done
BACKGROUND=()

# The checks.
failed=0
check() { # OK? what
  if [ "$1" = 1 ]; then echo "ok    $2"; else echo "FAIL  $2"; failed=1; fi
}
cat "$work"/acked.*.tsv >"$work/acked.tsv"
acked=$(wc -l <"$work/acked.tsv")
sent=0; errors=0
for f in "$work"/load.*.out; do
  out=$(cat "$f")
  e=$(result errors "$out")
  sent=$((sent + BATCH)); errors=$((errors + ${e:-0}))
done
psql -q "$url" -c "CREATE TABLE drill_acked (id BIGINT, event_id BIGINT, letters BIGINT, solidarity BIGINT, participants BIGINT)"
psql -q "$url" -c "\\copy drill_acked FROM '$work/acked.tsv'"
read -r stored distinct_acked matching <<<"$(psql -Atq -F ' ' "$url" -c "
  SELECT (SELECT COUNT(*) FROM reports WHERE event_id IN ($(paste -sd, "$data/events"))),
         (SELECT COUNT(DISTINCT id) FROM drill_acked),
         (SELECT COUNT(*) FROM drill_acked a JOIN reports r ON r.id = a.id AND r.event_id = a.event_id
            AND r.participants = a.participants AND r.voided_at IS NULL
            AND (SELECT SUM(letters) FROM report_items i WHERE i.report_id = r.id) = a.letters
            AND (SELECT SUM(solidarity) FROM report_items i WHERE i.report_id = r.id) = a.solidarity)")"
psql -q "$url" -c "DROP TABLE drill_acked"
echo "reports: $sent sent through nginx, $acked answered 2xx, $errors not, $stored stored"
check "$([ "$distinct_acked" = "$acked" ] && [ "$matching" = "$acked" ] && echo 1)" \
  "every 2xx report is stored once with its counts ($matching of $acked)"
if WRITEATHON_LOG=warn "$BIN" reconcile --database-url "$url" --data-dir "$data" >"$work/reconcile.out" 2>&1; then
  check 1 "reconcile: the tally equals a recount of the report rows"
else
  check 0 "reconcile found drift: $(cat "$work/reconcile.out")"
fi
rsvp_ok=$(grep -c '^20[01] ' "$work/rsvps.log" || true)
rsvp_all=$(wc -l <"$work/rsvps.log")
rsvp_list=$(grep '^20[01] ' "$work/rsvps.log" | cut -d' ' -f2 | sed "s/.*/'&'/" | paste -sd, -)
rsvp_stored=$(psql -Atq "$url" -c "SELECT COUNT(*) FROM rsvps WHERE event_id = $event AND email IN (${rsvp_list:-''})")
echo "RSVPs: $rsvp_all sent, $rsvp_ok answered 2xx ($(grep -v '^20[01] ' "$work/rsvps.log" | cut -d' ' -f1 | sort | uniq -c | tr '\n' ' '))"
check "$([ "$rsvp_ok" -gt 0 ] && [ "$rsvp_stored" = "$rsvp_ok" ] && echo 1)" "every 2xx RSVP is stored ($rsvp_stored of $rsvp_ok)"
worst=0
for s in $(seq 1 "$STREAMS"); do
  read -r updates reconnects gap <<<"$(awk -v t0="$T0" '
    $1 == "reconnect" { r++; next }
    { if ($1 >= t0) { if (last && $1 - last > g) g = $1 - last; last = $1; n++ } }
    END { printf "%d %d %.1f\n", n, r, g }' "$work/stream.$s")"
  echo "stream $s: $updates tally updates, $reconnects reconnections, longest wait ${gap} s"
  worst=$(awk "BEGIN {print ($gap > $worst) ? $gap : $worst}")
done
check "$(awk "BEGIN {print ($worst <= $STREAM_GAP_MAX) ? 1 : 0}")" "no stream waited more than $STREAM_GAP_MAX s for an update (longest: $worst s)"
check "$([ "$sessions" = "200 200 200 200 200 200 " ] && echo 1)" "the session made before the drill still signs in: $sessions"
files=$(find "$data/outbox" -name '*.eml' 2>/dev/null | wc -l)
twice=$(find "$data/outbox" -name '*.eml' -print0 2>/dev/null | xargs -0 -r grep -h -i -m1 '^Message-ID:' | sort | uniq -d | wc -l)
read -r sent_mail queued_mail <<<"$(psql -Atq -F ' ' "$url" -c \
  "SELECT COUNT(*) FILTER (WHERE status = 'sent'), COUNT(*) FILTER (WHERE status = 'queued') FROM outbox")"
echo "mail: $sent_mail sent, $queued_mail still queued (a message claimed by the killed node waits for its lease), $files .eml files"
check "$([ "$twice" = 0 ] && [ "$files" = "$sent_mail" ] && echo 1)" "no message delivered twice ($twice Message-IDs twice)"
echo "RESULT acked=$acked errors=$errors stored=$stored rsvps=$rsvp_ok longest_stream_wait_s=$worst mail_sent=$sent_mail mail_twice=$twice failed=$failed"
exit "$failed"
