//! Rules that look across entities, indexes and patterns. One function per rule,
//! each saying why the rule exists. They run on the lowered model, after every
//! name has been resolved.

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::schema::template::{KeyTemplate, Segment};
use crate::schema::{EntityKeys, PatternKind, Projection, Schema};

/// Runs every rule. Rules that only warn run on schemas without errors: on a
/// partly lowered schema (an entity left out for a broken template) they would
/// report follow-on findings, such as an index that looks unused.
pub fn run(schema: &Schema, diagnostics: &mut Diagnostics) {
    collection_members_share_partition(schema, diagnostics);
    collection_members_shard_alike(schema, diagnostics);
    keys_can_collide(schema, diagnostics);
    entity_attribute_is_not_a_key(schema, diagnostics);
    key_attribute_types_agree(schema, diagnostics);
    index_limits(schema, diagnostics);
    if diagnostics.has_errors() {
        return;
    }
    generated_names_are_distinct(schema, diagnostics);
    if diagnostics.has_errors() {
        return;
    }
    prefix_matches_other_entities(schema, diagnostics);
    unused_index(schema, diagnostics);
    constant_gsi_partition(schema, diagnostics);
    low_cardinality_gsi_partition(schema, diagnostics);
    filter_is_the_only_narrowing(schema, diagnostics);
}

/// Whether two templates can produce the same key, position by position: `None` if
/// they cannot; otherwise the literal values the other template's fields would need
/// (empty when the shapes are the same, so any value collides).
fn can_collide(a: &KeyTemplate, b: &KeyTemplate) -> Option<Vec<String>> {
    if a.segments.len() != b.segments.len() {
        // Field values never contain `#`, so the segment counts must agree.
        return None;
    }
    let mut needs = Vec::new();
    for pair in a.segments.iter().zip(&b.segments) {
        match pair {
            (Segment::Literal(x), Segment::Literal(y)) if x != y => return None,
            (Segment::Literal(l), Segment::Field(f)) | (Segment::Field(f), Segment::Literal(l)) => {
                needs.push(format!("`{}` is \"{l}\"", f.name));
            }
            (Segment::Literal(l), Segment::Shard(_)) | (Segment::Shard(_), Segment::Literal(l)) => {
                if l.parse::<u32>().is_err() {
                    return None;
                }
                needs.push(format!("the shard is {l}"));
            }
            _ => {}
        }
    }
    Some(needs)
}

/// Whether two entities' keys on one index can be equal: both templates collide.
fn pair_can_collide(a: &EntityKeys, b: &EntityKeys) -> Option<Vec<String>> {
    let mut needs = can_collide(&a.partition, &b.partition)?;
    match (&a.sort, &b.sort) {
        (Some(x), Some(y)) => needs.extend(can_collide(x, y)?),
        (None, None) => {}
        _ => return None,
    }
    Some(needs)
}

