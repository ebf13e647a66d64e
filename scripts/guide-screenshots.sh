#!/usr/bin/env bash
# Copies the screenshots the user guide shows from the end-to-end run's
# folder into docs/guide/screenshots/ (see docs/guide/screenshots.list).
# Fails, naming it, when a listed screenshot was not taken.
set -euo pipefail
cd "$(dirname "$0")/.."
from=tests/e2e/screenshots
to=docs/guide/screenshots
mkdir -p "$to"
missing=0
while read -r taken name; do
    [[ -z "$taken" || "$taken" == \#* ]] && continue
    if [[ -f "$from/$taken" ]]; then
        cp "$from/$taken" "$to/$name"
    else
        echo "guide screenshot $name: $from/$taken was not taken (docs/guide/screenshots.list)" >&2
        missing=1
    fi
done < docs/guide/screenshots.list
exit "$missing"
