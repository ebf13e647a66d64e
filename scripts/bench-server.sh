#!/usr/bin/env bash
# Team server benchmark: 200 desktops on the change stream, 50 writes a second
# through the tenant API for 20 s, two forced reconnects per desktop; delivery
# p50/p95/max, lost and repeated changes, server memory. Prints one JSON line.
#
#   scripts/bench-server.sh
#   DESKTOPS=50 WRITES=20 SECONDS=10 scripts/bench-server.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -q -p tenant-desk-server --bench events_at_scale
