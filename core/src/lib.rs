//! What dynaschema's schema compiler (`dynaschema-codegen`) and its runtime
//! (`dynaschema`) share, defined once:
//!
//! * [`TableDefinition`]: the table's shape as the schema declares it: keys, indexes,
//!   options. The generated `DEFINITION` is one; the runtime creates, plans and
//!   queries tables from it; the CLI and the `CreateTable`, CloudFormation and
//!   Terraform emitters read it.
//! * [`Comparison`]: the comparison operators of key conditions and filters, from the
//!   schema's filter text to the request's expression.
//! * [`Case`]: the casing of a `{field|lower}` placeholder, applied by the generated
//!   keys and described by the generated docs.
//!
//! Applications reach these types through `dynaschema` (which re-exports them) and
//! need not depend on this crate. It has no dependencies.
//!
//! ```
//! use std::borrow::Cow;
//! use dynaschema_core::{Comparison, KeyAttribute, TableDefinition, TableOptions};
//!
//! // What the build step generates for a table without indexes:
//! const APP: TableDefinition = TableDefinition {
//!     name: Cow::Borrowed("App"),
//!     partition_key: Cow::Borrowed("pk"),
//!     sort_key: Some(Cow::Borrowed("sk")),
//!     entity_attribute: Cow::Borrowed("_et"),
//!     indexes: Cow::Borrowed(&[]),
//!     entities: Cow::Borrowed(&[Cow::Borrowed("User")]),
//!     options: TableOptions::DEFAULT,
//! };
//! assert_eq!(APP.key_attributes().collect::<Vec<_>>(), ["pk", "sk"]);
//! assert_eq!(KeyAttribute::number("round").kind.code(), "N");
//! assert_eq!(Comparison::GreaterOrEqual.operator(), ">=");
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod bucket;
mod case;
mod comparison;
mod definition;
mod shard;

pub use bucket::TimeBucket;
pub use case::Case;
pub use comparison::Comparison;
pub use definition::{
    Billing, Capacity, IndexDefinition, IndexKind, KeyAttribute, Projection, ScalarType,
    StreamView, TableClass, TableDefinition, TableOptions,
};
pub use shard::shard_of;
