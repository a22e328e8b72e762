#!/usr/bin/env bash
# Installs the Debian 12 packages Switchboard needs. Usage: install-deps.sh [run|package|test]
#   run     – what building and running the app needs
#   package – that, plus what scripts/package.sh builds the Debian package with
#   test    – both, plus the servers and tools the test suite drives
set -euo pipefail

profile=${1:-run}

build_packages=(
  cmake ninja-build ccache g++ pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev
  qt6-declarative-dev qt6-declarative-dev-tools qt6-webengine-dev qt6-webengine-dev-tools
  qt6-webchannel-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libqt6sql6-sqlite libqt6sql6-psql libqt6opengl6-dev qt6-qpa-plugins
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtqml-workerscript
  qml6-module-qtwebengine qml6-module-qtwebchannel qml6-module-qtquick-dialogs
  qml6-module-qt-labs-settings qml6-module-qtcore qt6-svg-dev
  qml6-module-qtcharts
  libphonenumber-dev libicu-dev libsodium-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libgstreamer-plugins-bad1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-nice
)
# scripts/package.sh: debhelper builds the .deb (dpkg-shlibdeps computes its dependencies);
# dpkg-buildpackage refuses to start without build-essential (a minbase Debian lacks it);
# systemd carries systemd.pc, which says where units go; rsync copies the source incrementally.
package_packages=(build-essential debhelper dpkg-dev rsync systemd)
test_packages=(
  # tests/package: the package's checks, the unit's verification
  lintian appstream desktop-file-utils
  postgresql xvfb xauth curl wrk hyperfine procps
  clang libclang-rt-14-dev qml6-module-qttest
  # tests/support/syncobserver: counts SQLite's fsyncs through a VFS of its own
  libsqlite3-dev
  # glibc's symbols, so that LeakSanitizer names the dynamic loader's frames: the media servers'
  # one suppression (tests/lsan.supp, _dl_map_object_deps) matches only a named frame
  libc6-dbg
  chromium
  # tst_softphone_webengine: QtWebEngine's helper process (today only a dependency of a dependency
  # of qt6-webengine-dev) runs the page
  libqt6webenginecore6-bin
  # bench/farcallers.py: the media benchmark's GStreamer callers
  python3-gi gir1.2-gst-plugins-bad-1.0
  # bench/gui.sh types the login into the console
  xdotool
)
# npm installs Twilio's Voice SDK, which the build bundles, and the JavaScript tests' packages —
# among them the Node.js those tests run on (tests/browser/package.json), since Debian 12's is 18.
# The machine image may carry its own Node.js (which conflicts with Debian's npm): use it when present.
command -v npm >/dev/null 2>&1 || build_packages+=(nodejs npm)

packages=("${build_packages[@]}")
case $profile in
  run) ;;
  package) packages+=("${package_packages[@]}") ;;
  test) packages+=("${package_packages[@]}" "${test_packages[@]}") ;;
  *) echo "usage: $0 [run|package|test]" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "Installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
