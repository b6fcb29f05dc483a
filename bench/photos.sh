#!/usr/bin/env bash
# Photos: one 12-megapixel JPEG (GPS EXIF, orientation 6) from upload to stored sizes through the
# running server, against ImageMagick making the same sizes from the same file in the same run;
# then 8 uploads at once: the server's peak memory and the tally's and finder's latency meanwhile;
# then what the demo gallery's first screen costs a phone.
# Usage: cargo build --release && bench/photos.sh [runs]   (WRITEATHON_BIN to use another build)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${WRITEATHON_BIN:-target/release/writeathon}
RUNS=${1:-5}
PORT=${PORT:-18093}
[ -x "$BIN" ] || { echo "build it first: cargo build --release" >&2; exit 1; }
command -v convert >/dev/null && command -v exiftool >/dev/null ||
  { echo "needs imagemagick and libimage-exiftool-perl" >&2; exit 1; }

dir=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
base="http://127.0.0.1:$PORT"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
p95() { sort -n | awk '{a[NR]=$1} END {print a[int(NR*0.95+0.5)]}'; }

# The spike's input: 4000×3000, noisy (so sizes are not flattered), q92, with metadata.
convert -size 1000x750 plasma:fractal -resize '4000x3000!' -attenuate 0.4 +noise Gaussian \
  -quality 92 "$dir/in.jpg"
exiftool -q -overwrite_original -Make=Bench -Model=Phone -Artist=Someone -Orientation#=6 \
  -GPSLatitude=52.2 -GPSLatitudeRef=N -GPSLongitude=0.12 -GPSLongitudeRef=E "$dir/in.jpg"
echo "input: $(identify -format '%wx%h' "$dir/in.jpg"), $(( $(stat -c %s "$dir/in.jpg") / 1024 )) KiB"

"$BIN" serve --listen "127.0.0.1:$PORT" --data-dir "$dir/data" --demo >"$dir/log" 2>&1 &
pid=$!
until curl -fs -o /dev/null "$base/readyz"; do sleep 0.05; done
printf '%s\n' "photos for the bench 17" |
  "$BIN" user add --email bench-photos@example.org --name Bench --password-stdin --data-dir "$dir/data" >/dev/null
token=$("$BIN" token issue --email bench-photos@example.org --data-dir "$dir/data")
slug=$(curl -fs "$base/api/v1/campaigns" | python3 -c 'import json,sys; print(next(c["slug"] for c in json.load(sys.stdin) if c["slug"] != "w4r-2017"))')
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
later=$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%SZ)
event=$(curl -fs -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d "{\"title\":\"Bench\",\"kind\":\"school\",\"visibility\":\"public\",\"starts_at\":\"$now\",\"ends_at\":\"$later\",\"timezone\":\"UTC\",\"city\":\"Stratford\",\"country\":\"CA\",\"address\":\"1 Road\"}" \
  "$base/api/v1/campaigns/$slug/events" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

upload() { # prints the seconds one upload took, from the first byte sent to the 201
  curl -fs -o /dev/null -w '%{time_total}\n' -H "authorization: Bearer $token" \
    -F consent=true -F caption=Bench -F "file=@$dir/in.jpg;filename=in.jpg" "$base/api/v1/events/$event/photos"
}
magick() { # the same four files from the same input
  /usr/bin/time -f %e convert "$dir/in.jpg" -auto-orient -strip -resize 1600x1600 -quality 85 \
    -write "$dir/l.jpg" -write "$dir/l.webp" -resize 480x480 -write "$dir/t.jpg" "$dir/t.webp" 2>&1
}

upload >/dev/null # warm-up
ours=(); theirs=()
for _ in $(seq "$RUNS"); do
  ours+=("$(upload)")
  theirs+=("$(magick)")
done
o=$(printf '%s\n' "${ours[@]}" | median); t=$(printf '%s\n' "${theirs[@]}" | median)
echo "upload → stored sizes (server, HTTP included): median ${o}s (${ours[*]})"
echo "ImageMagick, same sizes:                       median ${t}s (${theirs[*]})"
echo "ratio: $(python3 -c "print(f'{$o / $t:.0%}')")"

tally() { for _ in $(seq 60); do curl -fs -o /dev/null -w '%{time_total}\n' "$base/api/v1/campaigns/$slug/tally"; done; }
finder() { for _ in $(seq 60); do curl -fs -o /dev/null -w '%{time_total}\n' "$base/api/v1/campaigns/w4r-2017/events?near=43.65,-79.38&radius_km=25"; done; }
idle=$(tally | p95); idle_finder=$(finder | p95)
rss_before=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
uploads=()
for _ in 1 2 3 4 5 6 7 8; do { upload >/dev/null || echo failed >>"$dir/failed"; } & uploads+=($!); done
busy=$(tally | p95); busy_finder=$(finder | p95)
wait "${uploads[@]}"
rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
failed=0; [ -f "$dir/failed" ] && failed=$(wc -l <"$dir/failed")
echo "8 uploads at once ($failed refused or timed out): server peak RSS $((rss / 1024)) MB (before: $((rss_before / 1024)) MB)"
echo "tally JSON p95: idle ${idle}s, during the uploads ${busy}s"
echo "finder JSON p95: idle ${idle_finder}s, during the uploads ${busy_finder}s"

# The finished demo campaign's gallery on a phone: the page (gzip), its CSS and scripts, and the
# images a 360 px screen loads at once (the eager ones: the others are loading="lazy"), in the
# format a phone's browser picks (WebP, the smallest width in the srcset that covers 2× of 45vw).
page="/campaigns/w4r-2017/photos"
html=$(curl -fs "$base$page")
total=$(curl -fs -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$base$page")
for a in $(grep -aoE '(href|src)="/static/[^"]+"' <<<"$html" | sed -E 's/^(href|src)="//; s/"$//; s/&amp;/\&/g'); do
  total=$((total + $(curl -fs -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$base$a")))
done
eager=$(python3 -c '
import re, sys
html = sys.stdin.read()
for pic in re.findall(r"<picture>(.*?)</picture>", html, re.S):
    img = re.search(r"<img [^>]*>", pic).group(0)
    if "loading=\"lazy\"" in img:
        continue
    srcset = re.search(r"type=\"image/webp\" srcset=\"([^\"]+)\"", pic).group(1)
    print(srcset.split(",")[0].split()[0])
' <<<"$html")
n=0
for img in $eager; do
  total=$((total + $(curl -fs -o /dev/null -w '%{size_download}' "$base$img"))); n=$((n + 1))
done
echo "gallery, first screen on a phone: $((total / 1024)) kB ($n images at once, the rest lazy)"
