#!/usr/bin/env bash
# Makes a Docker engine answer on this machine, idempotently: installs Debian's docker.io when the
# client or the daemon is missing, and starts dockerd in the background when nothing answers.
# A no-op when `docker info` already works. Needs root on Debian bookworm.
set -euo pipefail

log() { echo "docker-setup: $*" >&2; }
die() { log "$*"; exit 1; }

# A client alone (some machines ship /usr/local/bin/docker) is not enough: the engine is dockerd.
if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
  [ "$(id -u)" = 0 ] || die "docker.io is missing and installing it needs root (apt-get install -y docker.io)"
  log "installing docker.io from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
  command -v dockerd >/dev/null || die "apt-get installed docker.io but dockerd is still not on PATH"
fi

if docker info >/dev/null 2>&1; then
  exit 0
fi

[ "$(id -u)" = 0 ] || die "the Docker daemon does not answer and starting it needs root"
logfile=/var/log/dockerd.log
touch "$logfile" 2>/dev/null || logfile="$(mktemp -t dockerd.XXXXXX.log)"
log "starting dockerd (log: $logfile)"
# setsid: the daemon must outlive this script and the shell or test that ran it.
setsid dockerd >>"$logfile" 2>&1 </dev/null &

for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    log "dockerd is up"
    exit 0
  fi
  sleep 0.5
done
tail -n 20 "$logfile" >&2 || true
die "dockerd did not answer within 30 s; see $logfile"
