#!/usr/bin/env bash
# Runs every test: UI type check, core and app tests (cargo), then the
# end-to-end flows through the real window under Xvfb with a private D-Bus
# and a real keyring.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh test
started=$(date +%s)

echo "==> Every program the tests run is installed by an install step"
scripts/check-test-programs.sh

echo "==> UI: type check and build"
(cd ui && npm run --silent check && npm run --silent build)

echo "==> Lints"
cargo clippy --workspace --all-targets --quiet -- -D warnings

echo "==> Core and app tests"
cargo test --workspace --exclude tenant-desk-e2e

echo "==> The tenant API against its OpenAPI document (schemathesis)"
scripts/api-contract.sh

echo "==> Building the app for the end-to-end tests"
cargo build --bin tenant-desk
cargo test -p tenant-desk-e2e --test e2e --no-run

echo "==> End-to-end tests through the real window"
rm -rf tests/e2e/screenshots
tests/e2e/desktop-session.sh cargo test -p tenant-desk-e2e --test e2e -- --test-threads=2

echo "==> All tests passed in $(( $(date +%s) - started )) s; screenshots in tests/e2e/screenshots/"
