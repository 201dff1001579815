#!/usr/bin/env bash
# Build cost of deriving `Entity`: the incremental `cargo build` time of a crate with
# N entities deriving `Entity` (plus the schema's generated module) against the same
# structs deriving only serde's Serialize/Deserialize, for N = 10 and 50.
#
# Usage: bench/build-cost.sh [ROUNDS]   (default 5; prints medians in seconds)
#
# Both crates live in a scratch workspace under $TMPDIR that depends on this
# checkout; the first build of each compiles the dependencies once (minutes), then
# each round touches src/lib.rs and times `cargo build` (debug, as edit-compile
# loops are).
set -euo pipefail
rounds="${1:-5}"
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${TMPDIR:-/tmp}/dynaschema-build-cost"
mkdir -p "$scratch"
export CARGO_TARGET_DIR="$scratch/target"

crate() { # name n kind
    local name=$1 n=$2 kind=$3 dir="$scratch/$1"
    mkdir -p "$dir/src"
    if [ "$kind" = entity ]; then
        cat >"$dir/Cargo.toml" <<TOML
[package]
name = "$name"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
dynaschema = { path = "$root/runtime" }
[build-dependencies]
dynaschema-codegen = { path = "$root/codegen" }
TOML
        printf 'fn main() { dynaschema_codegen::Builder::new().compile("dynaschema.toml").unwrap_or_else(|e| panic!("{e}")); }\n' >"$dir/build.rs"
        {
            printf '[table]\nname = "Cost"\npartition_key = "pk"\nsort_key = "sk"\n'
            for i in $(seq 1 "$n"); do
                printf '\n[entities.E%d]\nprimary = { pk = "E%d#{id}", sk = "E%d#{created_at}" }\n' "$i" "$i" "$i"
                printf '\n[patterns.get_e%d]\nget = "E%d"\n' "$i" "$i"
            done
        } >"$dir/dynaschema.toml"
        {
            printf 'use dynaschema::Entity;\ndynaschema::include_schema!(pub cost);\n'
            for i in $(seq 1 "$n"); do
                printf '#[derive(Entity, Clone, Debug, PartialEq)]\npub struct E%d { pub id: String, pub created_at: u64, pub name: String, pub count: u32, pub tags: Vec<String>, pub note: Option<String> }\n' "$i"
            done
        } >"$dir/src/lib.rs"
    else
        cat >"$dir/Cargo.toml" <<TOML
[package]
name = "$name"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
serde = { version = "1", features = ["derive"] }
TOML
        {
            printf 'use serde::{Deserialize, Serialize};\n'
            for i in $(seq 1 "$n"); do
                printf '#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]\npub struct E%d { pub id: String, pub created_at: u64, pub name: String, pub count: u32, pub tags: Vec<String>, pub note: Option<String> }\n' "$i"
            done
        } >"$dir/src/lib.rs"
    fi
}

members=()
for n in 10 50; do
    crate "entity$n" "$n" entity
    crate "serde$n" "$n" serde
    members+=("\"entity$n\"" "\"serde$n\"")
done
(IFS=,; printf '[workspace]\nresolver = "3"\nmembers = [%s]\n' "${members[*]}") >"$scratch/Cargo.toml"
cp "$root/Cargo.lock" "$scratch/Cargo.lock"

cd "$scratch"
cargo build --quiet --workspace 2>/dev/null || cargo build --workspace
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "| crate | incremental build (median of $rounds) |"
echo "|---|---|"
for name in entity10 serde10 entity50 serde50; do
    times=()
    for _ in $(seq 1 "$rounds"); do
        touch "$name/src/lib.rs"
        start=$(date +%s.%N)
        cargo build --quiet -p "$name"
        end=$(date +%s.%N)
        times+=("$(echo "$end - $start" | bc)")
    done
    printf '| %s | %.2f s |\n' "$name" "$(printf '%s\n' "${times[@]}" | median)"
done