/// A collection is one `Query` on one partition: every member's partition template
/// on the index must be the same, or some members live in other partitions and the
/// query silently misses them. (On a multi-attribute index the partition is the
/// attributes themselves, whichever fields fill them: members always share it.)
fn collection_members_share_partition(schema: &Schema, diagnostics: &mut Diagnostics) {
    for pattern in &schema.patterns {
        let PatternKind::Collection { entities, index } = &pattern.kind else {
            continue;
        };
        if schema.indexes[*index].multi_attribute.is_some() {
            continue;
        }
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

/// A collection of a sharded partition queries every shard: a member that is not
/// sharded, or sharded another number of ways, lives in partitions the others do not
/// (it would be missed, or read `count` times).
fn collection_members_shard_alike(schema: &Schema, diagnostics: &mut Diagnostics) {
    for pattern in &schema.patterns {
        let PatternKind::Collection { entities, index } = &pattern.kind else {
            continue;
        };
        let count = |e: usize| {
            schema.entities[e]
                .keys_on(*index)
                .and_then(|k| k.partition.shards.as_ref())
                .map(|s| s.count)
        };
        let first = count(entities[0]);
        for &member in &entities[1..] {
            let this = count(member);
            if this == first {
                continue;
            }
            let describe = |c: Option<u32>| match c {
                Some(c) => format!("sharded {c} ways"),
                None => "not sharded".to_owned(),
            };
            let entity = &schema.entities[member];
            let span = entity
                .keys_on(*index)
                .map_or_else(|| entity.span.clone(), |k| k.span.clone());
            diagnostics.push(
                Diagnostic::error(
                    "check::collection-shards",
                    format!(
                        "collection `{}`: `{}` is {} on `{}`, but `{}` is {}",
                        pattern.name,
                        entity.name,
                        describe(this),
                        schema.indexes[*index].name,
                        schema.entities[entities[0]].name,
                        describe(first),
                    ),
                    span,
                    "not sharded like the collection",
                )
                .with_help("members of a sharded collection declare the same `shards.count`"),
            );
        }
    }
}

/// Two entities whose primary keys can be equal overwrite each other: the second
/// `put` replaces the first item, whatever its entity. When the templates have the
/// same shape that happens for equal values (an error); when it takes a field to hold
/// another template's literal, it happens only for that value (a warning naming it).
/// On a GSI equal keys are legal but a pattern there reads both entities' items.
fn keys_can_collide(schema: &Schema, diagnostics: &mut Diagnostics) {
    // Report on the entity declared later, naming the earlier one.
    let mut entities: Vec<_> = schema.entities.iter().collect();
    entities.sort_by_key(|e| e.span.start);
    for (i, a) in entities.iter().enumerate() {
        for b in &entities[i + 1..] {
            for kb in &b.keys {
                let Some(ka) = a.keys_on(kb.index) else {
                    continue;
                };
                let Some(needs) = pair_can_collide(ka, kb) else {
                    continue;
                };
                let index = &schema.indexes[kb.index];
                if index.multi_attribute.is_some() {
                    // Fields only, no literals: entities always share the key space.
                    // Legal on a GSI; `prefix_matches_other_entities` warns per pattern.
                    continue;
                }
                let primary = index.is_primary();
                let diagnostic = if needs.is_empty() && primary {
                    Diagnostic::error(
                        "check::key-collision",
                        format!(
                            "`{}` and `{}` can have the same primary key",
                            a.name, b.name
                        ),
                        kb.span.clone(),
                        format!(
                            "same shape as `{}`'s key: one item overwrites the other",
                            a.name
                        ),
                    )
                    .with_help("give each entity its own literal segment, e.g. a distinct prefix")
                } else {
                    let when = if needs.is_empty() {
                        "for equal values".to_owned()
                    } else {
                        format!("when {}", needs.join(" and "))
                    };
                    Diagnostic::warning(
                        "check::key-collision",
                        format!("`{}` can have the same `{}` key as `{}` {when}", b.name, index.name, a.name),
                        kb.span.clone(),
                        format!("can equal `{}`'s key", a.name),
                    )
                    .with_help(if primary {
                        "one item would overwrite the other; a distinct literal segment rules it out"
                    } else {
                        "patterns on this index then read both; a distinct literal segment rules it out"
                    })
                };
                diagnostics.push(diagnostic);
            }
        }
    }
}

/// The discriminator is written on every item; if it were also a key attribute,
/// every item's key would be its entity name.
fn entity_attribute_is_not_a_key(schema: &Schema, diagnostics: &mut Diagnostics) {
    let attr = &schema.table.entity_attribute;
    for index in &schema.indexes {
        if index.key_attributes().iter().any(|k| &k.name == attr) {
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
                related: Vec::new(),
            });
        }
    }
}

/// `CreateTable` declares each key attribute once with one type, and every item
/// must store it with that type. A multi-attribute key attribute also holds entity
/// field values, so it cannot be one of the attributes dynaschema writes itself.
fn key_attribute_types_agree(schema: &Schema, diagnostics: &mut Diagnostics) {
    let mut seen: Vec<(crate::schema::KeyAttribute, &str)> = Vec::new();
    let table = &schema.table;
    let primary = schema.primary();
    let reserved = [
        Some(&primary.partition_key),
        primary.sort_key.as_ref(),
        Some(&table.schema_version_attribute),
    ];
    for index in &schema.indexes {
        if let Some(key) = &index.multi_attribute {
            for attribute in key.partition.iter().chain(&key.sort) {
                if reserved.iter().flatten().any(|r| **r == attribute.name) {
                    diagnostics.push(Diagnostic::error(
                        "check::key-attribute-type",
                        format!(
                            "`{}` is written by dynaschema itself, so it cannot hold field values in `{}`'s key",
                            attribute.name, index.name
                        ),
                        index.span.clone(),
                        "choose another attribute",
                    ));
                }
            }
        }
        for attribute in index.key_attributes() {
            match seen.iter().find(|(a, _)| a.name == attribute.name) {
                Some((other, other_index)) if other.kind != attribute.kind => {
                    diagnostics.push(Diagnostic::error(
                        "check::key-attribute-type",
                        format!(
                            "`{}` is a {} in `{}`'s key but a {} in `{other_index}`'s",
                            attribute.name,
                            kind_name(attribute.kind),
                            index.name,
                            kind_name(other.kind)
                        ),
                        index.span.clone(),
                        "conflicting attribute type",
                    ));
                }
                Some(_) => {}
                None => seen.push((attribute, &index.name)),
            }
        }
    }
}

