//! Raw schema to validated model. Every problem is recorded and lowering goes on, so
//! one run reports every mistake in the file.

use toml::Spanned;

use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::schema::model::*;
use crate::schema::raw::*;
use crate::schema::template::{KeyTemplate, Segment, is_identifier, name_problem};

/// Lowers `raw`; problems go to `diagnostics`. Returns the model even when there are
/// errors (with the bad parts left out), so later checks can still run.
pub fn lower(raw: RawSchema, diagnostics: &mut Diagnostics) -> Schema {
    let source = diagnostics.source().clone();
    let mut cx = Lowering {
        text: &source.text,
        diagnostics,
    };
    let table = cx.table(&raw.table);
    let indexes = cx.indexes(&raw.table, &raw.indexes);
    let entities = cx.entities(&raw.entities, &indexes);
    let declared: Vec<&str> = raw.entities.keys().map(String::as_str).collect();
    let patterns = cx.patterns(&raw.patterns, &entities, &declared, &indexes);
    Schema {
        source: source.clone(),
        table,
        indexes,
        entities,
        patterns,
    }
}

/// An index's key as written: one attribute, or a list.
enum KeySpec {
    One(Spanned<String>),
    Many(Vec<Spanned<String>>, Span),
}

struct Lowering<'a> {
    text: &'a str,
    diagnostics: &'a mut Diagnostics,
}

