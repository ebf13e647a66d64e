#!/usr/bin/env bash
# The long fuzz run: the property tests of everything that takes outside
# input (core: `properties::` in the core test binary; the tenant API:
# `api_properties`), round after round, each round with fresh random seeds
# and CASES cases per property, until MINUTES have passed. It stops at the
# first failure: proptest prints the smallest input it found and keeps its
# seed in src-tauri/*/proptest-regressions/, which every later run (the
# normal test run too) replays first. Turn each into a plain test beside
# the others in src-tauri/core/tests/core/properties/found.rs.
#
#   scripts/fuzz.sh              # 10 minutes, 1,000 cases per property a round
#   scripts/fuzz.sh 60 5000      # an hour, 5,000 cases a round
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh test
minutes=${1:-10}
cases=${2:-1000}

# Built once; the rounds run the test programs themselves.
executable() {
  cargo test -q -p "$1" --test "$2" --no-run --message-format=json | grep -o '"executable":"[^"]*"' | cut -d'"' -f4
}
core=$(executable tenant-desk-core core)
api=$(executable tenant-desk-api api_properties)

# Shrinking stops after 5 minutes: a failure is kept whether or not its input is the smallest.
export PROPTEST_CASES=$cases PROPTEST_MAX_SHRINK_TIME=300000
start=$(date +%s)
deadline=$((start + minutes * 60))
rounds=0
while [ "$(date +%s)" -lt "$deadline" ]; do
  rounds=$((rounds + 1))
  round_start=$(date +%s)
  echo "==> round $rounds: $cases cases per property"
  if ! "$core" -q properties:: || ! "$api" -q; then
    echo "==> round $rounds found a failure (seed kept in src-tauri/*/proptest-regressions/)" >&2
    exit 1
  fi
  echo "==> round $rounds passed in $(( $(date +%s) - round_start )) s"
done
echo "==> $rounds rounds of $cases cases per property in $(( $(date +%s) - start )) s: no failure"
