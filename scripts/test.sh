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

echo "==> Docs: every link and path in the README and docs/ holds"
python3 scripts/check-docs.py

echo "==> UI: type check and build"
(cd ui && npm run --silent check && npm run --silent build)

echo "==> Lints"
cargo clippy --workspace --all-targets --quiet -- -D warnings

echo "==> Core and app tests"
cargo test --workspace --exclude tenant-desk-e2e

# The same core and server tests on a PostgreSQL store, the schemas
# compared; SQLite's own file backups and file modes are not PostgreSQL's.
echo "==> Core and server tests on PostgreSQL"
scripts/with-postgres.sh bash -c '
  cargo test -p tenant-desk-core --test core -- --skip backups:: --skip private_files:: &&
  cargo test -p tenant-desk-server --test server'

echo "==> The tenant API against its OpenAPI document (schemathesis)"
scripts/api-contract.sh

echo "==> Building the app and the team server for the end-to-end tests"
cargo build -p tenant-desk -p tenant-desk-server -p tenant-desk-cli --bins
cargo test -p tenant-desk-e2e --test e2e --no-run

echo "==> End-to-end tests through the real window"
rm -rf tests/e2e/screenshots
tests/e2e/desktop-session.sh cargo test -p tenant-desk-e2e --test e2e -- --test-threads=2
scripts/guide-screenshots.sh

echo "==> The team server flows again, the server's store in PostgreSQL"
scripts/with-postgres.sh tests/e2e/desktop-session.sh cargo test -p tenant-desk-e2e --test e2e -- --test-threads=2 team_server

echo "==> The .deb package: bundled from the debug build above, installed, started, removed"
package_started=$(date +%s)
if dpkg-query -W -f='${Status}' tenant-desk 2>/dev/null | grep -q "ok installed"; then
  echo "The tenant-desk package is installed on this machine; this step would replace and remove it. Remove it first: apt-get remove tenant-desk" >&2
  exit 1
fi
rm -rf target/debug/bundle/deb
scripts/stage-cli.sh target/debug
# `tauri bundle` packages the binary `cargo build --bin tenant-desk` made above
# (compiling nothing; --no-binary-patching leaves that binary as it is).
ui/node_modules/.bin/tauri bundle --debug --bundles deb --ci --no-binary-patching
debs=(target/debug/bundle/deb/*.deb)
[ ${#debs[@]} -eq 1 ] || { echo "Expected one .deb, found: ${debs[*]}" >&2; exit 1; }
deb="$PWD/${debs[0]}"
dpkg-deb --fsys-tarfile "$deb" | tar -xO usr/bin/tenant-desk | cmp - target/debug/tenant-desk
for need in libwebkit2gtk-4.1-0 libgtk-3-0 libayatana-appindicator3-1 libdbus-1-3; do
  dpkg-deb -f "$deb" Depends | tr ',' '\n' | grep -qx " *$need" \
    || { echo "The .deb does not depend on $need: $(dpkg-deb -f "$deb" Depends)" >&2; exit 1; }
done
(
  installed_home=$(mktemp -d)
  trap 'as_root apt-get remove -y -qq tenant-desk >/dev/null 2>&1 || true; rm -rf "$installed_home" "$installed_home.log"' EXIT
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb"
  binary=$(dpkg -L tenant-desk | grep -x '/usr/bin/tenant-desk')
  [ -x "$binary" ] || { echo "The package installed no program in /usr/bin" >&2; exit 1; }
  flow_log="$installed_home.log"
  TENANT_DESK_INSTALLED_BINARY="$binary" TENANT_DESK_INSTALLED_HOME="$installed_home" \
    tests/e2e/desktop-session.sh cargo test -p tenant-desk-e2e --test e2e -- --ignored --exact \
    installed_package::the_installed_package_starts_on_the_first_run_screen 2>&1 | tee "$flow_log"
  grep -q "test result: ok. 1 passed" "$flow_log" || { echo "The installed-package flow did not run" >&2; exit 1; }
  # The command line came with it, with its man page, and reads the store the app made.
  [ -s /usr/share/man/man1/tenant-desk-cli.1 ] || { echo "The package installed no man page of tenant-desk-cli" >&2; exit 1; }
  checked=$(TENANT_DESK_DATA_DIR="$installed_home/.local/share/app.tenantdesk.desktop" /usr/bin/tenant-desk-cli check) \
    && grep -q "^Sound" <<<"$checked" || { echo "The installed tenant-desk-cli did not find the store sound: $checked" >&2; exit 1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq tenant-desk
  for program in "$binary" /usr/bin/tenant-desk-cli; do
    [ ! -e "$program" ] || { echo "$program is still there after apt-get remove" >&2; exit 1; }
  done
  database="$installed_home/.local/share/app.tenantdesk.desktop/tenant-desk.sqlite3"
  [ -s "$database" ] || { echo "apt-get remove took the user's data: $database is gone" >&2; exit 1; }
  echo "Removed the package; the user's data stays: $database"
)
echo "    (the .deb step took $(( $(date +%s) - package_started )) s)"

echo "==> All tests passed in $(( $(date +%s) - started )) s; screenshots in tests/e2e/screenshots/"
