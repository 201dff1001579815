//! Structured random schemas for property tests and fuzzing of the code generator:
//! tables, GSIs and LSIs (synthetic and multi-attribute keys, every projection),
//! entities with templates of literals and placeholders (cased or not), filters, and
//! patterns of every kind, with names drawn from what users really write, Rust
//! keywords, DynamoDB reserved words, the generator's own names, Unicode, very long
//! names, duplicates and near-duplicates (`user_orders` / `user__orders`).
//!
//! [`schema`] is the proptest strategy; [`check_generated`] is the property: the
//! schema gets diagnostics, or its generated module parses and declares every
//! identifier once per scope. [`entity_structs`] writes the structs that a valid
//! schema's entities need, for compiling the generated code for real.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use dynaschema_codegen::diagnostics::SourceFile;
use dynaschema_codegen::schema::Schema;
use proptest::prelude::*;
use proptest::sample::{Index, select};

/// Field names: the ordinary, the DynamoDB reserved words users hit, Rust keywords
/// (raw identifiers), path keywords, the generator's own method and local names.
const FIELDS: &[&str] = &[
    "id",
    "user_id",
    "order_id",
    "created_at",
    "email",
    "sku",
    "region",
    "tenant",
    "name",
    "status",
    "data",
    "type",
    "size",
    "key",
    "count",
    "date",
    "comment",
    "match",
    "ref",
    "move",
    "loop",
    "in",
    "const",
    "async",
    "gen",
    "yield",
    "dyn",
    "self",
    "Self",
    "super",
    "crate",
    "_",
    "__x",
    "_1",
    "A",
    "limit",
    "page",
    "all",
    "stream",
    "query",
    "consistent",
    "reverse",
    "attribute",
    "sort",
    "value",
    "text",
    "low",
    "high",
    "item",
    "result",
    "P",
    "base",
];

/// Fields a `begins_with` filter reads: always text in [`entity_structs`].
const TEXT_FIELDS: &[&str] = &["email", "sku", "name"];

const ENTITIES: &[&str] = &[
    "User",
    "Order",
    "Product",
    "Account",
    "Match",
    "Type",
    "AnyEntity",
    "Table",
    "Self",
    "type",
    "match",
    "A",
    "AB",
    "ABc",
    "Order_",
    "Orders",
    "UserFields",
    "Definition",
    "Query",
    "OrderItem",
    "Order_item",
    "Crate",
    "crate",
];

const PATTERNS: &[&str] = &[
    "get_user",
    "user_orders",
    "user__orders",
    "orders",
    "orders_query",
    "match",
    "ref",
    "type",
    "loop",
    "move",
    "self",
    "self_",
    "super",
    "plan",
    "apply",
    "move_item",
    "new",
    "get",
    "put",
    "update",
    "table",
    "any_entity",
    "definition",
    "with_cursor_key",
    "a_b",
    "a__b",
    "_1",
    "x_query",
    "x",
    "query",
    "by_type",
    "Upper",
    "user_orders_query",
];

const INDEXES: &[&str] = &[
    "gsi1", "GSI1", "gsi_1", "gsi2", "by_type", "type", "match", "abc", "bc_d", "d__", "primary",
    "x", "lsi1", "by-email", "Gsi1",
];

const ATTRIBUTES: &[&str] = &[
    "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "lsi1sk", "pk", "sk", "type", "_et", "_wt", "_sv",
    "status", "region", "round", "tenant", "data", "",
];

const LITERALS: &[&str] = &[
    "USER", "ORDER", "PRODUCT", "A", "AB", "PROFILE", "METADATA", "x", "é", "a b", "{", "}", "",
    "ORDER_", "TYPE", "#",
];

const TABLES: &[&str] = &[
    "App", "Shop", "Match", "Self", "my-table", "Table", "Type", "Ünï", "", "crate", "AppV2",
];

/// A name from `ordinary`, or a hostile one: Unicode, very long, empty.
fn name(ordinary: &'static [&'static str]) -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        16 => select(ordinary).prop_map(str::to_owned),
        1 => "\\PC{1,6}",
        1 => "[a-z_]{1,3}",
        1 => "[a-z]{250,300}",
    ]
}

