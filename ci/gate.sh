#!/usr/bin/env bash
# The regression gate a CI job calls: runs scenarios on the embedded broker, gates each result on the
# committed baseline of this machine class, writes a Markdown summary and JUnit XML, exits 1 on a
# regression (or a wrong output), 2 on a usage/input error.
#
#   ci/gate.sh [SCENARIO.yaml...]          (default: scenarios/gate-smoke.yaml)
#
# Environment:
#   VELO_BASELINES   baselines directory            (default: baselines)
#   VELO_OUT         where results and reports go   (default: reports/ci)
#   VELO_DURATION    override each scenario's measured duration (e.g. 10s)
#   VELO_REPETITIONS override each scenario's repetitions
#   VELO_KAFKA       embedded | testcontainers | HOST:PORT (default: embedded)
#   VELO_ALLOW_NO_BASELINE=1  pass (with a notice) when this machine class has no baseline yet
# In GitHub Actions the Markdown summary is appended to $GITHUB_STEP_SUMMARY.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VELO="$ROOT/bin/velo"
BASELINES="${VELO_BASELINES:-baselines}"
OUT="${VELO_OUT:-reports/ci}"
KAFKA="${VELO_KAFKA:-embedded}"
scenarios=("$@")
[ ${#scenarios[@]} -eq 0 ] && scenarios=("$ROOT/scenarios/gate-smoke.yaml")
mkdir -p "$OUT"
results=()
status=0
for s in "${scenarios[@]}"; do
  name="$(basename "$s" .yaml)"
  dir="$OUT/$name"
  rm -rf "$dir"
  args=(bench run "$s" --no-gate --out "$dir" --kafka "$KAFKA")
  [ -n "${VELO_DURATION:-}" ] && args+=(--duration "$VELO_DURATION")
  [ -n "${VELO_REPETITIONS:-}" ] && args+=(--repetitions "$VELO_REPETITIONS")
  "$VELO" "${args[@]}"
  rc=$?
  if [ $rc -eq 2 ]; then
    echo "ci/gate.sh: $s: usage or input error" >&2
    exit 2
  fi
  [ $rc -ne 0 ] && status=1     # the output was wrong: the run itself failed
  [ -f "$dir/result.json" ] && results+=("$dir/result.json")
done
[ ${#results[@]} -eq 0 ] && { echo "ci/gate.sh: no result to gate" >&2; exit 1; }

gate_args=(bench gate "${results[@]}" --baselines "$BASELINES" --markdown "$OUT/gate.md" --junit "$OUT/gate-junit.xml")
"$VELO" "${gate_args[@]}"
rc=$?
if [ $rc -eq 2 ] && [ "${VELO_ALLOW_NO_BASELINE:-0}" = "1" ] && grep -qi "no baseline" "$OUT/gate.md" 2>/dev/null; then
  echo "ci/gate.sh: no baseline for this machine class yet; passing (VELO_ALLOW_NO_BASELINE=1). Save one with:" >&2
  for r in "${results[@]}"; do echo "  bin/velo bench baseline save $r --baselines $BASELINES" >&2; done
  rc=0
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$OUT/gate.md" ]; then
  cat "$OUT/gate.md" >> "$GITHUB_STEP_SUMMARY"
fi
[ $rc -ne 0 ] && exit $rc
exit $status
