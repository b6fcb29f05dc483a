#!/usr/bin/env bash
# The API contract under a schema fuzzer: Schemathesis reads /api/openapi.json from a fresh demo
# server and sends it generated requests, valid and invalid, checking every answer against the
# document (`--checks all`: status codes, content types, headers, response schemas, that valid
# bodies are accepted and invalid ones refused, never a 500). Exits non-zero on any failure.
#
# The server: SQLite in a temporary directory, a free loopback port, the demo campaigns, the
# clock of the tests (2026-11-20T10:00:00Z), so every run starts from the same data.
#
# Needs: target/debug/writeathon (or WRITEATHON_BIN), python3, and schemathesis at the version
# CI pins (`python3 -m pip install schemathesis==4.32.5`). Per-operation settings, and why:
# scripts/api-contract.toml.
#
# Knobs: API_CONTRACT_EXAMPLES (generated cases per operation and phase, default 40),
# API_CONTRACT_SEED (default 20261120). A failure prints the curl command that reproduces it.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${WRITEATHON_BIN:-target/debug/writeathon}
examples=${API_CONTRACT_EXAMPLES:-40}
seed=${API_CONTRACT_SEED:-20261120}
test -x "$bin" || { echo "no $bin: run cargo build first" >&2; exit 2; }
# The module of the python3 that pip installed it for, whatever is on PATH.
schemathesis() { python3 -m schemathesis.cli "$@"; }
schemathesis --version >/dev/null 2>&1 || { echo "schemathesis is not installed" >&2; exit 2; }

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export WRITEATHON_DATA_DIR="$work/data"
export WRITEATHON_CLOCK_START="2026-11-20T10:00:00Z"
unset WRITEATHON_DATABASE_URL WRITEATHON_SMTP_URL WRITEATHON_METRICS_TOKEN
mkdir -p "$WRITEATHON_DATA_DIR"

# Two confirmed accounts with API tokens: the admin makes every other request; the throwaway
# host exists to be deleted by `DELETE /api/v1/account`, which run with the admin's token would
# erase the admin halfway through and turn every later request into a 401.
account() { # email role
  printf 'contract-%s-password-%s\n' "$2" "$seed" |
    "$bin" user add --email "$1" --name "Contract $2" --role "$2" --password-stdin
  "$bin" token issue --email "$1" --label "api contract"
}
admin_token=$(account contract-admin@example.org admin)
throwaway_token=$(account contract-throwaway@example.org host)

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
WRITEATHON_LOG=warn "$bin" serve --listen "127.0.0.1:$port" --public-url "$base" --demo --tile-url none \
  >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.2
done
curl -fsS "$base/readyz" >/dev/null

fuzz() { # token, then filters
  local token=$1
  shift
  schemathesis --config-file scripts/api-contract.toml run "$base/api/openapi.json" \
    --checks all \
    --header "Authorization: Bearer $token" \
    --max-examples "$examples" \
    --seed "$seed" \
    --generation-database none \
    --workers 1 \
    --request-timeout 10 \
    --no-color \
    "$@"
}

status=0
# Every operation but the tally stream (it never ends) and the account's own deletion.
fuzz "$admin_token" \
  --exclude-path '/api/v1/campaigns/{campaign}/tally/stream' \
  --exclude-path /api/v1/account || status=1
# Last, the throwaway account's deletion, with its own token: a case that sends the right
# address erases it, and every case after that must get the 401 the document promises.
fuzz "$throwaway_token" --include-path /api/v1/account || status=1

if [ "$status" -ne 0 ]; then
  echo "the server's log:" >&2
  tail -n 50 "$work/server.log" >&2
fi
exit "$status"
