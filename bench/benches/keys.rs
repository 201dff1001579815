//! Key encoding: nanoseconds (criterion) and heap allocations (a counting global
//! allocator, printed before the timings) per key, for a string, an integer and a
//! timestamp composite template.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use dynaschema_bench::{Order, Small};

/// Counts allocations, to report allocations per key.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: defers every call to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller upholds `alloc`'s contract, passed on as is.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations<T>(f: impl Fn() -> T) -> f64 {
    const N: usize = 1000;
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..N {
        black_box(f());
    }
    (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / N as f64
}

fn keys(c: &mut Criterion) {
    let created_at = Utc.with_ymd_and_hms(2026, 3, 10, 12, 5, 0).unwrap();
    // Three composite templates: `GROUP#{group}` / `SMALL#{id}` (strings),
    // `CUSTOMER#{customer_id}` / `ORDER#{created_at}#{order_id}` (timestamp), and an
    // integer segment through `Key::from_parts`.
    let string_key = || Small::key("group-7", "s000042").to_attributes().unwrap();
    let timestamp_key = || {
        Order::key("c-7", &created_at, "o-42")
            .to_attributes()
            .unwrap()
    };
    let integer_key = || {
        use dynaschema::__private::{KeyRole, KeyWriter};
        KeyWriter::new("Reading", "sk", KeyRole::Sort)
            .literal("READING")
            .value("sequence", &42_u64)
            .finish()
            .unwrap()
    };
    println!(
        "allocations per key: string {:.1}, integer {:.1}, timestamp {:.1}",
        allocations(string_key),
        allocations(integer_key),
        allocations(timestamp_key)
    );
    let mut group = c.benchmark_group("key");
    group.bench_function("string", |b| b.iter(string_key));
    group.bench_function("integer", |b| b.iter(integer_key));
    group.bench_function("timestamp", |b| b.iter(timestamp_key));
    group.finish();
}

criterion_group!(benches, keys);
criterion_main!(benches);
