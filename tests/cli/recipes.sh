#!/bin/sh
# Test the shipped recipes for running a sweep beyond one machine
# (docs/recipes/): each runs the small test sweep in 3 shards, locally,
# and the merged results.csv must equal the single-machine run byte for
# byte.
#   GNU parallel  over the ssh login ":" (this machine), if parallel exists
#   Slurm         the sbatch script run as array tasks 1..3 (SLURM_* set
#                 as sbatch would set them)
#   Indexed Job   the manifest's shard script run with JOB_COMPLETION_INDEX
#                 0..2; and `completions` equals its SHARDS
# Environment: CAPSIM_BIN (the capsim executable), CAPSIM_SOURCE_DIR.
set -eu
src=${CAPSIM_SOURCE_DIR:?}
bin=${CAPSIM_BIN:?}
PATH="$(dirname "$bin"):$PATH"
export PATH
sweep=$src/tests/cli/sweep/small.yaml
rec=$src/docs/recipes
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capsim-recipes-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0

capsim sweep "$sweep" -j 2 -q -o "$tmp/whole"

same() { # NAME DIR
    if cmp -s "$tmp/whole/results.csv" "$2/results.csv" &&
        cmp -s "$tmp/whole/sweep-info.csv" "$2/sweep-info.csv"; then
        echo "ok: $1: 3 shards merged equal the whole sweep"
    else
        echo "FAIL: $1: merged results differ from the whole sweep" >&2
        diff "$tmp/whole/results.csv" "$2/results.csv" | head -5 >&2 || true
        fail=1
    fi
}

# GNU parallel, on this machine as its only "host"
if command -v parallel >/dev/null 2>&1; then
    (cd "$src" && sh "$rec/sweep-gnu-parallel.sh" "$sweep" "$tmp/gnu" 3 ":") \
        >/dev/null
    same "GNU parallel" "$tmp/gnu"
else
    echo "FAIL: GNU parallel is not installed (scripts/setup.sh installs it)" >&2
    fail=1
fi

# Slurm job array 1-3
for k in 1 2 3; do
    SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=3 \
        SLURM_CPUS_PER_TASK=1 SWEEP=$sweep OUT=$tmp/slurm \
        bash "$rec/sweep-slurm.sbatch"
done
capsim merge "$tmp"/slurm/shard-* -o "$tmp/slurm" -q
same "Slurm array" "$tmp/slurm"

# Kubernetes Indexed Job: its shard script, indices 0-2
sed -n '/# begin shard script/,/# end shard script/p' \
    "$rec/sweep-indexed-job.yaml" | sed 's/^ *//' >"$tmp/shard.sh"
completions=$(sed -n 's/^  completions: *\([0-9]*\).*/\1/p' \
    "$rec/sweep-indexed-job.yaml")
shards=$(sed -n '/name: SHARDS/{n;s/.*value: *"\([0-9]*\)".*/\1/p;}' \
    "$rec/sweep-indexed-job.yaml")
if [ "$completions" != "$shards" ] || [ -z "$shards" ]; then
    echo "FAIL: Indexed Job: completions ($completions) != SHARDS ($shards)" >&2
    fail=1
fi
for i in 0 1 2; do
    JOB_COMPLETION_INDEX=$i SHARDS=3 SWEEP=$sweep OUT=$tmp/job sh "$tmp/shard.sh"
done
capsim merge "$tmp"/job/shard-* -o "$tmp/job" -q
same "Indexed Job" "$tmp/job"

# Merging too few shards is refused, and writes nothing
if capsim merge "$tmp"/job/shard-1 "$tmp"/job/shard-2 -o "$tmp/partial" \
    2>"$tmp/err"; then
    echo "FAIL: merge of 2 of 3 shards succeeded" >&2
    fail=1
elif [ -e "$tmp/partial/results.csv" ]; then
    echo "FAIL: a refused merge wrote results.csv" >&2
    fail=1
else
    echo "ok: merge refuses a missing shard: $(cat "$tmp/err")"
fi
exit $fail
