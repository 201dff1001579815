//! Field-by-field conversion code shared by `#[derive(Entity)]` and
//! `#[derive(Attribute)]`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::input::{AttributeInput, FieldInput};

/// Checks shared by both derives: no generics, no two fields on one attribute.
pub(crate) fn check_fields(
    ident: &syn::Ident,
    generics: &syn::Generics,
    fields: &[FieldInput],
    errors: &mut darling::error::Accumulator,
) {
    if !generics.params.is_empty() {
        errors.push(
            darling::Error::custom("dynaschema entities and attributes cannot be generic")
                .with_span(generics),
        );
    }
    for (i, field) in fields.iter().enumerate() {
        let attribute = field.attribute();
        if attribute.is_empty() {
            errors.push(
                darling::Error::custom("an attribute name cannot be empty").with_span(&field.ty),
            );
        }
        if let Some(other) = fields[..i].iter().find(|f| f.attribute() == attribute) {
            errors.push(
                darling::Error::custom(format!(
                    "`{}` and `{}` of `{ident}` are both stored as attribute `{attribute}`",
                    other.name(),
                    field.name()
                ))
                .with_span(field.ident.as_ref().expect("named")),
            );
        }
    }
}

/// Statements writing every field into `item` (an `Item` in scope), each failing with
/// an `EncodeError` naming `owner` and the attribute.
pub(crate) fn encode_fields(owner: &str, fields: &[FieldInput]) -> Vec<TokenStream> {
    fields
        .iter()
        .map(|f| {
            let ident = &f.ident;
            let attribute = f.attribute();
            quote_spanned!(f.ty.span()=>
                ::dynaschema::__private::encode_field(#owner, #attribute, &self.#ident, &mut item)?;
            )
        })
        .collect()
}

/// Field initialisers reading every field out of `item`, failing with a
/// `DecodeError` naming `owner` and the attribute.
pub(crate) fn decode_fields(owner: &str, fields: &[FieldInput]) -> Vec<TokenStream> {
    fields
        .iter()
        .map(|f| {
            let ident = &f.ident;
            let attribute = f.attribute();
            quote_spanned!(f.ty.span()=>
                #ident: ::dynaschema::__private::decode_field(#owner, #attribute, &mut item)?
            )
        })
        .collect()
}

/// `impl Attribute` storing the struct as a map (`M`).
/// `pub struct {Struct}Fields { pub field: Path<Struct, FieldType>, .. }` and
/// `Struct::fields()`: the typed paths of a struct's fields, for conditions and
/// updates (and, for nested structs, `Nested` so paths continue into them).
pub(crate) fn field_paths(
    ident: &syn::Ident,
    vis: &syn::Visibility,
    fields: &[FieldInput],
    nested: bool,
) -> TokenStream {
    let name = quote::format_ident!("{ident}Fields");
    let declarations = fields.iter().map(|f| {
        let field = &f.ident;
        let ty = &f.ty;
        let doc = format!(" `{ident}::{}`, stored as `{}`.", f.name(), f.attribute());
        quote!(#[doc = #doc] pub #field: ::dynaschema::Path<#ident, #ty>,)
    });
    let initialisers = fields.iter().map(|f| {
        let field = &f.ident;
        let attribute = f.attribute();
        quote!(#field: ::dynaschema::Path::attribute(#attribute),)
    });
    let doc = format!(
        " The typed paths of `{ident}`'s fields, from [`{ident}::fields`], for conditions and updates."
    );
    let nested = nested.then(|| {
        quote! {
            #[automatically_derived]
            impl ::dynaschema::expr::Nested for #ident {
                type Fields = #name;
                fn fields() -> #name {
                    #ident::fields()
                }
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        // A binary crate that never builds a condition uses none of it.
        #[allow(dead_code)]
        #vis struct #name {
            #(#declarations)*
        }

        #[automatically_derived]
        #[allow(dead_code)]
        impl #ident {
            /// The typed paths of this struct's fields, for conditions and updates:
            /// `Self::fields().name.eq("Ada")`.
            #vis fn fields() -> #name {
                #name { #(#initialisers)* }
            }
        }

        #nested
    }
}

pub(crate) fn expand_attribute(input: &AttributeInput) -> TokenStream {
    let ident = &input.ident;
    let fields = input
        .data
        .as_ref()
        .take_struct()
        .expect("supports(struct_named)")
        .fields;
    let fields: Vec<FieldInput> = fields.into_iter().cloned().collect();
    let mut errors = darling::Error::accumulator();
    check_fields(ident, &input.generics, &fields, &mut errors);
    if let Err(e) = errors.finish() {
        return e.write_errors();
    }
    let owner = ident.to_string();
    let count = fields.len();
    let encode = encode_fields(&owner, &fields);
    let decode = decode_fields(&owner, &fields);
    let paths = field_paths(ident, &input.vis, &fields, true);
    quote! {
        #paths

        #[automatically_derived]
        impl ::dynaschema::__private::Attribute for #ident {
            fn encode(
                &self,
            ) -> ::core::result::Result<
                ::core::option::Option<::dynaschema::__private::AttributeValue>,
                ::dynaschema::__private::AttributeError,
            > {
                (|| -> ::core::result::Result<_, ::dynaschema::__private::EncodeError> {
                    let mut item = ::dynaschema::__private::Item::with_capacity(#count);
                    #(#encode)*
                    Ok(item)
                })()
                .map(|item| ::core::option::Option::Some(::dynaschema::__private::AttributeValue::M(item)))
                    .map_err(::dynaschema::__private::nested_encode)
            }

            fn decode(
                value: ::core::option::Option<::dynaschema::__private::AttributeValue>,
            ) -> ::core::result::Result<Self, ::dynaschema::__private::AttributeError> {
                let mut item = ::dynaschema::__private::map_attribute(value)?;
                (|| -> ::core::result::Result<Self, ::dynaschema::__private::DecodeError> {
                    Ok(Self { #(#decode),* })
                })()
                .map_err(::dynaschema::__private::nested_decode)
            }
        }
    }
}
