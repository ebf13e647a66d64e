#!/usr/bin/env bash
# Installs what building (and, with "test", testing) Tenant Desk needs, when it
# is missing: Debian packages, Node.js, Rust, the UI's npm packages, tauri-driver.
# Works as root and for a user with sudo. Source it: it may extend PATH.
set -euo pipefail

_mode=${1:-run}
_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# libayatana-appindicator3-1: the tray icon's library, loaded when the desktop has a tray.
# libdbus-1-dev: the keyring reaches the Secret Service through libdbus.
_build_packages=(build-essential curl pkg-config libwebkit2gtk-4.1-dev libssl-dev libxdo-dev librsvg2-dev
  libdbus-1-dev libayatana-appindicator3-1)
# Xvfb for a display, WebKitWebDriver for tauri-driver, a private D-Bus with
# gnome-keyring (a real Secret Service), xclip to read the clipboard back,
# xdotool to type into the desktop's file chooser, dunst (a real notification
# server) for the operator notification flow.
# Python with venv for schemathesis (below), which checks the tenant API.
# The package test bundles the .deb (Tauri's bundler finds the tray library
# with pkg-config: the -dev package) and installs it with apt-get (the tray
# library it depends on is already here: no download mid-test).
# PostgreSQL (with its contrib extensions) for the tests of the PostgreSQL
# store, in a throwaway cluster (scripts/with-postgres.sh).
_test_packages=(xvfb xauth webkit2gtk-driver dbus gnome-keyring xclip xdotool dunst procps python3 python3-venv
  libayatana-appindicator3-1 libayatana-appindicator3-dev postgresql postgresql-contrib)
# Every program the tests start, with the package above that provides it
# (scripts/check-test-programs.sh holds the tests to this list).
_test_programs=(
  Xvfb:xvfb xvfb-run:xvfb xauth:xauth WebKitWebDriver:webkit2gtk-driver
  dbus-run-session:dbus dbus-daemon:dbus dbus-monitor:dbus gnome-keyring-daemon:gnome-keyring
  xclip:xclip xdotool:xdotool dunst:dunst dunstctl:dunst kill:procps python3:python3
  dpkg-deb:dpkg apt-get:apt runuser:util-linux pg_dump:postgresql-client-common pg_restore:postgresql-client-common
)
# "check": only the lists above are wanted.
[ "$_mode" = check ] && return 0

_wanted=("${_build_packages[@]}")
[ "$_mode" = test ] && _wanted+=("${_test_packages[@]}")
command -v node >/dev/null 2>&1 || _wanted+=(nodejs npm)

_missing=()
for p in "${_wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || _missing+=("$p")
done
if [ ${#_missing[@]} -gt 0 ]; then
  echo "==> Installing Debian packages: ${_missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${_missing[@]}"
fi

_node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$_node_major" -lt 18 ]; then
  echo "Node.js 18 or newer is needed (found $(node --version))." >&2
  exit 1
fi

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "==> Installing Rust (rustup, minimal profile)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
fi

# Reinstall the UI's packages when the lock file changed since the last install.
if [ ! -f "$_root/ui/node_modules/.package-lock.json" ] \
  || [ "$_root/ui/package-lock.json" -nt "$_root/ui/node_modules/.package-lock.json" ]; then
  echo "==> Installing the UI's npm packages"
  (cd "$_root/ui" && npm ci --no-audit --no-fund)
fi

if [ "$_mode" = test ] && ! command -v tauri-driver >/dev/null 2>&1; then
  echo "==> Installing tauri-driver"
  cargo install tauri-driver --locked
  export PATH="$HOME/.cargo/bin:$PATH"
fi

# schemathesis, the property-based client scripts/api-contract.sh checks the
# tenant API with: one pinned version from PyPI, in a virtualenv of its own.
SCHEMATHESIS_VERSION=4.32.5
SCHEMATHESIS_VENV=${XDG_CACHE_HOME:-$HOME/.cache}/tenant-desk/schemathesis-venv
ensure_schemathesis() {
  if [ "$("$SCHEMATHESIS_VENV/bin/schemathesis" --version 2>/dev/null)" = "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
    return 0
  fi
  echo "==> Installing schemathesis $SCHEMATHESIS_VERSION into $SCHEMATHESIS_VENV"
  python3 -m venv --clear "$SCHEMATHESIS_VENV"
  "$SCHEMATHESIS_VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
}

if [ "$_mode" = test ]; then
  ensure_schemathesis
fi
