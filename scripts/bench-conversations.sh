#!/usr/bin/env bash
# Sessions benchmark: 1,000,000 messages in one tenant, loaded through the
# core's bulk path and (into a second install) through the local HTTP API;
# then the Sessions list, each filter and the message search at that size,
# in the core and over HTTP (p50/p95 of 20 runs). Prints one JSON line.
#
#   scripts/bench-conversations.sh
#   MESSAGES=200000 scripts/bench-conversations.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -q -p tenant-desk-api --bench conversations_at_scale
