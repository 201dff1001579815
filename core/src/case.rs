//! The casing a template placeholder applies to its value.

/// How a `{field|lower}` or `{field|upper}` placeholder cases its value's text, so
/// keys do not depend on how a value was typed (`Ada@Example.COM` and
/// `ada@example.com` find the same user).
///
/// ```
/// use dynaschema_core::Case;
///
/// assert_eq!(Case::Lower.apply("Ada@Example.COM"), "ada@example.com");
/// assert_eq!(Case::Upper.name(), "upper");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Case {
    /// `{field|lower}`: lower case.
    Lower,
    /// `{field|upper}`: upper case.
    Upper,
}

impl Case {
    /// `text` in this case (Unicode's full case mapping, as `str::to_lowercase`).
    pub fn apply(self, text: &str) -> String {
        match self {
            Case::Lower => text.to_lowercase(),
            Case::Upper => text.to_uppercase(),
        }
    }

    /// `"lower"` or `"upper"`, as a template writes it after `|`.
    pub const fn name(self) -> &'static str {
        match self {
            Case::Lower => "lower",
            Case::Upper => "upper",
        }
    }
}
