#!/usr/bin/env bash
# Sessions benchmark: 1,000,000 messages in one tenant, loaded through the
# core's bulk path and (into a second install) through the local HTTP API;
# then the Sessions list, each filter and the message search at that size,
# in the core and over HTTP (p50/p95 of 20 runs). Then, in the same run, the
# peer script's floor of a 1,000,000-row import (`import_floor.py`: the
# sqlite3 shell's `.import`, plain and with the conversation index and the
# FTS5 word index built once at the end), and both loads' ratios to it.
#
#   scripts/bench-conversations.sh
#   MESSAGES=200000 scripts/bench-conversations.sh
set -euo pipefail
cd "$(dirname "$0")/.."
peer=${PEER_BENCH:-../shared/bench/import_floor.py}
messages=${MESSAGES:-1000000}
[ -f "$peer" ] || { echo "peer script not found: $peer (set PEER_BENCH)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "==> ours (release build)"
MESSAGES=$messages cargo bench -q -p tenant-desk-api --bench conversations_at_scale | tee "$work/ours.json"

echo "==> the floor"
python3 "$peer" --rows "$messages" --methods sqlite3,sqlite3_indexed | tee "$work/floor.json"

python3 - "$work/ours.json" "$work/floor.json" <<'PY'
import json, sys
ours = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
floor = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])["methods"]["sqlite3_indexed"]["rows_per_s"]
for name, key in [("core bulk load", "core_bulk_load"), ("HTTP ingest, 4 clients", "api_load")]:
    rate = ours[key]["messages_per_second"]
    print(f"{name}: {rate:,.0f} messages/s vs the floor {floor:,} rows/s: ratio {rate / floor:.2f}")
PY
