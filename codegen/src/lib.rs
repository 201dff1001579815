pub mod derive { pub fn entity(_: &syn::DeriveInput) -> proc_macro2::TokenStream { Default::default() } pub fn attribute(_: &syn::DeriveInput) -> proc_macro2::TokenStream { Default::default() } }
