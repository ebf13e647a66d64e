#!/usr/bin/env bash
# Analytics benchmark: 1,000,000 messages over the last 90 days of one tenant
# (the core's bulk path), then the charts of 90 and 30 days for a Tenant
# Admin and a Tenant Operator and a 90-day chart data export, p50/p95 of 20
# runs each, in a release build. Prints one JSON line.
#
#   scripts/bench-analytics.sh
#   MESSAGES=200000 scripts/bench-analytics.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -q -p tenant-desk-core --bench analytics_at_scale
