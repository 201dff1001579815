//! Derive macros of [dynaschema](https://docs.rs/dynaschema). A thin shim: all logic
//! lives in `dynaschema-codegen`, where it is shared with `build.rs` and the CLI and
//! can be tested without a compiler in the loop.

use proc_macro::TokenStream;

/// Derives `dynaschema::Entity`; documented on the re-export in `dynaschema`.
#[proc_macro_derive(Entity, attributes(entity))]
pub fn derive_entity(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    dynaschema_codegen::derive::entity(&input).into()
}

/// Derives `dynaschema::Attribute` for nested structs; documented on the re-export.
#[proc_macro_derive(Attribute, attributes(entity))]
pub fn derive_attribute(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    dynaschema_codegen::derive::attribute(&input).into()
}
