//! `{Entity}{Index}Projection` structs for queries on `include` indexes.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Context, derived_traits};
use crate::derive::input::EntityInput;
use crate::names::field_hash;
use crate::names::projection_name;
use crate::schema::Projection;

impl Context<'_> {
    /// For each `include` index the entity is on: a struct of what the index holds of
    /// it (key fields, read from the keys, and the included attributes that are
    /// fields), and the `Projected` impl through which generated patterns name it.
    pub(super) fn include_projections(&self, input: &EntityInput) -> Vec<TokenStream> {
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
            } = crate::keys::key_fields_decoder(self.schema, self.entity, keys, &|name, kind| {
                self.concrete_type(name, kind)
                    .unwrap_or_else(|| crate::keys::linked_type(&quote!(#ident), name, kind))
            });
            let mut listed = Vec::new();
            for field in self.fields {
                let attribute = field.attribute();
                if !included.iter().any(|n| *n == attribute) || key_fields.contains(&field.name()) {
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
}
