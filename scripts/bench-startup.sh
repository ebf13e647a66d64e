#!/usr/bin/env bash
# Start-up benchmark: the release build of Tenant Desk and a bare Tauri window
# (src-tauri/bare-window/, the same tauri build with one static page), each
# launched 7 times in turn under the test desktop (Xvfb, private D-Bus):
# launch to the first screen, and idle memory (PSS) with WebKit's processes.
#
#   scripts/bench-startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh test
(cd ui && npm run --silent build)
cargo build -q --release --bin tenant-desk
cargo build -q --release --features bare-window --bin bare-window
echo "release binaries: tenant-desk $(stat -c %s target/release/tenant-desk) bytes, bare-window $(stat -c %s target/release/bare-window) bytes"
TENANT_DESK_BIN="$PWD/target/release/tenant-desk" BARE_WINDOW_BIN="$PWD/target/release/bare-window" \
  tests/e2e/desktop-session.sh cargo run -q -p tenant-desk-e2e --example startup
