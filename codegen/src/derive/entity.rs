//! `#[derive(Entity)]`: the struct checked against its entity in the schema, then the
//! `Entity` impl, the key functions and the field-type links for generated patterns.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::fields::{check_fields, decode_fields, encode_fields};
use super::input::{EntityInput, FieldInput, is_string, option_inner};
use crate::diagnostics::closest;
use crate::keys::{Role, key_from_parts, key_value, or_previously};
use crate::names::field_hash;
use crate::schema::Projection;
use crate::schema::{Entity, EntityKeys, IndexKind, PatternKind, Schema};

pub(crate) fn expand(input: &EntityInput) -> TokenStream {
    let ident = &input.ident;
    // `struct r#type` is the entity `type`.
    let entity_name = input
        .name
        .clone()
        .unwrap_or_else(|| syn::ext::IdentExt::unraw(ident).to_string());
    let fields: Vec<FieldInput> = input
        .data
        .as_ref()
        .take_struct()
        .expect("supports(struct_named)")
        .fields
        .into_iter()
        .cloned()
        .collect();
    let mut errors = darling::Error::accumulator();
    check_fields(ident, &input.generics, &fields, &mut errors);

    let loaded = match super::load_schema(input.schema.as_deref()) {
        Ok(loaded) => loaded,
        Err(message) => {
            errors.push(darling::Error::custom(message).with_span(ident));
            return fallback(ident, &entity_name, errors);
        }
    };
    let schema = match &loaded.result {
        Ok(checked) => &checked.schema,
        Err(rendered) => {
            errors.push(
                darling::Error::custom(format!("the schema has errors:\n{rendered}"))
                    .with_span(ident),
            );
            return fallback(ident, &entity_name, errors);
        }
    };
    let Some(entity) = schema.entity(&entity_name) else {
        let declared: Vec<&str> = schema.entities.iter().map(|e| e.name.as_str()).collect();
        let hint = match closest(&entity_name, declared.iter().copied()) {
            Some(near) => {
                format!("; did you mean `{near}`? (name it with `#[entity(name = \"{near}\")]`)")
            }
            None => format!("; declared entities: {}", declared.join(", ")),
        };
        errors.push(
            darling::Error::custom(format!(
                "entity `{entity_name}` is not declared in {}{hint}",
                schema.source.name
            ))
            .with_span(ident),
        );
        return fallback(ident, &entity_name, errors);
    };

    if let (Some(upgrade), None) = (&input.upgrade, entity.schema_version) {
        errors.push(
            darling::Error::custom(format!(
                "`upgrade` needs a `schema_version` on `{entity_name}` in {}: it upgrades items stored at older versions",
                schema.source.name
            ))
            .with_span(upgrade),
        );
    }
    let context = Context {
        ident,
        vis: &input.vis,
        schema,
        entity,
        fields: &fields,
        upgrade: input.upgrade.as_ref(),
    };
    context.check(&mut errors);
    if let Err(e) = errors.finish() {
        let mut out = e.write_errors();
        out.extend(fallback(ident, &entity_name, darling::Error::accumulator()));
        // The links of the fields that do exist keep the generated module's other
        // uses of this entity from adding follow-on errors.
        out.extend(context.field_links());
        out.extend(context.filter_links());
        return out;
    }
    let schema_path = loaded.path.display().to_string();
    let body = context.expand();
    let projections = context.include_projections(input);
    quote! {
        #body
        #(#projections)*
        // Rebuild when the schema changes.
        const _: &str = include_str!(#schema_path);
    }
}

use crate::names::projection_name;

/// Those of `wanted` that `attrs` (`#[derive(..)]` attributes) derive.
fn derived_traits(attrs: &[syn::Attribute], wanted: &[&str]) -> Vec<syn::Ident> {
    let mut found = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(last) = meta.path.segments.last()
                && wanted.contains(&last.ident.to_string().as_str())
            {
                found.push(last.ident.clone());
            }
            Ok(())
        });
    }
    found
}

