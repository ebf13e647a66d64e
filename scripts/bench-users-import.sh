#!/usr/bin/env bash
# Import users from CSV benchmark: the peer script's 100,000 users (the same
# people as the users search benchmark) imported into one tenant by the core
# as `tenant-desk-cli users import` does it (release build): the check alone,
# then the whole import, every row with a temporary password hashed with
# Argon2id on every core; beside it the ceiling (Argon2id hashes alone on
# every core) and the sqlite3 shell's `.import` of the same file into a bare
# table (the floor of an import that hashes nothing). Prints each JSON line
# and the ratios.
#
#   scripts/bench-users-import.sh            # 100,000 users
#   USERS=10000 scripts/bench-users-import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh test
peer=${PEER_BENCH:-../shared/bench/users_search_django.py}
users=${USERS:-100000}
[ -f "$peer" ] || { echo "peer script not found: $peer (set PEER_BENCH)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "==> installing sqlite3"; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "==> writing $users users"
python3 "$peer" --write-csv "$work/users.csv" --users "$users" >/dev/null

echo "==> our import (release build)"
USERS_CSV="$work/users.csv" cargo bench -q -p tenant-desk-core --bench users_import | tee "$work/ours.json"

echo "==> the floor: sqlite3 .import into a bare table"
started=$(date +%s%N)
sqlite3 "$work/floor.sqlite3" \
  "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE, role TEXT NOT NULL, created_at TEXT NOT NULL);" \
  ".import --csv --skip 1 $work/users.csv users"
floor_secs=$(python3 -c "print(($(date +%s%N) - $started) / 1e9)")
python3 - "$work/ours.json" "$floor_secs" "$users" <<'PY'
import json, sys
ours = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
floor = int(sys.argv[3]) / float(sys.argv[2])
print(json.dumps({"benchmark": "sqlite3_import_floor", "rows": int(sys.argv[3]), "rows_per_s": round(floor, 1)}))
print(f"import: {ours['import_rows_per_s']} rows/s on {ours['cores']} cores, "
      f"{ours['import_vs_hashing_ceiling']:.0%} of Argon2id alone ({ours['argon2id_hashes_per_s_on_every_core']} hashes/s); "
      f"hashing {ours['hashing_seconds']} s, writing {ours['writing_seconds']} s ({ours['writing_rows_per_s']} rows/s, "
      f"{ours['writing_rows_per_s'] / floor:.2f}x the sqlite3 floor)")
print(f"check (dry run): {ours['check_rows_per_s']} rows/s; the sqlite3 floor stores {round(floor)} rows/s "
      f"({ours['check_rows_per_s'] / floor:.2f}x the floor for checking every row)")
PY
