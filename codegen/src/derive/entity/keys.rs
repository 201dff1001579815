//! Key attributes: the primary and index keys an item carries, those an update
//! rewrites, and the typed key functions.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::Context;
use crate::derive::input::{FieldInput, option_inner};
use crate::keys::{Role, key_from_parts, key_value, or_previously};
use crate::names::field_hash;
use crate::schema::EntityKeys;

impl Context<'_> {
    /// `Key::from_parts(..)` for one index, with placeholder values from `arg`.
    pub(super) fn key_expression(
        &self,
        keys: &EntityKeys,
        arg: &dyn Fn(&crate::schema::template::FieldRef) -> TokenStream,
    ) -> TokenStream {
        let index = &self.schema.indexes[keys.index];
        let key = key_from_parts(&self.entity.name, index, keys, arg);
        if index.is_primary() {
            or_previously(key, self.entity, index, arg)
        } else {
            key
        }
    }

    /// Statements inserting one index's key attributes into `item`. An index whose
    /// template uses an `Option` field that is `None` gets no attributes (sparse).
    pub(super) fn item_keys(&self, keys: &EntityKeys) -> TokenStream {
        let index = &self.schema.indexes[keys.index];
        let name = &self.entity.name;
        if index.multi_attribute.is_some() {
            return self.multi_attribute_item_keys(keys);
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
        if !index.is_local() {
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
    pub(super) fn multi_attribute_fields<'k>(
        &'k self,
        keys: &'k EntityKeys,
    ) -> Vec<(
        &'k crate::schema::KeyAttribute,
        &'k crate::schema::template::FieldRef,
    )> {
        let Some(key) = &self.schema.indexes[keys.index].multi_attribute else {
            return Vec::new();
        };
        key.partition
            .iter()
            .zip(keys.partition.fields())
            .chain(
                key.sort
                    .iter()
                    .zip(keys.sort.iter().flat_map(|t| t.fields())),
            )
            .collect()
    }

    /// A multi-attribute key: each attribute holds its field's own value. A field
    /// stored under that attribute already writes it; other fields are copied. Every
    /// value is checked as DynamoDB checks keys (non-empty, size) before sending.
    pub(super) fn multi_attribute_item_keys(&self, keys: &EntityKeys) -> TokenStream {
        let name = &self.entity.name;
        // Called only for indexes with a multi-attribute key (see `item_keys`).
        let key = self.schema.indexes[keys.index]
            .multi_attribute
            .as_ref()
            .expect("a multi-attribute index");
        let statements = self.multi_attribute_fields(keys).into_iter().map(|(attribute, f)| {
            let field = self.field(&f.name).expect("checked");
            let ident = &field.ident;
            let attr = &*attribute.name;
            let partition = key.partition.contains(attribute);
            let (bind, value) = if option_inner(&field.ty).is_some() {
                (
                    quote!(if let ::core::option::Option::Some(value) = self.#ident.as_ref()),
                    quote!(value),
                )
            } else {
                (quote!(), quote!(&self.#ident))
            };
            let value = quote_spanned!(field.ty.span()=> ::dynaschema::__private::key_attribute_value(#name, #attr, #partition, #value)?);
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
    pub(super) fn index_keys_for_update(&self) -> TokenStream {
        let name = &self.entity.name;
        let mut blocks = Vec::new();
        for keys in self.entity.keys.iter().filter(|k| k.index != 0) {
            let index = &self.schema.indexes[keys.index];
            let index_name = &index.name;
            let mut seen = BTreeSet::new();
            let fields: Vec<&FieldInput> = keys
                .templates()
                .flat_map(|t| t.fields())
                .chain(
                    keys.partition
                        .shards
                        .iter()
                        .flat_map(|s| s.of.iter().map(|o| &o.field)),
                )
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
                    // A time bucket is not the value: read it where it is whole.
                    if let Some(position) = template
                        .fields()
                        .position(|f| f.name == field && f.bucket.is_none())
                    {
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
                                crate::schema::template::Segment::Field(_) | crate::schema::template::Segment::Shard(_) => quote!(::core::option::Option::None),
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
            if let Some(key) = &index.multi_attribute {
                // Each attribute on its own: a copied field's attribute follows it.
                let copies = key
                    .partition
                    .iter()
                    .chain(&key.sort)
                    .zip(keys.templates().flat_map(|t| t.fields()))
                    .filter_map(|(attribute, f)| {
                        let field = self.field(&f.name).expect("checked");
                        let field_attribute = field.attribute();
                        if field_attribute == attribute.name {
                            return None;
                        }
                        let attr = &attribute.name;
                        let partition = key.partition.contains(attribute);
                        let ty = &field.ty;
                        let value = if option_inner(ty).is_some() {
                            quote! {
                                match value.as_ref() {
                                    ::core::option::Option::Some(v) => ::core::option::Option::Some(::dynaschema::__private::key_attribute_value(#name, #attr, #partition, v)?),
                                    ::core::option::Option::None => ::core::option::Option::None,
                                }
                            }
                        } else {
                            quote!(::core::option::Option::Some(::dynaschema::__private::key_attribute_value(#name, #attr, #partition, &value)?))
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
            if !index.is_local() {
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
    pub(super) fn key_attribute_type_checks(&self) -> Vec<TokenStream> {
        let mut out = Vec::new();
        for keys in &self.entity.keys {
            let index = &self.schema.indexes[keys.index];
            for (attribute, f) in self.multi_attribute_fields(keys) {
                let Some(field) = self.field(&f.name) else {
                    continue;
                };
                let ty = Self::arg_type(field);
                let (kind, expected) = match attribute.kind {
                    crate::schema::ScalarType::String => (quote!(String), "string"),
                    crate::schema::ScalarType::Number => (quote!(Number), "number"),
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

    /// `pub fn key(..)` (primary) or `pub fn gsi1_key(..)`.
    pub(super) fn key_function(&self, keys: &EntityKeys) -> TokenStream {
        let index = &self.schema.indexes[keys.index];
        let placeholders: Vec<&crate::schema::template::FieldRef> = {
            let mut seen = BTreeSet::new();
            // A sharded key's shard comes from its `of` fields: parameters too.
            keys.templates()
                .flat_map(|t| t.fields())
                .chain(
                    keys.partition
                        .shards
                        .iter()
                        .flat_map(|s| s.of.iter().map(|o| &o.field)),
                )
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
        let (function, marker, doc) = if index.is_primary() {
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
}
