#!/usr/bin/env bash
# Installs what the tests need from Debian's packages, idempotently: a fresh machine gets them,
# a machine that has them is left alone. (Docker comes from scripts/docker-setup.sh via `npm run images`.)
set -euo pipefail
need=()
command -v git >/dev/null || need+=(git)
command -v make >/dev/null || need+=(make)
command -v g++ >/dev/null || need+=(g++)
command -v python3 >/dev/null || need+=(python3)
command -v rsync >/dev/null || need+=(rsync)
# Tests connect to PostgreSQL and Redis service containers from the host, as a job on the host does.
command -v psql >/dev/null || need+=(postgresql-client)
command -v redis-cli >/dev/null || need+=(redis-tools)
# The dashboard's browser tests drive Debian's Chromium through playwright-core.
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-machine: missing ${need[*]}; install them (apt-get install -y ${need[*]})" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Tests commit to throwaway repositories; give git an identity where the machine has none.
git config --global user.name >/dev/null || git config --global user.name "slipway-ci"
git config --global user.email >/dev/null || git config --global user.email "slipway-ci@localhost"
