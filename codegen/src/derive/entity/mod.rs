//! `#[derive(Entity)]`: the struct checked against its entity in the schema, then the
//! `Entity` impl, the key functions and the field-type links for generated patterns.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::fields::{check_fields, decode_fields, encode_fields};
use super::input::{EntityInput, FieldInput, is_string, option_inner};
use crate::diagnostics::closest;
use crate::schema::{Entity, Schema};

mod checks;
mod keys;
mod links;
mod projections;

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

/// The derive's view of one struct. `expand` runs only after `check` found no error,
/// so every schema placeholder names a field of the struct: the `expect("checked")`
/// calls in these modules rely on it. Fields are named (`expect("named")`): darling's
/// `supports(struct_named)` refuses any other struct before this is built.
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

    /// `&self.field`, spanned at the field's type so that a type error in the
    /// generated key code is reported on the field.
    fn field_access(&self, name: &str) -> TokenStream {
        let field = self.field(name).expect("checked");
        let ident = &field.ident;
        quote_spanned!(field.ty.span()=> &self.#ident)
    }

    /// The type a key function takes for `field` (behind a reference).
    /// `macro_rules! __dynaschema_{Entity}`: each key or filter field's type as generated pattern
    /// signatures show it, `("field") => { type }` (the argument type, `str` for a
    /// `String`) and `(owned "field") => { type }` (the field's own type, an
    /// `Option`'s inner one). The generated module invokes it in type position, so
    /// rustdoc, hovers and errors show the field's type as written on the struct.
    fn types_macro(&self) -> TokenStream {
        let name = crate::names::types_macro(&self.entity.name);
        let entity_name = &self.entity.name;
        let macro_name = syn::Ident::new(&name, proc_macro2::Span::call_site());
        // Only the fields generated code names: key template fields and filter fields.
        let named: std::collections::BTreeSet<&str> = self
            .entity
            .keys
            .iter()
            .flat_map(|k| k.templates())
            .flat_map(|t| t.fields())
            .map(|f| f.name.as_str())
            .chain(
                self.filters()
                    .flat_map(|f| f.fields.iter())
                    .map(|f| f.name.as_str()),
            )
            .collect();
        let arms = self
            .fields
            .iter()
            .filter(|f| named.contains(f.name().as_str()))
            .map(|field| {
                let key = field.name();
                let arg = Self::arg_type(field);
                let owned = option_inner(&field.ty).unwrap_or(&field.ty);
                quote! {
                    (#key) => { #arg };
                    (owned #key) => { #owned };
                }
            });
        quote! {
            #[doc(hidden)]
            #[allow(unused_macros)]
            macro_rules! #macro_name {
                #(#arms)*
                // Also the rule a macro needs when no field is named (an entity
                // whose keys are all literals, with no filter); generated code
                // never reaches it.
                ($($other:tt)*) => {
                    ::core::compile_error!(::core::concat!(
                        "no field ", ::core::stringify!($($other)*), " of entity ", #entity_name,
                        " in the schema's key templates or filters",
                    ))
                };
            }
            #[doc(hidden)]
            #[allow(unused_imports)]
            pub(crate) use #macro_name;
        }
    }

    /// The field's type as code in the entity's own module names it.
    fn concrete_type(&self, name: &str, kind: crate::keys::FieldType) -> Option<TokenStream> {
        use crate::keys::FieldType;
        let field = self.field(name)?;
        Some(match kind {
            FieldType::Key | FieldType::Filter => Self::arg_type(field),
            FieldType::SegmentOwned | FieldType::AttributeOwned => {
                let owned = option_inner(&field.ty).unwrap_or(&field.ty);
                quote!(#owned)
            }
        })
    }

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
            .filter(|keys| self.schema.indexes[keys.index].multi_attribute.is_none())
            .map(|keys| self.key_function(keys));
        let key_attribute_type_checks = self.key_attribute_type_checks();
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
        let attributes_of = |primary: bool| {
            let mut names: Vec<String> = Vec::new();
            for keys in &self.entity.keys {
                if self.schema.indexes[keys.index].is_primary() != primary {
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
        let primary_fields = attributes_of(true);
        let index_fields = attributes_of(false);
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
        let types_macro = self.types_macro();
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

            #types_macro
            #(#field_links)*
            #(#filter_links)*
            #(#key_attribute_type_checks)*
        }
    }
}
