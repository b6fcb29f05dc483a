#!/usr/bin/env python3
"""Writes src/geo/zones.tsv: the IANA time zones of each country, one (country, zone) a line:
ISO 3166-1 alpha-2 code, zone name, latitude, longitude (decimal degrees, 4 decimals: the zone's
principal city). Sorted by country; within a country, in zone.tab's order (roughly east to west
or north to south; the first is not always the most populous, see OVERRIDES in src/geo/zones.rs).

Usage: python3 scripts/gen-zones.py
It downloads PyPI tzdata (pinned below) into a temporary folder with pip, and reads the tz source
files that chrono-tz compiles in (found with `cargo metadata`), so that only zones chrono-tz knows
are written. It prints every zone it writes, one line per country, and every zone it drops.

Source: tzdata's zone.tab (public domain), not zone1970.tab: zone.tab has one country a line, so
every country that has a zone is covered (zone1970.tab folds countries that have shared the same
clocks since 1970 into one zone, leaving e.g. Iceland or Luxembourg under another country's name).
Keep TZDATA_VERSION on the IANA release that chrono-tz bundles (the script warns if they differ).
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile

TZDATA_VERSION = "2025.2"  # IANA 2025b, as chrono-tz 0.10.4
TZ_SOURCES = ["africa", "antarctica", "asia", "australasia", "backward", "etcetera", "europe",
              "northamerica", "southamerica"]

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def dms(text, degree_digits):
    """'+4734' / '-05243' / '+484531' / '-0913718' -> decimal degrees."""
    sign = -1 if text[0] == "-" else 1
    digits = text[1:]
    deg = int(digits[:degree_digits])
    rest = digits[degree_digits:]
    minutes = int(rest[:2])
    seconds = int(rest[2:4]) if len(rest) > 2 else 0
    assert len(rest) in (2, 4), text
    return sign * (deg + minutes / 60 + seconds / 3600)


def fmt(x):
    s = f"{x:.4f}"
    return "0.0000" if s == "-0.0000" else s


def chrono_tz():
    """(IANA release, names of every Zone and Link) from the chrono-tz in Cargo.lock."""
    meta = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked"],
        cwd=root, check=True, capture_output=True, text=True).stdout)
    pkg = next((p for p in meta["packages"] if p["name"] == "chrono-tz"), None)
    if pkg is None:
        sys.exit("chrono-tz is not a dependency (cargo add chrono-tz)")
    tz = os.path.join(os.path.dirname(pkg["manifest_path"]), "tz")
    names = set()
    for source in TZ_SOURCES:
        with open(os.path.join(tz, source), encoding="utf-8") as f:
            for line in f:
                cols = line.split("#", 1)[0].split()
                if cols[:1] == ["Zone"]:
                    names.add(cols[1])
                elif cols[:1] == ["Link"]:
                    names.add(cols[2])
    with open(os.path.join(tz, "NEWS"), encoding="utf-8") as f:
        release = re.search(r"^Release (\S+)", f.read(), re.M).group(1)
    return pkg["version"], release, names


with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                    f"tzdata=={TZDATA_VERSION}", "-d", tmp], check=True)
    wheel = next(f for f in os.listdir(tmp) if f.endswith(".whl"))
    with zipfile.ZipFile(os.path.join(tmp, wheel)) as z:
        zone_tab = z.read("tzdata/zoneinfo/zone.tab").decode("utf-8")
        init = z.read("tzdata/__init__.py").decode("utf-8")
iana = re.search(r'IANA_VERSION = "([^"]+)"', init).group(1)

ctz_version, ctz_release, known = chrono_tz()
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
    rows.append((country, zone, fmt(dms(m.group(1), 2)), fmt(dms(m.group(2), 3))))
rows.sort(key=lambda r: r[0])  # stable: zone.tab's order within a country

assert len({r[1] for r in rows}) == len(rows), "a zone listed twice"
out = os.path.join(root, "src", "geo", "zones.tsv")
with open(out, "w", encoding="utf-8", newline="\n") as f:
    for r in rows:
        f.write("\t".join(r) + "\n")

by_country = {}
for country, zone, _, _ in rows:
    by_country.setdefault(country, []).append(zone)
for country, zones in by_country.items():
    print(f"{country}: {' '.join(zones)}")
for country, zone in dropped:
    print(f"dropped (unknown to chrono-tz {ctz_version}): {country} {zone}")
print(f"{len(rows)} zones in {len(by_country)} countries written to {os.path.relpath(out, root)} "
      f"(tzdata {TZDATA_VERSION} = IANA {iana}; chrono-tz {ctz_version} = {ctz_release}); "
      f"{len(dropped)} dropped")
