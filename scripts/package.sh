#!/usr/bin/env bash
# Builds the installable packages of Tenant Desk from a release build: a .deb
# and an AppImage (Tauri's bundler, @tauri-apps/cli from ui/node_modules).
# They land in target/packages/.
#
# The AppImage needs tools the bundler downloads from GitHub (AppRun, linuxdeploy
# and its plugins, kept in ~/.cache/tauri). Where GitHub cannot be reached and
# they are not cached, the AppImage is skipped with the reason, and the .deb is
# still built; where GitHub is reachable, an AppImage failure fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh run
# Tauri's bundler finds the tray library (libayatana-appindicator3) with pkg-config.
if ! dpkg-query -W -f='${Status}' libayatana-appindicator3-dev 2>/dev/null | grep -q "ok installed"; then
  echo "==> Installing Debian packages: libayatana-appindicator3-dev"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libayatana-appindicator3-dev
fi
started=$(date +%s)
tauri=ui/node_modules/.bin/tauri
version=$(node -p 'require("./tauri.conf.json").version')
arch=$(dpkg --print-architecture)
out=target/packages

echo "==> Building the UI"
(cd ui && npm run --silent build)

echo "==> Building the app and the command line (release: LTO, one codegen unit, stripped)"
cargo build --release -p tenant-desk -p tenant-desk-cli --bins
# The .deb carries the command line too, with its man page and completion.
scripts/stage-cli.sh target/release

# `tauri bundle` packages the binary cargo just built (no second compile);
# --no-binary-patching leaves it as cargo made it (the mark it would write is
# only read by Tauri's updater, which Tenant Desk does not use).
rm -rf target/release/bundle/deb target/release/bundle/appimage "$out"
mkdir -p "$out"

echo "==> Bundling the .deb"
"$tauri" bundle --bundles deb --ci --no-binary-patching
debs=(target/release/bundle/deb/*.deb)
[ ${#debs[@]} -eq 1 ] || { echo "Expected one .deb, found: ${debs[*]}" >&2; exit 1; }
cp "${debs[0]}" "$out/tenant-desk_${version}_${arch}.deb"

echo "==> Bundling the AppImage"
appimage_note=""
export APPIMAGE_EXTRACT_AND_RUN=1 # linuxdeploy runs without FUSE (containers, CI)
if "$tauri" bundle --bundles appimage --ci --no-binary-patching; then
  appimages=(target/release/bundle/appimage/*.AppImage)
  [ ${#appimages[@]} -eq 1 ] || { echo "Expected one AppImage, found: ${appimages[*]}" >&2; exit 1; }
  cp "${appimages[0]}" "$out/tenant-desk_${version}_${arch}.AppImage"
elif ! curl -sS --max-time 10 -o /dev/null https://github.com/ 2>/dev/null; then
  appimage_note="AppImage skipped: the bundler downloads AppRun and linuxdeploy from github.com, which this machine cannot reach (and they are not in ~/.cache/tauri). Run scripts/package.sh where GitHub is reachable to build it."
  echo "$appimage_note" >&2
else
  echo "The AppImage could not be built (GitHub is reachable, so this is not the network)." >&2
  exit 1
fi

echo "==> Packages in $out/ (built in $(( $(date +%s) - started )) s)"
printf '%-40s %12s\n' "release binary target/release/tenant-desk" "$(stat -c %s target/release/tenant-desk) bytes"
for f in "$out"/*; do
  printf '%-40s %12s\n' "$f" "$(stat -c %s "$f") bytes"
done
[ -z "$appimage_note" ] || echo "$appimage_note"
echo "Install the .deb with: sudo apt install ./$out/tenant-desk_${version}_${arch}.deb"
