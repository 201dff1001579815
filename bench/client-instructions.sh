#!/usr/bin/env bash
# Client CPU per operation in instructions (callgrind), for the Rust clients of the
# peer benchmark: the raw SDK, dynaschema and modyne. Instructions do not drift with
# the machine's load, so this is the figure the 1.05x target is held to; the CPU
# times of `peers` (which also cover the Node peers) vary by several percent.
#
# Each workload is one run of a `peers` child under callgrind with only that
# workload (`--only`), against the embedded server of `peers --serve`; a run with no
# workload (start-up, client, seeding) is subtracted, and the difference divided by
# the units: `(I(workload) - I(none)) / units`. `get` reads what the (unprofiled)
# `put` run before it wrote, `batch_get` what `batch_put` wrote.
#
# Usage: bench/client-instructions.sh   (needs: cargo build --release -p dynaschema-bench --bin peers)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
peers="${CARGO_TARGET_DIR:-$root/target}/release/peers"
work="${TMPDIR:-/tmp}/dynaschema-client-instructions"
rm -rf "$work" && mkdir -p "$work"

"$peers" --serve "$work/endpoint" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$work/endpoint" ] && break; sleep 0.1; done
endpoint=$(cat "$work/endpoint")

singles=200 repeats=5 collections=20 batch=2000
# singles,query_items,query_repeats,orders,collection_repeats,batch_items
sizes="$singles,500,$repeats,50,$collections,$batch"

# instructions CLIENT ONLY: the client's total instructions with only ONLY run.
instructions() {
    local out="$work/$1-$2.out"
    valgrind --tool=callgrind --callgrind-out-file="$out" \
        "$peers" --client "$1" --endpoint "$endpoint" --table peers --round 0 \
        --sizes "$sizes" --only "$2" >/dev/null 2>"$work/$1-$2.log"
    grep -E '^(summary|totals):' "$out" | head -1 | awk '{print $2}'
}

printf '| workload (instructions per unit) | raw SDK | dynaschema | modyne 0.3 | dynaschema / raw | modyne / raw |\n|---|---|---|---|---|---|\n'
declare -A per
for client in raw dynaschema modyne; do
    base=$(instructions "$client" none)
    for workload in put get query collection batch_put batch_get; do
        case $workload in
            put | get) units=$singles ;;
            query) units=$repeats ;;
            collection) units=$collections ;;
            *) units=$batch ;;
        esac
        total=$(instructions "$client" "$workload")
        per[$client,$workload]=$(((total - base) / units))
    done
done
for workload in put get query collection batch_put batch_get; do
    r=${per[raw,$workload]} d=${per[dynaschema,$workload]} m=${per[modyne,$workload]}
    printf '| %s | %s | %s | %s | %.3f | %.3f |\n' "$workload" "$r" "$d" "$m" \
        "$(echo "$d / $r" | bc -l)" "$(echo "$m / $r" | bc -l)"
done
