//! The capacity each request consumed, recorded on its tracing span. Its own test
//! binary: a thread-scoped subscriber must not race other tests' first use of the
//! same span call sites (tracing caches each site's interest process-wide).

use std::sync::Arc;

use dynaschema_tests::{Tally, testbed_table};

/// A tracing subscriber that keeps the `consumed_capacity` each span records.
#[derive(Default, Clone)]
struct Capacity(
    Arc<std::sync::Mutex<Vec<(String, f64)>>>,
    Arc<std::sync::Mutex<Vec<String>>>,
);

struct Visitor<'a>(&'a Capacity, Option<String>);

impl tracing::field::Visit for Visitor<'_> {
    fn record_f64(&mut self, field: &tracing::field::Field, value: f64) {
        if field.name() == "consumed_capacity" {
            let name = self.1.clone().unwrap_or_default();
            self.0.0.lock().unwrap().push((name, value));
        }
    }
    fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
}

impl tracing::Subscriber for Capacity {
    fn register_callsite(
        &self,
        _: &'static tracing::Metadata<'static>,
    ) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::always()
    }
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut names = self.1.lock().unwrap();
        names.push(span.metadata().name().to_owned());
        tracing::span::Id::from_u64(names.len() as u64)
    }
    fn record(&self, span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let name = self
            .1
            .lock()
            .unwrap()
            .get(span.into_u64() as usize - 1)
            .cloned();
        values.record(&mut Visitor(self, name));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn every_single_item_request_records_the_capacity_it_consumed() {
    let capacity = Capacity::default();
    let _guard = tracing::subscriber::set_default(capacity.clone());
    let table = testbed_table().await;
    let tally = Tally {
        tally_id: "c".into(),
        count: 1,
    };
    table.put(&tally).await.unwrap();
    table.get(Tally::key("c")).consistent().await.unwrap();
    let f = Tally::fields();
    table
        .update(Tally::key("c"))
        .add(&f.count, &1)
        .await
        .unwrap();
    table.delete(Tally::key("c")).await.unwrap();
    let recorded = capacity.0.lock().unwrap().clone();
    let names: Vec<&str> = recorded.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "dynaschema.put",
            "dynaschema.get",
            "dynaschema.update",
            "dynaschema.delete"
        ]
    );
    assert!(
        recorded.iter().all(|(_, units)| *units > 0.0),
        "{recorded:?}"
    );
}