/// A key template segment.
#[derive(Debug, Clone)]
pub enum GenSegment {
    /// Text written as is.
    Literal(String),
    /// `{field}` or `{field|lower}`.
    Field(String, Option<&'static str>),
}

fn segment() -> impl Strategy<Value = GenSegment> {
    prop_oneof![
        2 => name(LITERALS).prop_map(GenSegment::Literal),
        3 => (name(FIELDS), prop_oneof![8 => Just(None), 1 => Just(Some("lower")), 1 => Just(Some("upper")), 1 => Just(Some("title"))])
            .prop_map(|(f, c)| GenSegment::Field(f, c)),
    ]
}

fn template() -> impl Strategy<Value = Vec<GenSegment>> {
    prop::collection::vec(segment(), 1..4)
}

fn render_template(segments: &[GenSegment]) -> String {
    segments
        .iter()
        .map(|s| match s {
            GenSegment::Literal(l) => l.clone(),
            GenSegment::Field(f, None) => format!("{{{f}}}"),
            GenSegment::Field(f, Some(c)) => format!("{{{f}|{c}}}"),
        })
        .collect::<Vec<_>>()
        .join("#")
}

/// An index declaration.
#[derive(Debug, Clone)]
pub struct GenIndex {
    name: String,
    local: bool,
    partition: Vec<String>,
    sort: Vec<String>,
    /// Multi-attribute key (attributes as a list).
    multi_attribute: bool,
    numbers: Vec<String>,
    projection: u8,
    include: Vec<String>,
}

fn index() -> impl Strategy<Value = GenIndex> {
    (
        name(INDEXES),
        prop::bool::weighted(0.2),
        prop::collection::vec(name(ATTRIBUTES), 1..3),
        prop::collection::vec(name(ATTRIBUTES), 0..3),
        prop::bool::weighted(0.3),
        prop::collection::vec(
            select(&["round", "tenant"][..]).prop_map(str::to_owned),
            0..2,
        ),
        0u8..4,
        prop::collection::vec(name(FIELDS), 0..3),
    )
        .prop_map(
            |(name, local, partition, sort, multi_attribute, numbers, projection, include)| {
                GenIndex {
                    name,
                    local,
                    partition,
                    sort,
                    multi_attribute,
                    numbers,
                    projection,
                    include,
                }
            },
        )
}

/// An entity's templates on one index: `(index, pk, sk)`; a multi-attribute index takes
/// the fields of a list.
#[derive(Debug, Clone)]
pub struct GenKeys {
    index: Index,
    pk: Option<Vec<GenSegment>>,
    sk: Option<Vec<GenSegment>>,
    multi_attribute_pk: Vec<String>,
    multi_attribute_sk: Vec<String>,
}

/// An entity.
#[derive(Debug, Clone)]
pub struct GenEntity {
    name: String,
    primary_pk: Vec<GenSegment>,
    primary_sk: Option<Vec<GenSegment>>,
    keys: Vec<GenKeys>,
    schema_version: Option<u32>,
}

fn entity() -> impl Strategy<Value = GenEntity> {
    let keys = (
        any::<Index>(),
        prop::option::weighted(0.9, template()),
        prop::option::weighted(0.7, template()),
        prop::collection::vec(name(FIELDS), 1..3),
        prop::collection::vec(name(FIELDS), 0..3),
    )
        .prop_map(
            |(index, pk, sk, multi_attribute_pk, multi_attribute_sk)| GenKeys {
                index,
                pk,
                sk,
                multi_attribute_pk,
                multi_attribute_sk,
            },
        );
    (
        name(ENTITIES),
        template(),
        prop::option::weighted(0.9, template()),
        prop::collection::vec(keys, 0..3),
        prop::option::weighted(0.1, 1u32..4),
    )
        .prop_map(
            |(name, primary_pk, primary_sk, keys, schema_version)| GenEntity {
                name,
                primary_pk,
                primary_sk,
                keys,
                schema_version,
            },
        )
}

/// A filter: fields and parameters from the pools.
fn filter() -> impl Strategy<Value = String> {
    let field = name(FIELDS);
    let param = name(FIELDS);
    let comparison = (
        field.clone(),
        select(&["=", "<>", ">", ">=", "<", "<="][..]),
        param.clone(),
    )
        .prop_map(|(f, op, p)| format!("{f} {op} {{{p}}}"));
    let begins = (select(TEXT_FIELDS), param.clone())
        .prop_map(|(f, p)| format!("begins_with({f}, {{{p}}})"));
    let exists = (field.clone(), any::<bool>()).prop_map(|(f, yes)| {
        if yes {
            format!("attribute_exists({f})")
        } else {
            format!("not attribute_exists({f})")
        }
    });
    let between = (field, param.clone(), param)
        .prop_map(|(f, a, b)| format!("{f} between {{{a}}} and {{{b}}}"));
    let atom = prop_oneof![4 => comparison, 1 => begins, 1 => exists, 1 => between];
    prop::collection::vec(atom, 1..3).prop_map(|atoms| atoms.join(" and "))
}

/// What a pattern does, entities and indexes chosen by position.
#[derive(Debug, Clone)]
pub enum GenPatternKind {
    /// `get = ".."`
    Get(Index),
    /// `query = ".."`, optionally on an index, with order, filter and fetch.
    Query(Index, Option<Index>, bool, Option<String>, bool),
    /// `collection = [..]`
    Collection(Vec<Index>, Option<Index>),
    /// `scan = ".."`
    Scan(Index, Option<Index>, u32, Option<String>),
}

/// A pattern.
#[derive(Debug, Clone)]
pub struct GenPattern {
    name: String,
    kind: GenPatternKind,
    description: Option<String>,
}

fn pattern() -> impl Strategy<Value = GenPattern> {
    let kind = prop_oneof![
        2 => any::<Index>().prop_map(GenPatternKind::Get),
        4 => (any::<Index>(), prop::option::of(any::<Index>()), any::<bool>(), prop::option::weighted(0.3, filter()), prop::bool::weighted(0.1))
            .prop_map(|(e, i, desc, f, fetch)| GenPatternKind::Query(e, i, desc, f, fetch)),
        2 => (prop::collection::vec(any::<Index>(), 2..4), prop::option::of(any::<Index>()))
            .prop_map(|(es, i)| GenPatternKind::Collection(es, i)),
        1 => (any::<Index>(), prop::option::of(any::<Index>()), 1u32..5, prop::option::weighted(0.5, filter()))
            .prop_map(|(e, i, s, f)| GenPatternKind::Scan(e, i, s, f)),
    ];
    (
        name(PATTERNS),
        kind,
        prop::option::weighted(0.2, "\\PC{0,40}"),
    )
        .prop_map(|(name, kind, description)| GenPattern {
            name,
            kind,
            description,
        })
}

/// A whole schema.
#[derive(Debug, Clone)]
pub struct GenSchema {
    /// Names and structure made usable at rendering (most schemas then generate
    /// code); otherwise written as drawn (most get diagnostics).
    clean: bool,
    table: String,
    sort_key: bool,
    entity_attribute: Option<String>,
    indexes: Vec<GenIndex>,
    entities: Vec<GenEntity>,
    patterns: Vec<GenPattern>,
}

/// The strategy: a structured schema, rendered with [`GenSchema::toml`].
pub fn schema() -> impl Strategy<Value = GenSchema> {
    (
        prop::bool::weighted(0.6),
        name(TABLES),
        prop::bool::weighted(0.9),
        prop::option::weighted(
            0.4,
            select(&["type", "kind", "_et", "status", "pk", "entity"][..]).prop_map(str::to_owned),
        ),
        prop::collection::vec(index(), 0..4),
        prop::collection::vec(entity(), 1..5),
        prop::collection::vec(pattern(), 0..7),
    )
        .prop_map(
            |(clean, table, sort_key, entity_attribute, indexes, entities, patterns)| GenSchema {
                clean,
                table,
                sort_key,
                entity_attribute,
                indexes,
                entities,
                patterns,
            },
        )
}

/// A TOML basic string (JSON's escapes are TOML's, `\/` aside, which serde_json
/// never writes).
fn q(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

/// `name` if `usable`, else one of `pool`'s usable names chosen by its hash.
fn usable_or(name: &str, pool: &[&str], usable: impl Fn(&str) -> bool) -> String {
    if usable(name) {
        return name.to_owned();
    }
    let candidates: Vec<&str> = pool.iter().copied().filter(|n| usable(n)).collect();
    let hash = name
        .bytes()
        .fold(5381usize, |h, b| h.wrapping_mul(33) ^ usize::from(b));
    candidates[hash % candidates.len()].to_owned()
}

fn usable_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && name != "_"
        && !name.starts_with("__")
        && !dynaschema_codegen::names::PATH_KEYWORDS.contains(&name)
}

/// An entity's keys on one index as written: partition and sort template texts
/// (a multi-attribute key's as `["{a}", "{b}"]` lists).
#[derive(Debug, Clone)]
struct Written {
    index: Option<usize>,
    pk: Option<String>,
    sk: Option<String>,
}

impl GenSchema {
    fn field(&self, name: &str) -> String {
        if self.clean {
            usable_or(name, FIELDS, |n| {
                usable_identifier(n)
                    && !dynaschema_codegen::names::QUERY_BUILDER_METHODS.contains(&n)
            })
        } else {
            name.to_owned()
        }
    }

