//! What patterns on keys-only indexes return: the entity's key fields, read back
//! from the key strings.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Generator, doc};
use crate::names::{field_hash, snake_case, upper_camel};
use crate::schema::template::{KeyTemplate, Segment};
use crate::schema::{AccessPattern, Entity, PatternKind, Projection};

impl Generator<'_> {
    /// Whether a query pattern returns the keys projection of its entity: its index
    /// projects only keys and it does not fetch the items.
    pub(super) fn is_keys_projection(&self, pattern: &AccessPattern) -> bool {
        match &pattern.kind {
            PatternKind::Query {
                index, fetch_items, ..
            } => self.schema.indexes[*index].projection == Projection::KeysOnly && !fetch_items,
            _ => false,
        }
    }

    /// The projection type's name: `{Entity}{Index}Keys`.
    pub(super) fn keys_projection_name(&self, entity: &Entity, index: usize) -> syn::Ident {
        let index = upper_camel(&snake_case(&self.schema.indexes[index].name));
        format_ident!("{}{}Keys", entity.name, index)
    }

    /// The item type a query pattern yields and the decoder producing it.
    pub(super) fn query_output(&self, pattern: &AccessPattern) -> (TokenStream, TokenStream) {
        let (entity, keys, _) = self.query_parts(pattern);
        if self.is_keys_projection(pattern) {
            let name = self.keys_projection_name(entity, keys.index);
            (quote!(#name), quote!(#name::decode))
        } else {
            let ty = self.entity_type(entity);
            (
                ty.clone(),
                quote!(::dynaschema::__private::decode_entity::<#ty>),
            )
        }
    }

    /// The struct of the fields a keys-only index holds for an entity: every field of
    /// its primary and index key templates, decoded from the key strings. Items whose
    /// keys do not have the entity's template shapes are skipped (the entity attribute
    /// is not projected).
    pub(super) fn keys_projection(&self, pattern: &AccessPattern) -> Option<(String, TokenStream)> {
        if !self.is_keys_projection(pattern) {
            return None;
        }
        let (entity, keys, _) = self.query_parts(pattern);
        let name = self.keys_projection_name(entity, keys.index);
        let ty = self.entity_type(entity);
        let entity_name = &entity.name;
        let primary = entity.primary();
        let index = &self.schema.indexes[keys.index];
        let primary_index = self.schema.primary();
        let mut templates: Vec<(&str, &KeyTemplate)> =
            vec![(primary_index.partition_key.as_str(), &primary.partition)];
        if let (Some(attr), Some(t)) = (&primary_index.sort_key, &primary.sort) {
            templates.push((attr, t));
        }
        if index.native.is_none() {
            templates.push((index.partition_key.as_str(), &keys.partition));
            if let (Some(attr), Some(t)) = (&index.sort_key, &keys.sort) {
                templates.push((attr, t));
            }
        }
        // Each field from its first template; the rest only check the shape.
        let mut fields: Vec<(String, usize, usize)> = Vec::new();
        let mut matches = Vec::new();
        for (t, (attr, template)) in templates.iter().enumerate() {
            let shape = template.segments.iter().map(|segment| match segment {
                Segment::Literal(l) => quote!(::core::option::Option::Some(#l)),
                Segment::Field(_) => quote!(::core::option::Option::None),
            });
            let local = format_ident!("__t{t}");
            matches.push(quote! {
                let ::core::option::Option::Some(#local) =
                    ::dynaschema::__private::key_fields(&item, #attr, &[#(#shape),*])
                else {
                    return ::core::result::Result::Ok(::core::option::Option::None);
                };
            });
            for (position, field) in template.fields().enumerate() {
                if !fields.iter().any(|(f, _, _)| *f == field.name) {
                    fields.push((field.name.clone(), t, position));
                }
            }
        }
        // Fields only a multi-attribute key holds, read from their own attributes.
        let native: Vec<(String, String)> = index
            .native
            .iter()
            .flat_map(|n| n.partition.iter().chain(&n.sort))
            .zip(keys.templates().flat_map(|t| t.fields()))
            .filter(|(_, f)| !fields.iter().any(|(name, _, _)| *name == f.name))
            .map(|(a, f)| (f.name.clone(), a.name.clone()))
            .collect();
        let native_declarations = native.iter().map(|(field, attribute)| {
            let ident = format_ident!("{}", field);
            let hash = field_hash(field);
            let doc = doc(&format!("`{entity_name}::{field}`, read from attribute `{attribute}`."));
            quote!(#doc pub #ident: <<#ty as ::dynaschema::__private::NativeKeyField<#hash>>::Arg as ::dynaschema::__private::NativeKey>::Owned,)
        });
        let native_initialisers = native.iter().map(|(field, attribute)| {
            let ident = format_ident!("{}", field);
            let hash = field_hash(field);
            quote! {
                #ident: match ::dynaschema::__private::decode_native_field::<
                    <#ty as ::dynaschema::__private::NativeKeyField<#hash>>::Arg,
                >(#entity_name, #field, #attribute, &item) {
                    ::core::option::Option::Some(value) => value?,
                    ::core::option::Option::None => return ::core::result::Result::Ok(::core::option::Option::None),
                }
            }
        });
        let field_type = |field: &str| {
            let hash = field_hash(field);
            quote!(<<#ty as ::dynaschema::__private::KeyField<#hash>>::Arg as ::dynaschema::__private::KeySegment>::Owned)
        };
        let declarations = fields.iter().map(|(field, _, _)| {
            let ident = format_ident!("{}", field);
            let ty = field_type(field);
            let doc = doc(&format!("`{entity_name}::{field}`, read from the keys."));
            quote!(#doc pub #ident: #ty,)
        });
        let initialisers = fields.iter().map(|(field, t, position)| {
            let ident = format_ident!("{}", field);
            let local = format_ident!("__t{t}");
            let hash = field_hash(field);
            quote! {
                #ident: ::dynaschema::__private::decode_key_field::<
                    <#ty as ::dynaschema::__private::KeyField<#hash>>::Arg,
                >(#entity_name, #field, &#local[#position])?
            }
        });
        let doc = doc(&format!(
            "What index `{}` holds of a `{entity_name}` item: the fields of its key templates, read from the keys\n\
             (the index projects only keys). Cased segments (`{{field|lower}}`) read back cased.",
            index.name
        ));
        let tokens = quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub struct #name {
                #(#declarations)*
                #(#native_declarations)*
            }

            impl #name {
                /// Reads the key fields of an index item; `None` for items of other entities.
                pub fn decode(
                    item: ::dynaschema::__private::Item,
                    _: &'static str,
                ) -> ::dynaschema::Result<::core::option::Option<Self>> {
                    #(#matches)*
                    ::core::result::Result::Ok(::core::option::Option::Some(Self {
                        #(#initialisers,)*
                        #(#native_initialisers,)*
                    }))
                }
            }
        };
        Some((name.to_string(), tokens))
    }
}
