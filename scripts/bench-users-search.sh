#!/usr/bin/env bash
# Users search benchmark: 100,000 users, the peer script's 50 terms, core
# search p50/p95 and the search round trip through the (release) window,
# beside Django admin's and a plain LIKE's, from one run on this machine.
# Prints the JSON line of each and the ratios.
#
#   scripts/bench-users-search.sh            # 100,000 users
#   USERS=20000 scripts/bench-users-search.sh
#   ROUND_TRIP=0 scripts/bench-users-search.sh   # without the window
#   THROUGH_SERVER=0 scripts/bench-users-search.sh   # without the team server
#
# The peer script lives in ../shared/bench (PEER_BENCH overrides); it installs
# Django into a virtualenv under ~/.cache on first use (needs python3-venv).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh test
peer=${PEER_BENCH:-../shared/bench/users_search_django.py}
users=${USERS:-100000}
[ -f "$peer" ] || { echo "peer script not found: $peer (set PEER_BENCH)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 2; }
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  echo "==> installing python3-venv (Django goes into a virtualenv)"
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q python3-venv; else sudo apt-get install -y -q python3-venv; fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "==> writing $users users and the search terms"
python3 "$peer" --write-csv "$work/users.csv" --users "$users" >/dev/null
python3 "$peer" --print-terms >"$work/terms.json"

echo "==> core search (release build)"
USERS_CSV="$work/users.csv" TERMS_JSON="$work/terms.json" \
  cargo bench -q -p tenant-desk-core --bench users_search | tee "$work/core.json"

if [ "${ROUND_TRIP:-1}" != 0 ]; then
  echo "==> search round trip through the window (release build)"
  (cd ui && npm run --silent build)
  cargo build -q --release --bin tenant-desk
  USERS_CSV="$work/users.csv" TERMS_JSON="$work/terms.json" TENANT_DESK_BIN="$PWD/target/release/tenant-desk" \
    tests/e2e/desktop-session.sh cargo bench -q -p tenant-desk-e2e --bench search_round_trip | tee "$work/window.json"
fi

if [ "${THROUGH_SERVER:-1}" != 0 ]; then
  echo "==> the same search through the team server, beside this computer's (release build)"
  USERS_CSV="$work/users.csv" TERMS_JSON="$work/terms.json" \
    cargo bench -q -p tenant-desk-server --bench users_search_through_server | tee "$work/server.json"
fi

echo "==> Django admin and plain LIKE (peer script)"
python3 "$peer" --users "$users" | tee "$work/django.json"

python3 - "$work/core.json" "$work/django.json" "$work/window.json" "$work/server.json" <<'PY'
import json, os, sys
last = lambda path: json.loads(open(path).read().strip().splitlines()[-1])
core, peer = last(sys.argv[1]), last(sys.argv[2])
c, d, f = core["core_search_ms"], peer["django_request_ms"], peer["sql_floor_ms"]
print(f"core search   p50 {c['p50']:.3f} ms  p95 {c['p95']:.3f} ms  max {c['max']:.3f} ms")
if os.path.exists(sys.argv[3]):
    w = last(sys.argv[3])["round_trip_ms"]
    print(f"window trip   p50 {w['p50']:.3f} ms  p95 {w['p95']:.3f} ms  (webview timer: 1 ms steps)")
if os.path.exists(sys.argv[4]):
    s = last(sys.argv[4])
    t, h = s["through_server_ms"], s["on_this_computer_ms"]
    print(f"team server   p50 {t['p50']:.3f} ms  p95 {t['p95']:.3f} ms  (the same operation here: p95 {h['p95']:.3f} ms)")
print(f"Django admin  p50 {d['p50']:.3f} ms  p95 {d['p95']:.3f} ms  ({d['p50']/c['p50']:.0f}x / {d['p95']/c['p95']:.0f}x slower)")
print(f"plain LIKE    p50 {f['p50']:.3f} ms  p95 {f['p95']:.3f} ms  ({f['p50']/c['p50']:.1f}x / {f['p95']/c['p95']:.1f}x slower)")
PY