/// A minimal impl emitted next to errors, so uses of the entity elsewhere do not
/// add a second wave of "trait not implemented" errors.
fn fallback(ident: &syn::Ident, name: &str, errors: darling::error::Accumulator) -> TokenStream {
    let errors = errors.finish().err().map(|e| e.write_errors());
    quote! {
        #errors
        #[automatically_derived]
        impl ::dynaschema::__private::Entity for #ident {
            const NAME: &'static str = #name;
            fn to_item(&self) -> ::dynaschema::__private::Result<::dynaschema::__private::Item> {
                unreachable!("the derive reported errors")
            }
            fn from_item(
                _: ::dynaschema::__private::Item,
            ) -> ::core::result::Result<Self, ::dynaschema::__private::DecodeError> {
                unreachable!("the derive reported errors")
            }
            fn primary_key(&self) -> ::dynaschema::__private::Key<Self> {
                unreachable!("the derive reported errors")
            }
        }
        #[automatically_derived]
        impl ::dynaschema::__private::EntityMeta for #ident {}
    }
}

struct Context<'a> {
    ident: &'a syn::Ident,
    vis: &'a syn::Visibility,
    schema: &'a Schema,
    entity: &'a Entity,
    fields: &'a [FieldInput],
    upgrade: Option<&'a syn::Path>,
}

