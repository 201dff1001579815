//! The `[entities.*]` sections: key templates per index, checked against each index's shape.

use toml::Spanned;

use super::Lowering;
use crate::diagnostics::{Diagnostic, Span};
use crate::schema::model::*;
use crate::schema::raw::*;
use crate::schema::template::{KeyTemplate, Segment, is_identifier, name_problem};

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
                    [Segment::Field(f)] if f.case.is_none() => Some(f.clone()),
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
}
