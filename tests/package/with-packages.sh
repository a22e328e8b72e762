#!/usr/bin/env bash
# Runs a check with the packages scripts/package.sh built: NEW and OLD in its arguments become
# build/deb/switchboard_*.deb and build/deb/old/switchboard_*.deb.
#   with-packages.sh PACKAGE_DIR COMMAND ARGUMENTS…
set -euo pipefail
dir=$1; shift
new=$(ls "$dir"/switchboard_*.deb 2>/dev/null | head -n1 || true)
old=$(ls "$dir"/old/switchboard_*.deb 2>/dev/null | head -n1 || true)
arguments=()
for argument in "$@"; do
  case $argument in
    NEW) [ -n "$new" ] || missing="scripts/package.sh"; arguments+=("$new") ;;
    OLD) [ -n "$old" ] || missing="scripts/package.sh --from <commit> (scripts/test.sh names it)"; arguments+=("$old") ;;
    *) arguments+=("$argument") ;;
  esac
done
if [ -n "${missing:-}" ]; then
  echo "no package built in $dir: run $missing"
  [ "${CI:-}" = true ] && exit 1
  exit 77
fi
exec "${arguments[@]}"
