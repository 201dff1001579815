//! Names derived from schema names: modules, fields, hashes linking generated code
//! to derive output.
//!
//! Every identifier the generator and the derive emit is built here, from the
//! functions and constants below, and the identifier rule of [`check`](crate::check)
//! reads the same ones: what it checks is what is emitted.
//!
//! A schema name that is a Rust keyword becomes a raw identifier (`type` -> `r#type`,
//! a pattern `match` -> a method `r#match`), as Rust allows everywhere but for the
//! path keywords `self`, `Self`, `super` and `crate`, which the schema's rules refuse
//! with a diagnostic.

/// `OrderItem` -> `order_item`, `App` -> `app`, `my-table` -> `my_table`.
pub fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let after_lower =
                i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
            let before_lower = i > 0 && chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if (after_lower || (before_lower && chars[i - 1].is_ascii_uppercase()))
                && !out.ends_with('_')
            {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '-' || c == '.' || c == ' ' {
            out.push('_');
        } else {
            out.push(c);
        }
    }
    out
}

/// `user_with_orders` -> `UserWithOrders`.
pub fn upper_camel(name: &str) -> String {
    name.split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `order` -> `orders`, `address` -> `addresses`, `category` -> `categories`.
pub fn plural(word: &str) -> String {
    if word.ends_with('s') || word.ends_with('x') || word.ends_with("ch") || word.ends_with("sh") {
        format!("{word}es")
    } else if let Some(stem) = word.strip_suffix('y')
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        format!("{stem}ies")
    } else {
        format!("{word}s")
    }
}

/// FNV-1a of a field name: the const parameter of `KeyField<H>` through which code
/// generated from the schema names the type of an entity's field.
pub fn field_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Every word that is a keyword in some Rust edition (strict, reserved, and the ones
/// edition 2018 and 2024 added), so generated code compiles in any edition.
pub const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords Rust does not accept as raw identifiers: a schema name that would become
/// one of these is refused.
pub const PATH_KEYWORDS: &[&str] = &["self", "Self", "super", "crate"];

/// Items every generated module holds, whatever the schema.
pub const MODULE_ITEMS: &[&str] = &["Table", "AnyEntity", "DEFINITION"];

/// Methods the generated `Table` declares itself, whatever the schema.
pub const TABLE_METHODS: &[&str] = &[
    "new",
    "with_cursor_key",
    "with_wait_timeout",
    "migrate_all",
    "verify_all",
];

/// Methods of the runtime's `dynaschema::Table`, which the generated `Table`
/// dereferences to: a pattern method of the same name would shadow one silently.
/// A test reads the runtime's source and fails when this list misses one.
pub const RUNTIME_TABLE_METHODS: &[&str] = &[
    "apply",
    "batch_get",
    "batch_write",
    "client",
    "create_table",
    "definition",
    "delete",
    "get",
    "migrate",
    "move_item",
    "name",
    "new",
    "plan",
    "put",
    "transaction",
    "update",
    "verify",
    "with_cursor_key",
    "with_wait_timeout",
];

/// Methods every generated query builder has (`dynaschema::__query_builder_methods!`
/// and the builder's own `query`); a test reads the runtime macro to keep them in step.
pub const QUERY_BUILDER_METHODS: &[&str] = &[
    "all",
    "consistent",
    "limit",
    "page",
    "page_size",
    "query",
    "reverse",
    "stream",
];

/// Methods of `AnyEntity`, the generated entity enum.
pub const ANY_ENTITY_METHODS: &[&str] = &["entity_name", "from_item", "to_item"];

/// The attribute where versioned writes store a random token of the write (see the
/// runtime's `EntityMeta::WRITE_TOKEN_ATTRIBUTE`, which the derive sets to this).
pub const WRITE_TOKEN_ATTRIBUTE: &str = "_wt";

/// Whether `name` is a keyword of some Rust edition.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// The identifier `name`, raw (`r#type`) when it is a keyword.
///
/// The schema's rules guarantee `name` is an ASCII identifier and not one of
/// [`PATH_KEYWORDS`]; the fuzz tests (`codegen/tests/generated_names.rs`,
/// `fuzz/`) check that nothing else reaches here.
pub fn ident(name: &str) -> syn::Ident {
    ident_at(name, proc_macro2::Span::call_site())
}

/// [`ident`] with a span (the derive points errors at the user's field).
pub fn ident_at(name: &str, span: proc_macro2::Span) -> syn::Ident {
    if is_keyword(name) && !PATH_KEYWORDS.contains(&name) {
        syn::Ident::new_raw(name, span)
    } else {
        syn::Ident::new(name, span)
    }
}

/// The struct a collection pattern returns: `user_with_orders` -> `UserWithOrders`.
pub fn collection_struct(pattern: &str) -> String {
    upper_camel(pattern)
}

/// The builder of a query pattern with `fixed` sort fields given:
/// `user_orders` -> `UserOrdersQuery`, then `UserOrdersQueryByCreatedAt`.
pub fn query_builder<'a>(pattern: &str, fixed: impl IntoIterator<Item = &'a str>) -> String {
    let by: String = fixed.into_iter().map(upper_camel).collect();
    let by = if by.is_empty() { by } else { format!("By{by}") };
    format!("{}Query{by}", upper_camel(pattern))
}

