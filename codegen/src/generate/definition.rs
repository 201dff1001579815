//! The generated table definition: the schema's [`TableDefinition`] written out as a
//! `&'static` one of string literals.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Generator, doc};
use crate::schema::{
    Billing, Capacity, IndexDefinition, IndexKind, KeyAttribute, Projection, ScalarType,
    StreamView, TableClass, TableDefinition, TableOptions,
};

impl Generator<'_> {
    pub(super) fn definition(&self) -> TokenStream {
        let definition = definition(&self.schema.definition());
        let doc = doc(&format!(
            "The `{}` table as the schema declares it.",
            self.schema.table.name
        ));
        // A `static` reference, not a `static` of the definition itself: a `static`
        // whose type has drop glue (its `Cow`s) costs every incremental build of the
        // application's crate ~16% more instructions (drop glue and upstream
        // monomorphizations looked up again; callgrind on bench/build-cost.sh's
        // 50-entity crate: 1.36 G vs 1.17 G), and a `const` is not promoted to a
        // `'static` once its lists hold values with drop glue.
        quote! {
            #doc
            pub static DEFINITION: &::dynaschema::__private::TableDefinition = &#definition;
        }
    }
}

/// `Cow::Borrowed(text)`.
fn text(text: &str) -> TokenStream {
    quote!(::dynaschema::__private::Cow::Borrowed(#text))
}

/// `Cow::Borrowed(&[items])`.
fn list(items: impl IntoIterator<Item = TokenStream>) -> TokenStream {
    let items = items.into_iter();
    quote!(::dynaschema::__private::Cow::Borrowed(&[#(#items),*]))
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

/// A [`TableDefinition`] as a constant expression.
pub(crate) fn definition(definition: &TableDefinition) -> TokenStream {
    let name = text(&definition.name);
    let partition_key = text(&definition.partition_key);
    let sort_key = option(definition.sort_key.as_deref().map(text));
    let entity_attribute = text(&definition.entity_attribute);
    let indexes = list(definition.indexes.iter().map(index));
    let entities = list(definition.entities.iter().map(|e| text(e)));
    let options = options(&definition.options);
    quote! {
        ::dynaschema::__private::TableDefinition {
            name: #name,
            partition_key: #partition_key,
            sort_key: #sort_key,
            entity_attribute: #entity_attribute,
            indexes: #indexes,
            entities: #entities,
            options: #options,
        }
    }
}

fn index(index: &IndexDefinition) -> TokenStream {
    let name = text(&index.name);
    let kind = match index.kind {
        IndexKind::Global => quote!(::dynaschema::__private::IndexKind::Global),
        IndexKind::Local => quote!(::dynaschema::__private::IndexKind::Local),
    };
    let partition_key = list(index.partition_key.iter().map(key_attribute));
    let sort_key = list(index.sort_key.iter().map(key_attribute));
    let projection = match &index.projection {
        Projection::All => quote!(::dynaschema::__private::Projection::All),
        Projection::KeysOnly => quote!(::dynaschema::__private::Projection::KeysOnly),
        Projection::Include(names) => {
            let names = list(names.iter().map(|n| text(n)));
            quote!(::dynaschema::__private::Projection::Include(#names))
        }
    };
    let capacity = option(index.capacity.map(capacity));
    quote! {
        ::dynaschema::__private::IndexDefinition {
            name: #name,
            kind: #kind,
            partition_key: #partition_key,
            sort_key: #sort_key,
            projection: #projection,
            capacity: #capacity,
        }
    }
}

fn key_attribute(attribute: &KeyAttribute) -> TokenStream {
    let name = &*attribute.name;
    match attribute.kind {
        ScalarType::String => quote!(::dynaschema::__private::KeyAttribute::string(#name)),
        ScalarType::Number => quote!(::dynaschema::__private::KeyAttribute::number(#name)),
    }
}

fn capacity(capacity: Capacity) -> TokenStream {
    let (read, write) = (capacity.read, capacity.write);
    quote!(::dynaschema::__private::Capacity { read: #read, write: #write })
}

fn options(options: &TableOptions) -> TokenStream {
    let ttl = option(options.ttl_attribute.as_deref().map(text));
    let stream = option(options.stream.map(|view| {
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
    let tags = list(options.tags.iter().map(|(k, v)| {
        let (k, v) = (text(k), text(v));
        quote!((#k, #v))
    }));
    let replicas = list(options.replicas.iter().map(|r| text(r)));
    quote! {
        ::dynaschema::__private::TableOptions {
            ttl_attribute: #ttl,
            stream: #stream,
            point_in_time_recovery: #pitr,
            billing: #billing,
            deletion_protection: #deletion_protection,
            table_class: #table_class,
            tags: #tags,
            replicas: #replicas,
        }
    }
}
