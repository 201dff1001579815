//! The comparison operators of DynamoDB's key conditions and filters.

use std::fmt;

/// A comparison of an attribute (or a key segment) with a value.
///
/// One enum from the schema to the request: the schema's filter text parses into it
/// (`price >= {min_price}`), the generated sort-key methods name it (`created_at_gte`
/// is [`GreaterOrEqual`](Self::GreaterOrEqual)), and the runtime writes it into the
/// request's expression with [`operator`](Self::operator).
///
/// ```
/// use dynaschema_core::Comparison;
///
/// assert_eq!(Comparison::NotEqual.operator(), "<>");
/// assert!(Comparison::Less.is_key_condition());
/// assert!(!Comparison::NotEqual.is_key_condition(), "key conditions have no <>");
/// assert_eq!(Comparison::Less.to_string(), "<");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparison {
    /// `=`
    Equal,
    /// `<>` (a filter may also write `!=`); not a key condition.
    NotEqual,
    /// `<`
    Less,
    /// `<=`
    LessOrEqual,
    /// `>`
    Greater,
    /// `>=`
    GreaterOrEqual,
}

impl Comparison {
    /// Every operator, in the order above.
    pub const ALL: [Comparison; 6] = [
        Comparison::Equal,
        Comparison::NotEqual,
        Comparison::Less,
        Comparison::LessOrEqual,
        Comparison::Greater,
        Comparison::GreaterOrEqual,
    ];

    /// The operator as DynamoDB's expressions write it.
    pub const fn operator(self) -> &'static str {
        match self {
            Comparison::Equal => "=",
            Comparison::NotEqual => "<>",
            Comparison::Less => "<",
            Comparison::LessOrEqual => "<=",
            Comparison::Greater => ">",
            Comparison::GreaterOrEqual => ">=",
        }
    }

    /// Whether a `KeyConditionExpression` may use it: every operator but `<>`.
    pub const fn is_key_condition(self) -> bool {
        !matches!(self, Comparison::NotEqual)
    }

    /// The suffix of the generated sort-key method comparing a field this way
    /// (`created_at_lt`, `created_at_gte`); `None` for `=` (the method named after
    /// the field) and `<>` (not a key condition).
    pub const fn method_suffix(self) -> Option<&'static str> {
        match self {
            Comparison::Less => Some("lt"),
            Comparison::LessOrEqual => Some("lte"),
            Comparison::Greater => Some("gt"),
            Comparison::GreaterOrEqual => Some("gte"),
            Comparison::Equal | Comparison::NotEqual => None,
        }
    }

    /// The comparison in words, as generated docs say it (`at least`).
    pub const fn words(self) -> &'static str {
        match self {
            Comparison::Equal => "equal to",
            Comparison::NotEqual => "not equal to",
            Comparison::Less => "less than",
            Comparison::LessOrEqual => "at most",
            Comparison::Greater => "greater than",
            Comparison::GreaterOrEqual => "at least",
        }
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.operator())
    }
}