/// The struct of an entity's key fields on a keys-only index: `{Entity}{Index}Keys`.
pub fn keys_projection(entity: &str, index: &str) -> String {
    format!("{entity}{}Keys", upper_camel(&snake_case(index)))
}

/// The struct of what an `include` index holds of an entity (emitted by the derive):
/// `{Entity}{Index}Projection`.
pub fn include_projection(entity: &str, index: &str) -> String {
    format!("{entity}{}Projection", upper_camel(&snake_case(index)))
}

/// The typed paths struct the derive emits next to an entity: `{Entity}Fields`.
pub fn fields_struct(entity: &str) -> String {
    format!("{entity}Fields")
}

/// An entity's key function for a secondary index: `gsi1` -> `gsi1_key`.
pub fn index_key_function(index: &str) -> String {
    format!("{}_key", snake_case(index))
}

/// The field of a collection struct holding an entity's items: `order` for one,
/// `orders` for many.
pub fn member_field(entity: &str, single: bool) -> String {
    let snake = snake_case(entity);
    if single { snake } else { plural(&snake) }
}

/// The methods of a query builder's step on `field`: the field itself (fix it),
/// its comparisons, `_between` and `_begins_with`.
pub fn sort_field_methods(field: &str) -> Vec<String> {
    let comparisons = dynaschema_core::Comparison::ALL
        .into_iter()
        .filter_map(|c| c.method_suffix())
        .map(|suffix| format!("_{suffix}"));
    std::iter::once(String::new())
        .chain(comparisons)
        .chain(["_between".to_owned(), "_begins_with".to_owned()])
        .map(|s| format!("{field}{s}"))
        .collect()
}

/// The name of an entity's projection struct on an `include` index:
/// `{Entity}{Index}Projection`.
pub(crate) fn projection_name(entity: &str, index: &str) -> syn::Ident {
    ident(&include_projection(entity, index))
}

/// The macro `#[derive(Entity)]` emits next to an entity, naming its fields' types
/// for the generated module: `__dynaschema_{Entity}`.
pub fn types_macro(entity: &str) -> String {
    format!("__dynaschema_{entity}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(snake_case("OrderItem"), "order_item");
        assert_eq!(snake_case("App"), "app");
        assert_eq!(snake_case("HTTPLog"), "http_log");
        assert_eq!(snake_case("my-table"), "my_table");
        assert_eq!(upper_camel("user_with_orders"), "UserWithOrders");
        assert_eq!(plural("order"), "orders");
        assert_eq!(plural("address"), "addresses");
        assert_eq!(plural("category"), "categories");
        assert_eq!(plural("day"), "days");
    }

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("match").to_string(), "r#match");
        assert_eq!(ident("gen").to_string(), "r#gen");
        assert_eq!(ident("user_id").to_string(), "user_id");
        // Contextual keywords are ordinary identifiers.
        assert_eq!(ident("union").to_string(), "union");
        assert_eq!(
            query_builder("user_orders", ["created_at", "id"]),
            "UserOrdersQueryByCreatedAtId"
        );
        assert_eq!(query_builder("user_orders", []), "UserOrdersQuery");
        assert_eq!(keys_projection("Match", "by-winner"), "MatchByWinnerKeys");
    }
}
