#!/usr/bin/env bash
# Re-vendor the finder map's front-end files into static/vendor/ from the npm
# registry, at pinned versions whose tarballs are checked against known sha512
# sums (the hex form of each package's dist.integrity):
#   - Leaflet and Leaflet.markercluster (the map and its marker clusters);
#   - world-atlas (Natural Earth's 1:110m country outlines as TopoJSON, drawn
#     when there are no map tiles) and topojson-client (turns it into GeoJSON).
#
# Only the files the site serves are copied (minified JS, CSS, the PNG images
# Leaflet's CSS and default marker icon use, the one outline file, and the
# licences): no source maps, no *-src.js, no ESM build, none of world-atlas's
# larger scales. Files are copied byte-for-byte, so each one can be compared
# with the published tarball.
#
# To move to a new version: change the *_VERSION and *_SHA512 values below
# (`npm view PKG@VERSION dist.integrity`, then base64-decode it to hex, e.g.
# `echo 'sha512-...' | cut -d- -f2 | base64 -d | xxd -p -c 256`), run this
# script, test the finder page, and update static/README.md.
#
# Needs: npm, tar, sha512sum. Run from anywhere; paths are relative to the
# repo root.
set -euo pipefail

LEAFLET_VERSION="1.9.4"
LEAFLET_SHA512="9f14b5ca7cc93a63a51e9fa22f71725aa2bcf46b4d2fc53caef94c3ac41d4d3b2cc59c025e1f0dd8d07718340e2fe611dd79d6c99031c108b15116fe140ef83c"
CLUSTER_VERSION="1.5.3"
CLUSTER_SHA512="bcf4f0fc19ddabb7901e32c15655a99c678b6b7b7edf31a2b8cedf2700a488c16afa7991b86dd12377fb7f83784c35fb4f83696c05e9476f8d4d148419f09278"
ATLAS_VERSION="2.0.2"
ATLAS_SHA512="2177d5d2ac25297a5c933d458705d5c0a46388884e9d6b6d3ac926e42b7132c8e013f317018447589aa05cea4cf0891c3c1a179f24d4e651477186b90a11b42d"
TOPOJSON_VERSION="3.1.0"
TOPOJSON_SHA512="eb4e6ec52e9b718c465f0f6a8bad97cab57a437c706e776369c866371bbc1d64ed54fc597c424df5f77f4994b5439e129f6cb44ccc8cc458ff70920da861eb2b"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor_dir="$repo_root/static/vendor"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# fetch NAME VERSION SHA512 -> unpacks the tarball into $tmp/NAME/package
fetch() {
  local name="$1" version="$2" sha512="$3" tarball
  mkdir -p "$tmp/$name"
  tarball="$(cd "$tmp/$name" && npm pack --silent "$name@$version" | tail -n 1)"
  (cd "$tmp/$name" && echo "$sha512  $tarball" | sha512sum --check --quiet -)
  tar -xzf "$tmp/$name/$tarball" -C "$tmp/$name"
}

fetch leaflet "$LEAFLET_VERSION" "$LEAFLET_SHA512"
fetch leaflet.markercluster "$CLUSTER_VERSION" "$CLUSTER_SHA512"
fetch world-atlas "$ATLAS_VERSION" "$ATLAS_SHA512"
fetch topojson-client "$TOPOJSON_VERSION" "$TOPOJSON_SHA512"

leaflet_pkg="$tmp/leaflet/package"
cluster_pkg="$tmp/leaflet.markercluster/package"
atlas_pkg="$tmp/world-atlas/package"
topojson_pkg="$tmp/topojson-client/package"

folders=(leaflet leaflet.markercluster world-atlas topojson-client)

# Start from empty folders so files dropped upstream do not linger.
for d in "${folders[@]}"; do rm -rf "${vendor_dir:?}/$d"; done
mkdir -p "$vendor_dir/leaflet/images" "$vendor_dir/leaflet.markercluster" \
         "$vendor_dir/world-atlas" "$vendor_dir/topojson-client"

cp "$leaflet_pkg/dist/leaflet.js" "$leaflet_pkg/dist/leaflet.css" "$vendor_dir/leaflet/"
cp "$leaflet_pkg"/dist/images/*.png "$vendor_dir/leaflet/images/"
cp "$leaflet_pkg/LICENSE" "$vendor_dir/leaflet/LICENSE"

cp "$cluster_pkg/dist/leaflet.markercluster.js" \
   "$cluster_pkg/dist/MarkerCluster.css" \
   "$cluster_pkg/dist/MarkerCluster.Default.css" \
   "$vendor_dir/leaflet.markercluster/"
# The package ships its licence as MIT-LICENCE.txt; keep it under the usual name.
cp "$cluster_pkg/MIT-LICENCE.txt" "$vendor_dir/leaflet.markercluster/LICENSE"

# Natural Earth's data is in the public domain; the LICENSE (ISC) covers the
# TopoJSON packaging. 110m: 108 KB (38 KB gzipped), against 756 KB for 50m.
cp "$atlas_pkg/countries-110m.json" "$atlas_pkg/LICENSE" "$vendor_dir/world-atlas/"

cp "$topojson_pkg/dist/topojson-client.min.js" "$topojson_pkg/LICENSE" "$vendor_dir/topojson-client/"

# Every file the site needs must be there, licences included.
for f in \
  leaflet/leaflet.js leaflet/leaflet.css leaflet/LICENSE \
  leaflet/images/layers.png leaflet/images/layers-2x.png \
  leaflet/images/marker-icon.png leaflet/images/marker-icon-2x.png \
  leaflet/images/marker-shadow.png \
  leaflet.markercluster/leaflet.markercluster.js \
  leaflet.markercluster/MarkerCluster.css \
  leaflet.markercluster/MarkerCluster.Default.css \
  leaflet.markercluster/LICENSE \
  world-atlas/countries-110m.json world-atlas/LICENSE \
  topojson-client/topojson-client.min.js topojson-client/LICENSE; do
  if [ ! -s "$vendor_dir/$f" ]; then
    echo "missing or empty: static/vendor/$f" >&2
    exit 1
  fi
done

echo "vendored leaflet $LEAFLET_VERSION, leaflet.markercluster $CLUSTER_VERSION," \
     "world-atlas $ATLAS_VERSION and topojson-client $TOPOJSON_VERSION:"
(cd "$vendor_dir" && find "${folders[@]}" -type f | sort | while read -r f; do
  printf '%8d  static/vendor/%s\n' "$(wc -c < "$f")" "$f"
done)
printf 'total: %s bytes\n' "$(cd "$vendor_dir" && find "${folders[@]}" -type f -exec cat {} + | wc -c)"
