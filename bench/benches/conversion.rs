//! Item conversion, both directions, for the small, typical and large entities:
//! dynaschema's derive vs `serde_dynamo` (keys added by hand) vs hand-written
//! `HashMap<String, AttributeValue>` code. The three produce the same item (a unit
//! test of the crate checks it). Criterion interleaves nothing itself: run the
//! comparison with `cargo bench -p dynaschema-bench --bench conversion` and read
//! the ratios in BENCHMARKS.md.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use dynaschema::Entity;
use dynaschema_bench::{Large, Small, Typical};

macro_rules! entity_group {
    ($c:expr, $name:literal, $sample:expr, $ty:ty) => {{
        let value: $ty = $sample;
        let item = value.to_item().unwrap();
        let mut group = $c.benchmark_group(concat!($name, "/to_item"));
        group.bench_function("dynaschema", |b| {
            b.iter(|| black_box(&value).to_item().unwrap())
        });
        group.bench_function("serde_dynamo", |b| {
            b.iter(|| black_box(&value).to_item_serde())
        });
        group.bench_function("hand_written", |b| {
            b.iter(|| black_box(&value).to_item_by_hand())
        });
        group.finish();

        let mut group = $c.benchmark_group(concat!($name, "/from_item"));
        group.bench_function("dynaschema", |b| {
            b.iter_batched(
                || item.clone(),
                |item| <$ty>::from_item(item).unwrap(),
                BatchSize::SmallInput,
            )
        });
        group.bench_function("serde_dynamo", |b| {
            b.iter_batched(
                || item.clone(),
                |item| serde_dynamo::from_item::<_, $ty>(item).unwrap(),
                BatchSize::SmallInput,
            )
        });
        group.bench_function("hand_written", |b| {
            b.iter_batched(
                || item.clone(),
                |item| <$ty>::from_item_by_hand(item).unwrap(),
                BatchSize::SmallInput,
            )
        });
        group.finish();
    }};
}

fn conversion(c: &mut Criterion) {
    entity_group!(c, "small", Small::sample("group", 1), Small);
    entity_group!(c, "typical", Typical::sample(2), Typical);
    entity_group!(c, "large", Large::sample(3), Large);
}

criterion_group!(benches, conversion);
criterion_main!(benches);
