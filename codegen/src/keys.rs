//! Code that builds key values from templates. Shared by the derive (item keys, key
//! functions) and the build.rs module (pattern methods), so a key is encoded by one
//! piece of generated code shape, whichever side builds it.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use crate::schema::template::{FieldRef, KeyTemplate, Segment, Shards};
use crate::schema::{Entity, EntityKeys, Index, Schema};

/// Which key attribute of an index a template fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Partition key (2,048 bytes at most).
    Partition,
    /// Sort key (1,024 bytes at most).
    Sort,
}

impl Role {
    fn tokens(self) -> TokenStream {
        match self {
            Role::Partition => quote!(::dynaschema::__private::KeyRole::Partition),
            Role::Sort => quote!(::dynaschema::__private::KeyRole::Sort),
        }
    }
}

fn writer(
    entity: &str,
    attribute: &str,
    role: Role,
    template: (&[Segment], Option<&Shards>),
    shard_number: Option<&TokenStream>,
    arg: &dyn Fn(&FieldRef) -> TokenStream,
) -> TokenStream {
    let role = role.tokens();
    let (segments, shards) = template;
    let value_of = |field: &FieldRef| {
        let value = cased(field, arg(field));
        // Spanned like the value, so a type error lands where the value comes from.
        let span = value
            .clone()
            .into_iter()
            .next()
            .map_or_else(Span::call_site, |t| t.span());
        (value, span)
    };
    let steps = segments.iter().map(|segment| match segment {
        Segment::Literal(text) => quote!(.literal(#text)),
        Segment::Field(field) => {
            let name = &field.name;
            let (value, span) = value_of(field);
            quote_spanned!(span=> .value(#name, #value))
        }
        Segment::Shard(_) => match (shard_number, shards) {
            (Some(number), _) => quote!(.shard_number(#number)),
            (None, Some(shards)) => {
                let count = shards.count;
                let values = shards.of.iter().map(|source| {
                    let name = &source.field.name;
                    let (value, span) = value_of(&source.field);
                    quote_spanned!(span=> .value(#name, #value))
                });
                quote! {
                    .shard(::dynaschema::__private::ShardHash::new(#entity) #(#values)* .finish(#count))
                }
            }
            // Lowering sets `shards` on every template with a shard segment.
            (None, None) => quote!(.shard_number(0)),
        },
    });
    quote!(::dynaschema::__private::KeyWriter::new(#entity, #attribute, #role) #(#steps)*)
}

/// An expression of type `Result<String, KeyError>`: the full key value.
/// `arg` gives the expression (a reference) for each placeholder's value; a shard
/// segment is computed from the values of the fields it is sharded by.
pub fn key_value(
    entity: &str,
    attribute: &str,
    role: Role,
    template: &KeyTemplate,
    arg: &dyn Fn(&FieldRef) -> TokenStream,
) -> TokenStream {
    let writer = writer(
        entity,
        attribute,
        role,
        (&template.segments, template.shards.as_ref()),
        None,
        arg,
    );
    quote!(#writer.finish())
}

/// An expression of type `Result<String, KeyError>`: a sharded partition key's
/// value in shard `shard` (an expression of type `u32`), for the queries that read
/// every shard.
pub fn key_value_in_shard(
    entity: &str,
    attribute: &str,
    template: &KeyTemplate,
    shard: &TokenStream,
    arg: &dyn Fn(&FieldRef) -> TokenStream,
) -> TokenStream {
    let writer = writer(
        entity,
        attribute,
        Role::Partition,
        (&template.segments, template.shards.as_ref()),
        Some(shard),
        arg,
    );
    quote!(#writer.finish())
}

/// An expression of type `Result<String, KeyError>`: a `begins_with` prefix made of
/// the template's leading literal segments, ending with the delimiter.
pub fn literal_prefix(entity: &str, attribute: &str, template: &KeyTemplate) -> TokenStream {
    let literals: Vec<Segment> = template
        .literal_prefix()
        .into_iter()
        .map(|l| Segment::Literal(l.to_owned()))
        .collect();
    let writer = writer(
        entity,
        attribute,
        Role::Sort,
        (&literals, None),
        None,
        // `writer` asks for a value only for a field segment; these are all literals.
        &|_| unreachable!("literals only"),
    );
    quote!(#writer.finish_prefix())
}

/// An expression of type `Key<E, _>` (the type inferred from context): an entity's
/// key on one index, built from the placeholder values `arg` gives.
pub fn key_from_parts(
    entity: &str,
    index: &Index,
    keys: &EntityKeys,
    arg: &dyn Fn(&FieldRef) -> TokenStream,
) -> TokenStream {
    let pk_attr = &index.partition_key;
    let pk = key_value(entity, pk_attr, Role::Partition, &keys.partition, arg);
    let sk = match (&keys.sort, &index.sort_key) {
        (Some(template), Some(attr)) => {
            let value = key_value(entity, attr, Role::Sort, template, arg);
            quote!(::core::option::Option::Some((#attr, #value)))
        }
        _ => quote!(::core::option::Option::None),
    };
    quote!(::dynaschema::__private::Key::from_parts(#entity, (#pk_attr, #pk), #sk))
}

/// An entity's primary key expression (`key`, from [`key_from_parts`]) with, during a
/// re-key, its previous primary key attached: gets fall back to it and writes move
/// the item from it first.
pub fn or_previously(
    key: TokenStream,
    entity: &crate::schema::model::Entity,
    primary: &Index,
    arg: &dyn Fn(&FieldRef) -> TokenStream,
) -> TokenStream {
    match &entity.previous_primary {
        None => key,
        Some(previous) => {
            let previous = key_from_parts(&entity.name, primary, previous, arg);
            quote!(#key.or_previously(#previous))
        }
    }
}

/// `value` (a reference expression) wrapped in the placeholder's explicit casing, or
/// reduced to its time bucket.
pub fn cased(field: &FieldRef, value: TokenStream) -> TokenStream {
    if let Some(bucket) = field.bucket {
        let bucket = quote::format_ident!("{}", format!("{bucket:?}"));
        return quote!(&::dynaschema::__private::Bucketed::new(#value, ::dynaschema::__private::TimeBucket::#bucket));
    }
    match field.case {
        None => value,
        Some(dynaschema_core::Case::Lower) => {
            quote!(&::dynaschema::__private::Cased::lower(#value))
        }
        Some(dynaschema_core::Case::Upper) => {
            quote!(&::dynaschema::__private::Cased::upper(#value))
        }
    }
}

/// Which type of an entity's field generated code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// As a key function or pattern takes it (`KeyField::Arg`: `str` for `String`),
    /// whether it fills a template segment or a multi-attribute key attribute.
    Key,
    /// As read back from a template key (`KeySegment::Owned`: `String`).
    SegmentOwned,
    /// As read back from a multi-attribute key (`KeyAttributeValue::Owned`).
    AttributeOwned,
    /// As a filter parameter takes it (`FilterField::Arg`).
    Filter,
}

/// How code outside the entity's derive names its field types: through the link
/// traits the derive implements (`<User as KeyField<H>>::Arg`), which resolve
/// anywhere, but read as projections.
pub fn linked_type(entity_ty: &TokenStream, field: &str, kind: FieldType) -> TokenStream {
    let hash = crate::names::field_hash(field);
    let key = quote!(<#entity_ty as ::dynaschema::__private::KeyField<#hash>>::Arg);
    match kind {
        FieldType::Key => key,
        FieldType::SegmentOwned => quote!(<#key as ::dynaschema::__private::KeySegment>::Owned),
        FieldType::AttributeOwned => {
            quote!(<#key as ::dynaschema::__private::KeyAttributeValue>::Owned)
        }
        FieldType::Filter => {
            quote!(<#entity_ty as ::dynaschema::__private::FilterField<#hash>>::Arg)
        }
    }
}

/// Code reading an entity's key fields back from an index item: every field of its
/// primary templates and of its templates on the index (decoded from the key strings),
/// and the fields of a multi-attribute key (read from their own attributes).
pub struct KeyFieldsDecoder {
    /// The fields, in order: `(name, where it is read from)`.
    pub fields: Vec<String>,
    /// `pub field: Type,` per field, documented.
    pub declarations: Vec<TokenStream>,
    /// Statements over `item: Item` that return `Ok(None)` from the enclosing
    /// function when a key does not have the entity's template shape (an item of
    /// another entity).
    pub statements: Vec<TokenStream>,
    /// `field: value` per field, after the statements.
    pub initialisers: Vec<TokenStream>,
}

/// The [`KeyFieldsDecoder`] of `entity` on the index of `keys`; `ty` names the entity
/// struct (its `KeyField` impls type the fields).
pub fn key_fields_decoder(
    schema: &Schema,
    entity: &Entity,
    keys: &EntityKeys,
    type_of: &dyn Fn(&str, FieldType) -> TokenStream,
) -> KeyFieldsDecoder {
    let entity_name = &entity.name;
    let primary = entity.primary();
    let index = &schema.indexes[keys.index];
    let primary_index = schema.primary();
    let mut templates: Vec<(&str, &KeyTemplate)> =
        vec![(primary_index.partition_key.as_str(), &primary.partition)];
    if let (Some(attr), Some(t)) = (&primary_index.sort_key, &primary.sort) {
        templates.push((attr, t));
    }
    if index.multi_attribute.is_none() && !index.is_primary() {
        templates.push((index.partition_key.as_str(), &keys.partition));
        if let (Some(attr), Some(t)) = (&index.sort_key, &keys.sort) {
            templates.push((attr, t));
        }
    }
    let mut out = KeyFieldsDecoder {
        fields: Vec::new(),
        declarations: Vec::new(),
        statements: Vec::new(),
        initialisers: Vec::new(),
    };
    // Each field from its first template; the rest only check the shape.
    for (t, (attr, template)) in templates.iter().enumerate() {
        let shape = template.segments.iter().map(|segment| match segment {
            Segment::Literal(l) => quote!(::core::option::Option::Some(#l)),
            Segment::Field(_) | Segment::Shard(_) => quote!(::core::option::Option::None),
        });
        let local = quote::format_ident!("__t{t}");
        out.statements.push(quote! {
            let ::core::option::Option::Some(#local) =
                ::dynaschema::__private::key_fields(&item, #attr, &[#(#shape),*])
            else {
                return ::core::result::Result::Ok(::core::option::Option::None);
            };
        });
        for field in template.fields() {
            // A time bucket is not the value: it is read from where it is whole.
            if out.fields.contains(&field.name) || field.bucket.is_some() {
                continue;
            }
            let position = template.value_slot(&field.name).unwrap_or_default();
            let name = &field.name;
            let ident = crate::names::ident(name);
            let arg = type_of(name, FieldType::Key);
            let owned = type_of(name, FieldType::SegmentOwned);
            let doc = crate::tokens::doc(&format!("`{entity_name}::{name}`, read from the keys."));
            out.declarations.push(quote!(#doc pub #ident: #owned,));
            out.initialisers.push(quote! {
                #ident: ::dynaschema::__private::decode_key_field::<#arg>(#entity_name, #name, &#local[#position])?
            });
            out.fields.push(name.clone());
        }
    }
    // Fields only a multi-attribute key holds, read from their own attributes.
    let attributes = index
        .multi_attribute
        .iter()
        .flat_map(|key| key.partition.iter().chain(&key.sort));
    for (attribute, field) in attributes.zip(keys.templates().flat_map(|t| t.fields())) {
        if out.fields.contains(&field.name) {
            continue;
        }
        let name = &field.name;
        let attr = &*attribute.name;
        let ident = crate::names::ident(name);
        let arg = type_of(name, FieldType::Key);
        let owned = type_of(name, FieldType::AttributeOwned);
        let doc = crate::tokens::doc(&format!(
            "`{entity_name}::{name}`, read from attribute `{attr}`."
        ));
        out.declarations.push(quote!(#doc pub #ident: #owned,));
        out.initialisers.push(quote! {
            #ident: match ::dynaschema::__private::decode_key_attribute::<#arg>(#entity_name, #name, #attr, &item) {
                ::core::option::Option::Some(value) => value?,
                ::core::option::Option::None => return ::core::result::Result::Ok(::core::option::Option::None),
            }
        });
        out.fields.push(name.clone());
    }
    out
}
