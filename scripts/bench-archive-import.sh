#!/usr/bin/env bash
# Archive import benchmark: the 1,000,000 messages of the peer script
# `import_floor.py --write-csv`, turned into an archive of ours and imported
# as a snapshot by the core (release build, validation on), then the peer
# script in the same run: the sqlite3 shell's `.import` plain and with the
# conversation index and FTS5 word index built once at the end
# (`sqlite3_indexed`, the floor a store keeping those indexes is measured
# against), and sqlite-utils (which the peer script installs in a
# virtualenv). Prints each JSON line and the ratios.
# Our benchmark also times sign-ins, tenant API writes and window edits made
# while a second import of the archive runs (p50, p95, max).
#
#   scripts/bench-archive-import.sh              # 1,000,000 messages
#   ROWS=200000 scripts/bench-archive-import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh test
peer=${PEER_BENCH:-../shared/bench/import_floor.py}
rows=${ROWS:-1000000}
[ -f "$peer" ] || { echo "peer script not found: $peer (set PEER_BENCH)" >&2; exit 2; }
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  echo "==> installing python3-venv (sqlite-utils goes into a virtualenv)"
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q python3-venv; else sudo apt-get install -y -q python3-venv; fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "==> writing $rows messages"
python3 "$peer" --write-csv "$work/messages.csv" --rows "$rows" >/dev/null

echo "==> our import (release build)"
MESSAGES_CSV="$work/messages.csv" cargo bench -q -p tenant-desk-core --bench archive_import | tee "$work/ours.json"

echo "==> the floor (sqlite3 .import, plain and with the indexes built at the end) and sqlite-utils"
python3 "$peer" --rows "$rows" --methods sqlite3,sqlite3_indexed,sqlite_utils | tee "$work/floor.json"

python3 - "$work/ours.json" "$work/floor.json" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]).read().strip().splitlines()]
ours = next(l for l in lines if l["bench"] == "archive_import")
floor = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])["methods"]
ours_rate = ours["messages_per_s"]
for name, m in [("sqlite3 .import, indexes built at the end (the floor)", floor.get("sqlite3_indexed", {})),
                ("sqlite3 .import, primary key only", floor.get("sqlite3", {})),
                ("sqlite-utils, primary key only", floor.get("sqlite_utils", {}))]:
    if "rows_per_s" in m:
        print(f"ours {ours_rate:,.0f} messages/s vs {name} {m['rows_per_s']:,} rows/s: "
              f"ratio {ours_rate / m['rows_per_s']:.2f} (verified: {m.get('verified')})")
PY
