#!/usr/bin/env python3
"""Checks that every language under locales/ is complete against English (locales/en/).

For each folder under locales/ and each .ftl file English has, it compares:
  - message ids: missing from the language, or present only there;
  - ids given twice in one file;
  - variables ({ $name }, selectors included) of every message both have;
and for countries.tsv and regions.tsv, that the language names the same codes, each once; and that
language.json (its own name, the CLDR locale of its formats) has the keys English's has.

Prints every difference and exits 1 if there is any, 0 otherwise. Stdlib only.

Usage: python3 scripts/check-locales.py [LANG ...]   (default: every folder under locales/)
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCALES = os.path.join(ROOT, "locales")
REFERENCE = "en"
# A message or term starts at the beginning of a line: `id = value` or `-term = value`.
ENTRY = re.compile(r"^(-?[a-zA-Z][a-zA-Z0-9_-]*)\s*=")
VARIABLE = re.compile(r"\{[^{}]*?\$([a-zA-Z][a-zA-Z0-9_-]*)")


def parse_ftl(path):
    """Returns ({id: set of variables}, [ids given more than once]), in file order."""
    messages, duplicates, current = {}, [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#") or not line.strip():
                if not line.strip():
                    current = None
                continue
            m = ENTRY.match(line)
            if m:
                current = m.group(1)
                if current in messages:
                    duplicates.append(current)
                messages[current] = set()
            elif not line[0].isspace() and current is None:
                continue
            if current is not None:
                messages[current].update(VARIABLE.findall(line))
    return messages, duplicates


def read_codes(path):
    """Returns (set of codes, [codes given more than once])."""
    seen, duplicates = set(), []
    with open(path, encoding="utf-8") as f:
        for line in f:
            code = line.split("\t", 1)[0]
            if code in seen:
                duplicates.append(code)
            seen.add(code)
    return seen, duplicates


def check(lang):
    """The differences between `lang` and English, as lines of text."""
    problems = []
    ref_dir, dir_ = os.path.join(LOCALES, REFERENCE), os.path.join(LOCALES, lang)
    ftl_files = sorted(f for f in os.listdir(ref_dir) if f.endswith(".ftl"))
    for name in sorted(f for f in os.listdir(dir_) if f.endswith(".ftl")):
        if name not in ftl_files:
            problems.append(f"{name}: no such file in {REFERENCE}")
    for name in ftl_files:
        path = os.path.join(dir_, name)
        if not os.path.exists(path):
            problems.append(f"{name}: missing")
            continue
        ref, _ = parse_ftl(os.path.join(ref_dir, name))
        msgs, dups = parse_ftl(path)
        for mid in dups:
            problems.append(f"{name}: {mid}: given more than once")
        for mid in ref:
            if mid not in msgs:
                problems.append(f"{name}: {mid}: missing")
            elif msgs[mid] != ref[mid]:
                lacking = ", ".join(f"${v}" for v in sorted(ref[mid] - msgs[mid]))
                extra = ", ".join(f"${v}" for v in sorted(msgs[mid] - ref[mid]))
                detail = "; ".join(filter(None, [lacking and f"lacks {lacking}",
                                                 extra and f"has {extra} that {REFERENCE} has not"]))
                problems.append(f"{name}: {mid}: variables differ ({detail})")
        for mid in msgs:
            if mid not in ref:
                problems.append(f"{name}: {mid}: not in {REFERENCE}")
    for name in ("countries.tsv", "regions.tsv"):
        ref_path, path = os.path.join(ref_dir, name), os.path.join(dir_, name)
        if not os.path.exists(ref_path):
            continue
        if not os.path.exists(path):
            problems.append(f"{name}: missing (scripts/gen-place-names.py writes it)")
            continue
        ref_codes, _ = read_codes(ref_path)
        codes, dups = read_codes(path)
        for code in dups:
            problems.append(f"{name}: {code}: given more than once")
        for code in sorted(ref_codes - codes):
            problems.append(f"{name}: {code}: missing")
        for code in sorted(codes - ref_codes):
            problems.append(f"{name}: {code}: not in {REFERENCE}")
    ref_path, path = os.path.join(ref_dir, "language.json"), os.path.join(dir_, "language.json")
    if os.path.exists(ref_path):
        if not os.path.exists(path):
            problems.append("language.json: missing")
        else:
            with open(ref_path, encoding="utf-8") as f:
                ref_keys = set(json.load(f))
            with open(path, encoding="utf-8") as f:
                keys = set(json.load(f))
            for key in sorted(ref_keys - keys):
                problems.append(f"language.json: {key}: missing")
            for key in sorted(keys - ref_keys):
                problems.append(f"language.json: {key}: not in {REFERENCE}")
    return problems


def main(argv):
    langs = argv or sorted(d for d in os.listdir(LOCALES) if os.path.isdir(os.path.join(LOCALES, d)))
    failed = False
    for lang in langs:
        if not os.path.isdir(os.path.join(LOCALES, lang)):
            print(f"{lang}: no folder locales/{lang}")
            failed = True
            continue
        if lang == REFERENCE:
            count = 0
            for name in sorted(f for f in os.listdir(os.path.join(LOCALES, lang)) if f.endswith(".ftl")):
                msgs, dups = parse_ftl(os.path.join(LOCALES, lang, name))
                count += len(msgs)
                for mid in dups:
                    print(f"{lang}: {name}: {mid}: given more than once")
                    failed = True
            print(f"{lang}: the reference, {count} messages")
            continue
        problems = check(lang)
        if problems:
            failed = True
            print(f"{lang}: {len(problems)} difference(s) from {REFERENCE}:")
            for p in problems:
                print(f"  {p}")
        else:
            print(f"{lang}: complete (same messages and variables as {REFERENCE})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
