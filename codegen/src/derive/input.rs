//! The derive's input, parsed by darling into a model that keeps the syn nodes, so
//! every later error can point at the struct, a field, or a field's type.

use darling::{FromDeriveInput, FromField};
use syn::{GenericArgument, Ident, PathArguments, Type};

/// `#[derive(Entity)] #[entity(name = "..", schema = "..")] struct X { .. }`
#[derive(Debug, FromDeriveInput)]
#[darling(attributes(entity), supports(struct_named), forward_attrs(derive))]
pub struct EntityInput {
    /// The struct.
    pub ident: Ident,
    /// Its visibility, given to the projection structs emitted next to it.
    pub vis: syn::Visibility,
    /// Its `#[derive(..)]` attributes: projection structs derive the same of
    /// `Debug`, `Clone` and `PartialEq`.
    pub attrs: Vec<syn::Attribute>,
    /// Its generics (refused: entities are concrete types).
    pub generics: syn::Generics,
    /// Its fields.
    pub data: darling::ast::Data<(), FieldInput>,
    /// The entity's name in the schema; default: the struct's name.
    pub name: Option<String>,
    /// The schema file, relative to the crate's `Cargo.toml`; default `dynaschema.toml`.
    pub schema: Option<String>,
    /// `#[entity(upgrade = path)]`: the function upgrading items stored at an older
    /// `schema_version`.
    pub upgrade: Option<syn::Path>,
}

/// `#[derive(Attribute)] struct X { .. }` (a map nested in an entity).
#[derive(Debug, FromDeriveInput)]
#[darling(attributes(entity), supports(struct_named))]
pub struct AttributeInput {
    /// The struct.
    pub ident: Ident,
    /// Its visibility, given to its `Fields` struct.
    pub vis: syn::Visibility,
    /// Its generics (refused: entities are concrete types).
    pub generics: syn::Generics,
    /// Its fields.
    pub data: darling::ast::Data<(), FieldInput>,
}

/// A field, with `#[entity(rename = "..")]`.
#[derive(Debug, Clone, FromField)]
#[darling(attributes(entity))]
pub struct FieldInput {
    /// The field name.
    pub ident: Option<Ident>,
    /// The field type.
    pub ty: Type,
    /// The attribute name; default: the field name.
    pub rename: Option<String>,
    /// `#[entity(version)]`: the optimistic-locking version (a `u64`).
    #[darling(default)]
    pub version: bool,
    /// `#[entity(created_at)]`: set to now when the item is first written.
    #[darling(default)]
    pub created_at: bool,
    /// `#[entity(updated_at)]`: set to now on every write.
    #[darling(default)]
    pub updated_at: bool,
}

impl FieldInput {
    /// The Rust field name.
    pub fn name(&self) -> String {
        // `r#type` is the field `type` in the schema. Named: darling's
        // `supports(struct_named)` refused anything else before this runs.
        syn::ext::IdentExt::unraw(self.ident.as_ref().expect("named struct")).to_string()
    }

    /// The DynamoDB attribute name.
    pub fn attribute(&self) -> String {
        self.rename.clone().unwrap_or_else(|| self.name())
    }
}

/// `T` if `ty` is written `Option<T>` (by any path ending in `Option`).
pub fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first() {
        Some(GenericArgument::Type(inner)) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// Whether `ty` is written `String` (key functions then take `&str`).
pub fn is_string(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none()
        && p.path.segments.last().is_some_and(|s| s.ident == "String" && s.arguments.is_none()))
}