    fn template(&self, segments: &[GenSegment]) -> String {
        if !self.clean {
            return render_template(segments);
        }
        let mut seen = BTreeSet::new();
        let clean: Vec<GenSegment> = segments
            .iter()
            .filter_map(|s| match s {
                GenSegment::Literal(l) => Some(GenSegment::Literal(usable_or(l, LITERALS, |l| {
                    !l.is_empty() && !l.contains(['#', '{', '}'])
                }))),
                GenSegment::Field(f, case) => {
                    let f = self.field(f);
                    let case = case.filter(|c| *c != "title");
                    seen.insert(f.clone()).then_some(GenSegment::Field(f, case))
                }
            })
            .collect();
        render_template(&clean)
    }

    /// A sort template of `entity`: its own name first, so that no two entities'
    /// keys collide, then the fields drawn.
    fn entity_sort(&self, entity: &str, segments: &[GenSegment]) -> String {
        if !self.clean {
            return render_template(segments);
        }
        let rest = self.template(segments);
        let fields: Vec<&str> = rest.split('#').filter(|s| s.starts_with('{')).collect();
        std::iter::once(entity)
            .chain(fields)
            .collect::<Vec<_>>()
            .join("#")
    }

    /// The indexes as written: distinct names (a repeated TOML table is a syntax
    /// error, not what this tests), and in clean mode usable names and attributes.
    fn indexes(&self) -> Vec<GenIndex> {
        let mut names = BTreeSet::new();
        let mut out = Vec::new();
        for (i, index) in self.indexes.iter().enumerate() {
            let mut index = index.clone();
            if self.clean {
                index.name = usable_or(&index.name, INDEXES, |n| {
                    (3..=255).contains(&n.len()) && usable_identifier(n) && n != "primary"
                });
                if index.local && !self.sort_key {
                    index.local = false;
                }
                if index.multi_attribute {
                    // Attributes of the items' own, "round" always a number.
                    let pool = ["region", "round", "tenant", "sku"];
                    let pick = |names: &[String], n: usize| -> Vec<String> {
                        let mut out: Vec<String> = Vec::new();
                        for (k, name) in names.iter().enumerate() {
                            let a = usable_or(name, &pool, |a| pool.contains(&a));
                            let a = if out.contains(&a) {
                                pool[(k + n) % pool.len()].to_owned()
                            } else {
                                a
                            };
                            if !out.contains(&a) {
                                out.push(a);
                            }
                        }
                        out
                    };
                    index.partition = pick(&index.partition, 0);
                    index.sort = pick(&index.sort, 1)
                        .into_iter()
                        .filter(|a| !index.partition.contains(a))
                        .collect();
                    index.numbers = vec!["round".into()];
                } else {
                    index.partition = vec![format!("g{i}pk")];
                    index.sort = index
                        .sort
                        .first()
                        .map(|_| format!("g{i}sk"))
                        .into_iter()
                        .collect();
                    if index.local {
                        index.sort = vec![format!("l{i}sk")];
                    }
                }
                index.include = index
                    .include
                    .iter()
                    .map(|n| usable_or(n, FIELDS, usable_identifier))
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
            }
            if names.insert(index.name.clone()) {
                out.push(index);
            }
        }
        out
    }