impl Context<'_> {
    fn field(&self, name: &str) -> Option<&FieldInput> {
        self.fields.iter().find(|f| f.name() == name)
    }

    fn location(&self, span: &std::ops::Range<usize>) -> String {
        let (line, col) = self.schema.source.line_col(span.start);
        format!("{}:{line}:{col}", self.schema.source.name)
    }

    /// The struct against the schema; every mismatch is reported.
    fn check(&self, errors: &mut darling::error::Accumulator) {
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
                        Some(field)
                            if index.kind == IndexKind::Primary
                                && option_inner(&field.ty).is_some() =>
                        {
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
            for (attribute, field) in self.native_fields(keys) {
                own.push((attribute.name.clone(), field.name.clone()));
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
    fn no_such_field(
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

    /// `&self.field`, spanned at the field's type so that a type error in the
    /// generated key code is reported on the field.
    fn field_access(&self, name: &str) -> TokenStream {
        let field = self.field(name).expect("checked");
        let ident = &field.ident;
        quote_spanned!(field.ty.span()=> &self.#ident)
    }

    /// The type a key function takes for `field` (behind a reference).
    fn arg_type(field: &FieldInput) -> TokenStream {
        let ty = option_inner(&field.ty).unwrap_or(&field.ty);
        if is_string(ty) {
            quote_spanned!(ty.span()=> str)
        } else {
            quote!(#ty)
        }
    }

    fn expand(&self) -> TokenStream {
        let ident = self.ident;
        let name = &self.entity.name;
        let entity_attribute = &self.schema.table.entity_attribute;
        let write_token = crate::names::WRITE_TOKEN_ATTRIBUTE;

        let key_attributes = self.entity.keys.iter().map(|keys| self.item_keys(keys));
        let encode = encode_fields(name, self.fields);
        let decode = decode_fields(name, self.fields);
        let capacity = self.fields.len() + 2 + 2 * self.entity.keys.len();
        let primary_key =
            self.key_expression(self.entity.primary(), &|f| self.field_access(&f.name));
        let rekeying = self.entity.previous_primary.is_some().then(|| {
            quote!(
                const REKEYING: bool = true;
            )
        });
        // A multi-attribute key is the fields themselves: no key function.
        let key_functions = self
            .entity
            .keys
            .iter()
            .filter(|keys| self.schema.indexes[keys.index].native.is_none())
            .map(|keys| self.key_function(keys));
        let native_type_checks = self.native_type_checks();
        let (schema_version_write, (schema_version_items, upgrade_item)) = match self
            .entity
            .schema_version
        {
            None => (TokenStream::new(), (TokenStream::new(), TokenStream::new())),
            Some(version) => {
                let attribute = &self.schema.table.schema_version_attribute;
                let text = version.to_string();
                (
                    quote! {
                        item.insert(
                            ::std::string::String::from(#attribute),
                            ::dynaschema::__private::AttributeValue::N(::std::string::String::from(#text)),
                        );
                    },
                    {
                        let upgrade = match self.upgrade {
                            Some(path) => {
                                quote_spanned!(path.span()=> ::core::option::Option::Some(#path as ::dynaschema::__private::Upgrade))
                            }
                            None => quote!(::core::option::Option::None),
                        };
                        (
                            quote! {
                                const SCHEMA_VERSION: ::core::option::Option<u32> = ::core::option::Option::Some(#version);

                                fn stored_schema_version(item: &::dynaschema::__private::Item) -> ::core::option::Option<u32> {
                                    match item.get(#attribute) {
                                        ::core::option::Option::Some(::dynaschema::__private::AttributeValue::N(n)) => n.parse().ok(),
                                        _ => ::core::option::Option::None,
                                    }
                                }
                            },
                            quote! {
                                fn upgrade_item(
                                    item: &mut ::dynaschema::__private::Item,
                                ) -> ::core::result::Result<(), ::dynaschema::__private::DecodeError> {
                                    ::dynaschema::__private::upgrade_item(#name, #attribute, #version, item, #upgrade)
                                }
                            },
                        )
                    },
                )
            }
        };
        let field_links = self.field_links();
        let filter_links = self.filter_links();
        let paths = super::fields::field_paths(ident, self.vis, self.fields, false);
        let attributes_of = |index_kind: &dyn Fn(IndexKind) -> bool| {
            let mut names: Vec<String> = Vec::new();
            for keys in &self.entity.keys {
                if !index_kind(self.schema.indexes[keys.index].kind) {
                    continue;
                }
                for f in keys.templates().flat_map(|t| t.fields()) {
                    let attribute = self.field(&f.name).expect("checked").attribute();
                    if !names.contains(&attribute) {
                        names.push(attribute);
                    }
                }
            }
            names
        };
        let primary_fields = attributes_of(&|k| k == IndexKind::Primary);
        let index_fields = attributes_of(&|k| k != IndexKind::Primary);
        let (version_attribute, version_fn) = match self.fields.iter().find(|f| f.version) {
            Some(field) => {
                let attribute = field.attribute();
                let ident = &field.ident;
                let value = quote_spanned!(field.ty.span()=> self.#ident);
                (
                    quote! {
                        const VERSION_ATTRIBUTE: ::core::option::Option<&'static str> = ::core::option::Option::Some(#attribute);
                    },
                    quote! {
                        fn version(&self) -> ::core::option::Option<u64> {
                            let version: u64 = #value;
                            ::core::option::Option::Some(version)
                        }
                    },
                )
            }
            None => (TokenStream::new(), TokenStream::new()),
        };
        let update_keys = self.index_keys_for_update();
        let mut timestamp_items = Vec::new();
        let mut field_checks = Vec::new();
        let created: fn(&FieldInput) -> bool = |f| f.created_at;
        let updated: fn(&FieldInput) -> bool = |f| f.updated_at;
        for (flag, constant) in [
            (created, "CREATED_AT_ATTRIBUTE"),
            (updated, "UPDATED_AT_ATTRIBUTE"),
        ] {
            if let Some(field) = self.fields.iter().find(|f| flag(f)) {
                let attribute = field.attribute();
                let constant = format_ident!("{constant}");
                timestamp_items.push(quote! {
                    const #constant: ::core::option::Option<&'static str> = ::core::option::Option::Some(#attribute);
                });
                let ty = &field.ty;
                field_checks.push(quote_spanned! {ty.span()=>
                    const _: fn() = || {
                        fn maintained<T: ::dynaschema::__private::TimestampField>() {}
                        maintained::<#ty>();
                    };
                });
            }
        }
        if let Some(ttl) = &self.schema.table.options.ttl_attribute
            && let Some(field) = self.fields.iter().find(|f| f.attribute() == *ttl)
        {
            let ty = &field.ty;
            field_checks.push(quote_spanned! {ty.span()=>
                const _: fn() = || {
                    fn ttl<T: ::dynaschema::__private::TtlValue>() {}
                    ttl::<#ty>();
                };
            });
        }

        quote! {
            #[automatically_derived]
            impl ::dynaschema::__private::Entity for #ident {
                const NAME: &'static str = #name;

                fn to_item(&self) -> ::dynaschema::__private::Result<::dynaschema::__private::Item> {
                    let mut item = ::dynaschema::__private::Item::with_capacity(#capacity);
                    item.insert(
                        ::std::string::String::from(#entity_attribute),
                        ::dynaschema::__private::AttributeValue::S(::std::string::String::from(#name)),
                    );
                    #schema_version_write
                    #(#key_attributes)*
                    #(#encode)*
                    Ok(item)
                }

                #schema_version_items

                fn from_item(
                    mut item: ::dynaschema::__private::Item,
                ) -> ::core::result::Result<Self, ::dynaschema::__private::DecodeError> {
                    ::dynaschema::__private::check_discriminator(#name, #entity_attribute, &item)?;
                    <Self as ::dynaschema::__private::EntityMeta>::upgrade_item(&mut item)?;
                    Ok(Self { #(#decode),* })
                }

                fn primary_key(&self) -> ::dynaschema::__private::Key<Self> {
                    #primary_key
                }

                #version_fn
            }

            #[automatically_derived]
            impl ::dynaschema::__private::EntityMeta for #ident {
                const PRIMARY_KEY_FIELDS: &'static [&'static str] = &[#(#primary_fields),*];
                const INDEX_KEY_FIELDS: &'static [&'static str] = &[#(#index_fields),*];
                const WRITE_TOKEN_ATTRIBUTE: &'static str = #write_token;
                #rekeying
                #version_attribute
                #(#timestamp_items)*
                #update_keys
                #upgrade_item
            }

            #(#field_checks)*

            #paths

            #[automatically_derived]
            // Key functions of indexes the application never reads directly.
            #[allow(dead_code)]
            impl #ident {
                #(#key_functions)*
            }

            #(#field_links)*
            #(#filter_links)*
            #(#native_type_checks)*
        }
    }

    /// `Key::from_parts(..)` for one index, with placeholder values from `arg`.
    fn key_expression(
        &self,
        keys: &EntityKeys,
        arg: &dyn Fn(&crate::schema::template::FieldRef) -> TokenStream,
    ) -> TokenStream {
        let index = &self.schema.indexes[keys.index];
        let key = key_from_parts(&self.entity.name, index, keys, arg);
        if index.kind == IndexKind::Primary {
            or_previously(key, self.entity, index, arg)
        } else {
            key
        }
    }

    /// Statements inserting one index's key attributes into `item`. An index whose
    /// template uses an `Option` field that is `None` gets no attributes (sparse).
    fn item_keys(&self, keys: &EntityKeys) -> TokenStream {
        let index = &self.schema.indexes[keys.index];
        let name = &self.entity.name;
        if index.native.is_some() {
            return self.native_item_keys(keys);
        }
        let optional: BTreeSet<&str> = keys
            .templates()
            .flat_map(|t| t.fields())
            .filter(|f| option_inner(&self.field(&f.name).expect("checked").ty).is_some())
            .map(|f| f.name.as_str())
            .collect();
        let local = |field: &str| format_ident!("__{}", field);
        let arg = |f: &crate::schema::template::FieldRef| {
            if optional.contains(f.name.as_str()) {
                let local = local(&f.name);
                quote!(#local)
            } else {
                self.field_access(&f.name)
            }
        };
        let insert = |attr: &str, value: TokenStream| {
            quote! {
                item.insert(
                    ::std::string::String::from(#attr),
                    ::dynaschema::__private::AttributeValue::S(#value?),
                );
            }
        };
        // A local index shares the table's partition key, written with the primary key.
        let mut inserts = Vec::new();
        if index.kind != IndexKind::Local {
            inserts.push(insert(
                &index.partition_key,
                key_value(
                    name,
                    &index.partition_key,
                    Role::Partition,
                    &keys.partition,
                    &arg,
                ),
            ));
        }
        if let (Some(template), Some(attr)) = (&keys.sort, &index.sort_key) {
            inserts.push(insert(
                attr,
                key_value(name, attr, Role::Sort, template, &arg),
            ));
        }
        if optional.is_empty() {
            quote!(#(#inserts)*)
        } else {
            let locals = optional.iter().map(|f| local(f));
            let sources = optional.iter().map(|f| {
                let ident = &self.field(f).expect("checked").ident;
                quote!(self.#ident.as_ref())
            });
            quote! {
                if let (#(::core::option::Option::Some(#locals),)*) = (#(#sources,)*) {
                    #(#inserts)*
                }
            }
        }
    }

    /// The attributes of a multi-attribute key with the fields filling them, in
    /// order (partition, then sort); empty for a template key.
    fn native_fields<'k>(
        &'k self,
        keys: &'k EntityKeys,
    ) -> Vec<(
        &'k crate::schema::KeyAttribute,
        &'k crate::schema::template::FieldRef,
    )> {
        let Some(native) = &self.schema.indexes[keys.index].native else {
            return Vec::new();
        };
        native
            .partition
            .iter()
            .zip(keys.partition.fields())
            .chain(
                native
                    .sort
                    .iter()
                    .zip(keys.sort.iter().flat_map(|t| t.fields())),
            )
            .collect()
    }

    /// A multi-attribute key: each attribute holds its field's own value. A field
    /// stored under that attribute already writes it; other fields are copied. Every
    /// value is checked as DynamoDB checks keys (non-empty, size) before sending.
    fn native_item_keys(&self, keys: &EntityKeys) -> TokenStream {
        let name = &self.entity.name;
        let native = self.schema.indexes[keys.index]
            .native
            .as_ref()
            .expect("a multi-attribute index");
        let statements = self.native_fields(keys).into_iter().map(|(attribute, f)| {
            let field = self.field(&f.name).expect("checked");
            let ident = &field.ident;
            let attr = &attribute.name;
            let partition = native.partition.contains(attribute);
            let (bind, value) = if option_inner(&field.ty).is_some() {
                (
                    quote!(if let ::core::option::Option::Some(value) = self.#ident.as_ref()),
                    quote!(value),
                )
            } else {
                (quote!(), quote!(&self.#ident))
            };
            let value = quote_spanned!(field.ty.span()=> ::dynaschema::__private::native_key_value(#name, #attr, #partition, #value)?);
            let store = if field.attribute() == *attr {
                // Written by the field itself; only checked here.
                quote!(let _ = #value;)
            } else {
                quote!(item.insert(::std::string::String::from(#attr), #value);)
            };
            quote!(#bind { #store })
        });
        quote!(#(#statements)*)
    }

    /// `index_keys_for_update`: for each secondary index whose key fields an update
    /// sets, the new key attributes, computed by the same code as `to_item`'s.
    fn index_keys_for_update(&self) -> TokenStream {
        let name = &self.entity.name;
        let mut blocks = Vec::new();
        for keys in self.entity.keys.iter().filter(|k| k.index != 0) {
            let index = &self.schema.indexes[keys.index];
            let index_name = &index.name;
            let mut seen = BTreeSet::new();
            let fields: Vec<&FieldInput> = keys
                .templates()
                .flat_map(|t| t.fields())
                .filter(|f| seen.insert(f.name.clone()))
                .map(|f| self.field(&f.name).expect("checked"))
                .collect();
            let local = |f: &FieldInput| format_ident!("__{}", f.name());
            // Where a primary key field sits: (key attribute, template shape, position
            // among the template's fields). Its value comes from the key updated.
            let primary_index = self.schema.primary();
            let primary = self.entity.primary();
            let in_primary = |field: &str| {
                let templates = std::iter::once((&primary_index.partition_key, &primary.partition))
                    .chain(primary_index.sort_key.as_ref().zip(primary.sort.as_ref()));
                for (attr, template) in templates {
                    if let Some(position) = template.fields().position(|f| f.name == field) {
                        return Some((attr.clone(), template, position));
                    }
                }
                None
            };
            let decode: Vec<TokenStream> = fields
                .iter()
                .map(|f| {
                    let ty = &f.ty;
                    let attribute = f.attribute();
                    let local = local(f);
                    match in_primary(&f.name()) {
                        Some((attr, template, position)) => {
                            let shape = template.segments.iter().map(|segment| match segment {
                                crate::schema::template::Segment::Literal(l) => quote!(::core::option::Option::Some(#l)),
                                crate::schema::template::Segment::Field(_) => quote!(::core::option::Option::None),
                            });
                            let hash = field_hash(&f.name());
                            let field_name = f.name();
                            quote! {
                                let #local = {
                                    let segments = ::dynaschema::__private::key_fields(key, #attr, &[#(#shape),*])
                                        .ok_or_else(|| ::dynaschema::__private::key_shape_error(#name, #attr))?;
                                    ::dynaschema::__private::decode_key_field::<
                                        <Self as ::dynaschema::__private::KeyField<#hash>>::Arg,
                                    >(#name, #field_name, &segments[#position])?
                                };
                            }
                        }
                        None => quote! {
                            let #local: #ty = ::dynaschema::__private::decode_field::<#ty>(#name, #attribute, &mut values)?;
                        },
                    }
                })
                .collect();
            let attributes: Vec<String> = fields
                .iter()
                .filter(|f| in_primary(&f.name()).is_none())
                .map(|f| f.attribute())
                .collect();
            if let Some(native) = &index.native {
                // Each attribute on its own: a copied field's attribute follows it.
                let copies = native
                    .partition
                    .iter()
                    .chain(&native.sort)
                    .zip(keys.templates().flat_map(|t| t.fields()))
                    .filter_map(|(attribute, f)| {
                        let field = self.field(&f.name).expect("checked");
                        let field_attribute = field.attribute();
                        if field_attribute == attribute.name {
                            return None;
                        }
                        let attr = &attribute.name;
                        let partition = native.partition.contains(attribute);
                        let ty = &field.ty;
                        let value = if option_inner(ty).is_some() {
                            quote! {
                                match value.as_ref() {
                                    ::core::option::Option::Some(v) => ::core::option::Option::Some(::dynaschema::__private::native_key_value(#name, #attr, #partition, v)?),
                                    ::core::option::Option::None => ::core::option::Option::None,
                                }
                            }
                        } else {
                            quote!(::core::option::Option::Some(::dynaschema::__private::native_key_value(#name, #attr, #partition, &value)?))
                        };
                        Some(quote! {
                            if values.contains_key(#field_attribute) || removed.contains(&#field_attribute) {
                                let mut values = values.clone();
                                let value: #ty = ::dynaschema::__private::decode_field::<#ty>(#name, #field_attribute, &mut values)?;
                                out.push((#attr, #value));
                            }
                        })
                    });
                blocks.push(quote!(#(#copies)*));
                continue;
            }
            let optional: Vec<&&FieldInput> = fields
                .iter()
                .filter(|f| option_inner(&f.ty).is_some())
                .collect();
            let arg = |f: &crate::schema::template::FieldRef| {
                let field = self.field(&f.name).expect("checked");
                let local = local(field);
                if option_inner(&field.ty).is_some() {
                    let inner = format_ident!("{}_value", local);
                    quote!(#inner)
                } else {
                    quote!(&#local)
                }
            };
            let mut sets = Vec::new();
            let mut attrs = Vec::new();
            if index.kind != IndexKind::Local {
                let pk = &index.partition_key;
                let value = key_value(name, pk, Role::Partition, &keys.partition, &arg);
                sets.push(quote!(out.push((#pk, ::core::option::Option::Some(::dynaschema::__private::AttributeValue::S(#value?))));));
                attrs.push(pk.clone());
            }
            if let (Some(template), Some(sk)) = (&keys.sort, &index.sort_key) {
                let value = key_value(name, sk, Role::Sort, template, &arg);
                sets.push(quote!(out.push((#sk, ::core::option::Option::Some(::dynaschema::__private::AttributeValue::S(#value?))));));
                attrs.push(sk.clone());
            }
            let body = if optional.is_empty() {
                quote!(#(#sets)*)
            } else {
                let values = optional.iter().map(|f| format_ident!("{}_value", local(f)));
                let sources = optional.iter().map(|f| {
                    let local = local(f);
                    quote!(#local.as_ref())
                });
                quote! {
                    if let (#(::core::option::Option::Some(#values),)*) = (#(#sources,)*) {
                        #(#sets)*
                    } else {
                        // A `None` field takes the item out of this sparse index.
                        #(out.push((#attrs, ::core::option::Option::None));)*
                    }
                }
            };
            blocks.push(quote! {
                {
                    const FIELDS: &[&str] = &[#(#attributes),*];
                    let touched: ::std::vec::Vec<&str> = FIELDS
                        .iter()
                        .copied()
                        .filter(|f| values.contains_key(*f) || removed.contains(f))
                        .collect();
                    if !touched.is_empty() {
                        if touched.len() < FIELDS.len() {
                            return ::core::result::Result::Err(::dynaschema::UpdateError::IncompleteIndexKey {
                                entity: #name,
                                index: #index_name,
                                field: touched[0].to_owned(),
                                missing: FIELDS.iter().copied().filter(|f| !touched.contains(f)).collect(),
                            }.into());
                        }
                        let mut values = values.clone();
                        #(#decode)*
                        #body
                    }
                }
            });
        }
        if blocks.is_empty() {
            return TokenStream::new();
        }
        quote! {
            fn index_keys_for_update(
                key: &::dynaschema::__private::Item,
                values: &::dynaschema::__private::Item,
                removed: &[&'static str],
            ) -> ::dynaschema::Result<::std::vec::Vec<(&'static str, ::core::option::Option<::dynaschema::__private::AttributeValue>)>> {
                let mut out = ::std::vec::Vec::new();
                #(#blocks)*
                ::core::result::Result::Ok(out)
            }
        }
    }

    /// Compile-time checks that each field of a multi-attribute key has the type the
    /// schema declares for its attribute, reported on the field's type.
    fn native_type_checks(&self) -> Vec<TokenStream> {
        let mut out = Vec::new();
        for keys in &self.entity.keys {
            let index = &self.schema.indexes[keys.index];
            for (attribute, f) in self.native_fields(keys) {
                let Some(field) = self.field(&f.name) else {
                    continue;
                };
                let ty = Self::arg_type(field);
                let (kind, expected) = match attribute.kind {
                    crate::schema::ScalarKind::String => (quote!(String), "string"),
                    crate::schema::ScalarKind::Number => (quote!(Number), "number"),
                };
                let message = format!(
                    "`{}::{}` fills attribute `{}` of index `{}`, declared a {expected}: its type is not stored as a {expected} (see `attribute_types` in {})",
                    self.ident,
                    field.name(),
                    attribute.name,
                    index.name,
                    self.location(&index.span)
                );
                let span = option_inner(&field.ty).unwrap_or(&field.ty).span();
                out.push(quote_spanned! {span=>
                    const _: () = ::dynaschema::__private::assert_key_type::<#ty>(
                        ::dynaschema::__private::ScalarType::#kind,
                        #message,
                    );
                });
            }
        }
        out
    }

    /// For each `include` index the entity is on: a struct of what the index holds of
    /// it (key fields, read from the keys, and the included attributes that are
    /// fields), and the `Projected` impl through which generated patterns name it.
    fn include_projections(&self, input: &EntityInput) -> Vec<TokenStream> {
        let ident = self.ident;
        let name = &self.entity.name;
        let vis = &input.vis;
        let derives = derived_traits(&input.attrs, &["Debug", "Clone", "PartialEq"]);
        let mut out = Vec::new();
        for keys in &self.entity.keys {
            let index = &self.schema.indexes[keys.index];
            let Projection::Include(included) = &index.projection else {
                continue;
            };
            let projection = projection_name(&self.entity.name, &index.name);
            let crate::keys::KeyFieldsDecoder {
                fields: key_fields,
                mut declarations,
                statements,
                mut initialisers,
            } = crate::keys::key_fields_decoder(self.schema, self.entity, keys, &quote!(#ident));
            let mut listed = Vec::new();
            for field in self.fields {
                let attribute = field.attribute();
                if !included.contains(&attribute) || key_fields.contains(&field.name()) {
                    continue;
                }
                let field_ident = &field.ident;
                let ty = &field.ty;
                let doc = crate::tokens::doc(&format!(
                    "`{ident}::{}`, projected as `{attribute}`.",
                    field.name()
                ));
                declarations.push(quote!(#doc pub #field_ident: #ty,));
                initialisers.push(quote! {
                    #field_ident: ::dynaschema::__private::decode_field::<#ty>(#name, #attribute, &mut item)?
                });
                listed.push(format!("`{}`", field.name()));
            }
            let doc = crate::tokens::doc(&format!(
                "What index `{}` holds of a [`{ident}`]: its key fields (read from the keys){}.\n\n\
                 Returned by the schema's patterns on `{}`; other fields are not projected there.",
                index.name,
                if listed.is_empty() {
                    String::new()
                } else {
                    format!(" and the included {}", listed.join(", "))
                },
                index.name
            ));
            let hash = field_hash(&index.name);
            out.push(quote! {
                #doc
                #[derive(#(#derives),*)]
                #[non_exhaustive]
                #[allow(dead_code)]
                #vis struct #projection {
                    #(#declarations)*
                }

                #[automatically_derived]
                #[doc(hidden)]
                impl ::dynaschema::__private::Projected<#hash> for #ident {
                    type Projection = #projection;

                    fn decode_projection(
                        #[allow(unused_mut)] mut item: ::dynaschema::__private::Item,
                        _: &'static str,
                    ) -> ::core::result::Result<::core::option::Option<#projection>, ::dynaschema::__private::Error> {
                        #(#statements)*
                        ::core::result::Result::Ok(::core::option::Option::Some(#projection {
                            #(#initialisers,)*
                        }))
                    }
                }
            });
        }
        out
    }

    /// `pub fn key(..)` (primary) or `pub fn gsi1_key(..)`.
    fn key_function(&self, keys: &EntityKeys) -> TokenStream {
        let index = &self.schema.indexes[keys.index];
        let placeholders: Vec<&crate::schema::template::FieldRef> = {
            let mut seen = BTreeSet::new();
            keys.templates()
                .flat_map(|t| t.fields())
                .filter(|f| seen.insert(f.name.as_str()))
                .collect()
        };
        let params = placeholders.iter().map(|p| {
            let field = self.field(&p.name).expect("checked");
            let ident = crate::names::ident(&p.name);
            let ty = Self::arg_type(field);
            quote!(#ident: &#ty)
        });
        let body = self.key_expression(keys, &|f| {
            // The argument's name carries the field type's span, so a type error in
            // the key code is reported on the field.
            let span = self.field(&f.name).expect("checked").ty.span();
            let ident = crate::names::ident_at(&f.name, span);
            quote!(#ident)
        });
        let templates = match &keys.sort {
            Some(sk) => format!("`{}` / `{}`", keys.partition.text, sk.text),
            None => format!("`{}`", keys.partition.text),
        };
        let (function, marker, doc) = if index.kind == IndexKind::Primary {
            (
                format_ident!("key"),
                quote!(::dynaschema::__private::Primary),
                format!(
                    "The primary key of the `{}` item with these values: {templates}. Pass it to `get` or `delete`.",
                    self.entity.name
                ),
            )
        } else {
            (
                crate::names::ident(&crate::names::index_key_function(&index.name)),
                quote!(::dynaschema::__private::Secondary),
                format!(
                    "The `{}` index key of a `{}` item: {templates}.",
                    index.name, self.entity.name
                ),
            )
        };
        quote! {
            #[doc = #doc]
            pub fn #function(#(#params),*) -> ::dynaschema::__private::Key<Self, #marker> {
                #body
            }
        }
    }

    /// The filters of the query and scan patterns on this entity.
    fn filters(&self) -> impl Iterator<Item = &crate::schema::filter::Filter> {
        let position = self
            .schema
            .entities
            .iter()
            .position(|e| e.name == self.entity.name);
        self.schema
            .patterns
            .iter()
            .filter_map(move |p| match &p.kind {
                PatternKind::Query {
                    entity,
                    filter: Some(filter),
                    ..
                }
                | PatternKind::Scan {
                    entity,
                    filter: Some(filter),
                    ..
                } if Some(*entity) == position => Some(filter),
                _ => None,
            })
    }

    /// `impl FilterField<H> for X` for every field a filter reads: the attribute name
    /// and the parameter type code generated from the schema needs.
    fn filter_links(&self) -> Vec<TokenStream> {
        let ident = self.ident;
        let names: BTreeSet<&str> = self
            .filters()
            .flat_map(|f| f.fields.iter())
            .map(|f| f.name.as_str())
            .collect();
        names
            .into_iter()
            .filter_map(|name| self.field(name).map(|field| (name, field)))
            .map(|(name, field)| {
                let hash = field_hash(name);
                let ty = Self::arg_type(field);
                let attribute = field.attribute();
                let span = option_inner(&field.ty).unwrap_or(&field.ty).span();
                let assoc = quote_spanned!(span=> type Arg = #ty;);
                quote! {
                    #[automatically_derived]
                    #[doc(hidden)]
                    impl ::dynaschema::__private::FilterField<#hash> for #ident {
                        #assoc
                        const ATTRIBUTE: &'static str = #attribute;
                    }
                }
            })
            .collect()
    }

    /// `impl KeyField<H> for X { type Arg = T; }` for every placeholder field: how code
    /// generated from the schema alone names the types of this struct's key fields.
    /// The `type Arg` carries the field type's span, so a type that cannot be a key
    /// segment is reported on the field.
    fn field_links(&self) -> Vec<TokenStream> {
        let ident = self.ident;
        let natives: BTreeSet<&str> = self
            .entity
            .keys
            .iter()
            .flat_map(|k| self.native_fields(k))
            .map(|(_, f)| f.name.as_str())
            .collect();
        let names: BTreeSet<&str> = self
            .entity
            .keys
            .iter()
            .flat_map(|k| k.templates())
            .flat_map(|t| t.fields())
            .map(|f| f.name.as_str())
            .collect();
        names
            .into_iter()
            .filter_map(|name| self.field(name).map(|field| (name, field)))
            .map(|(name, field)| {
                let hash = field_hash(name);
                let ty = Self::arg_type(field);
                let span = option_inner(&field.ty).unwrap_or(&field.ty).span();
                let assoc = quote_spanned!(span=> type Arg = #ty;);
                let native = natives.contains(name).then(|| {
                    quote! {
                        #[automatically_derived]
                        #[doc(hidden)]
                        impl ::dynaschema::__private::NativeKeyField<#hash> for #ident {
                            #assoc
                        }
                    }
                });
                quote! {
                    #[automatically_derived]
                    #[doc(hidden)]
                    impl ::dynaschema::__private::KeyField<#hash> for #ident {
                        #assoc
                    }
                    #native
                }
            })
            .collect()
    }
}
