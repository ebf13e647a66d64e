#!/usr/bin/env bash
# kill -9 at many moments of the store's long work (release build): sixty
# points by default, taken in turn from conversations written one after
# another, an archive import of 200,000 messages, backups and exports, each
# at a moment between 20 ms and 3 s into the work. After each kill the store
# is opened as the next start would: integrity_check must answer ok, every
# change the killed process saw committed must be there, and no half-done
# snapshot or file may show. Prints one JSON line; fails if any point broke.
#
#   scripts/kill-points.sh
#   KILL_POINTS=200 KILL_SEED=7 scripts/kill-points.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh test
cargo bench -q -p tenant-desk-core --bench kill_points
