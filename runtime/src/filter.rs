//! Filters of query patterns: a `FilterExpression` fixed by the schema, with
//! typed parameter values. Built by generated pattern methods.

use aws_sdk_dynamodb::types::AttributeValue;

use crate::attribute::Attribute;
use crate::error::{AttributeError, EncodeError};

/// A value a filter compares an attribute with.
///
/// ```
/// use dynaschema::filter::FilterValue;
/// use dynaschema::aws_sdk_dynamodb::types::AttributeValue;
///
/// assert_eq!(1200_i64.to_filter_value().unwrap(), AttributeValue::N("1200".into()));
/// assert_eq!("kitchen".to_filter_value().unwrap(), AttributeValue::S("kitchen".into()));
/// ```
#[diagnostic::on_unimplemented(message = "`{Self}` cannot be compared in a filter")]
pub trait FilterValue {
    /// The attribute value compared with.
    fn to_filter_value(&self) -> Result<AttributeValue, AttributeError>;
}

impl<T: Attribute> FilterValue for T {
    fn to_filter_value(&self) -> Result<AttributeValue, AttributeError> {
        // An absent value (a `None`, an empty set) compares as NULL.
        Ok(self.encode()?.unwrap_or(AttributeValue::Null(true)))
    }
}

impl FilterValue for str {
    fn to_filter_value(&self) -> Result<AttributeValue, AttributeError> {
        Ok(AttributeValue::S(self.to_owned()))
    }
}

/// A filter expression with its names and values. The expression text comes from the
/// schema; names and values only ever travel as placeholders.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    expression: &'static str,
    names: Vec<(&'static str, &'static str)>,
    values: Vec<(&'static str, AttributeValue)>,
    error: Option<EncodeError>,
}

impl Filter {
    /// A filter with `expression`, e.g. `#f0 >= :f0`.
    #[doc(hidden)]
    pub fn new(expression: &'static str) -> Self {
        Self {
            expression,
            names: Vec::new(),
            values: Vec::new(),
            error: None,
        }
    }

    /// Binds a name placeholder to an attribute name.
    #[doc(hidden)]
    pub fn name(mut self, placeholder: &'static str, attribute: &'static str) -> Self {
        self.names.push((placeholder, attribute));
        self
    }

    /// Binds a value placeholder; an unencodable value is kept as the error the
    /// query returns before sending anything.
    #[doc(hidden)]
    pub fn value<T: FilterValue + ?Sized>(
        mut self,
        entity: &'static str,
        placeholder: &'static str,
        parameter: &'static str,
        value: &T,
    ) -> Self {
        match value.to_filter_value() {
            Ok(v) => self.values.push((placeholder, v)),
            Err(reason) if self.error.is_none() => {
                self.error = Some(EncodeError::new(entity, parameter, reason))
            }
            Err(_) => {}
        }
        self
    }

    /// The `FilterExpression`.
    pub fn expression(&self) -> &'static str {
        self.expression
    }

    /// The name placeholders and the attribute names they stand for.
    pub fn names(&self) -> &[(&'static str, &'static str)] {
        &self.names
    }

    /// The value placeholders and their values.
    pub fn values(&self) -> &[(&'static str, AttributeValue)] {
        &self.values
    }

    pub(crate) fn check(&self) -> Result<(), EncodeError> {
        match &self.error {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }
}