    /// The entities to write: distinct names.
    fn entities(&self) -> Vec<GenEntity> {
        let mut names = BTreeSet::new();
        let mut out = Vec::new();
        for entity in &self.entities {
            let mut entity = entity.clone();
            if self.clean {
                entity.name = usable_or(&entity.name, ENTITIES, usable_identifier);
            }
            if names.insert(entity.name.clone()) {
                out.push(entity);
            }
        }
        out
    }

    /// Each entity's keys as written, primary first.
    fn keys(&self, entity: &GenEntity, indexes: &[GenIndex]) -> Vec<Written> {
        // Most entities share a partition in clean mode, so collections are possible.
        let shared = ["USER#{user_id}", "TENANT#{tenant}"];
        let pk = |segments: &[GenSegment]| -> String {
            if self.clean && !segments.len().is_multiple_of(3) {
                shared[segments.len() % 2].to_owned()
            } else {
                self.template(segments)
            }
        };
        let mut out = vec![Written {
            index: None,
            pk: Some(pk(&entity.primary_pk)),
            sk: match (&entity.primary_sk, self.clean) {
                (Some(sk), true) if self.sort_key => Some(self.entity_sort(&entity.name, sk)),
                (None, true) if self.sort_key => Some(entity.name.clone()),
                (_, true) => None,
                (sk, false) => sk.as_ref().map(|sk| render_template(sk)),
            },
        }];
        let mut seen = BTreeSet::new();
        for keys in &entity.keys {
            let Some(position) = self.pick(indexes, &keys.index) else {
                continue;
            };
            if !seen.insert(position) {
                continue;
            }
            let index = &indexes[position];
            let mut written = Written {
                index: Some(position),
                pk: None,
                sk: None,
            };
            if index.multi_attribute {
                let list = |fields: &[String], attributes: &[String]| -> Option<String> {
                    let fields: Vec<String> = if self.clean {
                        attributes
                            .iter()
                            .enumerate()
                            .map(|(k, a)| match fields.get(k) {
                                // A field under the attribute's own name, or another.
                                Some(f) if k % 2 == 1 => self.field(f),
                                _ => a.clone(),
                            })
                            .collect()
                    } else {
                        fields.to_vec()
                    };
                    (!fields.is_empty()).then(|| {
                        let list: Vec<String> =
                            fields.iter().map(|f| q(&format!("{{{f}}}"))).collect();
                        format!("[{}]", list.join(", "))
                    })
                };
                written.pk = list(&keys.multi_attribute_pk, &index.partition);
                written.sk = list(&keys.multi_attribute_sk, &index.sort);
                if self.clean && written.sk.is_none() && !index.sort.is_empty() {
                    continue;
                }
            } else if self.clean {
                if !index.local {
                    written.pk = Some(match &keys.pk {
                        Some(pk) => self.template(pk),
                        None => shared[0].to_owned(),
                    });
                }
                if !index.sort.is_empty() {
                    written.sk =
                        Some(self.entity_sort(&entity.name, keys.sk.as_deref().unwrap_or(&[])));
                }
            } else {
                if !index.local {
                    written.pk = keys.pk.as_ref().map(|pk| render_template(pk));
                }
                written.sk = keys.sk.as_ref().map(|sk| render_template(sk));
            }
            out.push(written);
        }
        out
    }