fn kind_name(kind: crate::schema::ScalarType) -> &'static str {
    match kind {
        crate::schema::ScalarType::String => "string",
        crate::schema::ScalarType::Number => "number",
    }
}

/// The sort key prefix a query pattern reads: the entity's literal segments (a
/// `begins_with` over whole segments), `None` when the sort key starts with a field
/// (the query then reads the whole partition).
fn pattern_prefix(keys: &EntityKeys) -> Option<Vec<&str>> {
    let sort = keys.sort.as_ref()?;
    let prefix = sort.literal_prefix();
    (!prefix.is_empty()).then_some(prefix)
}

/// A query reads every item under its key condition, and items of other entities
/// are then skipped. The result stays correct, but the skipped items are read and
/// paid for, and pages come back short. Warn when another entity on the index can
/// share the partition and fall under the pattern's sort condition.
fn prefix_matches_other_entities(schema: &Schema, diagnostics: &mut Diagnostics) {
    for pattern in &schema.patterns {
        let PatternKind::Query { entity, index, .. } = pattern.kind else {
            continue;
        };
        let keys = schema.entities[entity].keys_on(index).expect("validated");
        let prefix = pattern_prefix(keys);
        for (other_index, other) in schema.entities.iter().enumerate() {
            if other_index == entity {
                continue;
            }
            let Some(other_keys) = other.keys_on(index) else {
                continue;
            };
            if can_collide(&keys.partition, &other_keys.partition).is_none() {
                continue;
            }
            let reached = match (&prefix, &other_keys.sort) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(prefix), Some(sort)) => {
                    let constant = keys.sort.as_ref().is_some_and(KeyTemplate::is_constant);
                    // A constant sort key is an equality: same segment count needed.
                    (!constant || sort.segments.len() == prefix.len())
                        && (constant || sort.segments.len() > prefix.len())
                        && prefix
                            .iter()
                            .zip(&sort.segments)
                            .all(|(literal, segment)| match segment {
                                Segment::Literal(l) => l == literal,
                                Segment::Field(_) | Segment::Shard(_) => true,
                            })
                }
            };
            if reached {
                let constant = keys.sort.as_ref().is_some_and(KeyTemplate::is_constant);
                let what = match &prefix {
                    None if schema.indexes[index].multi_attribute.is_some() => {
                        "reads every item with its key values on this multi-attribute index"
                            .to_owned()
                    }
                    None => {
                        "reads the whole partition (its sort key starts with a field)".to_owned()
                    }
                    Some(p) if constant => format!("reads sort key `{}`", p.join("#")),
                    Some(p) => format!("reads sort keys starting with `{}#`", p.join("#")),
                };
                diagnostics.push(
                    Diagnostic::warning(
                        "check::prefix-overlap",
                        format!("pattern `{}` {what}, where `{}` items can be too", pattern.name, other.name),
                        pattern.span.clone(),
                        format!("also reads `{}` items, which are skipped", other.name),
                    )
                    .with_help(if schema.indexes[index].multi_attribute.is_some() {
                        format!(
                            "a multi-attribute key has no literal to tell entities apart: give `{}` an index of its own, or make this a collection",
                            schema.entities[entity].name
                        )
                    } else {
                        format!(
                            "start `{}`'s sort key with a literal no other entity in the partition uses, or make this a collection",
                            schema.entities[entity].name
                        )
                    }),
                );
            }
        }
    }
}

