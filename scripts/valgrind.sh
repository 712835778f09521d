#!/bin/sh
# Memcheck over the scenario tests and the capsim binary: zero errors and
# no leaks, or a non-zero exit naming what failed. Uses the build in
# BUILD (default build/, RelWithDebInfo as scripts/test.sh makes it).
#
#   scripts/valgrind.sh [BUILD]
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
root=$(pwd)
vg="valgrind -q --error-exitcode=99 --leak-check=full \
--errors-for-leak-kinds=definite,indirect,possible --show-leak-kinds=definite,indirect,possible"
export CAPSIM_SOURCE_DIR="$root" CAPSIM_BIN="$root/$build/capsim" \
    CAPSIM_SHARED_DIR="$root/../shared"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0
# valgrind's own verdict is exit status 99; others are the program's
run() {
    st=0
    $vg "$@" >"$out/log" 2>&1 || st=$?
    if [ "$st" -eq 99 ] || { [ "$st" -ne 0 ] && [ "${allow_fail:-0}" -eq 0 ]; }; then
        echo "valgrind: FAILED (exit $st): $*" >&2
        tail -40 "$out/log" >&2
        fail=1
    fi
}
# the scenario-level test programs (test_interrupt forks and kills runs:
# its children are not valgrind's to judge)
for t in feastflow determinism errors custom_metrics summary schedules \
    shipped_loads job ca rollout vpa vpa_schedule vpa_shipped; do
    run "$build/tests/test_$t"
done
# the binary on every shipped scenario: run with plots, check, table
for s in scenarios/*.yaml; do
    case "$s" in *-sweep.yaml) continue ;; esac
    run "$build/capsim" run "$s" -o "$out/run" -q
    run "$build/capsim" check "$s" -o "$out/check" -q --junit "$out/junit.xml"
done
run "$build/capsim" table scenarios/feastflow-load-test.yaml
# a sweep on two threads, kept runs, ranking and the Pareto plot; a merge
run "$build/capsim" sweep scenarios/feastflow-sweep.yaml -j 2 -q -o "$out/sw" \
    --where 'latency_p95_ms < 60' --minimize cost_usd --plot
run "$build/capsim" sweep tests/cli/sweep/small.yaml -j 2 -q --keep-runs \
    --shard 1/2 -o "$out/sw1"
run "$build/capsim" sweep tests/cli/sweep/small.yaml -j 2 -q --shard 2/2 \
    -o "$out/sw2"
run "$build/capsim" merge "$out/sw1" "$out/sw2" -q -o "$out/swm"
# exit 1 (the runs differ) and 2 (bad input) are expected from here on
allow_fail=1
run "$build/capsim" diff "$out/run" scenarios --tol 1
run "$build/capsim" diff "$out/run" "$out/check"
for s in tests/scenarios/errors/*.yaml; do
    run "$build/capsim" validate "$s"
done
[ "$fail" -eq 0 ] && echo "valgrind: no errors, no leaks"
exit "$fail"