impl Lowering<'_> {
    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The byte where a TOML string's content starts, when its span maps one to one
    /// onto the value (no escapes).
    fn content_start(&self, s: &Spanned<String>) -> Option<usize> {
        let span = s.span();
        let written = self.text.get(span.clone())?;
        let inner = written.get(1..written.len().checked_sub(1)?)?;
        (inner == s.get_ref()).then_some(span.start + 1)
    }

    fn attribute_name(&mut self, what: &str, name: &Spanned<String>) {
        let len = name.get_ref().len();
        if len == 0 || len > 255 {
            self.error(Diagnostic::error(
                "schema::attribute-name",
                format!("{what} must be 1 to 255 bytes long"),
                name.span(),
                format!("{len} bytes"),
            ));
        }
    }

    fn table(&mut self, raw: &Spanned<RawTable>) -> Table {
        let t = raw.get_ref();
        let name = t.name.get_ref();
        let module = crate::names::snake_case(name);
        if crate::names::is_keyword(&module) {
            // `include_schema!(r#match)` would look for `r#match.rs`: no raw module.
            self.error(
                Diagnostic::error(
                    "schema::keyword-name",
                    format!(
                        "the table name `{name}` would name the Rust module `{module}`, a keyword"
                    ),
                    t.name.span(),
                    "the generated module is this name in snake_case",
                )
                .with_help(format!("choose another name, e.g. `{name}Table`")),
            );
        } else if module.is_empty() || !is_identifier(&module) {
            self.error(
                Diagnostic::error(
                    "schema::table-name",
                    format!("the table name `{name}` cannot name a Rust module"),
                    t.name.span(),
                    "the generated module is this name in snake_case",
                )
                .with_help(
                    "use letters, digits and underscores, starting with a letter, e.g. `App`",
                ),
            );
        }
        self.attribute_name("the partition key attribute", &t.partition_key);
        if let Some(sk) = &t.sort_key {
            self.attribute_name("the sort key attribute", sk);
        }
        let entity_attribute = match &t.entity_attribute {
            Some(attr) => {
                self.attribute_name("the entity attribute", attr);
                attr.get_ref().clone()
            }
            None => "_et".to_owned(),
        };
        let options = self.table_options(t, &entity_attribute);
        let schema_version_attribute = match &t.schema_version_attribute {
            Some(attr) => {
                self.attribute_name("the schema version attribute", attr);
                let keys = [Some(&t.partition_key), t.sort_key.as_ref()];
                if keys.iter().flatten().any(|k| k.get_ref() == attr.get_ref())
                    || attr.get_ref() == &entity_attribute
                {
                    self.error(Diagnostic::error(
                        "schema::schema-version-attribute",
                        format!(
                            "`{}` is a key or the entity attribute already",
                            attr.get_ref()
                        ),
                        attr.span(),
                        "choose another attribute",
                    ));
                }
                attr.get_ref().clone()
            }
            None => "_sv".to_owned(),
        };
        Table {
            name: name.clone(),
            entity_attribute,
            schema_version_attribute,
            options,
            span: raw.span(),
        }
    }

    fn table_options(&mut self, t: &RawTable, entity_attribute: &str) -> TableOptions {
        if let Some(ttl) = &t.ttl_attribute {
            self.attribute_name("the TTL attribute", ttl);
            let keys = [Some(&t.partition_key), t.sort_key.as_ref()];
            if keys.iter().flatten().any(|k| k.get_ref() == ttl.get_ref())
                || ttl.get_ref() == entity_attribute
            {
                self.error(Diagnostic::error(
                    "schema::ttl-attribute",
                    format!(
                        "`{}` is a key or the entity attribute, so it cannot be the TTL attribute",
                        ttl.get_ref()
                    ),
                    ttl.span(),
                    "every item has it: all would expire",
                ));
            }
        }
        let empty = Default::default();
        let (tags, tags_span) = match &t.tags {
            Some(tags) => (tags.get_ref(), tags.span()),
            None => (&empty, 0..0),
        };
        if tags.len() > 50 {
            self.error(Diagnostic::error(
                "schema::tags",
                format!("{} tags; DynamoDB allows 50 per table", tags.len()),
                tags_span.clone(),
                "too many tags",
            ));
        }
        for (key, value) in tags {
            let bad_key = key.is_empty() || key.chars().count() > 128 || key.starts_with("aws:");
            if bad_key || value.chars().count() > 256 {
                self.error(Diagnostic::error(
                    "schema::tags",
                    format!("tag `{key}` is not allowed: keys are 1 to 128 characters and do not start with `aws:`; values at most 256"),
                    tags_span.clone(),
                    "bad tag",
                ));
            }
        }
        for region in &t.replicas {
            let r = region.get_ref();
            let parts: Vec<&str> = r.split('-').collect();
            let valid = parts.len() >= 3
                && parts[..parts.len() - 1]
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
                && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
                && !parts[parts.len() - 1].is_empty();
            if !valid {
                self.error(
                    Diagnostic::error(
                        "schema::replica-region",
                        format!("`{r}` is not an AWS region name"),
                        region.span(),
                        "not a region",
                    )
                    .with_help("write a region such as `eu-west-1` or `us-east-2`"),
                );
            }
        }
        let billing = match t.billing.as_ref().map(|b| (*b.get_ref(), b.span())) {
            None | Some((RawBilling::OnDemand(_), _)) => Billing::OnDemand,
            Some((RawBilling::Provisioned(capacity), span)) => {
                self.capacity(capacity, span);
                Billing::Provisioned(capacity)
            }
        };
        TableOptions {
            ttl_attribute: t.ttl_attribute.as_ref().map(|a| a.get_ref().clone()),
            stream: t.stream,
            point_in_time_recovery: t.point_in_time_recovery,
            billing,
            deletion_protection: t.deletion_protection,
            table_class: t.table_class.unwrap_or(TableClass::Standard),
            tags: tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            replicas: t.replicas.iter().map(|r| r.get_ref().clone()).collect(),
        }
    }

    fn capacity(&mut self, capacity: Capacity, span: Span) {
        if capacity.read == 0 || capacity.write == 0 {
            self.error(Diagnostic::error(
                "schema::capacity",
                "provisioned capacity must be at least 1 read and 1 write unit",
                span,
                "zero capacity",
            ));
        }
    }

    fn indexes(
        &mut self,
        table: &Spanned<RawTable>,
        raw: &std::collections::BTreeMap<String, Spanned<RawIndex>>,
    ) -> Vec<Index> {
        let t = table.get_ref();
        let mut indexes = vec![Index {
            name: PRIMARY.to_owned(),
            kind: IndexKind::Primary,
            partition_key: t.partition_key.get_ref().clone(),
            sort_key: t.sort_key.as_ref().map(|s| s.get_ref().clone()),
            native: None,
            projection: Projection::All,
            capacity: None,
            span: table.span(),
        }];
        let provisioned = matches!(
            t.billing.as_ref().map(|b| *b.get_ref()),
            Some(RawBilling::Provisioned(_))
        );
        for (name, index) in raw {
            let span = index.span();
            if name == PRIMARY {
                self.error(Diagnostic::error(
                    "schema::reserved-index-name",
                    "`primary` is the table's own key and cannot name an index",
                    span.clone(),
                    "reserved name",
                ));
                continue;
            }
            let valid_name = (3..=255).contains(&name.len())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if !valid_name || !is_identifier(name) {
                self.error(
                    Diagnostic::error(
                        "schema::index-name",
                        format!("`{name}` is not a usable index name"),
                        span.clone(),
                        "bad index name",
                    )
                    .with_help(
                        "DynamoDB allows 3 to 255 characters of a-z, A-Z, 0-9, `_`, `-`, `.`; \
                         dynaschema also needs a Rust identifier (letters, digits, `_`)",
                    ),
                );
            }
            let i = index.get_ref();
            let local = i.kind == Some(RawIndexKind::Local);
            let pk_spec = i.partition_key.as_ref().and_then(|v| self.key_spec(v));
            let sk_spec = i.sort_key.as_ref().and_then(|v| self.key_spec(v));
            if i.partition_key.is_some() != pk_spec.is_some()
                || i.sort_key.is_some() != sk_spec.is_some()
            {
                continue;
            }
            let native = match (&pk_spec, &sk_spec) {
                (Some(KeySpec::Many(..)), _) if local => {
                    self.error(Diagnostic::error(
                        "schema::key-attributes",
                        format!("local index `{name}` cannot have a multi-attribute key"),
                        span.clone(),
                        "multi-attribute keys are for global indexes",
                    ));
                    continue;
                }
                (Some(KeySpec::Many(partition, _)), sort) => {
                    let sort = match sort {
                        None => Vec::new(),
                        Some(KeySpec::One(one)) => vec![one.clone()],
                        Some(KeySpec::Many(many, _)) => many.clone(),
                    };
                    match self.native_key(
                        name,
                        partition,
                        &sort,
                        i.attribute_types.as_ref(),
                        span.clone(),
                    ) {
                        Some(native) => Some(native),
                        None => continue,
                    }
                }
                (_, Some(KeySpec::Many(_, sk_span))) => {
                    self.error(
                        Diagnostic::error(
                            "schema::key-attributes",
                            format!("index `{name}` has a list of sort key attributes but one partition key attribute"),
                            sk_span.clone(),
                            "a multi-attribute sort key",
                        )
                        .with_help("write the partition key as a list too, e.g. `partition_key = [\"tenant_id\"]`: its attributes then hold the entities' own values"),
                    );
                    continue;
                }
                _ => {
                    if let Some(types) = &i.attribute_types {
                        self.error(Diagnostic::error(
                            "schema::attribute-types",
                            format!(
                                "index `{name}` has a template key: its attributes are strings"
                            ),
                            types.span(),
                            "`attribute_types` is for multi-attribute keys",
                        ));
                    }
                    None
                }
            };
            let pk_one = match &pk_spec {
                Some(KeySpec::One(one)) => Some(one.clone()),
                Some(KeySpec::Many(many, _)) => Some(many[0].clone()),
                None => None,
            };
            let sk_one = match &sk_spec {
                Some(KeySpec::One(one)) => Some(one.clone()),
                Some(KeySpec::Many(many, _)) => Some(many[0].clone()),
                None => None,
            };
            let partition_key = match (&pk_one, local) {
                (Some(pk), false) => {
                    if native.is_none() {
                        self.attribute_name("the index partition key attribute", pk);
                    }
                    pk.get_ref().clone()
                }
                (None, true) => t.partition_key.get_ref().clone(),
                (Some(pk), true) if pk.get_ref() == t.partition_key.get_ref() => {
                    pk.get_ref().clone()
                }
                (Some(pk), true) => {
                    self.error(Diagnostic::error(
                        "schema::local-index-partition",
                        format!(
                            "local index `{name}` has the table's partition key, `{}`",
                            t.partition_key.get_ref()
                        ),
                        pk.span(),
                        "omit `partition_key` on a local index",
                    ));
                    continue;
                }
                (None, false) => {
                    self.error(
                        Diagnostic::error(
                            "schema::missing-partition-key",
                            format!("index `{name}` has no `partition_key`"),
                            span.clone(),
                            "a global index needs its own partition key attribute",
                        )
                        .with_help("add `partition_key = \"...\"`, or `kind = \"local\"` for a local index"),
                    );
                    continue;
                }
            };
            if let (Some(sk), None) = (&sk_one, &native) {
                self.attribute_name("the index sort key attribute", sk);
            }
            if local {
                let problem = if t.sort_key.is_none() {
                    Some("a local index needs a table with a sort key")
                } else if sk_one.is_none() {
                    Some("a local index needs a `sort_key`: it is what it adds to the table")
                } else if i.capacity.is_some() {
                    Some("a local index has no capacity of its own: it uses the table's")
                } else {
                    None
                };
                if let Some(problem) = problem {
                    self.error(Diagnostic::error(
                        "schema::local-index",
                        format!("local index `{name}`: {problem}"),
                        span.clone(),
                        problem,
                    ));
                    continue;
                }
            }
            let projection = match &i.projection {
                None => Projection::All,
                Some(p) => self.projection(p),
            };
            let capacity = match (&i.capacity, provisioned && !local) {
                (Some(capacity), true) => {
                    self.capacity(*capacity.get_ref(), capacity.span());
                    Some(*capacity.get_ref())
                }
                (None, false) => None,
                (Some(capacity), false) => {
                    self.error(Diagnostic::error(
                        "schema::capacity",
                        format!(
                            "index `{name}` has a capacity, but the table is billed per request"
                        ),
                        capacity.span(),
                        "remove this, or give the table `billing = { read = .., write = .. }`",
                    ));
                    None
                }
                (None, true) => {
                    self.error(
                        Diagnostic::error(
                            "schema::capacity",
                            format!(
                                "index `{name}` needs a capacity: the table has provisioned billing"
                            ),
                            span.clone(),
                            "no capacity",
                        )
                        .with_help("add `capacity = { read = 5, write = 5 }`"),
                    );
                    None
                }
            };
            indexes.push(Index {
                name: name.clone(),
                kind: if local {
                    IndexKind::Local
                } else {
                    IndexKind::Global
                },
                partition_key,
                sort_key: sk_one.as_ref().map(|s| s.get_ref().clone()),
                native,
                projection,
                capacity,
                span,
            });
        }
        indexes
    }

    /// An index's `partition_key` or `sort_key`: one attribute name, or a list of
    /// 1 to 4 (a multi-attribute key).
    fn key_spec(&mut self, raw: &Spanned<toml::Value>) -> Option<KeySpec> {
        let span = raw.span();
        match raw.get_ref() {
            toml::Value::String(s) => Some(KeySpec::One(Spanned::new(span, s.clone()))),
            toml::Value::Array(items)
                if (1..=4).contains(&items.len()) && items.iter().all(toml::Value::is_str) =>
            {
                let names = items
                    .iter()
                    .filter_map(|v| v.as_str())
                    .map(|s| Spanned::new(span.clone(), s.to_owned()))
                    .collect();
                Some(KeySpec::Many(names, span))
            }
            _ => {
                self.error(
                    Diagnostic::error(
                        "schema::key-attributes",
                        "a key is one attribute name or a list of 1 to 4 attribute names",
                        span,
                        "not a key",
                    )
                    .with_help(r#"write `"gsi1pk"` (a template key) or `["tenant_id", "region"]` (a multi-attribute key)"#),
                );
                None
            }
        }
    }

    /// The typed attributes of a multi-attribute key.
    fn native_key(
        &mut self,
        index: &str,
        partition: &[Spanned<String>],
        sort: &[Spanned<String>],
        types: Option<&Spanned<std::collections::BTreeMap<String, ScalarKind>>>,
        span: Span,
    ) -> Option<NativeKey> {
        let mut ok = true;
        let mut seen = std::collections::BTreeSet::new();
        for name in partition.iter().chain(sort) {
            self.attribute_name("a key attribute", name);
            if !seen.insert(name.get_ref().as_str()) {
                self.error(Diagnostic::error(
                    "schema::key-attributes",
                    format!(
                        "index `{index}` names `{}` twice in its key",
                        name.get_ref()
                    ),
                    name.span(),
                    "each key attribute once",
                ));
                ok = false;
            }
        }
        if sort.len() > 4 {
            self.error(Diagnostic::error(
                "schema::key-attributes",
                format!(
                    "index `{index}` has {} sort key attributes; DynamoDB allows 4",
                    sort.len()
                ),
                span,
                "too many attributes",
            ));
            ok = false;
        }
        let empty = Default::default();
        let types_map = types.map_or(&empty, |t| t.get_ref());
        for name in types_map.keys() {
            if !seen.contains(name.as_str()) {
                self.error(
                    Diagnostic::error(
                        "schema::attribute-types",
                        format!("`{name}` is not a key attribute of index `{index}`"),
                        types.map(|t| t.span()).unwrap_or_default(),
                        "unknown key attribute",
                    )
                    .suggest(name, seen.iter().copied()),
                );
                ok = false;
            }
        }
        let attribute = |name: &Spanned<String>| KeyAttribute {
            name: name.get_ref().clone(),
            kind: types_map
                .get(name.get_ref())
                .copied()
                .unwrap_or(ScalarKind::String),
        };
        ok.then(|| NativeKey {
            partition: partition.iter().map(attribute).collect(),
            sort: sort.iter().map(attribute).collect(),
        })
    }

    fn projection(&mut self, raw: &Spanned<toml::Value>) -> Projection {
        match raw.get_ref() {
            toml::Value::String(s) if s == "all" => Projection::All,
            toml::Value::String(s) if s == "keys_only" => Projection::KeysOnly,
            toml::Value::Table(t) if t.len() == 1 && t.contains_key("include") => {
                match t["include"].as_array() {
                    Some(names) if names.iter().all(toml::Value::is_str) => Projection::Include(
                        names
                            .iter()
                            .filter_map(|n| n.as_str().map(str::to_owned))
                            .collect(),
                    ),
                    _ => {
                        self.bad_projection(raw.span());
                        Projection::All
                    }
                }
            }
            _ => {
                self.bad_projection(raw.span());
                Projection::All
            }
        }
    }

    fn bad_projection(&mut self, span: Span) {
        self.error(
            Diagnostic::error(
                "schema::projection",
                "unknown projection",
                span,
                "not a projection",
            )
            .with_help(r#"write `"all"`, `"keys_only"` or `{ include = ["attribute", ...] }`"#),
        );
    }

    fn template(&mut self, raw: &Spanned<String>) -> Option<KeyTemplate> {
        match KeyTemplate::parse(raw.get_ref(), raw.span(), self.content_start(raw)) {
            Ok(t) => Some(t),
            Err(errors) => {
                errors.into_iter().for_each(|e| self.error(e));
                None
            }
        }
    }

    /// An entity's `pk` or `sk` on one index: a template, or on a multi-attribute
    /// index one `"{field}"` per key attribute (kept as a template of field segments).
    fn entity_key(
        &mut self,
        entity: &str,
        index: &str,
        raw: &Spanned<toml::Value>,
        native: Option<&[KeyAttribute]>,
    ) -> Option<KeyTemplate> {
        let span = raw.span();
        match (raw.get_ref(), native) {
            (toml::Value::String(text), None) => self.template(&Spanned::new(span, text.clone())),
            (toml::Value::String(text), Some([_])) => {
                self.native_template(entity, index, &[text.as_str()], span)
            }
            (toml::Value::Array(items), Some(attributes))
                if items.len() == attributes.len() && items.iter().all(toml::Value::is_str) =>
            {
                let texts: Vec<&str> = items.iter().filter_map(toml::Value::as_str).collect();
                self.native_template(entity, index, &texts, span)
            }
            (_, None) => {
                self.error(Diagnostic::error(
                    "schema::key-attributes",
                    format!(
                        "`{index}` has a template key: entity `{entity}` gives one template string"
                    ),
                    span,
                    "expected a template such as \"USER#{user_id}\"",
                ));
                None
            }
            (_, Some(attributes)) => {
                let names: Vec<String> = attributes
                    .iter()
                    .map(|a| format!("\"{{{}}}\"", a.name))
                    .collect();
                self.error(
                    Diagnostic::error(
                        "schema::key-attributes",
                        format!(
                            "`{index}` has a multi-attribute key of {} attribute(s): entity `{entity}` gives one `\"{{field}}\"` for each",
                            attributes.len()
                        ),
                        span,
                        "not one field per key attribute",
                    )
                    .with_help(format!("e.g. `[{}]`", names.join(", "))),
                );
                None
            }
        }
    }

    /// The fields filling a multi-attribute key, as a template of field segments.
    fn native_template(
        &mut self,
        entity: &str,
        index: &str,
        texts: &[&str],
        span: Span,
    ) -> Option<KeyTemplate> {
        let mut segments = Vec::new();
        for text in texts {
            let field = KeyTemplate::parse(text, span.clone(), None)
                .ok()
                .and_then(|t| match &t.segments[..] {
                    [Segment::Field(f)] if f.case.is_none() => Some(f.clone()),
                    _ => None,
                });
            match field {
                Some(field) => segments.push(Segment::Field(field)),
                None => {
                    self.error(
                        Diagnostic::error(
                            "schema::native-key-field",
                            format!("`{text}`: each attribute of `{index}`'s multi-attribute key holds one field of `{entity}` as it is"),
                            span.clone(),
                            "expected one `{field}`",
                        )
                        .with_help("write `\"{field}\"`: no literal text, no casing (the value is stored with its own type)"),
                    );
                    return None;
                }
            }
        }
        Some(KeyTemplate {
            text: format!("[{}]", texts.join(", ")),
            segments,
            span,
        })
    }

    /// One entity's templates on one index, checked against the index's shape.
    fn entity_keys(
        &mut self,
        name: &str,
        index_name: &str,
        index: usize,
        pair: &Spanned<RawKeys>,
        indexes: &[Index],
    ) -> Option<EntityKeys> {
        let p = pair.get_ref();
        let local = indexes[index].kind == IndexKind::Local;
        let native = indexes[index].native.as_ref();
        let partition = match (&p.pk, local) {
            (Some(pk), false) => {
                self.entity_key(name, index_name, pk, native.map(|n| &n.partition[..]))
            }
            // Filled in from the primary template below.
            (None, true) => Some(KeyTemplate {
                text: String::new(),
                segments: Vec::new(),
                span: pair.span(),
            }),
            (Some(pk), true) => {
                self.error(Diagnostic::error(
                    "schema::local-index-partition",
                    format!(
                        "`{index_name}` is a local index: its partition is the entity's primary one"
                    ),
                    pk.span(),
                    "omit `pk` on a local index",
                ));
                None
            }
            (None, false) => {
                self.error(Diagnostic::error(
                    "schema::missing-partition-template",
                    format!("entity `{name}` needs a `pk` template on `{index_name}`"),
                    pair.span(),
                    "add `pk = \"...\"`",
                ));
                None
            }
        };
        let sort = match (&p.sk, &indexes[index].sort_key) {
            (Some(sk), Some(_)) => {
                self.entity_key(name, index_name, sk, native.map(|n| &n.sort[..]))
            }
            (None, None) => None,
            (Some(sk), None) => {
                self.error(Diagnostic::error(
                    "schema::sort-key-without-attribute",
                    format!("index `{index_name}` has no sort key, so `sk` cannot be given"),
                    sk.span(),
                    "remove this, or declare a sort key for the index",
                ));
                None
            }
            (None, Some(attr)) => {
                self.error(Diagnostic::error(
                    "schema::missing-sort-key",
                    format!("index `{index_name}` has a sort key (`{attr}`), so `sk` is required"),
                    pair.span(),
                    "add `sk = \"...\"`",
                ));
                None
            }
        };
        let partition = partition?;
        (sort.is_some() || indexes[index].sort_key.is_none()).then(|| EntityKeys {
            index,
            partition,
            sort,
            span: pair.span(),
        })
    }

    /// `previous_primary`: the primary templates items had before a re-key. A get
    /// by the new key builds the previous one from the same arguments, so it may use
    /// only fields of the new templates.
    fn previous_primary(
        &mut self,
        name: &str,
        pair: &Spanned<RawKeys>,
        primary: &EntityKeys,
        indexes: &[Index],
    ) -> Option<EntityKeys> {
        let previous = self.entity_keys(name, PRIMARY, 0, pair, indexes)?;
        let fields: std::collections::BTreeSet<&str> = primary
            .templates()
            .flat_map(|t| t.fields())
            .map(|f| f.name.as_str())
            .collect();
        let mut ok = true;
        for template in previous.templates() {
            for field in template.fields() {
                if !fields.contains(field.name.as_str()) {
                    ok = false;
                    self.error(
                        Diagnostic::error(
                            "schema::previous-primary-field",
                            format!(
                                "the previous primary template of `{name}` uses `{{{}}}`, which its primary template does not",
                                field.name
                            ),
                            template.span.clone(),
                            "not a field of the primary template",
                        )
                        .with_help(
                            "a read by the new key builds the previous key from the same fields: \
                             the previous templates may use only fields of the primary ones",
                        ),
                    );
                }
            }
        }
        let same = previous.partition.text == primary.partition.text
            && previous.sort.as_ref().map(|t| &t.text) == primary.sort.as_ref().map(|t| &t.text);
        if same {
            self.error(
                Diagnostic::error(
                    "schema::previous-primary-unchanged",
                    format!("the previous primary template of `{name}` is its primary template"),
                    pair.span(),
                    "the same templates",
                )
                .with_help(
                    "`previous_primary` is for a re-key: the templates before the change. \
                     Remove it once `verify` reports every item moved",
                ),
            );
            ok = false;
        }
        ok.then_some(previous)
    }

    fn entities(
        &mut self,
        raw: &std::collections::BTreeMap<String, Spanned<RawEntity>>,
        indexes: &[Index],
    ) -> Vec<Entity> {
        let mut entities = Vec::new();
        for (name, entity) in raw {
            let span = entity.span();
            if !is_identifier(name) {
                self.error(Diagnostic::error(
                    "schema::entity-name",
                    format!("the entity name `{name}` is not a Rust identifier"),
                    span.clone(),
                    "names the struct and the discriminator value",
                ));
            } else if let Some(problem) = name_problem(name, "entity", span.clone()) {
                self.error(problem);
            }
            let e = entity.get_ref();
            let mut keys = Vec::new();
            for (index_name, pair) in &e.keys {
                let Some(index) = indexes.iter().position(|i| &i.name == index_name) else {
                    self.error(
                        Diagnostic::error(
                            "schema::unknown-index",
                            format!("entity `{name}` has a template for `{index_name}`, which is not an index"),
                            pair.span(),
                            "unknown index",
                        )
                        .suggest(index_name, indexes.iter().map(|i| i.name.as_str())),
                    );
                    continue;
                };
                keys.extend(self.entity_keys(name, index_name, index, pair, indexes));
            }
            keys.sort_by_key(|k| k.index);
            if let Some(primary) = keys
                .first()
                .filter(|k| k.index == 0)
                .map(|k| k.partition.clone())
            {
                for k in keys
                    .iter_mut()
                    .filter(|k| indexes[k.index].kind == IndexKind::Local)
                {
                    k.partition = primary.clone();
                }
            }
            let has_primary = e.keys.iter().any(|(index, _)| index == PRIMARY);
            if !has_primary {
                self.error(
                    Diagnostic::error(
                        "schema::missing-primary",
                        format!("entity `{name}` has no primary key template"),
                        span.clone(),
                        "every entity needs `primary = { pk = \"...\" }`",
                    )
                    .with_help(format!(
                        "add e.g. `primary = {{ pk = \"{}#{{id}}\", sk = \"...\" }}`",
                        name.to_uppercase()
                    )),
                );
            }
            // Keep the entity only when its primary key lowered: generators rely on it.
            if keys.first().is_some_and(|k| k.index == 0) {
                let schema_version = match &e.schema_version {
                    None => None,
                    Some(v) => match u32::try_from(*v.get_ref()) {
                        Ok(v) if v >= 1 => Some(v),
                        _ => {
                            self.error(Diagnostic::error(
                                "schema::schema-version",
                                "a schema version is a whole number from 1",
                                v.span(),
                                "not a version",
                            ));
                            None
                        }
                    },
                };
                let previous_primary = e
                    .previous_primary
                    .as_ref()
                    .and_then(|pair| self.previous_primary(name, pair, &keys[0], indexes));
                entities.push(Entity {
                    name: name.clone(),
                    description: e.description.as_ref().map(|d| d.get_ref().clone()),
                    schema_version,
                    keys,
                    previous_primary,
                    span,
                });
            }
            // Otherwise the primary template itself was wrong and has been reported.
        }
        entities
    }

    fn entity_ref(
        &mut self,
        name: &Spanned<String>,
        entities: &[Entity],
        known: &[&str],
    ) -> Option<usize> {
        match entities.iter().position(|e| &e.name == name.get_ref()) {
            Some(i) => Some(i),
            None => {
                // Declared but broken entities were already reported; don't pile on.
                if !known.contains(&name.get_ref().as_str()) {
                    self.error(
                        Diagnostic::error(
                            "schema::unknown-entity",
                            format!("`{}` is not an entity of this schema", name.get_ref()),
                            name.span(),
                            "unknown entity",
                        )
                        .suggest(name.get_ref(), known.iter().copied()),
                    );
                }
                None
            }
        }
    }

    fn index_ref(&mut self, name: Option<&Spanned<String>>, indexes: &[Index]) -> Option<usize> {
        let Some(name) = name else { return Some(0) };
        match indexes.iter().position(|i| &i.name == name.get_ref()) {
            Some(i) => Some(i),
            None => {
                self.error(
                    Diagnostic::error(
                        "schema::unknown-index",
                        format!("`{}` is not an index of this schema", name.get_ref()),
                        name.span(),
                        "unknown index",
                    )
                    .suggest(name.get_ref(), indexes.iter().map(|i| i.name.as_str())),
                );
                None
            }
        }
    }

    fn patterns(
        &mut self,
        raw: &std::collections::BTreeMap<String, Spanned<RawPattern>>,
        entities: &[Entity],
        // Names declared in the file, even those whose declaration had errors.
        known: &[&str],
        indexes: &[Index],
    ) -> Vec<AccessPattern> {
        let mut patterns = Vec::new();
        for (name, pattern) in raw {
            let span = pattern.span();
            if !is_identifier(name) || name.chars().any(|c| c.is_ascii_uppercase()) {
                self.error(Diagnostic::error(
                    "schema::pattern-name",
                    format!("the pattern name `{name}` is not a snake_case Rust identifier"),
                    span.clone(),
                    "it becomes a method name",
                ));
            } else if let Some(problem) = name_problem(name, "pattern", span.clone()) {
                self.error(problem);
            }
            let p = pattern.get_ref();
            let kinds = [
                p.get.is_some(),
                p.query.is_some(),
                p.collection.is_some(),
                p.scan.is_some(),
            ];
            if kinds.iter().filter(|k| **k).count() != 1 {
                self.error(
                    Diagnostic::error(
                        "schema::pattern-kind",
                        format!("pattern `{name}` must say exactly one of `get`, `query`, `collection`, `scan`"),
                        span.clone(),
                        "what does this pattern do?",
                    )
                    .with_help(r#"e.g. `get = "User"`, `query = "Order"` or `collection = ["User", "Order"]`"#),
                );
                continue;
            }
            let description = p.description.as_ref().map(|d| d.get_ref().clone());
            let kind = if let Some(entity) = &p.get {
                if let Some(index) = &p.index {
                    self.error(Diagnostic::error(
                        "schema::get-with-index",
                        "`get` reads by the table's primary key; it takes no `index`",
                        index.span(),
                        "remove this, or make the pattern a `query`",
                    ));
                }
                self.no_order(name, p);
                self.entity_ref(entity, entities, known)
                    .map(|entity| PatternKind::Get { entity })
            } else if let Some(entity_name) = &p.scan {
                if let Some(order) = &p.order {
                    self.error(Diagnostic::error(
                        "schema::order-without-query",
                        format!("pattern `{name}` is a scan: items come in no order"),
                        order.span(),
                        "remove this",
                    ));
                }
                let entity = self.entity_ref(entity_name, entities, known);
                let index = self.index_ref(p.index.as_ref(), indexes);
                let segments = match &p.segments {
                    None => Some(1),
                    Some(n) if (1..=1_000_000).contains(n.get_ref()) => Some(*n.get_ref()),
                    Some(n) => {
                        self.error(Diagnostic::error(
                            "schema::segments",
                            "a scan has 1 to 1,000,000 segments",
                            n.span(),
                            "out of range",
                        ));
                        None
                    }
                };
                let filter = self.filter(p);
                match (entity, index, segments, filter) {
                    (Some(_), Some(index), Some(_), Some(_))
                        if indexes[index].projection != Projection::All =>
                    {
                        self.partial_index(name, p, &indexes[index]);
                        None
                    }
                    (Some(entity), Some(index), Some(segments), Some(filter)) => {
                        if entities[entity].keys_on(index).is_none() {
                            self.error(Diagnostic::error(
                                "schema::entity-not-on-index",
                                format!(
                                    "entity `{}` has no template for index `{}`, so a scan there never finds it",
                                    entities[entity].name, indexes[index].name
                                ),
                                p.index.as_ref().map_or(entity_name.span(), |i| i.span()),
                                "this pattern can never find an item",
                            ));
                            None
                        } else {
                            Some(PatternKind::Scan {
                                entity,
                                index,
                                segments,
                                filter,
                            })
                        }
                    }
                    _ => None,
                }
            } else if let Some(entity_name) = &p.query {
                let entity = self.entity_ref(entity_name, entities, known);
                let index = self.index_ref(p.index.as_ref(), indexes);
                let order = match &p.order {
                    None => Some(Order::Ascending),
                    Some(o) => match o.get_ref().as_str() {
                        "ascending" | "oldest_first" => Some(Order::Ascending),
                        "descending" | "newest_first" => Some(Order::Descending),
                        other => {
                            self.error(
                                Diagnostic::error(
                                    "schema::order",
                                    format!("`{other}` is not an order"),
                                    o.span(),
                                    "unknown order",
                                )
                                .suggest(
                                    other,
                                    ["ascending", "descending", "oldest_first", "newest_first"],
                                ),
                            );
                            None
                        }
                    },
                };
                let filter = self.filter(p);
                let fetch_items = match &p.fetch {
                    None => Some(false),
                    Some(f) if f.get_ref() == "items" => Some(true),
                    Some(f) => {
                        self.error(
                            Diagnostic::error(
                                "schema::fetch",
                                format!("`{}` is not something to fetch", f.get_ref()),
                                f.span(),
                                "unknown",
                            )
                            .suggest(f.get_ref(), ["items"]),
                        );
                        None
                    }
                };
                match (entity, index, order, filter, fetch_items) {
                    (Some(_), Some(index), Some(_), Some(filter), Some(fetch_items))
                        if !self.projection_fits(
                            name,
                            p,
                            &indexes[index],
                            fetch_items,
                            filter.is_some(),
                        ) =>
                    {
                        None
                    }
                    (Some(entity), Some(index), Some(order), Some(filter), Some(fetch_items)) => {
                        if entities[entity].keys_on(index).is_none() {
                            self.error(Diagnostic::error(
                                "schema::entity-not-on-index",
                                format!(
                                    "entity `{}` has no template for index `{}`, so its items are not in it",
                                    entities[entity].name, indexes[index].name
                                ),
                                p.index.as_ref().map_or(entity_name.span(), |i| i.span()),
                                "this pattern can never find an item",
                            ));
                            None
                        } else {
                            Some(PatternKind::Query {
                                entity,
                                index,
                                order,
                                filter,
                                fetch_items,
                            })
                        }
                    }
                    _ => None,
                }
            } else {
                let members = p.collection.as_ref().expect("one kind is set");
                self.no_order(name, p);
                let index = self.index_ref(p.index.as_ref(), indexes);
                let mut resolved = Vec::new();
                for member in members.get_ref() {
                    if let Some(entity) = self.entity_ref(member, entities, known) {
                        if resolved.contains(&entity) {
                            self.error(Diagnostic::error(
                                "schema::repeated-member",
                                format!("`{}` is listed twice", member.get_ref()),
                                member.span(),
                                "repeated",
                            ));
                        } else if let Some(index) = index
                            && entities[entity].keys_on(index).is_none()
                        {
                            self.error(Diagnostic::error(
                                "schema::entity-not-on-index",
                                format!(
                                    "entity `{}` has no template for index `{}`, so a query there never returns it",
                                    member.get_ref(),
                                    indexes[index].name
                                ),
                                member.span(),
                                "not in this index",
                            ));
                        } else {
                            resolved.push(entity);
                        }
                    }
                }
                if members.get_ref().len() < 2 {
                    self.error(
                        Diagnostic::error(
                            "schema::collection-size",
                            "a collection groups at least two entities",
                            members.span(),
                            "one entity",
                        )
                        .with_help("for one entity, write `query = \"...\"`"),
                    );
                }
                match index {
                    Some(index) if indexes[index].projection != Projection::All => {
                        self.partial_index(name, p, &indexes[index]);
                        None
                    }
                    Some(index)
                        if resolved.len() == members.get_ref().len() && resolved.len() >= 2 =>
                    {
                        Some(PatternKind::Collection {
                            entities: resolved,
                            index,
                        })
                    }
                    _ => None,
                }
            };
            if let Some(kind) = kind {
                patterns.push(AccessPattern {
                    name: name.clone(),
                    description,
                    kind,
                    span,
                });
            }
        }
        patterns
    }

    /// Whether a query on `index` fits its projection: full items where every
    /// attribute is projected or the pattern reads the items (`fetch = "items"`), a
    /// projection type otherwise, and no filter on what the index does not hold.
    /// Reports what does not fit.
    fn projection_fits(
        &mut self,
        name: &str,
        p: &RawPattern,
        index: &Index,
        fetch_items: bool,
        has_filter: bool,
    ) -> bool {
        let span = p.index.as_ref().map_or(0..0, |i| i.span());
        let partial = index.projection != Projection::All;
        let keys_only = index.projection == Projection::KeysOnly;
        let problem = match (partial, fetch_items) {
            (true, false) if has_filter => Some(Diagnostic::error(
                "schema::fetch",
                format!(
                    "pattern `{name}` filters on index `{}`, which holds only {}",
                    index.name,
                    if keys_only { "keys" } else { "some attributes" }
                ),
                p.filter.as_ref().map_or(span.clone(), |f| f.span()),
                "a filter sees the index's projection only",
            )),
            // A keys-only or include index yields a projection type: the key fields,
            // and on an include index the included fields the entity has.
            (true, false) => None,
            (false, true) => Some(Diagnostic::error(
                "schema::fetch",
                format!(
                    "index `{}` projects every attribute: pattern `{name}` needs no `fetch`",
                    index.name
                ),
                p.fetch.as_ref().map_or(span, |f| f.span()),
                "remove this",
            )),
            (true, true) if has_filter => Some(Diagnostic::error(
                "schema::fetch",
                format!(
                    "pattern `{name}` filters on index `{}`, which holds only some attributes",
                    index.name
                ),
                p.filter.as_ref().map_or(span, |f| f.span()),
                "a filter sees the index's projection only",
            )),
            _ => None,
        };
        match problem {
            Some(d) => {
                self.error(d);
                false
            }
            None => true,
        }
    }

    /// A collection or scan on an index that holds only some attributes cannot decode
    /// full items; only queries can `fetch` them.
    fn partial_index(&mut self, name: &str, p: &RawPattern, index: &Index) {
        self.error(
            Diagnostic::error(
                "schema::partial-projection",
                format!("index `{}` projects only some attributes, so pattern `{name}` cannot return full items", index.name),
                p.index.as_ref().map_or(0..0, |i| i.span()),
                "partial projection",
            )
            .with_help("project `all` on this index, or read it with a `query` pattern with `fetch = \"items\"`"),
        );
    }

    /// The pattern's filter: `Some(None)` without one, `None` if it does not parse.
    fn filter(&mut self, p: &RawPattern) -> Option<Option<crate::schema::filter::Filter>> {
        match &p.filter {
            None => Some(None),
            Some(text) => match crate::schema::filter::Filter::parse(
                text.get_ref(),
                text.span(),
                self.content_start(text),
            ) {
                Ok(filter) => Some(Some(filter)),
                Err(e) => {
                    self.error(e);
                    None
                }
            },
        }
    }

    fn no_order(&mut self, name: &str, p: &RawPattern) {
        if let Some(fetch) = &p.fetch {
            self.error(Diagnostic::error(
                "schema::fetch",
                format!("pattern `{name}` is not a `query`, so it takes no `fetch`"),
                fetch.span(),
                "remove this",
            ));
        }
        if let Some(segments) = &p.segments {
            self.error(Diagnostic::error(
                "schema::segments",
                format!("pattern `{name}` is not a `scan`, so it has no segments"),
                segments.span(),
                "remove this",
            ));
        }
        if let Some(filter) = &p.filter {
            self.error(Diagnostic::error(
                "schema::filter-without-query",
                format!("pattern `{name}` is not a `query` or `scan`, so it takes no filter"),
                filter.span(),
                "filters narrow the items a query reads",
            ));
        }
        if let Some(order) = &p.order {
            self.error(Diagnostic::error(
                "schema::order-without-query",
                format!("pattern `{name}` is not a `query`, so it has no order"),
                order.span(),
                "remove this",
            ));
        }
    }
}
