#!/usr/bin/env bash
# Checks the local tenant API against its own OpenAPI document the way an
# integrator's client would: schemathesis generates requests from the served
# document (valid and invalid ones, with a fixed seed and a bounded number of
# cases, so every run sends the same ones) to the real API over a real store,
# and holds every reply to the document with all of its checks. Any failure
# fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh test

seed=16
examples=500

cargo build --quiet -p tenant-desk-api --example contract_server
# The server serves while its stdin is open: a pipe this script holds, so it
# stops when the script ends, however that happens.
coproc SERVER { exec "${CARGO_TARGET_DIR:-target}/debug/examples/contract_server"; }
for _ in 1 2 3 4; do
  IFS= read -r -t 60 line <&"${SERVER[0]}"
  export "${line?}"
done

accept="POST /api/v1/sessions/{id}/accept"
check() {
  "$SCHEMATHESIS_VENV/bin/schemathesis" --config-file scripts/api-contract.toml run \
    "$TENANT_DESK_API/api/v1/openapi.json" \
    --checks all --seed "$seed" --max-examples "$examples" --workers 1 \
    --generation-database none "$@"
}
status=0
check -H "Authorization: Bearer $TENANT_DESK_API_KEY" --exclude-name "$accept" || status=$?
# Only a person accepts a conversation: with an operator's own key.
check -H "Authorization: Bearer $TENANT_DESK_OPERATOR_KEY" --include-name "$accept" || status=$?

exec {SERVER[1]}>&-
wait "$SERVER_PID"
exit "$status"
