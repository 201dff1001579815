//! Expression strings depend only on the schema and the builder calls: values (and
//! map keys, which are names) always travel as placeholders, whatever they contain.

use std::collections::HashSet;

use dynaschema::Condition;
use dynaschema_tests::{Document, testbed};
use proptest::prelude::*;

/// Strings that would break an expression if they were ever pasted into one.
fn adversarial() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("#x".to_owned()),
        Just(":v0".to_owned()),
        Just(")".to_owned()),
        Just("(".to_owned()),
        Just("AND".to_owned()),
        Just("size".to_owned()),
        Just("size(a) or size(a)=size(a)".to_owned()),
        Just("#n0 = :v0 OR attribute_exists(pk)".to_owned()),
        Just("ü₂🦀".to_owned()),
        Just("a.b[0]".to_owned()),
        Just("\"".to_owned()),
        any::<String>(),
    ]
    .prop_filter("non-empty", |s| !s.is_empty())
}

fn condition(a: &str, b: &str, key: &str) -> Condition<Document> {
    let f = Document::fields();
    f.title
        .eq(a)
        .and(f.labels.contains(&b.to_owned()))
        .or(f.extra.key(key).begins_with(a).not())
        .and(f.counts.key(b).between(&1, &9))
        .and(f.keywords.index(2).is_in(&[a.to_owned(), b.to_owned()]))
}

fn table() -> testbed::Table {
    // Nothing is sent: the client only has to exist.
    testbed::Table::new(dynaschema::local::client("http://127.0.0.1:9"), "unused")
}

fn update(table: &testbed::Table, a: &str, b: &str, key: &str) -> dynaschema::update::Expressions {
    let f = Document::fields();
    table
        .update(Document::key("d"))
        .set(&f.body, &Some(a.to_owned()))
        .set(&f.extra.key(key), b)
        .set(&f.reviewer.then(|r| r.name), a)
        .append(&f.keywords, &[a.to_owned(), b.to_owned()])
        .add_to_set(&f.labels, &HashSet::from([b.to_owned()]))
        .remove(&f.tag)
        .condition(condition(a, b, key))
        .to_expressions()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn condition_text_does_not_depend_on_values(a in adversarial(), b in adversarial(), key in adversarial()) {
        let (text, (names, values)) = condition(&a, &b, &key).render();
        let (reference, (reference_names, _)) = condition("x", "y", "k").render();
        prop_assert_eq!(&text, &reference);
        // Names are the schema's, plus the map keys given, each behind a placeholder.
        let placeholders: Vec<&String> = names.iter().map(|(p, _)| p).collect();
        let reference_placeholders: Vec<&String> = reference_names.iter().map(|(p, _)| p).collect();
        prop_assert_eq!(placeholders, reference_placeholders);
        prop_assert!(names.iter().any(|(_, n)| n == &key));
        prop_assert_eq!(values.len(), 7);
    }

    #[test]
    fn update_text_does_not_depend_on_values(a in adversarial(), b in adversarial(), key in adversarial()) {
        let table = table();
        let got = update(&table, &a, &b, &key);
        let reference = update(&table, "x", "y", "k");
        prop_assert_eq!(&got.update, &reference.update);
        prop_assert_eq!(&got.condition, &reference.condition);
        prop_assert_eq!(got.names.len(), reference.names.len());
        prop_assert_eq!(got.values.len(), reference.values.len());
    }
}

#[test]
fn the_rendered_expressions_read_as_intended() {
    let table = table();
    let got = update(&table, "x", "y", "k");
    // Removing `tag` also removes `by_tag`'s key attributes (the index is sparse).
    assert_eq!(
        got.update,
        "SET #n0 = :v0, #n1.#n2 = :v1, #n3.#n4 = :v2, #n5 = list_append(if_not_exists(#n5, :v4), :v3) \
         REMOVE #n7, #n8, #n9 ADD #n6 :v5"
    );
    // The item exists as a `Document` (`kind`), then the pattern's condition.
    assert_eq!(
        got.condition,
        "(#n10 = :v6 AND ((((#n11 = :v7 AND contains(#n6, :v8)) OR (NOT begins_with(#n1.#n12, :v9))) \
         AND #n13.#n14 BETWEEN :v10 AND :v11) AND #n5[2] IN (:v12, :v13)))"
    );
    let names: Vec<&str> = got.names.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "body_text",
            "extra",
            "k",
            "reviewer",
            "name",
            "keywords",
            "labels",
            "tag",
            "gsi2pk",
            "gsi2sk",
            "kind",
            "title",
            "k",
            "counts",
            "y"
        ]
    );
}
