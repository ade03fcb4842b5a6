#!/usr/bin/env bash
# PostgreSQL and Redis for tests and the replica stack: Debian packages (installed if missing),
# started on 127.0.0.1 on free ports with their data under a temporary folder, no containers.
#
#   eval "$(bash scripts/services.sh start)"   # exports INTAKE_TEST_DATABASE_URL,
#                                              # INTAKE_TEST_REDIS_URL, SERVICES_DIR
#   bash scripts/services.sh stop "$SERVICES_DIR"
#
# Both get a fresh random password (PostgreSQL user `intake`, scram-sha-256; Redis requirepass),
# kept only in that folder. PostgreSQL refuses to run as root, so as root the cluster
# runs as the `postgres` user the Debian package creates. Exits non-zero if either cannot start.
set -euo pipefail

log() { echo "services: $*" >&2; }

install_if_missing() {
  local missing=()
  [ -x "$(pg_bin)/initdb" ] || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || { log "missing ${missing[*]}: apt-get install ${missing[*]} (as root)"; exit 1; }
  log "installing ${missing[*]} (apt-get)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") \
    >&2 || { log "apt-get install failed"; exit 1; }
}

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  echo "${dir:-/usr/lib/postgresql/15/bin}"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

as_pg() {  # run a PostgreSQL binary as the cluster's owner
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

wait_for() {  # wait_for SECONDS CMD...: retry CMD until it succeeds
  local tries=$(( $1 * 5 )); shift
  for _ in $(seq 1 "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}

start() {
  install_if_missing
  local dir pg_port redis_port pg_password redis_password bin
  dir=$(mktemp -d "${TMPDIR:-/tmp}/intake-services.XXXXXX")
  chmod 711 "$dir"  # the postgres user must reach $dir/pg; nothing here is listable
  bin=$(pg_bin)
  pg_port=$(free_port)
  redis_port=$(free_port)
  pg_password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  redis_password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')

  mkdir -p "$dir/pg"
  (umask 077; echo "$pg_password" > "$dir/pg/pwfile")
  [ "$(id -u)" = 0 ] && chown -R postgres "$dir/pg"
  as_pg "$bin/initdb" -D "$dir/pg/data" -U intake --pwfile="$dir/pg/pwfile" \
    --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; log "initdb failed"; exit 1; }
  rm -f "$dir/pg/pwfile"
  as_pg "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$dir/pg -c max_connections=300 -c fsync=off" \
    start >&2 || { cat "$dir/pg/postgres.log" >&2; log "PostgreSQL did not start"; exit 1; }
  echo "$pg_port" > "$dir/pg_port"

  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
    --requirepass "$redis_password" --daemonize yes --dir "$dir" \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >&2
  if ! REDISCLI_AUTH="$redis_password" wait_for 20 redis-cli -h 127.0.0.1 -p "$redis_port" ping; then
    cat "$dir/redis.log" >&2; log "Redis did not start"; exit 1
  fi

  cat <<EOF
export SERVICES_DIR='$dir'
export INTAKE_TEST_DATABASE_URL='postgresql://intake:$pg_password@127.0.0.1:$pg_port/postgres'
export INTAKE_TEST_REDIS_URL='redis://:$redis_password@127.0.0.1:$redis_port/0'
EOF
  log "PostgreSQL on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port (data in $dir)"
}

stop() {
  local dir="${1:?usage: services.sh stop DIR}"
  [ -d "$dir/pg/data" ] && as_pg "$(pg_bin)/pg_ctl" -D "$dir/pg/data" -m immediate stop >/dev/null 2>&1 || true
  [ -s "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
