#!/usr/bin/env bash
# PostgreSQL beside SQLite, from one run on this machine:
#  - users search at USERS users (the peer script's users and 50 terms): the
#    core on SQLite, the core on PostgreSQL, and Django admin beside them;
#  - write throughput through the team server: THREADS clients share REQUESTS
#    POST /api/v1/sessions, on one SQLite server, one PostgreSQL server, and
#    two server processes on one PostgreSQL database.
# Prints each JSON line and the ratios. PostgreSQL is a throwaway cluster
# (scripts/with-postgres.sh: fsync off, as for the tests).
#
#   scripts/bench-postgres.sh                      # 100,000 users
#   USERS=20000 THREADS=8 REQUESTS=10000 scripts/bench-postgres.sh
#   SEARCH=0 scripts/bench-postgres.sh             # only the write throughput
#   WRITES=0 scripts/bench-postgres.sh             # only the users search
#   DJANGO=0 scripts/bench-postgres.sh             # without the Django peer
set -euo pipefail
cd "$(dirname "$0")/.."

users=${USERS:-100000}
threads=${THREADS:-8}
requests=${REQUESTS:-10000}
server=$PWD/target/release/tenant-desk-server
load=$PWD/scripts/bench-write-load.py

# The servers of one setup: a config per folder, `setup` once per database
# (its key printed), then each started and waited for on /health.
pids=()
stop_servers() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  pids=()
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# write_config FOLDER PORT [DATABASE_URL]
write_config() {
  mkdir -p "$1"
  {
    echo "listen = \"127.0.0.1:$2\""
    echo "data_dir = \"$1/data\""
    [ -n "${3:-}" ] && echo "database = \"$3\""
    # The load is the point here, not the per-client limit.
    printf '[limits]\nrequests_per_minute = 100000000\nburst = 100000000\n'
  } >"$1/server.toml"
}
set_up() {
  echo "violet marble canyon drifts" | "$server" --config "$1/server.toml" setup --workspace "Bench" --timezone UTC \
    --admin-name "Bench Admin" --admin-email bench.admin@example.com 2>"$1/setup.log" | grep -o 'tdk_[A-Za-z0-9_-]*' | head -n1
}
start_server() {
  "$server" --config "$1/server.toml" 2>"$1/server.log" &
  pids+=($!)
  python3 - "$2" <<'PY'
import sys, time, urllib.request
for _ in range(300):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health", timeout=1)
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit("the server did not answer /health")
PY
}
# write_load LABEL KEY PORT...
write_load() {
  local label=$1 key=$2
  shift 2
  local bases=()
  for port in "$@"; do bases+=("http://127.0.0.1:$port"); done
  python3 "$load" --label "$label" --key "$key" --threads "$threads" --requests "$requests" "${bases[@]}"
}

# Inside the PostgreSQL cluster's lifetime (the script runs itself under
# scripts/with-postgres.sh).
if [ "${1:-}" = --inside-postgres ]; then
  work=$2
  psql() { "$TENANT_DESK_TEST_POSTGRES_BIN/psql" -q -v ON_ERROR_STOP=1 "$TENANT_DESK_TEST_POSTGRES/postgres" "$@"; }
  trap stop_servers EXIT
  if [ "${SEARCH:-1}" != 0 ]; then
    echo "==> core users search on PostgreSQL"
    psql -c "CREATE DATABASE users_bench"
    STORE_URL="$TENANT_DESK_TEST_POSTGRES/users_bench" USERS_CSV="$work/users.csv" TERMS_JSON="$work/terms.json" \
      cargo bench -q -p tenant-desk-core --bench users_search | tee "$work/core_pg.json"
  fi
  if [ "${WRITES:-1}" != 0 ]; then
    echo "==> write throughput: one server on PostgreSQL"
    psql -c "CREATE DATABASE writes_one" -c "CREATE DATABASE writes_two"
    port=$(free_port)
    write_config "$work/pg-one" "$port" "$TENANT_DESK_TEST_POSTGRES/writes_one"
    key=$(set_up "$work/pg-one")
    start_server "$work/pg-one" "$port"
    write_load "postgresql, one server" "$key" "$port" | tee "$work/writes_pg_one.json"
    stop_servers
    echo "==> write throughput: two servers on one PostgreSQL database"
    a=$(free_port) b=$(free_port)
    write_config "$work/pg-a" "$a" "$TENANT_DESK_TEST_POSTGRES/writes_two"
    write_config "$work/pg-b" "$b" "$TENANT_DESK_TEST_POSTGRES/writes_two"
    key=$(set_up "$work/pg-a")
    start_server "$work/pg-a" "$a"
    start_server "$work/pg-b" "$b"
    write_load "postgresql, two servers" "$key" "$a" "$b" | tee "$work/writes_pg_two.json"
    stop_servers
    count=$("$TENANT_DESK_TEST_POSTGRES_BIN/psql" -tA "$TENANT_DESK_TEST_POSTGRES/writes_two" -c "SELECT count(*) FROM conversations")
    echo "conversations in the shared database: $count"
  fi
  exit 0
