//! The `[entities.*]` sections: key templates per index, checked against each index's shape.

use toml::Spanned;

use super::Lowering;
use crate::diagnostics::{Diagnostic, Span};
use crate::schema::model::*;
use crate::schema::raw::*;
use crate::schema::template::{
    KeyTemplate, Segment, ShardSource, Shards, is_identifier, name_problem,
};

/// The most shards a key may have: a query of a sharded partition sends one request
/// per shard, and past about a hundred the slowest of them bounds every query.
pub const MAX_SHARDS: i64 = 100;

impl Lowering<'_> {
    pub(super) fn template(&mut self, raw: &Spanned<String>) -> Option<KeyTemplate> {
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
    pub(super) fn entity_key(
        &mut self,
        entity: &str,
        index: &str,
        raw: &Spanned<toml::Value>,
        multi_attribute: Option<&[KeyAttribute]>,
    ) -> Option<KeyTemplate> {
        let span = raw.span();
        match (raw.get_ref(), multi_attribute) {
            (toml::Value::String(text), None) => self.template(&Spanned::new(span, text.clone())),
            (toml::Value::String(text), Some([_])) => {
                self.multi_attribute_template(entity, index, &[text.as_str()], span)
            }
            (toml::Value::Array(items), Some(attributes))
                if items.len() == attributes.len() && items.iter().all(toml::Value::is_str) =>
            {
                let texts: Vec<&str> = items.iter().filter_map(toml::Value::as_str).collect();
                self.multi_attribute_template(entity, index, &texts, span)
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
    pub(super) fn multi_attribute_template(
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
                    [Segment::Field(f)] if f.case.is_none() && f.bucket.is_none() => {
                        Some(f.clone())
                    }
                    _ => None,
                });
            match field {
                Some(field) => segments.push(Segment::Field(field)),
                None => {
                    self.error(
                        Diagnostic::error(
                            "schema::multi-attribute-key-field",
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
            shards: None,
        })
    }

    /// One entity's templates on one index, checked against the index's shape.
    pub(super) fn entity_keys(
        &mut self,
        name: &str,
        index_name: &str,
        index: usize,
        pair: &Spanned<RawKeys>,
        indexes: &[Index],
    ) -> Option<EntityKeys> {
        let p = pair.get_ref();
        let local = indexes[index].is_local();
        let multi_attribute = indexes[index].multi_attribute.as_ref();
        let partition = match (&p.pk, local) {
            (Some(pk), false) => self.entity_key(
                name,
                index_name,
                pk,
                multi_attribute.map(|n| &n.partition[..]),
            ),
            // Filled in from the primary template below.
            (None, true) => Some(KeyTemplate {
                text: String::new(),
                segments: Vec::new(),
                span: pair.span(),
                shards: None,
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
                self.entity_key(name, index_name, sk, multi_attribute.map(|n| &n.sort[..]))
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
    pub(super) fn previous_primary(
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

    pub(super) fn entities(
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
            self.shards(name, &mut keys, &e.keys, indexes);
            self.time_buckets(name, &keys, indexes);
            if let Some(primary) = keys
                .first()
                .filter(|k| k.index == 0)
                .map(|k| k.partition.clone())
            {
                for k in keys.iter_mut().filter(|k| indexes[k.index].is_local()) {
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

    /// `shards` on an entity's index keys: checked, and the partition's `{shard}`
    /// placeholder turned into the shard segment. Without `shards`, `{shard}` is an
    /// ordinary field placeholder (a shard number the application computes).
    fn shards(
        &mut self,
        name: &str,
        keys: &mut [EntityKeys],
        raw: &[(String, Spanned<RawKeys>)],
        indexes: &[Index],
    ) {
        let primary: Vec<(String, KeyTemplate)> = match keys.first().filter(|k| k.index == 0) {
            Some(p) => std::iter::once((indexes[0].partition_key.clone(), p.partition.clone()))
                .chain(indexes[0].sort_key.clone().zip(p.sort.clone()))
                .collect(),
            None => Vec::new(),
        };
        for (index_name, pair) in raw {
            let Some(shards) = &pair.get_ref().shards else {
                continue;
            };
            let Some(k) = keys
                .iter_mut()
                .find(|k| &indexes[k.index].name == index_name)
            else {
                continue;
            };
            let index = &indexes[k.index];
            if !index.is_global() || index.multi_attribute.is_some() {
                self.error(
                    Diagnostic::error(
                        "schema::shard-index",
                        format!(
                            "`{name}` shards its keys on `{index_name}`, which is not a global secondary index with template keys"
                        ),
                        shards.span(),
                        "sharding is for a GSI partition",
                    )
                    .with_help(
                        "a hot partition of a GSI (a constant or a status) is what shards spread; \
                         on the table's own key, put a high-cardinality field in `pk` instead",
                    ),
                );
                continue;
            }
            let raw_shards = shards.get_ref();
            let count = *raw_shards.count.get_ref();
            let count = match u32::try_from(count) {
                Ok(c) if (2..=MAX_SHARDS).contains(&i64::from(c)) => Some(c),
                _ => {
                    self.error(
                        Diagnostic::error(
                            "schema::shard-count",
                            format!("{count} shards: a sharded key has 2 to {MAX_SHARDS} shards"),
                            raw_shards.count.span(),
                            "out of range",
                        )
                        .with_help(
                            "every query of the partition sends one request per shard and waits for the slowest: \
                             8 to 32 shards spread 8,000 to 32,000 writes/s, more than most partitions need",
                        ),
                    );
                    None
                }
            };
            if raw_shards.of.is_empty() {
                self.error(Diagnostic::error(
                    "schema::shard-field",
                    format!("`{name}`'s shards on `{index_name}` name no field to compute the shard from"),
                    shards.span(),
                    "`of` is empty",
                ).with_help("name the field(s) that identify an item, e.g. `of = [\"product_id\"]`"));
                continue;
            }
            // Where each field's encoded value is stored: the index's sort key, else
            // the primary key. Both are in every item the index returns.
            let mut stored: Vec<(String, KeyTemplate)> = Vec::new();
            if let (Some(attr), Some(t)) = (&index.sort_key, &k.sort) {
                stored.push((attr.clone(), t.clone()));
            }
            stored.extend(primary.iter().cloned());
            let mut of = Vec::new();
            for field in &raw_shards.of {
                let found = stored.iter().find_map(|(attr, t)| {
                    let f = t.fields().find(|f| &f.name == field.get_ref())?;
                    Some(ShardSource {
                        field: f.clone(),
                        attribute: attr.clone(),
                        segment: t.segment_of(&f.name)?,
                    })
                });
                match found {
                    Some(source)
                        if of
                            .iter()
                            .any(|s: &ShardSource| s.field.name == source.field.name) =>
                    {
                        self.error(Diagnostic::error(
                            "schema::shard-field",
                            format!("`{}` is named twice in `of`", field.get_ref()),
                            field.span(),
                            "repeated",
                        ));
                    }
                    Some(source) => of.push(source),
                    None => {
                        let mut available: Vec<&str> = stored
                            .iter()
                            .flat_map(|(_, t)| t.fields())
                            .map(|f| f.name.as_str())
                            .collect();
                        available.sort_unstable();
                        available.dedup();
                        self.error(
                            Diagnostic::error(
                                "schema::shard-field",
                                format!(
                                    "`{name}` cannot shard by `{}`: it is in neither its primary key nor its sort key on `{index_name}`",
                                    field.get_ref()
                                ),
                                field.span(),
                                "not a key field",
                            )
                            .with_help(
                                "a read recomputes each item's shard from its keys (to catch a changed shard count): \
                                 shard by fields of the primary key or of the index's sort key",
                            )
                            .suggest(field.get_ref(), available),
                        );
                    }
                }
            }
            if k.sort
                .as_ref()
                .is_some_and(|t| t.fields().any(|f| f.name == "shard"))
            {
                let span = k.sort.as_ref().map_or(pair.span(), |t| t.span.clone());
                self.error(Diagnostic::error(
                    "schema::shard-segment",
                    format!("`{name}`'s sort key on `{index_name}` has a `{{shard}}`: the shard belongs to the partition key"),
                    span,
                    "in the sort key",
                ).with_help("move `{shard}` to `pk`, e.g. `pk = \"PRODUCTS#{shard}\"`"));
                continue;
            }
            let position = k
                .partition
                .segments
                .iter()
                .position(|s| matches!(s, Segment::Field(f) if f.name == "shard"));
            let Some(position) = position else {
                self.error(Diagnostic::error(
                    "schema::shard-segment",
                    format!("`{name}` shards `{index_name}`, but its partition template `{}` has no `{{shard}}` segment", k.partition.text),
                    k.partition.span.clone(),
                    "no `{shard}`",
                ).with_help(format!("add the shard to the partition key: `pk = \"{}#{{shard}}\"`", k.partition.text)));
                continue;
            };
            if !of.is_empty()
                && of.len() == raw_shards.of.len()
                && of
                    .iter()
                    .all(|s| k.partition.fields().any(|f| f.name == s.field.name))
            {
                self.error(Diagnostic::error(
                    "schema::shard-redundant",
                    format!("`{name}`'s partition on `{index_name}` already varies with the fields it shards by"),
                    shards.span(),
                    "shards add nothing here",
                ).with_help("shard by a field that is not in `pk` (an item's id), or drop `shards`"));
                continue;
            }
            if let (Some(count), true) = (count, of.len() == raw_shards.of.len()) {
                let span = match &k.partition.segments[position] {
                    Segment::Field(f) => f.span.clone(),
                    _ => k.partition.span.clone(),
                };
                k.partition.segments[position] = Segment::Shard(span);
                k.partition.shards = Some(Shards {
                    count,
                    of,
                    span: shards.span(),
                });
            }
        }
    }

    /// `{field|day}`-style placeholders: in partition templates only (a sort key
    /// orders by the whole value), and of a field the entity's keys also hold whole
    /// (the primary key, or the sort key on the same index), so reads can recover
    /// the field from an item's keys.
    fn time_buckets(&mut self, name: &str, keys: &[EntityKeys], indexes: &[Index]) {
        let primary: Vec<&KeyTemplate> = keys
            .first()
            .filter(|k| k.index == 0)
            .map(|k| k.templates().collect())
            .unwrap_or_default();
        for k in keys {
            let index_name = &indexes[k.index].name;
            for field in k.sort.iter().flat_map(|t| t.fields()) {
                if let Some(bucket) = field.bucket {
                    self.error(
                        Diagnostic::error(
                            "schema::time-bucket-sort-key",
                            format!("`{name}`'s sort key on `{index_name}` reduces `{}` to its {}: a sort key orders by the whole value", field.name, bucket.name()),
                            field.span.clone(),
                            "a time bucket in a sort key",
                        )
                        .with_help(format!(
                            "buckets spread partitions: put `{{{}|{}}}` in `pk` and `{{{}}}` in `sk`",
                            field.name,
                            bucket.name(),
                            field.name
                        )),
                    );
                }
            }
            for field in k.partition.fields() {
                let Some(bucket) = field.bucket else {
                    continue;
                };
                let whole = primary
                    .iter()
                    .copied()
                    .chain(k.sort.as_ref())
                    .flat_map(|t| t.fields())
                    .any(|f| f.name == field.name && f.bucket.is_none());
                if !whole {
                    self.error(
                        Diagnostic::error(
                            "schema::time-bucket-field",
                            format!(
                                "`{name}`'s keys on `{index_name}` hold `{}` only as its {}, so a read cannot recover it",
                                field.name,
                                bucket.name()
                            ),
                            field.span.clone(),
                            "only the bucket is stored in the keys",
                        )
                        .with_help(format!(
                            "put the whole value in the sort key too, e.g. `sk = \"{{{}}}#..\"`: it also orders the bucket's items by time",
                            field.name
                        )),
                    );
                }
            }
        }
    }
}