/// A GSI costs storage and a write per item that has its keys; one that no entity
/// writes and no pattern reads is cost without use.
fn unused_index(schema: &Schema, diagnostics: &mut Diagnostics) {
    for (i, index) in schema.indexes.iter().enumerate() {
        if index.is_primary() {
            continue;
        }
        let written = schema.entities.iter().any(|e| e.keys_on(i).is_some());
        let read = schema.patterns.iter().any(|p| match &p.kind {
            PatternKind::Query { index, .. }
            | PatternKind::Collection { index, .. }
            | PatternKind::Scan { index, .. } => *index == i,
            PatternKind::Get { .. } => false,
        });
        if !written || !read {
            let why = if written {
                "no pattern reads it"
            } else {
                "no entity has keys on it"
            };
            diagnostics.push(Diagnostic::warning(
                "check::unused-index",
                format!("index `{}` is unused: {why}", index.name),
                index.span.clone(),
                why,
            ));
        }
    }
}

/// Every item of an entity whose GSI partition template is a constant lands in one
/// partition of the index: it takes every write of that entity and is throttled
/// at a single partition's throughput (1,000 writes/s) however large the table.
fn constant_gsi_partition(schema: &Schema, diagnostics: &mut Diagnostics) {
    for entity in &schema.entities {
        for keys in &entity.keys {
            let index = &schema.indexes[keys.index];
            if index.is_global() && keys.partition.is_constant() {
                diagnostics.push(
                    Diagnostic::warning(
                        "check::hot-partition",
                        format!(
                            "every `{}` item has the same `{}` partition key `{}`",
                            entity.name, index.name, keys.partition.text
                        ),
                        keys.partition.span.clone(),
                        "one hot partition",
                    )
                    .with_help(format!(
                        "shard it: `{{ pk = \"{}#{{shard}}\", sk = .., shards = {{ count = 8, of = [\"<id field>\"] }} }}` spreads the writes over 8 partitions, and the index's patterns query all 8 and merge them in sort order",
                        keys.partition.text
                    )),
                );
            }
        }
    }
}

/// Field names that by convention hold a handful of values: a status, a type, a flag.
/// A GSI partitioned only by such fields puts a large share of the entity's writes in
/// each partition, like a constant does, just split a few ways.
fn is_low_cardinality_name(field: &str) -> bool {
    const NAMES: &[&str] = &[
        "status",
        "state",
        "type",
        "kind",
        "flag",
        "enabled",
        "active",
        "deleted",
        "archived",
        "gender",
        "priority",
        "level",
        "role",
        "visibility",
    ];
    const SUFFIXES: &[&str] = &["_status", "_state", "_type", "_kind", "_flag"];
    const PREFIXES: &[&str] = &["is_", "has_"];
    NAMES.contains(&field)
        || SUFFIXES.iter().any(|s| field.ends_with(s))
        || PREFIXES.iter().any(|p| field.starts_with(p))
}

/// A GSI partition key built only from low-cardinality fields (a status, a type, a
/// boolean) has a few partitions, each taking a large share of the entity's writes:
/// the hot-partition problem of a constant key, divided by the number of values.
fn low_cardinality_gsi_partition(schema: &Schema, diagnostics: &mut Diagnostics) {
    for entity in &schema.entities {
        for keys in &entity.keys {
            let index = &schema.indexes[keys.index];
            let fields: Vec<&str> = keys.partition.fields().map(|f| f.name.as_str()).collect();
            if !index.is_global()
                || keys.partition.shards.is_some()
                || fields.is_empty()
                || !fields.iter().all(|f| is_low_cardinality_name(f))
            {
                continue;
            }
            let names: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
            diagnostics.push(
                Diagnostic::warning(
                    "check::hot-partition",
                    format!(
                        "`{}`'s `{}` partition key `{}` takes only the values of {}, which are few",
                        entity.name,
                        index.name,
                        keys.partition.text,
                        names.join(" and ")
                    ),
                    keys.partition.span.clone(),
                    "low-cardinality partition",
                )
                .with_help(if index.multi_attribute.is_some() {
                    "add a high-cardinality attribute to the partition key (e.g. a `shard` field = hash(id) % N, queried N times), or a time bucket".to_owned()
                } else {
                    format!(
                        "shard it: `{{ pk = \"{}#{{shard}}\", sk = .., shards = {{ count = 8, of = [\"<id field>\"] }} }}` spreads the writes over 8 partitions, and the index's patterns query all 8 and merge them in sort order; or one partition per period with a time bucket, `#{{<timestamp field>|day}}`",
                        keys.partition.text
                    )
                }),
            );
        }
    }
}

