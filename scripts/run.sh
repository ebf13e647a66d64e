#!/usr/bin/env bash
# Builds Tenant Desk (release) and opens it on its default local database.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh run

echo "==> Building the UI"
(cd ui && npm run --silent build)
echo "==> Building the app"
cargo build --release --bin tenant-desk

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No graphical display (DISPLAY / WAYLAND_DISPLAY unset): Tenant Desk needs a desktop session." >&2
  echo "To run it on a virtual display instead: xvfb-run -a target/release/tenant-desk" >&2
  exit 1
fi
exec target/release/tenant-desk "$@"
