//! Filters of query and scan patterns: typed parameters and the runtime `Filter`.

use proc_macro2::TokenStream;
use quote::quote;

use super::Generator;
use crate::names::field_hash;
use crate::schema::filter::{Filter, ParamType};
use crate::schema::{AccessPattern, Entity, PatternKind};

impl Generator<'_> {
    /// The filter of a query pattern, if it has one.
    pub(super) fn pattern_filter<'p>(&self, pattern: &'p AccessPattern) -> Option<&'p Filter> {
        match &pattern.kind {
            PatternKind::Query { filter, .. } | PatternKind::Scan { filter, .. } => filter.as_ref(),
            _ => None,
        }
    }

    /// A filter's method parameters, each typed by its role, and the expression
    /// building the runtime `Filter` from them.
    pub(super) fn filter(
        &self,
        entity: &Entity,
        filter: Option<&Filter>,
    ) -> (Vec<TokenStream>, Option<TokenStream>) {
        let Some(filter) = filter else {
            return (Vec::new(), None);
        };
        let ty = self.entity_type(entity);
        let params = filter
            .params
            .iter()
            .map(|(param, param_type)| {
                let ident = crate::names::ident(&param.name);
                let param_ty = match param_type {
                    ParamType::LikeField(field) => {
                        let ty = self.field_type(entity, field, crate::keys::FieldType::Filter);
                        quote!(&#ty)
                    }
                    ParamType::Size => quote!(u64),
                    ParamType::Text => quote!(&str),
                    ParamType::Element => {
                        quote!(&(impl ::dynaschema::__private::FilterValue + ?Sized))
                    }
                };
                quote!(#ident: #param_ty)
            })
            .collect();
        let expression = filter.expression();
        let names = filter.fields.iter().enumerate().map(|(i, field)| {
            let placeholder = format!("#f{i}");
            let hash = field_hash(&field.name);
            quote!(.name(#placeholder, <#ty as ::dynaschema::__private::FilterField<#hash>>::ATTRIBUTE))
        });
        let entity_name = &entity.name;
        let values = filter
            .params
            .iter()
            .enumerate()
            .map(|(i, (param, param_type))| {
                let placeholder = format!(":f{i}");
                let name = &param.name;
                let ident = crate::names::ident(&param.name);
                let value = match param_type {
                    ParamType::Size => quote!(&#ident),
                    _ => quote!(#ident),
                };
                quote!(.value(#entity_name, #placeholder, #name, #value))
            });
        let build = quote! {
            ::dynaschema::__private::Filter::new(#expression) #(#names)* #(#values)*
        };
        (params, Some(build))
    }
}
