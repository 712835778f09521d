#!/bin/sh
# Build the libFuzzer targets (CAPSIM_FUZZ=ON, clang) in build-fuzz and run
# one of them, or all of them one after the other, for SECONDS each.
#
#   scripts/fuzz.sh TARGET SECONDS    TARGET: quantity yaml scenario
#   scripts/fuzz.sh all SECONDS               manifest csv expect trace
#                                             kubectl cron override sweep
#                                             run
#
# Each run starts from a copy of tests/fuzz/corpus/TARGET (for run, of
# scenarios/*.yaml) in
# build-fuzz/work/TARGET/corpus (the repository's corpus is never written)
# and uses tests/fuzz/TARGET.dict (run, which simulates scenarios, shares
# scenario.dict). A crash, leak, UB report or timeout
# stops the script with status 1 and the path of the saved input, which
# belongs in tests/fuzz/regressions/TARGET/ once the bug is fixed
# (docs/fuzzing.md).
set -eu
cd "$(dirname "$0")/.."
src="$(pwd)"
targets="quantity yaml scenario manifest csv expect trace kubectl cron override sweep run"

usage() {
    echo "usage: scripts/fuzz.sh TARGET|all SECONDS (targets: $targets)" >&2
    exit 2
}
[ $# -eq 2 ] || usage
case "$2" in '' | *[!0-9]*) usage ;; esac
if [ "$1" = all ]; then
    run="$targets"
else
    case " $targets " in *" $1 "*) run="$1" ;; *) usage ;; esac
fi
secs="$2"

# clang (with libFuzzer) only when it is missing, as scripts/setup.sh does.
if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz: installing clang" >&2
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends clang >/dev/null
fi

build="$src/build-fuzz"
CC=clang cmake -S . -B "$build" -DCAPSIM_FUZZ=ON -DCAPSIM_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=Debug >/dev/null
tlist=""
for t in $run; do tlist="$tlist fuzz_$t"; done
# shellcheck disable=SC2086
cmake --build "$build" -j"$(nproc)" --target $tlist >/dev/null

export CAPSIM_SOURCE_DIR="$src"
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
for t in $run; do
    work="$build/work/$t"
    rm -rf "$work/corpus"
    mkdir -p "$work/corpus" "$work/artifacts"
    if [ "$t" = run ]; then # its seeds are the shipped scenarios themselves
        cp scenarios/*.yaml "$work/corpus/"
    else
        cp "tests/fuzz/corpus/$t/"* "$work/corpus/"
    fi
    d="$t"
    [ "$t" = run ] && d=scenario
    dict=""
    [ -f "tests/fuzz/$d.dict" ] && dict="-dict=$src/tests/fuzz/$d.dict"
    echo "fuzz: $t for ${secs}s (log: $work/log)"
    rc=0
    # shellcheck disable=SC2086
    "$build/fuzz_$t" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$work/artifacts/" $dict \
        "$work/corpus" >"$work/log" 2>&1 || rc=$?
    grep -E '^#[0-9]+[[:space:]]+DONE' "$work/log" || tail -n 3 "$work/log"
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' \
        "$work/log" || true
    if [ "$rc" -ne 0 ]; then
        status=1
        echo "fuzz: $t FAILED (status $rc); see $work/log" >&2
        grep -E 'ERROR: |SUMMARY: |invariant failed' "$work/log" | head -n 5 >&2 || true
        for f in "$work/artifacts/"*; do
            [ -e "$f" ] && echo "fuzz: crashing input: $f" >&2
        done
        echo "fuzz: replay with: $build/fuzz_$t FILE" >&2
    fi
done
exit "$status"
