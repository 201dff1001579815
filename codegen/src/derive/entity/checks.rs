//! The struct checked against its entity in the schema: every placeholder a
//! field, key field types, attributes.

use super::Context;
use crate::derive::input::{FieldInput, option_inner};
use crate::diagnostics::closest;

impl Context<'_> {
    /// The struct against the schema; every mismatch is reported.
    pub(super) fn check(&self, errors: &mut darling::error::Accumulator) {
        for keys in &self.entity.keys {
            let index = &self.schema.indexes[keys.index];
            for (template, attr) in keys.templates().zip(["pk", "sk"]) {
                for placeholder in template.fields() {
                    match self.field(&placeholder.name) {
                        None => errors.push(self.no_such_field(
                            placeholder,
                            &format!(
                                "the placeholder `{{{}}}` in `{}` (entity `{}`, `{}.{attr}`) names",
                                placeholder.name, template.text, self.entity.name, index.name
                            ),
                        )),
                        Some(field) if index.is_primary() && option_inner(&field.ty).is_some() => {
                            errors.push(
                                darling::Error::custom(format!(
                                    "`{}` fills `{{{}}}` of the primary key ({}), so it cannot be an `Option`: \
                                     every item needs a primary key",
                                    field.name(),
                                    placeholder.name,
                                    self.location(&placeholder.span),
                                ))
                                .with_span(&field.ty),
                            );
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        for filter in self.filters() {
            for field in filter
                .fields
                .iter()
                .filter(|f| self.field(&f.name).is_none())
            {
                errors.push(self.no_such_field(
                    field,
                    &format!(
                        "the filter `{}` reads `{}`, which is",
                        filter.text, field.name
                    ),
                ));
            }
        }
        // Attributes the runtime writes itself: a field stored there would be
        // overwritten on every write, or overwrite what the runtime reads back.
        let mut reserved: Vec<(&str, &str)> = vec![
            (
                &self.schema.table.schema_version_attribute,
                "the schema version attribute",
            ),
            (&self.schema.table.entity_attribute, "the entity attribute"),
            (
                crate::names::WRITE_TOKEN_ATTRIBUTE,
                "the write token attribute (versioned writes store a token there)",
            ),
        ];
        // Fields stored under a multi-attribute key attribute they fill: those are the
        // key, not a clash with it.
        let mut own: Vec<(String, String)> = Vec::new();
        let key_attributes: Vec<Vec<crate::schema::KeyAttribute>> = self
            .entity
            .keys
            .iter()
            .map(|keys| self.schema.indexes[keys.index].key_attributes())
            .collect();
        for (keys, attributes) in self.entity.keys.iter().zip(&key_attributes) {
            for attribute in attributes {
                reserved.push((&attribute.name, "a key attribute"));
            }
            for (attribute, field) in self.multi_attribute_fields(keys) {
                own.push((attribute.name.to_string(), field.name.clone()));
            }
        }
        for field in self.fields {
            let attribute = field.attribute();
            if own.contains(&(attribute.clone(), field.name())) {
                continue;
            }
            if let Some((_, what)) = reserved.iter().find(|(name, _)| *name == attribute) {
                let written = if *what == "a key attribute" {
                    "derived from the key templates"
                } else {
                    "written by dynaschema itself"
                };
                errors.push(
                    darling::Error::custom(format!(
                        "attribute `{attribute}` is {what} of the table, {written}; \
                         rename the field's attribute with `#[entity(rename = \"...\")]`"
                    ))
                    .with_span(field.ident.as_ref().expect("named")),
                );
            }
        }
    }

    /// "`schema.toml:L:C`: <what> no field of `Struct`; did you mean `x`?", on the struct.
    pub(super) fn no_such_field(
        &self,
        field: &crate::schema::template::FieldRef,
        what: &str,
    ) -> darling::Error {
        let names: Vec<String> = self.fields.iter().map(FieldInput::name).collect();
        let hint = closest(&field.name, names.iter().map(String::as_str))
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        darling::Error::custom(format!(
            "{}: {what} no field of `{}`{hint}",
            self.location(&field.span),
            self.ident
        ))
        .with_span(self.ident)
    }
}