    /// The schema file.
    pub fn toml(&self) -> String {
        let indexes = self.indexes();
        let entities = self.entities();
        let keys: Vec<Vec<Written>> = entities.iter().map(|e| self.keys(e, &indexes)).collect();
        let mut out = String::new();
        let table = if self.clean {
            usable_or(&self.table, TABLES, |t| {
                matches!(t, "App" | "Shop" | "Table" | "Type" | "my-table" | "AppV2")
            })
        } else {
            self.table.clone()
        };
        let _ = writeln!(out, "[table]\nname = {}\npartition_key = \"pk\"", q(&table));
        if self.sort_key {
            out.push_str("sort_key = \"sk\"\n");
        }
        if let Some(attribute) = &self.entity_attribute {
            let attribute = if self.clean {
                usable_or(attribute, &["type", "kind", "_et", "entity"], |a| {
                    matches!(a, "type" | "kind" | "_et" | "entity")
                })
            } else {
                attribute.clone()
            };
            let _ = writeln!(out, "entity_attribute = {}", q(&attribute));
        }
        for index in &indexes {
            let _ = writeln!(out, "\n[indexes.{}]", q(&index.name));
            let list = |names: &[String]| names.iter().map(|n| q(n)).collect::<Vec<_>>().join(", ");
            if index.local {
                out.push_str("kind = \"local\"\n");
                let sk = index
                    .sort
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "lsi1sk".into());
                let _ = writeln!(out, "sort_key = {}", q(&sk));
            } else if index.multi_attribute {
                let _ = writeln!(out, "partition_key = [{}]", list(&index.partition));
                if !index.sort.is_empty() {
                    let _ = writeln!(out, "sort_key = [{}]", list(&index.sort));
                }
                let numbers: Vec<String> = index
                    .numbers
                    .iter()
                    .filter(|n| index.partition.contains(n) || index.sort.contains(n))
                    .map(|n| format!("{} = \"number\"", q(n)))
                    .collect();
                if !numbers.is_empty() {
                    let _ = writeln!(out, "attribute_types = {{ {} }}", numbers.join(", "));
                }
            } else {
                let _ = writeln!(out, "partition_key = {}", q(&index.partition[0]));
                if let Some(sk) = index.sort.first() {
                    let _ = writeln!(out, "sort_key = {}", q(sk));
                }
            }
            match index.projection {
                0 => {}
                1 => out.push_str("projection = \"keys_only\"\n"),
                2 => {
                    let _ = writeln!(
                        out,
                        "projection = {{ include = [{}] }}",
                        list(&index.include)
                    );
                }
                _ => out.push_str("projection = \"all\"\n"),
            }
        }
        for (entity, written) in entities.iter().zip(&keys) {
            let _ = writeln!(out, "\n[entities.{}]", q(&entity.name));
            if let Some(version) = entity.schema_version {
                let _ = writeln!(out, "schema_version = {version}");
            }
            for w in written {
                let mut pair = Vec::new();
                let text = |t: &String| if t.starts_with('[') { t.clone() } else { q(t) };
                if let Some(pk) = &w.pk {
                    pair.push(format!("pk = {}", text(pk)));
                }
                if let Some(sk) = &w.sk {
                    pair.push(format!("sk = {}", text(sk)));
                }
                let name = w
                    .index
                    .map_or("primary".to_owned(), |i| indexes[i].name.clone());
                let _ = writeln!(out, "{} = {{ {} }}", q(&name), pair.join(", "));
            }
        }
        let all_projected =
            |i: Option<usize>| i.is_none_or(|i| matches!(indexes[i].projection, 0 | 3));
        let mut names = BTreeSet::new();
        for pattern in &self.patterns {
            let name = if self.clean {
                usable_or(&pattern.name, PATTERNS, |n| {
                    usable_identifier(n)
                        && !n.chars().any(|c| c.is_ascii_uppercase())
                        && !dynaschema_codegen::names::RUNTIME_TABLE_METHODS.contains(&n)
                        && !matches!(n, "self_" | "_1")
                })
            } else {
                pattern.name.clone()
            };
            if !names.insert(name.clone()) {
                continue;
            }
            let mut body = String::new();
            let entity_at = |i: &Index| i.index(entities.len());
            // Clean mode: an index the entity is on (or the primary key).
            let index_of = |e: usize, i: &Option<Index>| -> Option<usize> {
                if self.clean {
                    let on: Vec<Option<usize>> = keys[e].iter().map(|w| w.index).collect();
                    i.as_ref().and_then(|i| on[i.index(on.len())])
                } else {
                    i.as_ref().and_then(|i| self.pick(&indexes, i))
                }
            };
            let index_line = |i: Option<usize>| match i {
                Some(i) => format!("index = {}\n", q(&indexes[i].name)),
                None => String::new(),
            };
            match &pattern.kind {
                GenPatternKind::Get(e) => {
                    let _ = writeln!(body, "get = {}", q(&entities[entity_at(e)].name));
                }
                GenPatternKind::Query(e, i, descending, filter, fetch) => {
                    let e = entity_at(e);
                    let index = index_of(e, i);
                    let _ = write!(
                        body,
                        "query = {}\n{}",
                        q(&entities[e].name),
                        index_line(index)
                    );
                    if *descending {
                        body.push_str("order = \"descending\"\n");
                    }
                    let all = all_projected(index);
                    if let Some(filter) = filter.as_ref().filter(|_| !self.clean || all) {
                        let _ = writeln!(body, "filter = {}", q(&self.filter(filter)));
                    }
                    let include = self.clean && index.is_some_and(|i| indexes[i].projection == 2);
                    if (*fetch || include) && (!self.clean || !all) {
                        body.push_str("fetch = \"items\"\n");
                    }
                }
                GenPatternKind::Collection(es, i) => {
                    let first = entity_at(&es[0]);
                    let index = if self.clean {
                        None
                    } else {
                        i.as_ref().and_then(|i| self.pick(&indexes, i))
                    };
                    let members: Vec<usize> = if self.clean {
                        // Members that share the first one's primary partition.
                        let mut members = vec![first];
                        for (k, written) in keys.iter().enumerate() {
                            if k != first
                                && written[0].pk == keys[first][0].pk
                                && members.len() < es.len()
                            {
                                members.push(k);
                            }
                        }
                        members
                    } else {
                        es.iter().map(entity_at).collect()
                    };
                    if self.clean && members.len() < 2 {
                        continue;
                    }
                    let list: Vec<String> = members.iter().map(|&m| q(&entities[m].name)).collect();
                    let _ = write!(
                        body,
                        "collection = [{}]\n{}",
                        list.join(", "),
                        index_line(index)
                    );
                }
                GenPatternKind::Scan(e, i, segments, filter) => {
                    let e = entity_at(e);
                    let index = index_of(e, i).filter(|i| !self.clean || all_projected(Some(*i)));
                    let _ = write!(
                        body,
                        "scan = {}\n{}segments = {segments}\n",
                        q(&entities[e].name),
                        index_line(index)
                    );
                    if let Some(filter) = filter {
                        let _ = writeln!(body, "filter = {}", q(&self.filter(filter)));
                    }
                }
            }
            let _ = writeln!(out, "\n[patterns.{}]\n{body}", q(&name));
            if let Some(description) = &pattern.description {
                let _ = writeln!(out, "description = {}", q(description));
            }
        }
        out
    }

