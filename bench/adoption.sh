#!/usr/bin/env bash
# The cost of adopting dynaschema, against the raw SDK with serde_dynamo: two fresh
# crates doing the same thing — one entity (`Customer`), one access pattern (get a
# customer by id), a binary that reads one item — built the way a new user builds
# them, outside this workspace:
#
#   adopt-dynaschema  dynaschema (default features, no `embedded`), #[derive(Entity)],
#                     build.rs with dynaschema-codegen, a dynaschema.toml
#   adopt-raw         aws-sdk-dynamodb (the same features) + serde_dynamo + serde
#
# Both take tokio (current-thread runtime) and build their SDK client the same way.
# Measured, each crate in its own target directory:
#   - clean debug build (every dependency compiled), its wall time and the number of
#     crates compiled;
#   - incremental debug rebuilds: after touching src/main.rs (the struct), and for
#     adopt-dynaschema after touching dynaschema.toml (the schema);
#   - release build with `strip = true` (as for a Lambda function): binary size;
#   - process start -> first completed GetItem: each release binary run against the
#     embedded server (`peers --serve`), interleaved, median of N runs.
#
# Usage: bench/adoption.sh [RUNS]   (RUNS of the start-up measurement, default 30)
#        bench/adoption.sh smoke    (CI: debug builds in $CARGO_TARGET_DIR, so not
#                                    clean, one run of each; checks it all works)
# The embedded server is `peers --serve` of the bench crate: build it first
# (`cargo build --release -p dynaschema-bench --bin peers`; debug for smoke).
# Prints a Markdown table. Minutes: two clean debug builds and two release builds.
set -euo pipefail
runs="${1:-30}"
smoke=false
if [ "$runs" = smoke ]; then smoke=true; runs=1; fi
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${TMPDIR:-/tmp}/dynaschema-adoption"
rm -rf "$scratch"
mkdir -p "$scratch"

sdk='aws-sdk-dynamodb = { version = "1.136", default-features = false, features = ["rt-tokio", "default-https-client", "behavior-version-latest"] }'
common='tokio = { version = "1", features = ["macros", "rt"] }'
profile='[profile.release]
strip = true'

# The client, the same in both crates.
client='fn client() -> aws_sdk_dynamodb::Client {
    use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
    let endpoint = std::env::var("ENDPOINT").expect("ENDPOINT: the server");
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("local", "local", None, None, "static"))
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}'

mkdir -p "$scratch/adopt-dynaschema/src" "$scratch/adopt-raw/src"
cat >"$scratch/adopt-dynaschema/Cargo.toml" <<TOML
[package]
name = "adopt-dynaschema"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
dynaschema = { path = "$root/runtime" }
$common

[build-dependencies]
dynaschema-codegen = { path = "$root/codegen" }

$profile
TOML
cat >"$scratch/adopt-dynaschema/build.rs" <<'RS'
fn main() {
    dynaschema_codegen::Builder::new()
        .compile("dynaschema.toml")
        .unwrap_or_else(|e| panic!("{e}"));
}
RS
cat >"$scratch/adopt-dynaschema/dynaschema.toml" <<'TOML'
[table]
name = "Adopt"
partition_key = "pk"
sort_key = "sk"

[entities.Customer]
primary = { pk = "CUSTOMER#{customer_id}", sk = "PROFILE" }

[patterns.get_customer]
get = "Customer"
TOML
cat >"$scratch/adopt-dynaschema/src/main.rs" <<RS
use dynaschema::Entity;
use dynaschema::aws_sdk_dynamodb;

dynaschema::include_schema!(adopt);

#[derive(Entity, Debug)]
pub struct Customer {
    pub customer_id: String,
    pub name: String,
}

$client

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let table = adopt::Table::new(client(), "Adopt");
    if std::env::args().any(|a| a == "--seed") {
        table.create_table().await.expect("create the table");
        let ada = Customer { customer_id: "c1".into(), name: "Ada".into() };
        table.put(&ada).await.expect("put");
        return;
    }
    let found = table.get_customer("c1").await.expect("get");
    println!("{}", found.expect("c1 exists").name);
}
RS

cat >"$scratch/adopt-raw/Cargo.toml" <<TOML
[package]
name = "adopt-raw"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
$sdk
serde_dynamo = { version = "4", default-features = false, features = ["aws-sdk-dynamodb+1"] }
serde = { version = "1", features = ["derive"] }
$common

$profile
TOML
cat >"$scratch/adopt-raw/src/main.rs" <<RS
use aws_sdk_dynamodb::types::AttributeValue;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug)]
pub struct Customer {
    pub customer_id: String,
    pub name: String,
}

$client

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let client = client();
    let key = std::collections::HashMap::from([
        ("pk".to_owned(), AttributeValue::S("CUSTOMER#c1".into())),
        ("sk".to_owned(), AttributeValue::S("PROFILE".into())),
    ]);
    let output = client.get_item().table_name("Adopt").set_key(Some(key)).send().await.expect("get");
    let customer: Customer = serde_dynamo::from_item(output.item.expect("c1 exists")).expect("decodes");
    println!("{}", customer.name);
}
RS

