#!/usr/bin/env bash
# The Debian package as Debian's own tools judge it, and what it must hold:
#   check-package.sh DEB SOURCE_DIR
# lintian (no error or warning beyond the overrides the package carries), appstreamcli validate,
# desktop-file-validate, systemd-analyze verify of the unit, the man page without groff
# warnings, one version everywhere, the files and modes the package promises, and dependencies
# computed by dpkg-shlibdeps.
set -euo pipefail
deb=$1 source=$2
failures=0
check() { # name command…
  local name=$1; shift
  if output=$("$@" 2>&1); then
    echo "ok    $name"
  else
    echo "FAIL  $name"; echo "$output" | sed 's/^/      /'; failures=$((failures + 1))
  fi
}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"

# --fail-on warning: an error or a warning fails; info and pedantic tags do not.
check "lintian" lintian --fail-on error,warning --tag-display-limit 0 "$deb"
check "appstreamcli validate" appstreamcli validate --no-net "$root"/usr/share/metainfo/*.metainfo.xml
check "desktop-file-validate" desktop-file-validate "$root/usr/share/applications/switchboard.desktop"
# Verified inside the unpacked package, so that ExecStart= must name the package's own binary;
# the system's base units (sysinit.target, …) are copied in beside it. Any remark fails: verify
# only warns about an unknown key or section. --man=no: the man page is checked below.
cp -an /lib/systemd/system/. "$root/lib/systemd/system/"
unit_verifies() {
  local out
  out=$(systemd-analyze verify --man=no --root="$root" "$root/lib/systemd/system/switchboard.service" 2>&1) || { echo "$out"; return 1; }
  [ -z "$out" ] || { echo "$out"; return 1; }
}
check "systemd-analyze verify" unit_verifies
# The hardening, as systemd scores it (0 best, 10 worst; 1.3 today): more than 2.0 fails.
check "systemd-analyze security: exposure at most 2.0" \
  systemd-analyze security --offline=true --root="$root" --threshold=20 switchboard.service
check "man page renders without warnings" bash -c \
  "out=\$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l '$root/usr/share/man/man1/switchboard.1.gz' 2>&1 >/dev/null); [ -z \"\$out\" ] || { echo \"\$out\"; false; }"

version=$(sed -nE 's/^project\(Switchboard VERSION ([0-9.]+).*/\1/p' "$source/CMakeLists.txt")
same_version() {
  local package binary openapi metainfo
  package=$(dpkg-deb -f "$deb" Version)
  binary=$("$root/usr/bin/switchboard" --version)
  openapi=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["info"]["version"])' "$source/backend/http/openapi.json")
  metainfo=$(python3 -c 'import sys,xml.etree.ElementTree as E; print(E.parse(sys.argv[1]).find("releases/release").get("version"))' \
    "$root"/usr/share/metainfo/*.metainfo.xml)
  echo "project() $version, package $package, --version '$binary', OpenAPI $openapi, newest AppStream release $metainfo"
  [ "$package" = "$version" ] && [ "$binary" = "switchboard $version" ] && [ "$openapi" = "$version" ] && [ "$metainfo" = "$version" ]
}
check "one version: project(), package, --version, OpenAPI, AppStream" same_version

holds() {
  local missing=0 path
  for path in usr/bin/switchboard usr/share/applications/switchboard.desktop \
    usr/share/icons/hicolor/scalable/apps/switchboard.svg usr/share/icons/hicolor/48x48/apps/switchboard.png \
    usr/share/icons/hicolor/256x256/apps/switchboard.png usr/share/man/man1/switchboard.1.gz \
    usr/share/doc/switchboard/copyright usr/share/doc/switchboard/OPERATIONS.md \
    lib/systemd/system/switchboard.service usr/lib/sysusers.d/switchboard.conf etc/switchboard/switchboard.env; do
    [ -e "$root/$path" ] || { echo "missing: /$path"; missing=1; }
  done
  grep -q '^MimeType=x-scheme-handler/tel;' "$root/usr/share/applications/switchboard.desktop" || { echo "no tel: handler"; missing=1; }
  return $missing
}
check "holds the program, desktop entry, icons, man page, licences, unit, sysusers, settings" holds

settings_file() {
  dpkg-deb -c "$deb" | grep -E ' \./etc/switchboard/switchboard\.env$' | grep -q '^-rw-r----- root/root' &&
    dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/switchboard/switchboard.env &&
    dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst | grep -q 'dpkg-statoverride --update --add root switchboard 0640'
}
check "settings file: mode 0640, a conffile, given to the service's group" settings_file

computed_dependencies() {
  local depends
  depends=$(dpkg-deb -f "$deb" Depends)
  echo "$depends"
  # Libraries only dpkg-shlibdeps names (the control file lists none of them by hand).
  for library in libqt6core6 libqt6httpserver6 libsodium23 libphonenumber8 libgstreamer1.0-0 libc6; do
    grep -q "$library" <<<"$depends" || { echo "not computed: $library"; return 1; }
  done
  grep -q 'shlibs:Depends' "$source/debian/control"
}
check "dependencies computed by dpkg-shlibdeps" computed_dependencies

echo "$failures failed"
[ "$failures" -eq 0 ]
