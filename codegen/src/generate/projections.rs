//! What patterns on keys-only indexes return: the entity's key fields, read back
//! from the key strings.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Generator, doc};
use crate::keys::{KeyFieldsDecoder, key_fields_decoder};
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
        crate::names::ident(&crate::names::keys_projection(
            &entity.name,
            &self.schema.indexes[index].name,
        ))
    }

    /// Whether a query pattern returns the include projection of its entity, which
    /// the derive emits: its index projects some attributes and it does not fetch the
    /// items.
    pub(super) fn is_include_projection(&self, pattern: &AccessPattern) -> bool {
        match &pattern.kind {
            PatternKind::Query {
                index, fetch_items, ..
            } => {
                matches!(
                    self.schema.indexes[*index].projection,
                    Projection::Include(_)
                ) && !fetch_items
            }
            _ => false,
        }
    }

    /// `<Entity as Projected<H>>`: names the include projection struct of an entity.
    fn projected(&self, entity: &Entity, index: usize) -> TokenStream {
        let ty = self.entity_type(entity);
        let hash = crate::names::field_hash(&self.schema.indexes[index].name);
        quote!(<#ty as ::dynaschema::__private::Projected<#hash>>)
    }

    /// `pub type {Entity}{Index}Projection = ..;`, naming the struct the derive emits
    /// next to the entity, for an include-index pattern.
    pub(super) fn include_projection_alias(
        &self,
        pattern: &AccessPattern,
    ) -> Option<(String, TokenStream)> {
        if !self.is_include_projection(pattern) {
            return None;
        }
        let (entity, keys, _) = self.query_parts(pattern);
        let name =
            crate::names::projection_name(&entity.name, &self.schema.indexes[keys.index].name);
        let projected = self.projected(entity, keys.index);
        let doc = doc(&format!(
            "What index `{}` holds of a `{}` item: its key fields and the included attributes it has\n\
             (the struct is emitted by `#[derive(Entity)]` next to the entity).",
            self.schema.indexes[keys.index].name, entity.name
        ));
        Some((
            name.to_string(),
            quote!(#doc pub type #name = #projected::Projection;),
        ))
    }

    /// The item type a query pattern yields and the decoder producing it.
    pub(super) fn query_output(&self, pattern: &AccessPattern) -> (TokenStream, TokenStream) {
        let (entity, keys, _) = self.query_parts(pattern);
        if self.is_include_projection(pattern) {
            let name =
                crate::names::projection_name(&entity.name, &self.schema.indexes[keys.index].name);
            let projected = self.projected(entity, keys.index);
            return (quote!(#name), quote!(#projected::decode_projection));
        }
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
        let entity_name = &entity.name;
        let index = &self.schema.indexes[keys.index];
        let KeyFieldsDecoder {
            declarations,
            statements: matches,
            initialisers,
            ..
        } = key_fields_decoder(self.schema, entity, keys, &|name, kind| {
            self.field_type(entity, name, kind)
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
                    }))
                }
            }
        };
        Some((name.to_string(), tokens))
    }
}
