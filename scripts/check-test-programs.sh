#!/usr/bin/env bash
# Fails when a test runs a program that no install step provides: every
# program a test starts (`Command::new("…")` in the Rust tests, and the
# programs the e2e desktop session runs) must be listed in
# scripts/ensure-deps.sh with its Debian package, and be on PATH once the
# packages are installed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh check

declare -A provided=()
for entry in "${_test_programs[@]}"; do
  provided["${entry%%:*}"]="${entry#*:}"
done

started=$(grep -rhoE 'Command::new\("[^"/]+"\)' --include='*.rs' tests src-tauri \
  | sed -E 's/Command::new\("([^"]+)"\)/\1/' | sort -u)
failed=0
for program in $started; do
  if [ -z "${provided[$program]:-}" ]; then
    echo "A test runs '$program', which scripts/ensure-deps.sh does not list in _test_programs." >&2
    failed=1
  fi
done
for program in "${!provided[@]}"; do
  if ! command -v "$program" >/dev/null 2>&1; then
    echo "'$program' (package ${provided[$program]}) is not on PATH after the install step." >&2
    failed=1
  fi
done
exit "$failed"