    /// A filter; in clean mode its words and parameters made usable.
    fn filter(&self, filter: &str) -> String {
        if !self.clean {
            return filter.to_owned();
        }
        let mut out = String::new();
        let mut rest = filter;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
            let param = rest.get(open + 1..close).unwrap_or("");
            let _ = write!(out, "{{{}}}", self.field(param));
            rest = rest.get(close + 1..).unwrap_or("");
        }
        out.push_str(rest);
        out.split(' ')
            .map(|word| {
                let bare = word.trim_matches(|c| c == '(' || c == ')' || c == ',');
                let keep = bare.is_empty()
                    || bare.starts_with('{')
                    || matches!(
                        bare,
                        "and" | "not" | "between" | "=" | "<>" | ">" | ">=" | "<" | "<="
                    )
                    || bare.starts_with("begins_with")
                    || bare.starts_with("attribute_exists");
                if keep || usable_identifier(bare) {
                    word.to_owned()
                } else {
                    word.replace(bare, &self.field(bare))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// One in four selections picks no index (the primary key); the rest one of
    /// the declared ones.
    fn pick(&self, indexes: &[GenIndex], i: &Index) -> Option<usize> {
        if indexes.is_empty() {
            return None;
        }
        let n = i.index(indexes.len() * 4 / 3 + 1);
        (n < indexes.len()).then_some(n)
    }
}

/// What went wrong with a schema's generated code.
#[derive(Debug)]
pub enum Failure {
    /// The generated module is not Rust.
    DoesNotParse(String),
    /// One identifier declared twice in one scope.
    Duplicate(String),
    /// A pattern method hides a method of `dynaschema::Table` behind `Deref`.
    Shadows(String),
}

/// The property: `toml` gets diagnostics (`Ok(None)`), or its generated module
/// parses as Rust and declares each identifier once per scope (`Ok(Some(schema))`).
/// Parsing or generating must not panic (the caller's harness catches a panic).
pub fn check_generated(toml: &str) -> Result<Option<Schema>, Failure> {
    let Ok(checked) = dynaschema_codegen::parse(SourceFile::new("fuzz.toml", toml)) else {
        return Ok(None);
    };
    let options = dynaschema_codegen::generate::Options::default();
    let source = dynaschema_codegen::generate::module_source(&checked.schema, &options);
    let file =
        syn::parse_file(&source).map_err(|e| Failure::DoesNotParse(format!("{e}\n{source}")))?;
    distinct_identifiers(&file)?;
    Ok(Some(checked.schema))
}

fn insert(set: &mut BTreeSet<String>, scope: &str, ident: &syn::Ident) -> Result<(), Failure> {
    use syn::ext::IdentExt as _;
    let name = ident.unraw().to_string();
    if set.insert(name.clone()) {
        Ok(())
    } else {
        Err(Failure::Duplicate(format!("`{name}` twice in {scope}")))
    }
}

/// Every scope of the generated module: its items (types and values apart), each
/// struct's fields, each enum's variants, each type's methods over all its `impl`
/// blocks, each function's parameters.
fn distinct_identifiers(file: &syn::File) -> Result<(), Failure> {
    let mut types = BTreeSet::new();
    let mut values = BTreeSet::new();
    let mut methods: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in &file.items {
        match item {
            syn::Item::Struct(s) => {
                insert(&mut types, "the module", &s.ident)?;
                let mut fields = BTreeSet::new();
                for field in &s.fields {
                    if let Some(ident) = &field.ident {
                        insert(&mut fields, &format!("struct {}", s.ident), ident)?;
                    }
                }
            }
            syn::Item::Enum(e) => {
                insert(&mut types, "the module", &e.ident)?;
                let mut variants = BTreeSet::new();
                for variant in &e.variants {
                    insert(&mut variants, &format!("enum {}", e.ident), &variant.ident)?;
                }
            }
            syn::Item::Type(t) => insert(&mut types, "the module", &t.ident)?,
            syn::Item::Static(s) => insert(&mut values, "the module", &s.ident)?,
            syn::Item::Const(c) => insert(&mut values, "the module", &c.ident)?,
            syn::Item::Fn(f) => insert(&mut values, "the module", &f.sig.ident)?,
            syn::Item::Impl(block) if block.trait_.is_none() => {
                let self_ty = quote::ToTokens::to_token_stream(&block.self_ty).to_string();
                let set = methods.entry(self_ty.clone()).or_default();
                for item in &block.items {
                    let syn::ImplItem::Fn(f) = item else { continue };
                    insert(set, &format!("impl {self_ty}"), &f.sig.ident)?;
                    let mut params = BTreeSet::new();
                    for input in &f.sig.inputs {
                        if let syn::FnArg::Typed(arg) = input
                            && let syn::Pat::Ident(p) = &*arg.pat
                        {
                            insert(&mut params, &format!("fn {}", f.sig.ident), &p.ident)?;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(table) = methods.get("Table") {
        let own = dynaschema_codegen::names::TABLE_METHODS;
        for name in dynaschema_codegen::names::RUNTIME_TABLE_METHODS {
            if table.contains(*name) && !own.contains(name) {
                return Err(Failure::Shadows(name.to_string()));
            }
        }
    }
    Ok(())
}

/// The entity structs a valid schema needs, with `#[derive(Entity)]` reading
/// `schema_path`: every field its templates and filters name, as `String`, or
/// `u32` where it fills a number attribute of a multi-attribute key. A field whose
/// name is an attribute dynaschema writes is stored under another name. `None`
/// when no Rust types fit (a cased placeholder on a number attribute).
pub fn entity_structs(schema: &Schema, schema_path: &str) -> Option<String> {
    use dynaschema_codegen::schema::{PatternKind, ScalarType};
    let mut out = String::new();
    for entity in &schema.entities {
        let mut fields: BTreeMap<String, &str> = BTreeMap::new();
        let mut cased = BTreeSet::new();
        let mut reserved: BTreeSet<String> = [
            schema.table.entity_attribute.clone(),
            schema.table.schema_version_attribute.clone(),
            dynaschema_codegen::names::WRITE_TOKEN_ATTRIBUTE.to_owned(),
        ]
        .into();
        let mut own = BTreeSet::new();
        for keys in &entity.keys {
            let index = &schema.indexes[keys.index];
            reserved.extend(
                index
                    .key_attributes()
                    .into_iter()
                    .map(|a| a.name.into_owned()),
            );
            let attributes: Vec<_> = index
                .multi_attribute
                .iter()
                .flat_map(|n| n.partition.iter().chain(&n.sort))
                .collect();
            for (position, field) in keys.templates().flat_map(|t| t.fields()).enumerate() {
                let attribute = attributes
                    .get(position)
                    .filter(|_| index.multi_attribute.is_some());
                if let Some(attribute) = attribute
                    && attribute.name == field.name
                {
                    own.insert(field.name.clone());
                }
                let number = attribute.is_some_and(|a| a.kind == ScalarType::Number);
                let ty = if number { "u32" } else { "String" };
                if fields
                    .insert(field.name.clone(), ty)
                    .is_some_and(|t| t != ty)
                {
                    return None;
                }
                if field.case.is_some() {
                    cased.insert(field.name.clone());
                }
            }
        }
        for pattern in &schema.patterns {
            let (PatternKind::Query {
                entity: e,
                filter: Some(filter),
                ..
            }
            | PatternKind::Scan {
                entity: e,
                filter: Some(filter),
                ..
            }) = &pattern.kind
            else {
                continue;
            };
            if schema.entities[*e].name == entity.name {
                for field in &filter.fields {
                    fields.entry(field.name.clone()).or_insert("String");
                }
            }
        }
        if cased.iter().any(|f| fields.get(f) == Some(&"u32")) {
            return None;
        }
        let ident = |name: &str| {
            if dynaschema_codegen::names::is_keyword(name) {
                format!("r#{name}")
            } else {
                name.to_owned()
            }
        };
        let _ = writeln!(
            out,
            "#[derive(dynaschema::Entity, Clone, Debug, PartialEq)]\n#[entity(schema = {})]\npub struct {} {{",
            q(schema_path),
            ident(&entity.name)
        );
        for (field, ty) in &fields {
            if reserved.contains(field) && !own.contains(field) {
                let _ = writeln!(out, "    #[entity(rename = {})]", q(&format!("f_{field}")));
            }
            let _ = writeln!(out, "    pub {}: {ty},", ident(field));
        }
        out.push_str("}\n\n");
    }
    Some(out)
}
