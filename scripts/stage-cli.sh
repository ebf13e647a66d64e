#!/usr/bin/env bash
# Puts the command line where the .deb takes it from (tauri.conf.json's
# bundle.linux.deb.files): the program of the given build folder
# (target/release or target/debug), without its debug symbols, with its man
# page and bash completion, generated from the program itself.
#
#   scripts/stage-cli.sh target/release
set -euo pipefail
cd "$(dirname "$0")/.."
built=${1:?the build folder, e.g. target/release}
stage=target/cli-bundle
rm -rf "$stage"
mkdir -p "$stage"
strip --strip-debug -o "$stage/tenant-desk-cli" "$built/tenant-desk-cli"
"$stage/tenant-desk-cli" manpage >"$stage/tenant-desk-cli.1"
"$stage/tenant-desk-cli" completions bash >"$stage/tenant-desk-cli.bash"
