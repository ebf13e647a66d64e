#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL cluster on loopback, made in a
# temporary folder and removed afterwards; the command finds it in
# TENANT_DESK_TEST_POSTGRES (postgres://postgres@127.0.0.1:PORT). PostgreSQL
# refuses to run as root, so as root the cluster runs as the postgres user.
# Installs PostgreSQL from Debian's packages when it is missing.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ] || ! dpkg-query -W -f='${Status}' postgresql-contrib 2>/dev/null | grep -q "ok installed"; then
  echo "==> Installing PostgreSQL (postgresql, postgresql-contrib)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql postgresql-contrib
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
fi

dir=$(mktemp -d /tmp/tenant-desk-pg.XXXXXX)
chmod 755 "$dir"
as_cluster() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() {
  as_cluster "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
as_cluster "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
# fsync off: the cluster is thrown away, and the tests check behaviour, not durability.
as_cluster "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off" >/dev/null
export TENANT_DESK_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port"
export TENANT_DESK_TEST_POSTGRES_BIN="$bin"
echo "==> PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"$@"
