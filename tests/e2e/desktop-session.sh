#!/usr/bin/env bash
# Runs a command on a virtual display inside a private D-Bus session that
# activates nothing by itself, with an unlocked gnome-keyring (Secret Service).
# There is no notification server on this bus: tests that need one start it on
# a bus of their own. Nothing leaks to the host's desktop or keyring.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" != "--inside" ]; then
  exec xvfb-run -a -s "-screen 0 1366x900x24" \
    dbus-run-session --config-file="$here/dbus-session.conf" -- "$0" --inside "$@"
fi
shift

scratch=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$scratch"' EXIT
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/runtime" XDG_CONFIG_HOME="$scratch/config"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME"
chmod 700 "$XDG_RUNTIME_DIR"
export NO_AT_BRIDGE=1

eval "$(printf 'e2e-keyring' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

"$@"
