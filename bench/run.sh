#!/bin/sh
# Reference benchmark: build a release binary, generate the reference
# scenario (300 Deployments with HPAs, ~10k pods, one simulated day) and run
# it. Ends with one line:
#   reference: wall_s=... events_per_s=... pod_s_per_wall_s=... peak_rss_mb=...
#
#   bench/run.sh [RUNS]     (default 3 runs; the best wall time is reported)
set -eu
cd "$(dirname "$0")/.."
runs=${1:-3}
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DCAPSIM_TESTS=OFF >/dev/null
cmake --build build-release -j"$(nproc)" --target capsim >/dev/null
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
bench/gen_reference.sh "$dir/scenario" >/dev/null
best=""
i=0
while [ "$i" -lt "$runs" ]; do
    i=$((i + 1))
    # GNU time's "Maximum resident set size" is in KiB
    /usr/bin/env time -v ./build-release/capsim run "$dir/scenario/reference.yaml" \
        -o "$dir/out" -q --stats 2>"$dir/err" || { cat "$dir/err" >&2; exit 1; }
    line=$(grep '^stats:' "$dir/err")
    rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$dir/err")
    wall=$(echo "$line" | sed 's/.*wall_s=\([0-9.]*\).*/\1/')
    echo "run $i: $line peak_rss_kb=$rss" >&2
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then
        best=$wall
        best_line=$line
        best_rss=$rss
    fi
done
echo "$best_line" | awk -v rss="$best_rss" '{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "reference: wall_s=%.3f events_per_s=%.0f pod_s_per_wall_s=%.3g peak_rss_mb=%.1f\n",
        v["wall_s"], v["events"] / v["wall_s"], v["pod_seconds"] / v["wall_s"], rss / 1024
}'
