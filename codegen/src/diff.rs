//! What changed between two versions of a schema, and what each change asks of the
//! data already in the table.
//!
//! A schema changes for years; the items written under the old one stay. Every
//! difference is one of five [`ChangeClass`]es, from harmless to impossible in place:
//!
//! | class | meaning | carried out by |
//! |---|---|---|
//! | [`Compatible`](ChangeClass::Compatible) | nothing stored needs to change | `apply` (table options, new indexes no entity fills) or nothing |
//! | [`NeedsBackfill`](ChangeClass::NeedsBackfill) | items must get (or lose) derived index attributes | `apply`, then a migration |
//! | [`NeedsRekey`](ChangeClass::NeedsRekey) | items must move to a new primary key | a migration |
//! | [`NeedsUpgrade`](ChangeClass::NeedsUpgrade) | items of an older `schema_version` must be upgraded | upgrade on read, or a migration |
//! | [`Breaking`](ChangeClass::Breaking) | cannot be made to existing items in place | a new table, or a hand-written migration |
//!
//! What the schema does not declare (the struct's non-key fields and their types) is
//! outside this comparison: a new non-`Option` field is the application's concern.
//!
//! ```
//! use dynaschema_codegen::diagnostics::SourceFile;
//! use dynaschema_codegen::diff::{ChangeClass, diff};
//!
//! let old = dynaschema_codegen::parse(SourceFile::new("old.toml", r#"
//! [table]
//! name = "App"
//! partition_key = "pk"
//! sort_key = "sk"
//! [indexes.gsi1]
//! partition_key = "gsi1pk"
//! sort_key = "gsi1sk"
//! [entities.User]
//! primary = { pk = "USER#{user_id}", sk = "PROFILE" }
//! gsi1 = { pk = "TEAM#{team}", sk = "USER#{user_id}" }
//! [patterns.get_user]
//! get = "User"
//! [patterns.team]
//! query = "User"
//! index = "gsi1"
//! "#)).unwrap();
//! let new_text = old.schema.source.text.replace("TEAM#{team}", "TEAM#{team|lower}");
//! let new = dynaschema_codegen::parse(SourceFile::new("new.toml", new_text)).unwrap();
//! let changes = diff(&old.schema, &new.schema);
//! assert_eq!(changes.len(), 1);
//! assert_eq!(changes[0].class, ChangeClass::NeedsBackfill);
//! assert_eq!(changes[0].entities, ["User"]);
//! ```

use crate::diagnostics::Span;
use crate::schema::{Entity, EntityKeys, Index, Schema};

/// How much a change asks of the items already stored; ordered from harmless to
/// impossible in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeClass {
    /// Nothing stored needs to change.
    Compatible,
    /// Items must get, or lose, derived index key attributes.
    NeedsBackfill,
    /// Items must move to a new primary key.
    NeedsRekey,
    /// Items stored under an older `schema_version` must be upgraded.
    NeedsUpgrade,
    /// Cannot be made to existing items in place.
    Breaking,
}

impl ChangeClass {
    /// Every class, harmless first.
    pub const ALL: [ChangeClass; 5] = [
        ChangeClass::Compatible,
        ChangeClass::NeedsBackfill,
        ChangeClass::NeedsRekey,
        ChangeClass::NeedsUpgrade,
        ChangeClass::Breaking,
    ];

    /// The class's name in output and on the command line: `needs-backfill`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeClass::Compatible => "compatible",
            ChangeClass::NeedsBackfill => "needs-backfill",
            ChangeClass::NeedsRekey => "needs-rekey",
            ChangeClass::NeedsUpgrade => "needs-upgrade",
            ChangeClass::Breaking => "breaking",
        }
    }
}

impl std::fmt::Display for ChangeClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One difference between two schemas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaChange {
    /// What it asks of the stored items.
    pub class: ChangeClass,
    /// A stable identifier of the kind of change, e.g. `diff::index-template-changed`.
    pub code: &'static str,
    /// What changed, in one sentence.
    pub message: String,
    /// What carries it out.
    pub action: String,
    /// Where it is in the old schema, if it is there.
    pub old_span: Option<Span>,
    /// Where it is in the new schema, if it is there.
    pub new_span: Option<Span>,
    /// The entities whose items it concerns.
    pub entities: Vec<String>,
    /// The attributes that must be written (or removed), for a backfill.
    pub attributes: Vec<String>,
}

struct Differ<'a> {
    old: &'a Schema,
    new: &'a Schema,
    out: Vec<SchemaChange>,
}

