//! Code that builds key values from templates. Shared by the derive (item keys, key
//! functions) and the build.rs module (pattern methods), so a key is encoded by one
//! piece of generated code shape, whichever side builds it.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use crate::schema::template::{FieldRef, KeyTemplate, Segment};
use crate::schema::{EntityKeys, Index};

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
    segments: &[Segment],
    arg: &dyn Fn(&FieldRef) -> TokenStream,
) -> TokenStream {
    let role = role.tokens();
    let steps = segments.iter().map(|segment| match segment {
        Segment::Literal(text) => quote!(.literal(#text)),
        Segment::Field(field) => {
            let name = &field.name;
            let value = cased(field, arg(field));
            // Spanned like the value, so a type error lands where the value comes from.
            let span = value
                .clone()
                .into_iter()
                .next()
                .map_or_else(Span::call_site, |t| t.span());
            quote_spanned!(span=> .value(#name, #value))
        }
    });
    quote!(::dynaschema::__private::KeyWriter::new(#entity, #attribute, #role) #(#steps)*)
}

/// An expression of type `Result<String, KeyError>`: the full key value.
/// `arg` gives the expression (a reference) for each placeholder's value.
pub fn key_value(
    entity: &str,
    attribute: &str,
    role: Role,
    template: &KeyTemplate,
    arg: &dyn Fn(&FieldRef) -> TokenStream,
) -> TokenStream {
    let writer = writer(entity, attribute, role, &template.segments, arg);
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
    let writer = writer(entity, attribute, Role::Sort, &literals, &|_| {
        unreachable!("literals only")
    });
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

/// `value` (a reference expression) wrapped in the placeholder's explicit casing.
pub fn cased(field: &FieldRef, value: TokenStream) -> TokenStream {
    match field.case {
        None => value,
        Some(crate::schema::template::Case::Lower) => {
            quote!(&::dynaschema::__private::Cased::lower(#value))
        }
        Some(crate::schema::template::Case::Upper) => {
            quote!(&::dynaschema::__private::Cased::upper(#value))
        }
    }
}