/// DynamoDB refuses a table with more than 20 GSIs or 5 LSIs, or more than 100
/// attributes projected (`include`) across all of its secondary indexes.
fn index_limits(schema: &Schema, diagnostics: &mut Diagnostics) {
    const MAX_GSIS: usize = 20;
    const MAX_PROJECTED: usize = 100;
    let gsis: Vec<_> = schema.indexes.iter().filter(|i| i.is_global()).collect();
    if gsis.len() > MAX_GSIS {
        diagnostics.push(Diagnostic::error(
            "check::too-many-indexes",
            format!(
                "{} global secondary indexes; DynamoDB allows {MAX_GSIS}",
                gsis.len()
            ),
            gsis[MAX_GSIS].span.clone(),
            "one too many",
        ));
    }
    const MAX_LSIS: usize = 5;
    let lsis: Vec<_> = schema.indexes.iter().filter(|i| i.is_local()).collect();
    if lsis.len() > MAX_LSIS {
        diagnostics.push(Diagnostic::error(
            "check::too-many-indexes",
            format!(
                "{} local secondary indexes; DynamoDB allows {MAX_LSIS}",
                lsis.len()
            ),
            lsis[MAX_LSIS].span.clone(),
            "one too many",
        ));
    }
    let mut projected = 0;
    for index in schema.indexes.iter().filter(|i| !i.is_primary()) {
        if let Projection::Include(names) = &index.projection {
            projected += names.len();
            if projected > MAX_PROJECTED {
                diagnostics.push(Diagnostic::error(
                    "check::too-many-projected",
                    format!("{projected} attributes projected across indexes; DynamoDB allows {MAX_PROJECTED}"),
                    index.span.clone(),
                    "over the limit here",
                ));
                break;
            }
        }
    }
}

/// A filter is applied after DynamoDB has read (and billed) every item the key
/// condition selects. On a constant partition with no sort key narrowing, the key
/// selects every item of the entity, and the filter does all the work.
fn filter_is_the_only_narrowing(schema: &Schema, diagnostics: &mut Diagnostics) {
    for pattern in &schema.patterns {
        let PatternKind::Query {
            entity,
            index,
            filter: Some(filter),
            ..
        } = &pattern.kind
        else {
            continue;
        };
        let keys = schema.entities[*entity].keys_on(*index).expect("validated");
        // A constant sort key selects one item; any other reads the whole partition
        // unless the caller adds a sort key condition.
        let one_item = keys.sort.as_ref().is_some_and(|s| s.is_constant());
        if keys.partition.is_constant() && !one_item {
            diagnostics.push(
                Diagnostic::warning(
                    "check::filter-only",
                    format!("pattern `{}` narrows only by its filter: every `{}` item is read", pattern.name, schema.entities[*entity].name),
                    pattern.span.clone(),
                    format!("`{}` filters after the read", filter.text),
                )
                .with_help("put what the filter selects into a key template (a GSI whose key holds the filtered field)"),
            );
        }
    }
}

