#!/usr/bin/env bash
# Entrypoint of the postgres stand-in. Behaves like the official image's for what workflows use:
# POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_USER (default
# postgres), POSTGRES_DB (default: the user), POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD,
# scripts in /docker-entrypoint-initdb.d; initdb only when $PGDATA is empty; the server runs as
# the postgres user in the foreground as PID 1. Any other command (psql, pg_isready...) just runs.
# No -u: init scripts are sourced into this shell, and the official image allows them unset vars.
set -Eeo pipefail
[ $# -gt 0 ] || set -- postgres

# `docker run postgres:15 -c max_connections=200` means options for the server.
first="${1:-}"
if [ "${first:0:1}" = '-' ]; then
  set -- postgres "$@"
fi
if [ "${1:-}" != postgres ]; then
  exec "$@"
fi

export PGDATA="${PGDATA:-/var/lib/postgresql/data}"

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres /var/run/postgresql
  chmod 2777 /var/run/postgresql
  # A bind-mounted or fresh volume may be root's; the server refuses a data dir it does not own.
  find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

init_database() {
  # Exported with their defaults: init scripts use them, as with the official image.
  export POSTGRES_USER="${POSTGRES_USER:-postgres}"
  export POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
  local user="$POSTGRES_USER" db="$POSTGRES_DB"
  local method="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$method" != trust ]; then
    cat >&2 <<'MSG'
Error: Database is uninitialized and superuser password is not specified.
       Set POSTGRES_PASSWORD to a non-empty value for the superuser, or set
       POSTGRES_HOST_AUTH_METHOD=trust to allow all connections without a password.
MSG
    exit 1
  fi

  local pwfile
  pwfile="$(mktemp)"
  printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pwfile"
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of words, as in the official image
  initdb --username="$user" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
    ${POSTGRES_INITDB_ARGS:-} >/dev/null
  rm -f "$pwfile"

  # initdb's defaults trust the socket and loopback, so pg_isready and psql inside the container
  # need no password; every other host must give it.
  if [ "$method" = md5 ]; then
    echo "password_encryption = md5" >>"$PGDATA/postgresql.auto.conf"
  fi
  printf '\nhost all all all %s\n' "$method" >>"$PGDATA/pg_hba.conf"

  # A server only for creating the database and running the init scripts: no TCP, and its socket
  # away from the usual one, so a health check (`pg_isready`) does not pass before the real start.
  local sockdir
  sockdir="$(mktemp -d)"
  export PGHOST="$sockdir" PGPORT=5432
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432 -c unix_socket_directories=$sockdir" \
    -w start >/dev/null
  local psql=(psql -v ON_ERROR_STOP=1 --username "$user" --no-password --no-psqlrc)
  if [ "$method" = md5 ] && [ -n "${POSTGRES_PASSWORD:-}" ]; then
    # initdb stored the password as SCRAM; clients that only speak md5 need an md5 hash.
    "${psql[@]}" --dbname postgres --set u="$user" --set pw="$POSTGRES_PASSWORD" >/dev/null \
      <<<"SET password_encryption = 'md5'; ALTER ROLE :\"u\" PASSWORD :'pw';"
  fi
  if [ "$db" != postgres ]; then
    "${psql[@]}" --dbname postgres --set db="$db" <<<'CREATE DATABASE :"db";' >/dev/null
  fi
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    [ -e "$f" ] || continue
    # shellcheck disable=SC1090 # init scripts are the user's, named at run time
    case "$f" in
      *.sh) echo "running $f"; if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
      *.sql) echo "running $f"; "${psql[@]}" --dbname "$db" -f "$f" ;;
      *.sql.gz) echo "running $f"; gunzip -c "$f" | "${psql[@]}" --dbname "$db" ;;
      *) echo "ignoring $f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  unset PGHOST PGPORT
  rmdir "$sockdir"
  echo "PostgreSQL init process complete; ready for start up."
}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  init_database
fi

shift
exec postgres -c listen_addresses='*' -p 5432 "$@"
