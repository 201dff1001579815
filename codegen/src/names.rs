//! Names derived from schema names: modules, fields, hashes linking generated code
//! to derive output.

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
}
