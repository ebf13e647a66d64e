#!/usr/bin/env bash
# Archive import benchmark: the 1,000,000 messages of the peer script
# `import_floor.py --write-csv`, turned into an archive of ours and imported
# as a snapshot by the core (release build, validation on), then the peer
# script in the same run: the sqlite3 shell's `.import` (the floor),
# sqlite-utils (which the peer script installs in a virtualenv) and Python's
# executemany, into a table given the same indexes as ours (the message index
# and the FTS5 word index with its insert trigger), and the unchanged script's
# floor and sqlite-utils for reference. Prints each JSON line and the ratios.
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

# The peer script with our indexes: its one-statement table becomes a script
# that also makes the indexes of migrations 0007 (same columns, the peer's names).
python3 - "$peer" "$work/import_floor_indexed.py" <<'PY'
import sys
src = open(sys.argv[1]).read()
extra = '''
TABLE_DDL += (
    "; CREATE INDEX messages_conversation ON messages(conversation_id, created_at, message_id)"
    "; CREATE VIRTUAL TABLE message_search USING fts5(text, content = 'messages', content_rowid = 'message_id',"
    " tokenize = 'unicode61 remove_diacritics 2')"
    "; CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN"
    " INSERT INTO message_search (rowid, text) VALUES (new.message_id, new.text); END"
)
'''
assert "con.execute(TABLE_DDL)" in src and "\nMETHODS = (" in src
src = src.replace("con.execute(TABLE_DDL)", "con.executescript(TABLE_DDL)")
src = src.replace("\nMETHODS = (", extra + "\nMETHODS = (", 1)
open(sys.argv[2], "w").write(src)
PY
echo "==> the floor with our indexes (sqlite3 .import, sqlite-utils, executemany)"
python3 "$work/import_floor_indexed.py" --rows "$rows" --methods sqlite3,sqlite_utils,executemany | tee "$work/floor.json"
echo "==> the floor as shipped (primary key only: sqlite3 .import, sqlite-utils)"
python3 "$peer" --rows "$rows" --methods sqlite3,sqlite_utils | tee "$work/floor_plain.json"

python3 - "$work/ours.json" "$work/floor.json" "$work/floor_plain.json" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]).read().strip().splitlines()]
ours = next(l for l in lines if l["bench"] == "archive_import")
floor = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])["methods"]
plain = json.loads(open(sys.argv[3]).read().strip().splitlines()[-1])["methods"]
ours_rate = ours["messages_per_s"]
for name, m in [("sqlite3 .import, our indexes", floor.get("sqlite3", {})),
                ("sqlite-utils, our indexes", floor.get("sqlite_utils", {})),
                ("executemany, our indexes", floor.get("executemany", {})),
                ("sqlite3 .import, primary key only", plain.get("sqlite3", {})),
                ("sqlite-utils, primary key only", plain.get("sqlite_utils", {}))]:
    if "rows_per_s" in m:
        print(f"ours {ours_rate:,.0f} messages/s vs {name} {m['rows_per_s']:,} rows/s: "
              f"ratio {ours_rate / m['rows_per_s']:.2f} (verified: {m.get('verified')})")
PY