/// Every difference between `old` and `new` that concerns the table or its items,
/// in the order of the new file (then what only the old one has).
pub fn diff(old: &Schema, new: &Schema) -> Vec<SchemaChange> {
    let mut d = Differ {
        old,
        new,
        out: Vec::new(),
    };
    d.table();
    d.indexes();
    d.entities();
    d.patterns();
    d.out.sort_by_key(|c| {
        (
            c.new_span.as_ref().map_or(usize::MAX, |s| s.start),
            c.old_span.as_ref().map_or(usize::MAX, |s| s.start),
        )
    });
    d.out
}

/// The highest class among `changes`, if there are any.
pub fn highest(changes: &[SchemaChange]) -> Option<ChangeClass> {
    changes.iter().map(|c| c.class).max()
}

impl Differ<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        class: ChangeClass,
        code: &'static str,
        message: String,
        action: impl Into<String>,
        old_span: Option<Span>,
        new_span: Option<Span>,
        entities: Vec<String>,
        attributes: Vec<String>,
    ) {
        self.out.push(SchemaChange {
            class,
            code,
            message,
            action: action.into(),
            old_span,
            new_span,
            entities,
            attributes,
        });
    }

    fn table(&mut self) {
        let (old, new) = (&self.old.table, &self.new.table);
        let (old_primary, new_primary) = (self.old.primary(), self.new.primary());
        if old_primary.partition_key != new_primary.partition_key
            || old_primary.sort_key != new_primary.sort_key
        {
            self.push(
                ChangeClass::Breaking,
                "diff::table-key",
                format!(
                    "the table's key changed from {} to {}",
                    key_text(old_primary),
                    key_text(new_primary)
                ),
                "a table's key attributes cannot change: create a new table and copy the items",
                Some(old.span.clone()),
                Some(new.span.clone()),
                Vec::new(),
                Vec::new(),
            );
        }
        if old.entity_attribute != new.entity_attribute {
            self.push(
                ChangeClass::Breaking,
                "diff::entity-attribute",
                format!(
                    "the entity attribute changed from `{}` to `{}`",
                    old.entity_attribute, new.entity_attribute
                ),
                "every stored item names its entity in the old attribute: rewrite every item, or keep the name",
                Some(old.span.clone()),
                Some(new.span.clone()),
                self.old.entities.iter().map(|e| e.name.clone()).collect(),
                vec![new.entity_attribute.clone()],
            );
        }
        if old.schema_version_attribute != new.schema_version_attribute {
            self.push(
                ChangeClass::Breaking,
                "diff::schema-version-attribute",
                format!(
                    "the schema version attribute changed from `{}` to `{}`",
                    old.schema_version_attribute, new.schema_version_attribute
                ),
                "stored versions are in the old attribute: rewrite every versioned item, or keep the name",
                Some(old.span.clone()),
                Some(new.span.clone()),
                Vec::new(),
                Vec::new(),
            );
        }
        if old.options != new.options {
            self.push(
                ChangeClass::Compatible,
                "diff::table-options",
                "table options changed (TTL, stream, point-in-time recovery, billing, deletion protection, class, tags or replicas)".into(),
                "`dynaschema apply` changes them (TTL, PITR, stream, deletion protection); the others through CloudFormation or Terraform",
                Some(old.span.clone()),
                Some(new.span.clone()),
                Vec::new(),
                Vec::new(),
            );
        }
    }

    fn indexes(&mut self) {
        for new in self.new.indexes.iter().filter(|i| !i.is_primary()) {
            let old = self.old.indexes.iter().find(|i| i.name == new.name);
            let local = new.is_local();
            match old {
                None if local => self.push(
                    ChangeClass::Breaking,
                    "diff::local-index-added",
                    format!("local index `{}` added", new.name),
                    "local indexes exist only from table creation: a new table",
                    None,
                    Some(new.span.clone()),
                    Vec::new(),
                    Vec::new(),
                ),
                None => {
                    let (entities, attributes) = self.derived_on(self.new, new);
                    let (class, action) = if entities.is_empty() {
                        (ChangeClass::Compatible, "`dynaschema apply` adds it".to_owned())
                    } else {
                        (
                            ChangeClass::NeedsBackfill,
                            format!(
                                "`dynaschema apply` adds it; items of {} written before have no {}: patterns on `{}` miss them until a migration writes them",
                                list(&entities),
                                list(&attributes),
                                new.name
                            ),
                        )
                    };
                    self.push(
                        class,
                        "diff::index-added",
                        format!("global index `{}` added", new.name),
                        action,
                        None,
                        Some(new.span.clone()),
                        entities,
                        attributes,
                    );
                }
                Some(old) if old.key_attributes() != new.key_attributes() || old.secondary != new.secondary => {
                    let (class, action) = if local || old.is_local() {
                        (ChangeClass::Breaking, "a local index cannot change: a new table".to_owned())
                    } else {
                        (
                            ChangeClass::NeedsBackfill,
                            "`dynaschema apply --allow-destructive` replaces the index; items need the new attributes written (migrate)".to_owned(),
                        )
                    };
                    let (entities, attributes) = self.derived_on(self.new, new);
                    self.push(
                        class,
                        "diff::index-key",
                        format!("the key of index `{}` changed", new.name),
                        action,
                        Some(old.span.clone()),
                        Some(new.span.clone()),
                        entities,
                        attributes,
                    );
                }
                Some(old) if old.projection != new.projection => self.push(
                    if local { ChangeClass::Breaking } else { ChangeClass::Compatible },
                    "diff::index-projection",
                    format!("the projection of index `{}` changed", new.name),
                    if local {
                        "a local index cannot change: a new table"
                    } else {
                        "`dynaschema apply --allow-destructive` replaces the index; DynamoDB fills it from the items"
                    },
                    Some(old.span.clone()),
                    Some(new.span.clone()),
                    Vec::new(),
                    Vec::new(),
                ),
                Some(_) => {}
            }
        }
        for old in self.old.indexes.iter().filter(|i| !i.is_primary()) {
            if self.new.indexes.iter().any(|i| i.name == old.name) {
                continue;
            }
            let local = old.is_local();
            self.push(
                if local { ChangeClass::Breaking } else { ChangeClass::Compatible },
                "diff::index-removed",
                format!("{} index `{}` removed", if local { "local" } else { "global" }, old.name),
                if local {
                    "a local index cannot be removed: a new table"
                } else {
                    "`dynaschema apply --allow-destructive` deletes it; its attributes stay on the items, unread"
                },
                Some(old.span.clone()),
                None,
                Vec::new(),
                Vec::new(),
            );
        }
    }

    /// The entities of `schema` that fill `index` with derived attributes (written
    /// by dynaschema, so absent from items written before), and those attributes.
    fn derived_on(&self, schema: &Schema, index: &Index) -> (Vec<String>, Vec<String>) {
        let position = schema.indexes.iter().position(|i| i.name == index.name);
        let mut entities = Vec::new();
        let mut attributes = Vec::new();
        for entity in &schema.entities {
            let Some(keys) = position.and_then(|p| entity.keys_on(p)) else {
                continue;
            };
            let derived = derived_attributes(index, keys);
            if !derived.is_empty() {
                entities.push(entity.name.clone());
                for a in derived {
                    if !attributes.contains(&a) {
                        attributes.push(a);
                    }
                }
            }
        }
        (entities, attributes)
    }

    fn entities(&mut self) {
        for new in &self.new.entities {
            let Some(old) = self.old.entities.iter().find(|e| e.name == new.name) else {
                self.push(
                    ChangeClass::Compatible,
                    "diff::entity-added",
                    format!("entity `{}` added", new.name),
                    "nothing stored changes",
                    None,
                    Some(new.span.clone()),
                    vec![new.name.clone()],
                    Vec::new(),
                );
                continue;
            };
            self.entity(old, new);
        }
        for old in &self.old.entities {
            if !self.new.entities.iter().any(|e| e.name == old.name) {
                self.push(
                    ChangeClass::Breaking,
                    "diff::entity-removed",
                    format!("entity `{}` removed (or renamed)", old.name),
                    "its stored items would name an entity the schema no longer has: delete or rewrite them, or keep the entity",
                    Some(old.span.clone()),
                    None,
                    vec![old.name.clone()],
                    Vec::new(),
                );
            }
        }
    }

    fn entity(&mut self, old: &Entity, new: &Entity) {
        let name = &new.name;
        let (old_primary, new_primary) = (old.primary(), new.primary());
        if templates_text(old_primary) != templates_text(new_primary) {
            let window = match &new.previous_primary {
                Some(previous) if templates_text(previous) == templates_text(old_primary) => {
                    "; until it has, gets fall back to `previous_primary` and writes move the item first".to_owned()
                }
                Some(previous) => format!(
                    "; `previous_primary` is {}, not the old primary {}: reads of items not yet moved will miss them",
                    templates_text(previous),
                    templates_text(old_primary)
                ),
                None => format!(
                    "; until it has, gets miss items not yet moved: declare `previous_primary = {}` to keep them readable",
                    inline_keys(old_primary)
                ),
            };
            self.push(
                ChangeClass::NeedsRekey,
                "diff::primary-template",
                format!(
                    "`{name}`'s primary key changed from {} to {}",
                    templates_text(old_primary),
                    templates_text(new_primary)
                ),
                format!("every item moves to its new key (migrate: put at the new key and delete the old one in one transaction){window}"),
                Some(old_primary.span.clone()),
                Some(new_primary.span.clone()),
                vec![name.clone()],
                key_text(self.new.primary()).split(" / ").map(str::to_owned).collect(),
            );
        }
        for new_keys in new.keys.iter().filter(|k| k.index != 0) {
            let index = &self.new.indexes[new_keys.index];
            let old_keys = self
                .old
                .indexes
                .iter()
                .position(|i| i.name == index.name)
                .and_then(|p| old.keys_on(p));
            // A new index is reported (with its entities) by `indexes`.
            let index_is_new = !self.old.indexes.iter().any(|i| i.name == index.name);
            if index_is_new {
                continue;
            }
            let derived = derived_attributes(index, new_keys);
            match old_keys {
                None => self.push(
                    if derived.is_empty() {
                        ChangeClass::Compatible
                    } else {
                        ChangeClass::NeedsBackfill
                    },
                    "diff::index-template-added",
                    format!("`{name}` now has a template for index `{}`", index.name),
                    if derived.is_empty() {
                        "nothing to write: DynamoDB indexes the items' own attributes".to_owned()
                    } else {
                        format!(
                            "items written before have no {}: a migration writes them",
                            list(&derived)
                        )
                    },
                    None,
                    Some(new_keys.span.clone()),
                    vec![name.clone()],
                    derived,
                ),
                Some(old_keys) if templates_text(old_keys) != templates_text(new_keys) => self
                    .push(
                        if derived.is_empty() {
                            ChangeClass::Compatible
                        } else {
                            ChangeClass::NeedsBackfill
                        },
                        "diff::index-template-changed",
                        format!(
                            "`{name}`'s template for index `{}` changed from {} to {}",
                            index.name,
                            templates_text(old_keys),
                            templates_text(new_keys)
                        ),
                        format!(
                            "items written before hold the old {}: a migration rewrites them",
                            list(&derived)
                        ),
                        Some(old_keys.span.clone()),
                        Some(new_keys.span.clone()),
                        vec![name.clone()],
                        derived,
                    ),
                Some(_) => {}
            }
        }
        for old_keys in old.keys.iter().filter(|k| k.index != 0) {
            let index = &self.old.indexes[old_keys.index];
            let still = self
                .new
                .indexes
                .iter()
                .position(|i| i.name == index.name)
                .and_then(|p| new.keys_on(p));
            let index_kept = self.new.indexes.iter().any(|i| i.name == index.name);
            if still.is_none() && index_kept {
                let derived = derived_attributes(index, old_keys);
                self.push(
                    if derived.is_empty() { ChangeClass::Compatible } else { ChangeClass::NeedsBackfill },
                    "diff::index-template-removed",
                    format!("`{name}` no longer has a template for index `{}`", index.name),
                    format!("items written before still carry {} and stay in the index: a migration removes them", list(&derived)),
                    Some(old_keys.span.clone()),
                    Some(new.span.clone()),
                    vec![name.clone()],
                    derived,
                );
            }
        }
        match (old.schema_version, new.schema_version) {
            (a, b) if a == b => {}
            (a, b) if b.unwrap_or(0) > a.unwrap_or(0) => self.push(
                ChangeClass::NeedsUpgrade,
                "diff::schema-version",
                format!(
                    "`{name}`'s schema_version rose from {} to {}",
                    a.unwrap_or(0),
                    b.unwrap_or(0)
                ),
                "items stored at the older version are upgraded on read, or rewritten by a migration",
                Some(old.span.clone()),
                Some(new.span.clone()),
                vec![name.clone()],
                vec![self.new.table.schema_version_attribute.clone()],
            ),
            (a, b) => self.push(
                ChangeClass::Breaking,
                "diff::schema-version",
                format!(
                    "`{name}`'s schema_version fell from {} to {}",
                    a.unwrap_or(0),
                    b.unwrap_or(0)
                ),
                "stored items would be newer than the code: raise the version instead",
                Some(old.span.clone()),
                Some(new.span.clone()),
                vec![name.clone()],
                Vec::new(),
            ),
        }
    }

    fn patterns(&mut self) {
        for new in &self.new.patterns {
            if !self.old.patterns.iter().any(|p| p.name == new.name) {
                self.push(
                    ChangeClass::Compatible,
                    "diff::pattern-added",
                    format!("pattern `{}` added", new.name),
                    "nothing stored changes",
                    None,
                    Some(new.span.clone()),
                    Vec::new(),
                    Vec::new(),
                );
            }
        }
        for old in &self.old.patterns {
            if !self.new.patterns.iter().any(|p| p.name == old.name) {
                self.push(
                    ChangeClass::Compatible,
                    "diff::pattern-removed",
                    format!("pattern `{}` removed", old.name),
                    "nothing stored changes; callers of its method stop compiling",
                    Some(old.span.clone()),
                    None,
                    Vec::new(),
                    Vec::new(),
                );
            }
        }
    }
}

