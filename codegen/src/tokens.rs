//! Token helpers shared by the generator, the derive and the key code.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes, one per line with the leading space rustdoc expects, so the
/// formatted output reads as ordinary `///` comments.
pub(crate) fn doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// `::dynaschema::__private::Comparison::<variant>`.
pub(crate) fn comparison(comparison: dynaschema_core::Comparison) -> TokenStream {
    use dynaschema_core::Comparison::*;
    let variant = match comparison {
        Equal => quote!(Equal),
        NotEqual => quote!(NotEqual),
        Less => quote!(Less),
        LessOrEqual => quote!(LessOrEqual),
        Greater => quote!(Greater),
        GreaterOrEqual => quote!(GreaterOrEqual),
    };
    quote!(::dynaschema::__private::Comparison::#variant)
}
