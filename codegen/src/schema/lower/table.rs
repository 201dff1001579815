//! The `[table]` section: name, keys, entity attribute and options.

use toml::Spanned;

use super::Lowering;
use crate::diagnostics::{Diagnostic, Span};
use crate::schema::model::*;
use crate::schema::raw::*;
use crate::schema::template::is_identifier;

impl Lowering<'_> {
    pub(super) fn table(&mut self, raw: &Spanned<RawTable>) -> Table {
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

    pub(super) fn table_options(&mut self, t: &RawTable, entity_attribute: &str) -> TableOptions {
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
                Billing::Provisioned(capacity.into())
            }
        };
        TableOptions {
            ttl_attribute: t.ttl_attribute.as_ref().map(|a| a.get_ref().clone().into()),
            stream: t.stream.map(Into::into),
            point_in_time_recovery: t.point_in_time_recovery,
            billing,
            deletion_protection: t.deletion_protection,
            table_class: t.table_class.map_or(TableClass::Standard, Into::into),
            tags: tags
                .iter()
                .map(|(k, v)| (k.clone().into(), v.clone().into()))
                .collect::<Vec<_>>()
                .into(),
            replicas: t
                .replicas
                .iter()
                .map(|r| r.get_ref().clone().into())
                .collect::<Vec<_>>()
                .into(),
        }
    }

    pub(super) fn capacity(&mut self, capacity: RawCapacity, span: Span) {
        if capacity.read == 0 || capacity.write == 0 {
            self.error(Diagnostic::error(
                "schema::capacity",
                "provisioned capacity must be at least 1 read and 1 write unit",
                span,
                "zero capacity",
            ));
        }
    }
}
