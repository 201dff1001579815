//! The links generated pattern code uses to name the entity's field types
//! (`KeyField`, `FilterField`).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::Context;
use crate::derive::input::option_inner;
use crate::names::field_hash;
use crate::schema::PatternKind;

impl Context<'_> {
    /// The filters of the query and scan patterns on this entity.
    pub(super) fn filters(&self) -> impl Iterator<Item = &crate::schema::filter::Filter> {
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
    pub(super) fn filter_links(&self) -> Vec<TokenStream> {
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

    /// `impl KeyField<H> for X { type Arg = T; }` for every key field, whether it
    /// fills a template segment or a multi-attribute key attribute: how code generated
    /// from the schema alone names the types of this struct's key fields. Whether the
    /// type can be a segment (`KeySegment`) or an attribute (`KeyAttributeValue`) is
    /// checked where the derive encodes the field, on the field's type.
    pub(super) fn field_links(&self) -> Vec<TokenStream> {
        let ident = self.ident;
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
                quote! {
                    #[automatically_derived]
                    #[doc(hidden)]
                    impl ::dynaschema::__private::KeyField<#hash> for #ident {
                        #assoc
                    }
                }
            })
            .collect()
    }
}
