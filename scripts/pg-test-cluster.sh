#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `start DIR` creates one under DIR (a new, empty
# folder), listening on 127.0.0.1 only, on a free port, trusting local connections, and prints its
# URL; `stop DIR` stops it and deletes DIR. `install` installs Debian's postgresql package when no
# server binaries are found. Used by .ci/run and by the tests' global setup; never for real data
# (fsync is off).
set -euo pipefail

find_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then
    echo "$newest"
    return
  fi
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return
  fi
  return 1
}

# Runs a command as the cluster's owner: PostgreSQL refuses to run as root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u postgres -- "$@"
    else
      su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

cmd=${1:-}
case "$cmd" in
  install)
    if find_bindir >/dev/null; then exit 0; fi
    S=$([ "$(id -u)" = 0 ] || echo sudo)
    $S apt-get update
    DEBIAN_FRONTEND=noninteractive $S apt-get install -y postgresql
    find_bindir >/dev/null || { echo "pg-test-cluster: postgresql installed, but initdb not found" >&2; exit 1; }
    ;;
  bindir)
    find_bindir
    ;;
  start)
    dir=${2:?usage: pg-test-cluster.sh start DIR}
    bin=$(find_bindir) || { echo "pg-test-cluster: no PostgreSQL server binaries (initdb); run: $0 install" >&2; exit 1; }
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" --shell /usr/sbin/nologin postgres
      chown postgres "$dir"
      chmod 700 "$dir"
    fi
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    for attempt in 1 2 3 4 5; do
      port=$(free_port)
      if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null; then
        echo "postgres://postgres@127.0.0.1:$port/postgres"
        exit 0
      fi
      tail -n 5 "$dir/server.log" >&2 || true
    done
    echo "pg-test-cluster: the server did not start (log: $dir/server.log)" >&2
    exit 1
    ;;
  stop)
    dir=${2:?usage: pg-test-cluster.sh stop DIR}
    if [ -f "$dir/data/postmaster.pid" ]; then
      bin=$(find_bindir)
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 install | bindir | start DIR | stop DIR" >&2
    exit 2
    ;;
esac
