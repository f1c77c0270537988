#!/usr/bin/env bash
# Entrypoint of the redis stand-in. Like the official image's: `redis-server` runs in the
# foreground as the redis user, on every interface, port 6379, with protected mode off unless a
# config file is given (Debian's /etc/redis/redis.conf binds loopback only, so it is not used).
set -euo pipefail
[ $# -gt 0 ] || set -- redis-server
first="${1:-}"

# `docker run redis:7 --maxmemory 10mb` or `docker run redis:7 my.conf` mean redis-server.
if [ "${first:0:1}" = '-' ] || [ "${first%.conf}" != "$first" ]; then
  set -- redis-server "$@"
fi
if [ "${1:-}" != redis-server ]; then
  exec "$@"
fi

if [ "$(id -u)" = 0 ]; then
  find . \! -user redis -exec chown redis:redis '{}' + 2>/dev/null || true
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

second="${2:-}"
case "$second" in
  -v | --version | -h | --help | --test-memory | --check-system) exec "$@" ;; # not a server start
esac
if [ "${second%.conf}" = "$second" ]; then
  # No config file: the binary binds every interface, but protected mode would still refuse
  # clients from other containers.
  shift
  set -- redis-server --protected-mode no "$@"
fi
exec "$@"
