#!/usr/bin/env bash
# The window under load: the release build on 20,000 conversations (100,000
# messages; CONVERSATIONS to change), four clients (CLIENTS; 0 for none)
# feeding its local tenant API as fast as it answers for 20 s while the mouse
# wheel scrolls Sessions and searches are typed into Search messages; the
# page's heartbeat reports every main-thread task over 50 ms
# (tests/e2e/examples/window_under_load.rs).
#
#   scripts/bench-window-under-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh test
(cd ui && npm run --silent build)
cargo build -q --release --bin tenant-desk
TENANT_DESK_BIN="$PWD/target/release/tenant-desk" \
  tests/e2e/desktop-session.sh cargo run -q -p tenant-desk-e2e --example window_under_load
