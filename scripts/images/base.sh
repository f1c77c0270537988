#!/usr/bin/env bash
# Builds slipway/base:bookworm: one debootstrap of Debian bookworm with packages.txt, imported
# into Docker with `docker import`, so no container registry is needed. Usage: base.sh HASH
# (HASH is stored as a label; build.sh compares it to decide whether to run this again).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
hash="$1"
suite=bookworm
tag=slipway/base:bookworm

# The Debian mirror this machine's apt already uses, in either sources format; the first
# .../debian URI wins. SLIPWAY_DEBIAN_MIRROR overrides it.
apt_uris() {
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }'
  cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '$1 == "URIs:" { for (i = 2; i <= NF; i++) print $i }'
}
mirror="${SLIPWAY_DEBIAN_MIRROR:-$(apt_uris | grep -E '/debian/?$' | head -n 1 || true)}"
mirror="${mirror:-http://deb.debian.org/debian}"
security="$(apt_uris | grep -E '/debian-security/?$' | head -n 1 || true)"
security="${security:-${mirror%/debian}/debian-security}"

packages="$(sed -e 's/#.*//' "$here/packages.txt" | tr -s ' \n' ',' | sed -e 's/^,//' -e 's/,$//')"
keyring=()
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] && keyring=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)

work="$(mktemp -d /var/tmp/slipway-base.XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
echo "images: debootstrap $suite from $mirror (about a minute)"
if ! debootstrap --variant=minbase "${keyring[@]}" --include="$packages" "$suite" "$root" "$mirror" \
    >"$work/debootstrap.log" 2>&1; then
  tail -n 30 "$work/debootstrap.log" >&2
  [ -f "$root/debootstrap/debootstrap.log" ] && tail -n 30 "$root/debootstrap/debootstrap.log" >&2
  echo "images: debootstrap failed" >&2
  exit 1
fi

# What images get from a registry is a clean tree: no package cache, no apt lists, no cluster
# that postgresql's postinst made (the postgres entrypoint runs initdb on first start instead).
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/*.log \
  "$root"/var/lib/postgresql/15/main "$root"/etc/postgresql/15/main
# Apt inside a container should work the way it does in the official debian image.
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.list" <<SOURCES
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security $suite-security main
SOURCES

echo "images: importing $tag"
tar -C "$root" --numeric-owner -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["bash"]' \
  --change 'LABEL org.slipway.stand-in=true' \
  --change "LABEL org.slipway.base-hash=$hash" \
  - "$tag" >/dev/null
