//! The generated table definition: keys, indexes, options.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Generator, doc, option_str, option_tokens};
use crate::schema::{IndexKind, Projection};

impl Generator<'_> {
    pub(super) fn definition(&self) -> TokenStream {
        let schema = self.schema;
        let name = &schema.table.name;
        let primary = schema.primary();
        let pk = &primary.partition_key;
        let sk = option_str(primary.sort_key.as_deref());
        let entity_attribute = &schema.table.entity_attribute;
        let indexes = schema
            .indexes
            .iter()
            .filter(|i| i.kind != IndexKind::Primary)
            .map(|i| {
                let local = i.kind == IndexKind::Local;
                let name = &i.name;
                let attribute = |a: crate::schema::KeyAttribute| {
                    let name = &a.name;
                    match a.kind {
                        crate::schema::ScalarKind::String => {
                            quote!(::dynaschema::__private::KeyAttribute::string(#name))
                        }
                        crate::schema::ScalarKind::Number => {
                            quote!(::dynaschema::__private::KeyAttribute::number(#name))
                        }
                    }
                };
                let (pk, sk) = i.key_parts();
                let pk: Vec<_> = pk.into_iter().map(attribute).collect();
                let sk: Vec<_> = sk.into_iter().map(attribute).collect();
                let (pk, sk) = (quote!(&[#(#pk),*]), quote!(&[#(#sk),*]));
                let projection = match &i.projection {
                    Projection::All => quote!(::dynaschema::__private::Projection::All),
                    Projection::KeysOnly => quote!(::dynaschema::__private::Projection::KeysOnly),
                    Projection::Include(names) => {
                        quote!(::dynaschema::__private::Projection::Include(&[#(#names),*]))
                    }
                };
                let capacity = option_tokens(i.capacity.map(capacity));
                quote! {
                    ::dynaschema::__private::IndexDefinition {
                        name: #name,
                        partition_key: #pk,
                        sort_key: #sk,
                        projection: #projection,
                        capacity: #capacity,
                        local: #local,
                    }
                }
            });
        let entities = schema.entities.iter().map(|e| &e.name);
        let options = table_options(&schema.table.options);
        let doc = doc(&format!("The `{name}` table as the schema declares it."));
        quote! {
            #doc
            pub static DEFINITION: ::dynaschema::__private::TableDefinition = ::dynaschema::__private::TableDefinition {
                name: #name,
                partition_key: #pk,
                sort_key: #sk,
                entity_attribute: #entity_attribute,
                indexes: &[#(#indexes),*],
                entities: &[#(#entities),*],
                options: #options,
            };
        }
    }
}

fn capacity(capacity: crate::schema::Capacity) -> TokenStream {
    let (read, write) = (capacity.read, capacity.write);
    quote!(::dynaschema::__private::Capacity { read: #read, write: #write })
}

fn table_options(options: &crate::schema::TableOptions) -> TokenStream {
    use crate::schema::{Billing, StreamView, TableClass};
    let ttl = option_str(options.ttl_attribute.as_deref());
    let stream = option_tokens(options.stream.map(|view| {
        let variant = match view {
            StreamView::KeysOnly => quote!(KeysOnly),
            StreamView::NewImage => quote!(NewImage),
            StreamView::OldImage => quote!(OldImage),
            StreamView::NewAndOldImages => quote!(NewAndOldImages),
        };
        quote!(::dynaschema::__private::StreamView::#variant)
    }));
    let pitr = options.point_in_time_recovery;
    let billing = match options.billing {
        Billing::OnDemand => quote!(::dynaschema::__private::Billing::OnDemand),
        Billing::Provisioned(c) => {
            let c = capacity(c);
            quote!(::dynaschema::__private::Billing::Provisioned(#c))
        }
    };
    let deletion_protection = options.deletion_protection;
    let table_class = match options.table_class {
        TableClass::Standard => quote!(::dynaschema::__private::TableClass::Standard),
        TableClass::StandardInfrequentAccess => {
            quote!(::dynaschema::__private::TableClass::StandardInfrequentAccess)
        }
    };
    let tags = options.tags.iter().map(|(k, v)| quote!((#k, #v)));
    let replicas = &options.replicas;
    quote! {
        ::dynaschema::__private::TableOptions {
            ttl_attribute: #ttl,
            stream: #stream,
            point_in_time_recovery: #pitr,
            billing: #billing,
            deletion_protection: #deletion_protection,
            table_class: #table_class,
            tags: &[#(#tags),*],
            replicas: &[#(#replicas),*],
        }
    }
}