/// Every name the generated code declares comes from the schema or from the
/// generator itself, and two declarations of one name in one scope do not compile
/// (two structs `AB` from patterns `a_b` and `a__b`), or compile and hide one
/// another (a pattern `plan` shadowing `Table::plan` behind `Deref`). The list is
/// the generator's own ([`generate::emitted`](crate::generate::emitted)), so a new
/// generated name is checked as soon as it is emitted. Derived names must also be
/// identifiers at all (a collection `self_` would name its struct `Self`).
/// Runs on error-free schemas only: it asks the generator what it would emit.
fn generated_names_are_distinct(schema: &Schema, diagnostics: &mut Diagnostics) {
    use crate::generate::emitted::{Emitted, Origin};
    use std::collections::BTreeMap;

    let mut seen: BTreeMap<(crate::generate::emitted::Scope, String), Emitted> = BTreeMap::new();
    for emitted in crate::generate::emitted::emitted(schema) {
        if let Origin::Schema { span, what, .. } = &emitted.origin {
            let name = &emitted.name;
            if !crate::schema::template::is_identifier(name)
                || crate::names::PATH_KEYWORDS.contains(&name.as_str())
            {
                diagnostics.push(
                    Diagnostic::error(
                        "check::generated-name",
                        format!("{what} would be called `{name}`, which Rust cannot declare"),
                        span.clone(),
                        "rename this",
                    )
                    .with_help("generated names are made from schema names: choose one that gives an identifier other than `self`, `Self`, `super` or `crate`"),
                );
                continue;
            }
        }
        let key = (emitted.scope.clone(), emitted.name.clone());
        let Some(first) = seen.get(&key) else {
            seen.insert(key, emitted);
            continue;
        };
        let scope = emitted.scope.describe();
        let name = &emitted.name;
        let diagnostic = match (&first.origin, &emitted.origin) {
            (Origin::Fixed(_), Origin::Fixed(_)) => continue,
            (a, b) if a == b => continue,
            (
                Origin::Schema {
                    identity: first_identity,
                    ..
                },
                Origin::Schema { identity, .. },
            ) if first_identity == identity => continue,
            (Origin::Fixed(fixed), Origin::Schema { span, what, .. })
            | (Origin::Schema { span, what, .. }, Origin::Fixed(fixed)) => {
                let code = if emitted.scope == crate::generate::emitted::Scope::TableMethods {
                    "schema::reserved-pattern-name"
                } else {
                    "check::name-clash"
                };
                Diagnostic::error(
                    code,
                    format!("{what} would be `{name}`, already {fixed} (in {scope})"),
                    span.clone(),
                    "reserved name",
                )
                .with_help("choose another name")
            }
            (
                Origin::Schema {
                    span: first_span,
                    what: first_what,
                    ..
                },
                Origin::Schema { span, what, .. },
            ) => {
                // Reported at the one written later, pointing back at the other.
                let ((earlier, earlier_what), (later, later_what)) =
                    if first_span.start <= span.start {
                        ((first_span, first_what), (span, what))
                    } else {
                        ((span, what), (first_span, first_what))
                    };
                Diagnostic::error(
                    "check::name-clash",
                    format!("{later_what} and {earlier_what} would both be `{name}` (in {scope})"),
                    later.clone(),
                    format!("`{name}` again"),
                )
                .also_at(earlier.clone(), format!("`{name}` first"))
                .with_help("rename one of them")
            }
        };
        diagnostics.push(diagnostic);
    }
}

/// Reads and checks the schema file at `path`. The name shown in messages is the
/// path as given.
pub fn load(path: impl AsRef<std::path::Path>) -> Result<crate::schema::Checked, LoadError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|error| LoadError::Io {
        path: path.display().to_string(),
        error,
    })?;
    parse(crate::diagnostics::SourceFile::new(
        path.display().to_string(),
        text,
    ))
    .map_err(LoadError::Invalid)
}

/// Why a schema could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read {path}: {error}")]
    Io {
        /// The path.
        path: String,
        /// The I/O error.
        error: std::io::Error,
    },
    /// The file has errors.
    #[error("{0}")]
    Invalid(Diagnostics),
}

/// Parses and checks a schema's text.
///
/// ```
/// use dynaschema_codegen::diagnostics::SourceFile;
///
/// let source = SourceFile::new("dynaschema.toml", r#"
/// [table]
/// name = "App"
/// partition_key = "pk"
///
/// [entities.User]
/// primary = { pk = "USER#{user_id}" }
///
/// [patterns.get_user]
/// get = "Usr"
/// "#);
/// let errors = dynaschema_codegen::parse(source).unwrap_err();
/// assert_eq!(errors.items()[0].code, "schema::unknown-entity");
/// assert!(errors.to_plain().starts_with("dynaschema.toml:10:7: error:"));
/// ```
pub fn parse(
    source: std::sync::Arc<crate::diagnostics::SourceFile>,
) -> Result<crate::schema::Checked, crate::diagnostics::Diagnostics> {
    let (schema, mut diagnostics) = crate::schema::read(source)?;
    run(&schema, &mut diagnostics);
    diagnostics.sort();
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(crate::schema::Checked {
            schema,
            warnings: diagnostics,
        })
    }
}