fi

source scripts/ensure-deps.sh test
peer=${PEER_BENCH:-../shared/bench/users_search_django.py}
[ -f "$peer" ] || { echo "peer script not found: $peer (set PEER_BENCH)" >&2; exit 2; }

work=$(mktemp -d)
chmod 755 "$work"
trap 'stop_servers; rm -rf "$work"' EXIT

if [ "${SEARCH:-1}" != 0 ]; then
  echo "==> writing $users users and the search terms"
  python3 "$peer" --write-csv "$work/users.csv" --users "$users" >/dev/null
  python3 "$peer" --print-terms >"$work/terms.json"
  echo "==> core users search on SQLite (release build)"
  USERS_CSV="$work/users.csv" TERMS_JSON="$work/terms.json" \
    cargo bench -q -p tenant-desk-core --bench users_search | tee "$work/core_sqlite.json"
fi

if [ "${WRITES:-1}" != 0 ]; then
  cargo build -q --release -p tenant-desk-server --bin tenant-desk-server
  echo "==> write throughput: one server on SQLite"
  port=$(free_port)
  write_config "$work/sqlite" "$port"
  key=$(set_up "$work/sqlite")
  start_server "$work/sqlite" "$port"
  write_load "sqlite, one server" "$key" "$port" | tee "$work/writes_sqlite.json"
  stop_servers
fi

scripts/with-postgres.sh "$0" --inside-postgres "$work"

if [ "${SEARCH:-1}" != 0 ] && [ "${DJANGO:-1}" != 0 ]; then
  echo "==> Django admin (peer script)"
  python3 "$peer" --users "$users" | tee "$work/django.json"
fi

echo "==> ratios"
python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
def last(name):
    path = os.path.join(work, name)
    return json.loads(open(path).read().strip().splitlines()[-1]) if os.path.exists(path) else None
lite, pg, django = last("core_sqlite.json"), last("core_pg.json"), last("django.json")
if lite and pg:
    l, p = lite["core_search_ms"], pg["core_search_ms"]
    print(f"users search, {lite['users']} users, {lite['terms']} terms x {lite['repeats']}")
    print(f"  SQLite      p50 {l['p50']:.3f} ms  p95 {l['p95']:.3f} ms  (load {lite['load_ms']:.0f} ms)")
    print(f"  PostgreSQL  p50 {p['p50']:.3f} ms  p95 {p['p95']:.3f} ms  (load {pg['load_ms']:.0f} ms)")
    print(f"  PostgreSQL / SQLite: p50 {p['p50']/l['p50']:.1f}x  p95 {p['p95']/l['p95']:.1f}x")
    if django:
        d = django["django_request_ms"]
        print(f"  Django admin p50 {d['p50']:.3f} ms  p95 {d['p95']:.3f} ms")
        print(f"  Django / SQLite p95 {d['p95']/l['p95']:.1f}x  Django / PostgreSQL p95 {d['p95']/p['p95']:.1f}x")
    for run in (lite, pg):
        if run["result_count_mismatches"]:
            print(f"  {run['store']}: result count mismatches {run['result_count_mismatches']}")
rows = [last(n) for n in ("writes_sqlite.json", "writes_pg_one.json", "writes_pg_two.json")]
if any(rows):
    print("write throughput, POST /api/v1/sessions")
    base = rows[0]
    for r in filter(None, rows):
        ratio = f"  ({r['requests_per_s']/base['requests_per_s']:.2f}x SQLite)" if base else ""
        print(f"  {r['setup']:<26} {r['requests_per_s']:8.1f} req/s  p50 {r['latency_ms']['p50']} ms  p95 {r['latency_ms']['p95']} ms  failed {r['failed']}{ratio}")
    if rows[1] and rows[2]:
        print(f"  two servers / one server on PostgreSQL: {rows[2]['requests_per_s']/rows[1]['requests_per_s']:.2f}x")
PY
