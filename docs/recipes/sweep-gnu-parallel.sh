#!/bin/sh
# Run a capsim sweep on several machines with GNU parallel over ssh, then
# join the shards (docs/sweeps.md, "Beyond one machine").
#
#   docs/recipes/sweep-gnu-parallel.sh SWEEP OUT SHARDS HOSTS
#
#   SWEEP   the sweep file, e.g. scenarios/feastflow-sweep.yaml
#   OUT     the output directory: shard K goes to OUT/shard-K, the merged
#           results to OUT/results.csv
#   SHARDS  how many slices to cut the runs into (a few per machine balances
#           the load: each slice takes all the cores of the machine it runs on)
#   HOSTS   GNU parallel's --sshlogin list: "1/alice@node1,1/node2" runs one
#           shard at a time on each of node1 and node2; ":" is this machine
#
# Assumes a shared file system: every host sees the current directory (the
# sweep, its scenario, manifests and traces) and OUT at the same paths, and
# has capsim on its PATH (or set CAPSIM to its path). Without shared
# storage, add --basefile for the inputs and --return for the shard
# directories to the parallel command below.
set -eu
if [ $# -ne 4 ]; then
    echo "usage: $0 SWEEP OUT SHARDS HOSTS" >&2
    exit 2
fi
sweep=$1 out=$2 shards=$3 hosts=$4
capsim=${CAPSIM:-capsim}
here=$(pwd)

mkdir -p "$out"
# One job per shard; --halt stops everything at the first failed shard.
# {} is the shard number K (1..SHARDS); the quoting survives the remote
# shell because parallel quotes the replacement and we quote the rest.
seq 1 "$shards" |
    parallel --sshlogin "$hosts" --jobs 1 --halt now,fail=1 \
        "cd '$here' && '$capsim' sweep '$sweep' --shard {}/$shards \
         -o '$out/shard-{}' --quiet"
"$capsim" merge "$out"/shard-* -o "$out"
