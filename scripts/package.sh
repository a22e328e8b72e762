#!/usr/bin/env bash
# Builds the Debian package from a Release build, with debhelper (debian/), into
# build/deb/switchboard_<version>_<arch>.deb. The version is CMake's project() version.
#
#   scripts/package.sh             the working tree (committed or not)
#   scripts/package.sh --from REV  the program of an earlier commit, packaged by this tree's
#                                  packaging (debian/, packaging/, the desktop entry), versioned
#                                  <its version>~git<date>.<hash> so that it sorts before this
#                                  one: build/deb/old/switchboard_…deb (the upgrade test's start)
#
# The source is copied into build/deb (dpkg-buildpackage writes its results beside the source
# tree) with rsync, which keeps the build folder and the times of unchanged files: a second run
# rebuilds only what changed. The compiler cache (ccache) is shared with the other builds.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

from=""
case ${1:-} in
  --from) from=${2:?usage: $0 [--from REV]} ;;
  "") ;;
  *) echo "usage: $0 [--from REV]" >&2; exit 2 ;;
esac

scripts/install-deps.sh package
# Twilio's Voice SDK, exactly as package-lock.json pins it: the build embeds it. Not reinstalled
# when present (scripts/test.sh has just done it): fresh file times would rebuild the resources.
[ -f resources/twilio-voice/node_modules/@twilio/voice-sdk/dist/twilio.min.js ] ||
  npm ci --prefix resources/twilio-voice --ignore-scripts --no-audit --no-fund >/dev/null
# Redoc's bundle (GET /api/docs), likewise.
[ -f resources/api-docs/node_modules/redoc/bundles/redoc.standalone.js ] ||
  npm ci --prefix resources/api-docs --ignore-scripts --no-audit --no-fund >/dev/null

project_version() { sed -nE 's/^project\(Switchboard VERSION ([0-9.]+).*/\1/p' "$1/CMakeLists.txt"; }

export_tree() { # destination: the files of the working tree, or of commit $from
  local destination=$1
  mkdir -p "$destination"
  if [ -z "$from" ]; then
    git ls-files -z --cached --others --exclude-standard | rsync -a --from0 --files-from=- ./ "$destination/"
  else
    git archive "$from" | tar -x -C "$destination"
  fi
  # The bundles and their licences (node_modules is not in git), for a tree that serves them.
  if [ -d "$destination/resources/twilio-voice" ]; then
    rsync -a --relative resources/twilio-voice/./node_modules/@twilio/voice-sdk/dist/twilio.min.js \
      resources/twilio-voice/./node_modules/@twilio/voice-sdk/LICENSE.md "$destination/resources/twilio-voice/"
  fi
  [ -d "$destination/resources/api-docs" ] || return 0
  rsync -a --relative resources/api-docs/./node_modules/redoc/bundles/redoc.standalone.js \
    resources/api-docs/./node_modules/redoc/bundles/redoc.standalone.js.LICENSE.txt \
    resources/api-docs/./node_modules/redoc/LICENSE "$destination/resources/api-docs/"
}

if [ -z "$from" ]; then
  out=build/deb
  version=$(project_version .)
  commit=$(git rev-parse --short HEAD)
  git diff --quiet HEAD -- 2>/dev/null || commit="$commit with local changes"
  date=$(git log -1 --format=%cD)
else
  out=build/deb/old
  commit=$(git rev-parse --short "$from")
  version="$(git show "$from:CMakeLists.txt" | sed -nE 's/^project\(Switchboard VERSION ([0-9.]+).*/\1/p')~git$(git log -1 --format=%cd --date=format:%Y%m%d "$from").$commit"
  date=$(git log -1 --format=%cD "$from")
fi

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
export_tree "$staging"
if [ -n "$from" ]; then
  # Today's packaging over the old program: the commit predates it.
  rsync -a --delete debian/ "$staging/debian/"
  rsync -a --delete packaging/ "$staging/packaging/"
  cp app/switchboard.desktop "$staging/app/switchboard.desktop"
  mkdir -p "$staging/docs" && cp docs/OPERATIONS.md "$staging/docs/OPERATIONS.md"
  grep -q 'add_subdirectory(packaging)' "$staging/CMakeLists.txt" ||
    echo 'add_subdirectory(packaging) # added by scripts/package.sh --from: the commit predates it' >>"$staging/CMakeLists.txt"
fi
cat >"$staging/debian/changelog" <<CHANGELOG
switchboard ($version) unstable; urgency=medium

  * Built by scripts/package.sh from commit $commit.
  * Release notes: /usr/share/metainfo/org.example.Switchboard.metainfo.xml

 -- The Switchboard developers <switchboard@example.org>  $date
CHANGELOG

source=$out/switchboard-src
mkdir -p "$source"
# Keeps obj-* (the CMake build folder) and the times of unchanged files: an incremental build.
rsync -a --delete --checksum --exclude '/obj-*' "$staging/" "$source/"
rm -f "$out"/switchboard_*.deb "$out"/switchboard_*.buildinfo "$out"/switchboard_*.changes

options="noddebs nocheck parallel=${JOBS:-2}"
# CMake reads the compiler flags only when it first configures a build folder: when debian/rules
# or the build options change, the kept folder is started afresh.
configuration=$( (cat "$source/debian/rules"; echo "$options") | sha256sum)
if [ "$(cat "$out/configuration" 2>/dev/null)" != "$configuration" ]; then
  rm -rf "$source"/obj-*
  echo "$configuration" >"$out/configuration"
fi

started=$(date +%s)
# debhelper (compat 13) gives the build an empty HOME: ccache is told where its cache is, or it
# would start an empty one in there every run. Paths below the repository are hashed relative
# to it, so a checkout in another folder (CI's fresh clone) finds the same entries.
CCACHE_DIR=$(ccache --get-config cache_dir)
export CCACHE_DIR CCACHE_BASEDIR=$repo
(cd "$source" && SWITCHBOARD_CCACHE=1 DEB_BUILD_OPTIONS="$options" \
  dpkg-buildpackage --build=binary --no-pre-clean --no-sign >"$repo/$out/build.log" 2>&1) ||
  { tail -n 40 "$out/build.log"; echo "package.sh: the build failed; log: $out/build.log" >&2; exit 1; }
deb=$(ls "$out"/switchboard_*.deb)
echo "$deb ($(($(date +%s) - started)) s)"
