#!/bin/sh
# Install what is missing, build capsim and run the default scenario.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
./build/capsim run scenarios/feastflow-load-test.yaml -o out/feastflow-load-test
