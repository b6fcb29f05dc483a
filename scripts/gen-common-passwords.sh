#!/usr/bin/env bash
# Regenerate data/common-passwords.txt (and its licence file) from the
# "passwords-common" dictionary of the npm package @zxcvbn-ts/language-common.
#
# Output: one password per line, in the package's rank order (most common
# first), lowercased, duplicates removed (first occurrence kept), only entries
# of at least 8 characters (shorter ones already fail the length minimum).
#
# Needs: npm, node, tar, sha512sum. Run from anywhere; paths are relative to
# the repo root.
set -euo pipefail

PKG_NAME="@zxcvbn-ts/language-common"
PKG_VERSION="4.1.3"
# sha512 of the registry tarball (hex form of dist.integrity)
PKG_SHA512="8366e0e2c9269491bd689a82fe75b3899ce062949efdfdeb29e1a86eb91d1623ab7d9545aaacd4802e815105ae5f9e12b9af63d09c71b7ed5b7f87ff31a9752a"
MIN_LEN=8

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out_dir="$repo_root/data"
out_file="$out_dir/common-passwords.txt"
license_file="$out_dir/LICENSE-common-passwords.txt"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cd "$tmp"
tarball="$(npm pack --silent "$PKG_NAME@$PKG_VERSION" | tail -n 1)"
echo "$PKG_SHA512  $tarball" | sha512sum --check --quiet -
tar -xzf "$tarball"

MIN_LEN="$MIN_LEN" node -e '
const fs = require("fs");
const min = Number(process.env.MIN_LEN);
const list = JSON.parse(fs.readFileSync("package/src/passwords.json", "utf8"));
if (!Array.isArray(list)) throw new Error("passwords.json is not an array");
const seen = new Set();
const out = [];
for (const raw of list) {
  const pw = String(raw).toLowerCase().trim();
  if ([...pw].length < min || /[\r\n]/.test(pw) || seen.has(pw)) continue;
  seen.add(pw);
  out.push(pw);
}
fs.writeFileSync("common-passwords.txt", out.join("\n") + "\n");
console.error(`kept ${out.length} of ${list.length} entries`);
'

mkdir -p "$out_dir"
mv common-passwords.txt "$out_file"
cp package/LICENSE.txt "$license_file"
echo "wrote $out_file ($(wc -l < "$out_file") lines, $(wc -c < "$out_file") bytes)"
