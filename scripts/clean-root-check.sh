#!/usr/bin/env bash
# Runs the README's two commands where a new user would: in a clean Debian 12 root made with
# `debootstrap --variant=minbase bookworm`, with the repository's committed HEAD cloned in and
# nothing else installed but sudo and ca-certificates. Needs root and debootstrap.
#
#   scripts/clean-root-check.sh [test|run|both]      (default: both)
#
# test: scripts/test.sh inside the root (every test, as CI runs it);
# run:  scripts/run.sh --self-test, then scripts/run.sh --headless answering /system/health.
# Prints each command's outcome and time; exits non-zero if one failed. The root is made anew in
# CLEAN_ROOT (default /var/tmp/switchboard-clean-root) and removed afterwards unless KEEP_ROOT=1.
# DEBIAN_MIRROR and DEBIAN_SECURITY_MIRROR override the mirrors (default: the first ones this
# machine's apt uses). The root's apt sources are those of a Debian 12 installation: bookworm,
# bookworm-updates and bookworm-security. docs/CLEAN-ROOT.md says how to read a failure.
#
# This machine's own setup, not the project's: certificate authorities that this machine needs to
# reach the package registries (/usr/local/share/ca-certificates/*.crt) are copied into the root,
# and NODE_EXTRA_CA_CERTS points Debian's Node.js at them.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-both}
case $what in test | run | both) ;; *) echo "usage: $0 [test|run|both]" >&2; exit 2 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "clean-root-check: run as root (debootstrap and chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "clean-root-check: apt-get install debootstrap" >&2; exit 2; }

root=${CLEAN_ROOT:-/var/tmp/switchboard-clean-root}
mirror=${DEBIAN_MIRROR:-$(cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null |
  grep -oE '^(URIs:|deb) +https?://[^ ]+/debian/?$' | head -n1 | awk '{print $2}' || true)}
mirror=${mirror:-http://deb.debian.org/debian}
security_mirror=${DEBIAN_SECURITY_MIRROR:-$(cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null |
  grep -oE '^(URIs:|deb) +https?://[^ ]+/debian-security/?$' | head -n1 | awk '{print $2}' || true)}
security_mirror=${security_mirror:-http://deb.debian.org/debian-security}
repo=$PWD

unmount_all() {
  for m in dev/pts dev/shm dev proc sys; do
    mountpoint -q "$root/$m" && umount -l "$root/$m"
  done
  return 0
}
cleanup() {
  # The test command leaves the root's PostgreSQL running (as it would on a machine); here it
  # would outlive the root and keep its port.
  if [ -d "$root/etc/postgresql" ]; then chroot "$root" pg_ctlcluster 15 main stop 2>/dev/null || true; fi
  unmount_all
  [ "${KEEP_ROOT:-0}" = 1 ] || rm -rf "$root"
}
trap cleanup EXIT

unmount_all
rm -rf "$root"
echo "== debootstrap bookworm from $mirror into $root"
start=$(date +%s)
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 ||
  { tail -n 20 "$root.debootstrap.log"; exit 1; }
echo "   done in $(($(date +%s) - start)) s"
# debootstrap writes the release alone; Debian's installer also adds the point-release updates
# and the security archive, and a fresh machine installs from all three. Without them the root
# would test months-old packages (gst-plugins-bad 1.22.0-4+deb12u7 accepts an SDP answer with no
# DTLS fingerprint, which the security update refuses).
cat >"$root/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security_mirror bookworm-security main
SOURCES

mkdir -p "$root/usr/local/share/ca-certificates"
cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount -t tmpfs shm "$root/dev/shm"

git clone -q "$repo" "$root/root/switchboard"
inside() {
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt CI=true \
    /bin/bash -c "cd /root/switchboard && $1"
}
inside "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sudo ca-certificates >/dev/null && update-ca-certificates >/dev/null"

status=0
timed() { # name command
  local began=$(date +%s) result=0
  echo "== $1"
  inside "$2" >"$root.$1.log" 2>&1 || result=$?
  tail -n 25 "$root.$1.log"
  echo "== $1: exit $result after $(($(date +%s) - began)) s (log: $root.$1.log)"
  [ $result -eq 0 ] || status=1
}
# The run command first, on a root that has nothing yet: it must install all that it needs.
if [ "$what" != test ]; then
  timed run-self-test "QT_QPA_PLATFORM=offscreen scripts/run.sh --self-test"
  # Minbase has neither curl nor procps: bash's /dev/tcp asks for the health answer.
  timed run-headless 'scripts/run.sh --headless --port 18080 >/tmp/run.log 2>&1 & app=$!
    answer=""
    for _ in $(seq 120); do
      answer=$(timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/18080 && printf \"GET /system/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n\" >&3 && head -n1 <&3" 2>/dev/null) && break
      sleep 1
    done
    kill $app; wait $app; echo "health: $answer"; [[ $answer == *" 200 "* ]]'
fi
if [ "$what" != run ]; then
  timed test "scripts/test.sh"
fi
exit $status
