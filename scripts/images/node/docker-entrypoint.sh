#!/bin/sh
# Like the official node image: `docker run node:20 -e 'code'` means `node -e 'code'`, and a
# first word that is not a command (a script path, say) is handed to node.
set -e
takes_node() {
  case "$1" in -*) return 0 ;; esac
  [ -f "$1" ] && [ ! -x "$1" ] && return 0
  [ -z "$(command -v "$1" || true)" ]
}
if [ $# -gt 0 ] && takes_node "$1"; then
  set -- node "$@"
fi
exec "$@"