/// The entities of `schema` whose items must get derived attributes when index
/// `index` is added to a table that already holds items, and those attributes
/// (what `dynaschema apply` reports after adding an index). Empty when no entity
/// fills it, or it fills it with the items' own attributes.
///
/// ```
/// # use dynaschema_codegen::{diagnostics::SourceFile, schema};
/// let checked = dynaschema_codegen::parse(SourceFile::new("s.toml", r#"
/// [table]
/// name = "App"
/// partition_key = "pk"
/// sort_key = "sk"
/// [indexes.gsi2]
/// partition_key = "gsi2pk"
/// sort_key = "gsi2sk"
/// [entities.User]
/// primary = { pk = "USER#{user_id}", sk = "PROFILE" }
/// gsi2 = { pk = "EMAIL#{email}", sk = "USER" }
/// [patterns.by_email]
/// query = "User"
/// index = "gsi2"
/// "#)).unwrap();
/// let (entities, attributes) = dynaschema_codegen::diff::backfill_for_index(&checked.schema, "gsi2");
/// assert_eq!(entities, ["User"]);
/// assert_eq!(attributes, ["gsi2pk", "gsi2sk"]);
/// ```
pub fn backfill_for_index(schema: &Schema, index: &str) -> (Vec<String>, Vec<String>) {
    let Some(index) = schema.indexes.iter().find(|i| i.name == index) else {
        return (Vec::new(), Vec::new());
    };
    let d = Differ {
        old: schema,
        new: schema,
        out: Vec::new(),
    };
    d.derived_on(schema, index)
}

