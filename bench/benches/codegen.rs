//! Build cost: parsing, checking and generating the module of the largest example
//! schema (the online shop), as `build.rs` does on every schema change.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use dynaschema_codegen::diagnostics::SourceFile;
use dynaschema_codegen::generate::{Options, module_source};

fn codegen(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../schema-examples/online-shop/dynaschema.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    c.bench_function("codegen/online-shop (parse, check, generate)", |b| {
        b.iter(|| {
            let checked = dynaschema_codegen::parse(SourceFile::new(
                "dynaschema.toml",
                black_box(text.clone()),
            ))
            .unwrap();
            module_source(&checked.schema, &Options::default())
        })
    });
}

criterion_group!(benches, codegen);
criterion_main!(benches);