# Cargo.lock: this checkout's, so both crates build the versions the project tests.
for crate in adopt-dynaschema adopt-raw; do
    cp "$root/Cargo.lock" "$scratch/$crate/Cargo.lock"
done

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }

target_dir() {
    if [ "$smoke" = true ]; then echo "${CARGO_TARGET_DIR:-$root/target}"; else echo "$scratch/$1/target"; fi
}

# build CRATE PROFILE: prints "seconds crates-compiled"
build() {
    local crate=$1 profile=$2 start log
    log="$scratch/$crate$profile.log"
    start=$(now)
    (cd "$scratch/$crate" && CARGO_TARGET_DIR="$(target_dir "$crate")" cargo build $profile >"$log" 2>&1) || {
        cat "$log" >&2
        exit 1
    }
    echo "$(elapsed "$start") $(grep -c '^ *Compiling ' "$log")"
}

# rebuild CRATE FILE: touch FILE, time the debug build (seconds)
rebuild() {
    local start
    touch "$scratch/$1/$2"
    start=$(now)
    (cd "$scratch/$1" && CARGO_TARGET_DIR="$(target_dir "$1")" cargo build -q)
    elapsed "$start"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

result=$(build adopt-dynaschema "")
read -r ds_clean ds_crates <<<"$result"
result=$(build adopt-raw "")
read -r raw_clean raw_crates <<<"$result"
ds_struct=(); ds_schema=(); raw_struct=()
for _ in $(seq 1 "$([ "$smoke" = true ] && echo 1 || echo 5)"); do
    ds_struct+=("$(rebuild adopt-dynaschema src/main.rs)")
    raw_struct+=("$(rebuild adopt-raw src/main.rs)")
    ds_schema+=("$(rebuild adopt-dynaschema dynaschema.toml)")
done

echo "| | dynaschema | raw SDK + serde_dynamo | ratio |"
echo "|---|---|---|---|"
printf '| clean debug build | %.1f s | %.1f s | %.2f |\n' "$ds_clean" "$raw_clean" "$(echo "$ds_clean / $raw_clean" | bc -l)"
printf '| crates compiled | %d | %d | +%d |\n' "$ds_crates" "$raw_crates" "$((ds_crates - raw_crates))"
s1=$(printf '%s\n' "${ds_struct[@]}" | median); s2=$(printf '%s\n' "${raw_struct[@]}" | median)
printf '| rebuild after touching the struct (median) | %.2f s | %.2f s | %.2f |\n' "$s1" "$s2" "$(echo "$s1 / $s2" | bc -l)"
printf '| rebuild after touching dynaschema.toml (median) | %.2f s | - | |\n' "$(printf '%s\n' "${ds_schema[@]}" | median)"

# Process start -> first GetItem, against the embedded server.
profile=--release
[ "$smoke" = true ] && profile=""
build adopt-dynaschema "$profile" >/dev/null
build adopt-raw "$profile" >/dev/null
dir=debug
[ "$smoke" = true ] || dir=release
ds_bin="$(target_dir adopt-dynaschema)/$dir/adopt-dynaschema"
raw_bin="$(target_dir adopt-raw)/$dir/adopt-raw"
size() { stat -c %s "$1"; }
printf '| binary size (%s%s) | %.2f MB | %.2f MB | %.2f |\n' "$dir" "$([ "$smoke" = true ] || echo ', stripped')" \
    "$(echo "$(size "$ds_bin") / 1000000" | bc -l)" "$(echo "$(size "$raw_bin") / 1000000" | bc -l)" \
    "$(echo "$(size "$ds_bin") / $(size "$raw_bin")" | bc -l)"

server_bin="${CARGO_TARGET_DIR:-$root/target}/$dir/peers"
port_file="$scratch/server.port"
"$server_bin" --serve "$port_file" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$port_file" ] && break; sleep 0.1; done
[ -s "$port_file" ] || { echo "the embedded server did not start ($server_bin --serve)" >&2; exit 1; }
export ENDPOINT
ENDPOINT="$(cat "$port_file")"
"$ds_bin" --seed
python3 - "$runs" "$ds_bin" "$raw_bin" <<'PY'
import statistics, subprocess, sys, time
runs, ours, raw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
times = {ours: [], raw: []}
for i in range(runs):
    for exe in ([ours, raw] if i % 2 == 0 else [raw, ours]):
        start = time.perf_counter()
        out = subprocess.run([exe], capture_output=True, text=True, check=True)
        times[exe].append(time.perf_counter() - start)
        assert out.stdout.strip() == "Ada", out.stdout
a, b = statistics.median(times[ours]) * 1e3, statistics.median(times[raw]) * 1e3
print(f"| process start -> first GetItem done (median of {runs}) | {a:.1f} ms | {b:.1f} ms | {a / b:.2f} |")
PY
