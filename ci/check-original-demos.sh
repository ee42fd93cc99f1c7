#!/usr/bin/env bash
# Runs `velo check` over the original engine's demos in a local checkout of velostreamai/velostream
# (issue 9, item 8): demo/trading/apps/*.sql, demo/trading/sql/*.sql and demo/1brc/1brc.sql, unchanged.
# Each file prints PASS, KNOWN (fails with the error ci/original-demos-known.txt expects of it) or
# FAIL; the exit code is 1 when any file FAILs (an unexpected error, or a known failure that now passes
# and should leave the list), 0 otherwise. --strict also fails on KNOWN files (the goal: all pass).
#   ci/check-original-demos.sh [--strict] DIR
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VELO="${VELO:-$ROOT/bin/velo}"
KNOWN="$ROOT/ci/original-demos-known.txt"
strict=0
if [ "${1:-}" = "--strict" ]; then strict=1; shift; fi
DIR="${1:?usage: ci/check-original-demos.sh [--strict] DIR (a checkout of velostreamai/velostream)}"
[ -d "$DIR/demo/trading" ] || { echo "error: $DIR/demo/trading not found: DIR must be a checkout of velostreamai/velostream" >&2; exit 2; }
known_fragment() { # the expected error fragment of a path, or nothing
  grep -v '^#' "$KNOWN" | awk -F' \\| ' -v p="$1" '$1 == p { print $2 }'
}
pass=0; known=0; fail=0
shopt -s nullglob
for f in "$DIR"/demo/trading/apps/*.sql "$DIR"/demo/trading/sql/*.sql "$DIR"/demo/1brc/1brc.sql; do
  rel="${f#"$DIR"/}"
  out="$("$VELO" check "$f" 2>&1 >/dev/null)"; code=$?
  err="$(printf '%s\n' "$out" | grep -m1 ': error: ' || true)"
  warns="$(printf '%s\n' "$out" | grep -c ': warning: ' || true)"
  frag="$(known_fragment "$rel")"
  if [ $code -eq 0 ]; then
    if [ -n "$frag" ]; then echo "FAIL   $rel: passes now; drop it from ci/original-demos-known.txt"; fail=$((fail + 1))
    else echo "PASS   $rel ($warns warnings)"; pass=$((pass + 1)); fi
  elif [ -n "$frag" ] && [[ "$err" == *"$frag"* ]]; then
    echo "KNOWN  ${err#"$DIR"/}"; known=$((known + 1))
    [ $strict -eq 1 ] && fail=$((fail + 1))
  else
    echo "FAIL   ${err:-$rel: exit $code}" | sed "s|$DIR/||"; fail=$((fail + 1))
    [ -n "$frag" ] && echo "       (expected an error with: $frag)"
  fi
done
echo "original demos: $pass pass, $known known failures, $fail unexpected"
[ $fail -eq 0 ]
