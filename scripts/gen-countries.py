#!/usr/bin/env python3
"""Writes src/geo/countries.tsv (code, English name, French name) from PyPI pycountry.

Usage: python3 scripts/gen-countries.py   (downloads pycountry==26.2.16 into a temporary folder)
"""
import gettext, json, os, subprocess, sys, tempfile, zipfile

VERSION = "26.2.16"
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                    f"pycountry=={VERSION}", "-d", tmp], check=True)
    wheel = next(f for f in os.listdir(tmp) if f.endswith(".whl"))
    zipfile.ZipFile(os.path.join(tmp, wheel)).extractall(tmp)
    base = os.path.join(tmp, "pycountry")
    countries = json.load(open(os.path.join(base, "databases", "iso3166-1.json")))["3166-1"]
    fr = gettext.translation("iso3166-1", os.path.join(base, "locales"), languages=["fr"])
    rows = []
    for c in countries:
        en = c.get("common_name") or c["name"]
        rows.append((c["alpha_2"], en, fr.gettext(c.get("common_name") or c["name"]) if c.get("common_name") and fr.gettext(c["common_name"]) != c["common_name"] else fr.gettext(c["name"])))
    rows.sort()
    out = os.path.join(root, "src", "geo", "countries.tsv")
    with open(out, "w", encoding="utf-8") as f:
        for code, en, frn in rows:
            f.write(f"{code}\t{en}\t{frn}\n")
    print(f"{len(rows)} countries written to {out}")
