#!/bin/sh
# Install what is missing, build capsim and run the whole test suite: the
# normal build with warnings as errors, the scenario tests and the binary
# under valgrind memcheck, then the same suite under AddressSanitizer +
# UndefinedBehaviorSanitizer, and a short run of every libFuzzer target.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs="$(nproc)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAPSIM_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"
scripts/valgrind.sh build
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCAPSIM_SANITIZE=ON -DCAPSIM_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs"
# a short run of every fuzz target (long runs by hand: docs/fuzzing.md)
scripts/fuzz.sh all 10
