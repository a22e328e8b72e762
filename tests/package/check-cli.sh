#!/usr/bin/env bash
# The command line as a user meets it:
#   check-cli.sh BINARY SOURCE_DIR
# --help names every option, command and variable, in English and in Russian by the locale;
# the man page and the README's configuration table name the same variables and options;
# without a display the console says so in one line and exits 2; --version is project()'s.
set -euo pipefail
binary=$1 source=$2
failures=0
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }

english=$(env -u LANGUAGE LC_ALL=C.UTF-8 "$binary" --help)
russian=$(env -u LANGUAGE LC_ALL= LANG=ru_RU.UTF-8 "$binary" --help)
russian_messages=$(env -u LANGUAGE LC_ALL= LANG=C.UTF-8 LC_MESSAGES=ru_RU.UTF-8 "$binary" --help)
grep -q '^Usage: switchboard' <<<"$english" || fail "English help: $english"
grep -q '^Запуск: switchboard' <<<"$russian" || fail "LANG=ru_RU: not Russian"
grep -q '^Запуск: switchboard' <<<"$russian_messages" || fail "LC_MESSAGES=ru_RU: not Russian"
grep -q 'Переменные окружения' <<<"$russian" || fail "Russian help has no environment section"

man=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$source/packaging/switchboard.1" 2>/dev/null)
variables=$(grep -oE '^  [A-Z][A-Z0-9_]+ ' <<<"$english" | tr -d ' ' | sort -u)
[ "$(wc -l <<<"$variables")" -ge 30 ] || fail "help lists only $(wc -l <<<"$variables") variables"
readme_variables=$(sed -n '/^## Configuration/,/^## /p' "$source/README.md" | grep -oE '^\| `[A-Z][A-Z0-9_]+`(, `[A-Z][A-Z0-9_]+`)*' |
  grep -oE '[A-Z][A-Z0-9_]+' | sort -u)
for variable in $readme_variables; do
  grep -qx "$variable" <<<"$variables" || fail "README's $variable is not in --help"
done
for variable in $variables; do
  grep -q "^  $variable " <<<"$russian" || fail "$variable is not in the Russian help"
  grep -q "$variable" <<<"$man" || fail "$variable is not in the man page"
done
for option in $(grep -oE '^  (-[a-z], )?--[a-z-]+' <<<"$english" | grep -oE -- '--[a-z-]+'); do
  grep -q -- "$option" <<<"$russian" || fail "$option is not in the Russian help"
  grep -q -- "${option}" <<<"$man" || fail "$option is not in the man page"
done
for command in "user add" "user list" "user set-password" backup restore "migrate --status" "migrate --to" check-config; do
  grep -q "^  $command" <<<"$english" || fail "help lacks the command $command"
  grep -q -- "$command" <<<"$man" || fail "the man page lacks the command $command"
done

for locale in C.UTF-8 ru_RU.UTF-8; do
  status=0
  output=$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM -u LANGUAGE LC_ALL= LANG=$locale "$binary" 2>&1) || status=$?
  [ "$status" -eq 2 ] || fail "no display ($locale): exit $status, not 2"
  [ "$(wc -l <<<"$output")" -eq 1 ] || fail "no display ($locale): more than one line: $output"
  grep -q -- '--headless' <<<"$output" || fail "no display ($locale): no pointer to --headless: $output"
  echo "      no display, $locale: $output"
done

version=$(sed -nE 's/^project\(Switchboard VERSION ([0-9.]+).*/\1/p' "$source/CMakeLists.txt")
[ "$("$binary" --version)" = "switchboard $version" ] || fail "--version: $("$binary" --version), project() $version"

echo "$failures failed"
[ "$failures" -eq 0 ]
