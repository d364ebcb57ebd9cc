#!/usr/bin/env bash
# Talk.Kit's one entry point. On a fresh Debian 12 / Ubuntu machine with the .NET 10 SDK (and root or sudo):
#   ./kit.sh run     the main job: run every notebook headless in real Jupyter -> artifacts/notebooks (+ HTML handouts)
#   ./kit.sh test    build, xunit suites, script tests, every notebook in real Jupyter, handouts checked in Chromium
#   ./kit.sh setup   install what is missing, build and pack the kit (then open the notebooks in VS Code or Jupyter)
source "$(dirname "${BASH_SOURCE[0]}")/scripts/common.sh"
cd "$REPO"

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; }

setup() {
  bash scripts/setup.sh
  bash scripts/pack.sh
}

run_notebooks() { # OUT_DIR [extra args]
  local out="$1"; shift
  step "notebooks -> $out"
  "$PYTHON" scripts/run_notebooks.py --out "$out" --timeout 900 --notebook-timeout 2400 "$@"
}

main_job() {
  local start=$SECONDS
  setup
  run_notebooks "$ARTIFACTS/notebooks"
  echo "main job done in $((SECONDS - start)) s: executed notebooks and HTML handouts in $ARTIFACTS/notebooks"
}

tests() {
  local start=$SECONDS passed=0 failed=0 failures=() log
  log="$(mktemp)"
  # count STEP STATUS PASSED FAILED: add a step's test counts (a step that failed with no count counts as one failure)
  count() {
    local p="${3:-0}" f="${4:-0}"
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$2" -ne 0 ]; then failures+=("$1"); [ "$f" -gt 0 ] || failed=$((failed + 1)); fi
  }
  bash scripts/setup.sh

  step "dotnet build (Release)"
  dotnet build Talk.Kit.sln -c Release --nologo -v quiet

  for suite in Talk.Kit.Tests Talk.Kit.Interactive.Tests; do
    step "xunit: $suite"
    set +e; dotnet test "tests/$suite" -c Release --no-build --nologo 2>&1 | tee "$log"; status=${PIPESTATUS[0]}; set -e
    line="$(grep -E '(Passed|Failed)! +- +Failed: ' "$log" | tail -1 || true)"
    count "$suite" "$status" "$(sed -n 's/.*Passed: *\([0-9]*\).*/\1/p' <<<"$line")" "$(sed -n 's/.*Failed: *\([0-9]*\),.*/\1/p' <<<"$line")"
  done

  step "script tests (notebook runner, handout check)"
  set +e; "$PYTHON" -m unittest discover -s scripts/tests 2>&1 | tee "$log"; status=${PIPESTATUS[0]}; set -e
  ran="$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\}.*/\1/p' "$log")"; bad="$( (grep -oE '(failures|errors)=[0-9]+' "$log" || true) | cut -d= -f2 | awk '{ s += $1 } END { print s + 0 }')"
  count "scripts/tests" "$status" "$(( ${ran:-0} - ${bad:-0} ))" "${bad:-0}"

  bash scripts/pack.sh
  local out="$ARTIFACTS/test-notebooks"
  rm -rf "$out"
  set +e; run_notebooks "$out" 2>&1 | tee "$log"; status=${PIPESTATUS[0]}; set -e
  ok="$(sed -n 's:^\([0-9]*\)/\([0-9]*\) notebooks ok.*:\1 \2:p' "$log")"; ok="${ok:-0 0}"
  count "notebooks" "$status" "${ok% *}" "$(( ${ok#* } - ${ok% *} ))"

  step "handouts in headless Chromium"
  set +e; "$PYTHON" scripts/check_handouts.py "$out" --stamp "$FEED/build-stamp.txt" 2>&1 | tee "$log"; status=${PIPESTATUS[0]}; set -e
  line="$(grep 'handout checks:' "$log" || true)"
  count "handouts" "$status" "$(sed -n 's/.* \([0-9]*\) passed.*/\1/p' <<<"$line")" "$(sed -n 's/.* \([0-9]*\) failed.*/\1/p' <<<"$line")"

  rm -f "$log"
  echo
  echo "kit test: $((SECONDS - start)) s; failing steps: ${failures[*]:-none}"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

case "${1:-}" in
  run) main_job ;;
  test) tests ;;
  setup) setup ;;
  *) usage; exit 2 ;;
esac