/// The attributes an entity's keys on `index` are written to by dynaschema (not
/// the entity's own fields): every synthetic key attribute, and each attribute of a
/// multi-attribute key that another field fills (a copy).
fn derived_attributes(index: &Index, keys: &EntityKeys) -> Vec<String> {
    let (partition, sort) = index.key_parts();
    match &index.multi_attribute {
        None => {
            let mut out = Vec::new();
            if !index.is_local() {
                out.extend(partition.iter().map(|a| a.name.to_string()));
            }
            if keys.sort.is_some() {
                out.extend(sort.iter().map(|a| a.name.to_string()));
            }
            out
        }
        Some(key) => key
            .partition
            .iter()
            .chain(&key.sort)
            .zip(keys.templates().flat_map(|t| t.fields()))
            .filter(|(attribute, field)| attribute.name != field.name)
            .map(|(attribute, _)| attribute.name.to_string())
            .collect(),
    }
}

/// The templates as a change names them, with a sharded key's shards (a changed
/// count moves every item to another partition: a re-key of the index).
fn templates_text(keys: &EntityKeys) -> String {
    let text = match &keys.sort {
        Some(sk) if !keys.partition.text.is_empty() => {
            format!("`{}` / `{}`", keys.partition.text, sk.text)
        }
        Some(sk) => format!("`{}`", sk.text),
        None => format!("`{}`", keys.partition.text),
    };
    match &keys.partition.shards {
        Some(shards) => {
            let of: Vec<String> = shards
                .of
                .iter()
                .map(|s| format!("`{}`", s.field.name))
                .collect();
            format!("{text} ({} shards of {})", shards.count, of.join(", "))
        }
        None => text,
    }
}

/// `{ pk = "..", sk = ".." }`, as the schema file writes it.
fn inline_keys(keys: &EntityKeys) -> String {
    match &keys.sort {
        Some(sk) => format!("{{ pk = {:?}, sk = {:?} }}", keys.partition.text, sk.text),
        None => format!("{{ pk = {:?} }}", keys.partition.text),
    }
}

fn key_text(index: &Index) -> String {
    match &index.sort_key {
        Some(sk) => format!("{} / {sk}", index.partition_key),
        None => index.partition_key.clone(),
    }
}

fn list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
