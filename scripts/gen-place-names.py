#!/usr/bin/env python3
"""Writes the place names of every language, as data in its locale folder:

  locales/<lang>/countries.tsv   ISO 3166-1 alpha-2 code, name; sorted by code
  locales/<lang>/regions.tsv     ISO 3166-2 code, name; the subdivisions src/geo/regions.tsv lists

for every folder under locales/ (a language is a folder: nothing here lists them).

Usage: python3 scripts/gen-place-names.py   (downloads pycountry==26.2.16 into a temporary folder)

Names come from pycountry's ISO names (English) and its gettext translations (the folder's name is
the gettext language): a country's common name where the language translates it, else its ISO name.
These files are the only place names the app has (src/geo/regions.tsv holds codes only). Which
regions are listed (first level, or second for some countries) and their French corrections come
from scripts/gen-places.py itself. A name pycountry does not translate stays in English; the script
counts those per language. COUNTRY_OVERRIDES and OVERRIDES below fix names pycountry lacks or gets
wrong, per language.
"""
import gettext
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import zipfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The gazetteer's own rules: which subdivisions are regions, `display`, and the French names.
_spec = importlib.util.spec_from_file_location("gen_places", os.path.join(root, "scripts", "gen-places.py"))
gen_places = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_places)
VERSION = gen_places.PYCOUNTRY_VERSION

# Country names where pycountry's translation is misspelt ("Costa de Marfíl", "Tunez"), missing
# ("Algeria") or the inverted official form where English uses the common name ("Bolivia, Estado
# plurinacional de" for "Bolivia").
COUNTRY_OVERRIDES = {
    "es": {
        "AX": "Islas Åland", "BF": "Burkina Faso", "BN": "Brunéi", "BO": "Bolivia",
        "CD": "República Democrática del Congo", "CI": "Costa de Marfil", "DZ": "Argelia",
        "FM": "Micronesia", "KM": "Comoras", "LA": "Laos", "NE": "Níger", "PS": "Palestina",
        "RU": "Rusia", "SR": "Surinam", "TN": "Túnez", "TZ": "Tanzania", "VE": "Venezuela",
        "VG": "Islas Vírgenes Británicas", "VI": "Islas Vírgenes de los Estados Unidos",
    },
}

# Region names where pycountry has none in the language, or one a reader would not use.
OVERRIDES = {
    "fr": gen_places.FRENCH,
    "es": {
        "GB-ENG": "Inglaterra", "GB-SCT": "Escocia", "GB-WLS": "Gales", "GB-NIR": "Irlanda del Norte",
    },
}


def catalog(base, domain, lang):
    """The gettext catalog of `lang` (None for English, whose names are pycountry's own)."""
    if lang == "en":
        return None
    return gettext.translation(domain, os.path.join(base, "locales"), languages=[lang], fallback=True)


def has(cat, msgid):
    """Whether the catalog translates `msgid` (a translation may equal it: "Alberta")."""
    return bool(getattr(cat, "_catalog", {}).get(msgid))


def country_name(c, cat):
    """The common name where the language translates it, else the ISO name."""
    if cat is None:
        return c.get("common_name") or c["name"]
    common = c.get("common_name")
    if common and cat.gettext(common) != common:
        return cat.gettext(common)
    return cat.gettext(c["name"])


def main():
    langs = sorted(d for d in os.listdir(os.path.join(root, "locales"))
                   if os.path.isdir(os.path.join(root, "locales", d)))
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                        f"pycountry=={VERSION}", "-d", tmp], check=True)
        wheel = next(f for f in os.listdir(tmp) if f.endswith(".whl"))
        zipfile.ZipFile(os.path.join(tmp, wheel)).extractall(tmp)
        base = os.path.join(tmp, "pycountry")
        with open(os.path.join(base, "databases", "iso3166-1.json"), encoding="utf-8") as f:
            countries = json.load(f)["3166-1"]
        _, by_code, _, _, _, regions = gen_places.load_subdivisions(base)

        for lang in langs:
            folder = os.path.join(root, "locales", lang)
            cat1 = catalog(base, "iso3166-1", lang)
            cat2 = catalog(base, "iso3166-2", lang)
            overrides = OVERRIDES.get(lang, {})

            country_overrides = COUNTRY_OVERRIDES.get(lang, {})
            rows = sorted((c["alpha_2"], country_overrides.get(c["alpha_2"]) or country_name(c, cat1))
                          for c in countries)
            untranslated_countries = sum(1 for c in countries if cat1 is not None and not has(cat1, c["name"]))
            with open(os.path.join(folder, "countries.tsv"), "w", encoding="utf-8") as f:
                f.writelines(f"{code}\t{name}\n" for code, name in rows)

            fallback = []
            with open(os.path.join(folder, "regions.tsv"), "w", encoding="utf-8") as f:
                for code in regions:
                    iso = by_code[code]["name"]
                    if code in overrides:
                        name = overrides[code]
                    elif cat2 is None:
                        name = gen_places.display(iso)
                    else:
                        translated = cat2.gettext(iso)
                        if not has(cat2, iso):
                            fallback.append(code)
                        name = gen_places.display(translated or iso)
                    f.write(f"{code}\t{name}\n")
            note = "" if cat1 is None else (
                f"; {untranslated_countries} country names and {len(fallback)} region names "
                f"have no {lang} translation in pycountry and stay in English")
            print(f"locales/{lang}: {len(rows)} countries ({len(country_overrides)} names overridden), "
                  f"{len(regions)} regions ({len(overrides)} names overridden){note}")


if __name__ == "__main__":
    main()
