//! Rules that look across entities, indexes and patterns. One function per rule,
//! each saying why the rule exists. They run on the lowered model, after every
//! name has been resolved.

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::schema::{PatternKind, Schema};

/// Runs every rule.
pub fn run(schema: &Schema, diagnostics: &mut Diagnostics) {
    collection_members_share_partition(schema, diagnostics);
    identical_constant_keys(schema, diagnostics);
    entity_attribute_is_not_a_key(schema, diagnostics);
}

/// A collection is one `Query` on one partition: every member's partition template
/// on the index must be the same, or some members live in other partitions and the
/// query silently misses them.
fn collection_members_share_partition(schema: &Schema, diagnostics: &mut Diagnostics) {
    for pattern in &schema.patterns {
        let PatternKind::Collection { entities, index } = &pattern.kind else {
            continue;
        };
        let first = &schema.entities[entities[0]];
        let Some(reference) = first.keys_on(*index) else {
            continue;
        };
        for &member in &entities[1..] {
            let entity = &schema.entities[member];
            let Some(keys) = entity.keys_on(*index) else {
                continue;
            };
            if !keys.partition.same_shape(&reference.partition) {
                diagnostics.push(
                    Diagnostic::error(
                        "check::collection-partition",
                        format!(
                            "collection `{}`: `{}` is partitioned by `{}` on `{}`, but `{}` by `{}`",
                            pattern.name,
                            entity.name,
                            keys.partition.text,
                            schema.indexes[*index].name,
                            first.name,
                            reference.partition.text
                        ),
                        keys.partition.span.clone(),
                        "not the collection's partition",
                    )
                    .with_help(format!(
                        "members of one collection share a partition: write `pk = \"{}\"` here",
                        reference.partition.text
                    )),
                );
            }
        }
    }
}

/// Two entities whose primary key templates are both constant and equal would
/// overwrite each other's single item: the second `put` replaces the first.
fn identical_constant_keys(schema: &Schema, diagnostics: &mut Diagnostics) {
    for (i, a) in schema.entities.iter().enumerate() {
        for b in &schema.entities[i + 1..] {
            let (ka, kb) = (a.primary(), b.primary());
            let constant = ka
                .templates()
                .chain(kb.templates())
                .all(|t| t.is_constant());
            let same = ka.partition.same_shape(&kb.partition)
                && match (&ka.sort, &kb.sort) {
                    (Some(x), Some(y)) => x.same_shape(y),
                    (None, None) => true,
                    _ => false,
                };
            if constant && same {
                diagnostics.push(Diagnostic::error(
                    "check::key-collision",
                    format!(
                        "`{}` and `{}` have the same constant primary key",
                        a.name, b.name
                    ),
                    kb.span.clone(),
                    format!("the same item as `{}`", a.name),
                ));
            }
        }
    }
}

/// The discriminator is written on every item; if it were also a key attribute,
/// every item's key would be its entity name.
fn entity_attribute_is_not_a_key(schema: &Schema, diagnostics: &mut Diagnostics) {
    let attr = &schema.table.entity_attribute;
    for index in &schema.indexes {
        if &index.partition_key == attr || index.sort_key.as_ref() == Some(attr) {
            diagnostics.push(Diagnostic {
                severity: Severity::Error,
                code: "check::entity-attribute-is-key",
                message: format!(
                    "`{attr}` is the entity attribute and a key attribute of `{}`",
                    index.name
                ),
                span: Some(index.span.clone()),
                label: "choose another entity_attribute or key attribute".into(),
                help: None,
            });
        }
    }
}
