//! Typed attribute paths, conditions and update actions.
//!
//! `#[derive(Entity)]` gives every entity `E::fields()`: one [`Path`] per field, typed
//! by the field. Conditions and updates are built from those paths, so attribute names
//! are never written as strings, and a value of the wrong type is a compile error:
//!
//! ```
//! # use dynaschema::Entity;
//! # #[derive(Entity, Clone, Debug, PartialEq)]
//! # #[entity(schema = "../schema-examples/shop/dynaschema.toml")]
//! # pub struct Product { pub product_id: String, pub category: String, pub name: String, pub price_cents: u64 }
//! use dynaschema::expr::Condition;
//!
//! let f = Product::fields();
//! let cheap_kitchen: Condition<Product> = f.category.eq("kitchen").and(f.price_cents.lt(&1_000));
//! let (expression, (names, values)) = cheap_kitchen.render();
//! assert_eq!(expression, "(#n0 = :v0 AND #n1 < :v1)");
//! assert_eq!(names, [("#n0".to_owned(), "category".to_owned()), ("#n1".to_owned(), "price_cents".to_owned())]);
//! assert_eq!(values.len(), 2);
//! ```
//!
//! Every name and every value travels as a placeholder: the expression text depends
//! only on the paths and the calls made, never on the values.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::marker::PhantomData;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::attribute::{Attribute, SetMember};
use crate::entity::Entity;
use crate::error::{AttributeError, EncodeError};

/// One step of a path below its attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// A field of a nested struct (a name from the schema's structs).
    Field(&'static str),
    /// A key of a map field (a runtime value, so always its own placeholder).
    Key(String),
    /// An element of a list.
    Index(usize),
}

/// Ties a path to its entity and value type without owning either.
type PathMarker<E, T> = fn() -> (E, Box<T>);

/// Name placeholders with their names, value placeholders with their values.
pub type PlaceholderParts = (Vec<(String, String)>, Vec<(String, AttributeValue)>);

/// The path to a value inside an item of `E`, whose Rust type is `T`: a field, a
/// field of a nested struct, a list element or a map entry.
pub struct Path<E, T: ?Sized> {
    attribute: &'static str,
    steps: Vec<Step>,
    marker: PhantomData<PathMarker<E, T>>,
}

impl<E, T: ?Sized> Clone for Path<E, T> {
    fn clone(&self) -> Self {
        Self {
            attribute: self.attribute,
            steps: self.steps.clone(),
            marker: PhantomData,
        }
    }
}

impl<E, T: ?Sized> std::fmt::Debug for Path<E, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display())
    }
}

/// A struct nested in an entity (`#[derive(Attribute)]`), whose fields paths can
/// continue into with [`Path::then`].
pub trait Nested {
    /// The struct of its fields' paths.
    type Fields;
    /// Its fields' paths.
    fn fields() -> Self::Fields;
}

impl<T: Nested> Nested for Option<T> {
    type Fields = T::Fields;
    fn fields() -> Self::Fields {
        T::fields()
    }
}

impl<E, T: ?Sized> Path<E, T> {
    /// The path of the top-level attribute `attribute`; generated code calls this.
    #[doc(hidden)]
    pub fn attribute(attribute: &'static str) -> Self {
        Self {
            attribute,
            steps: Vec::new(),
            marker: PhantomData,
        }
    }

    /// The top-level attribute the path starts at.
    pub fn root(&self) -> &'static str {
        self.attribute
    }

    /// Whether the path is a whole top-level attribute (not a part of one).
    pub fn is_attribute(&self) -> bool {
        self.steps.is_empty()
    }

    fn retype<U: ?Sized>(self) -> Path<E, U> {
        Path {
            attribute: self.attribute,
            steps: self.steps,
            marker: PhantomData,
        }
    }

    /// The path as written in messages, e.g. `reviewer.name` or `tags[2]`.
    pub fn display(&self) -> String {
        let mut out = self.attribute.to_owned();
        for step in &self.steps {
            match step {
                Step::Field(name) => {
                    let _ = write!(out, ".{name}");
                }
                Step::Key(key) => {
                    let _ = write!(out, ".{key:?}");
                }
                Step::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
            }
        }
        out
    }

    /// Continues into a nested struct's field: `f.reviewer.then(|r| r.name)`.
    pub fn then<X, U>(&self, field: impl FnOnce(T::Fields) -> Path<X, U>) -> Path<E, U>
    where
        T: Nested,
    {
        let inner = field(T::fields());
        let mut path = self.clone().retype::<U>();
        path.steps.push(Step::Field(inner.attribute));
        path.steps.extend(inner.steps);
        path
    }

    fn render(&self, names: &mut Placeholders) -> String {
        let mut out = names.name(self.attribute);
        for step in &self.steps {
            match step {
                Step::Field(name) => {
                    out.push('.');
                    out.push_str(&names.name(name));
                }
                Step::Key(key) => {
                    out.push('.');
                    out.push_str(&names.fresh_name(key.clone()));
                }
                Step::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
            }
        }
        out
    }
}

impl<E, T> Path<E, Vec<T>> {
    /// The list element at `index`.
    pub fn index(&self, index: usize) -> Path<E, T> {
        let mut path = self.clone();
        path.steps.push(Step::Index(index));
        path.retype()
    }
}

impl<E, T, S> Path<E, HashMap<String, T, S>> {
    /// The map entry at `key`.
    pub fn key(&self, key: &str) -> Path<E, T> {
        let mut path = self.clone();
        path.steps.push(Step::Key(key.to_owned()));
        path.retype()
    }
}

impl<E, T> Path<E, BTreeMap<String, T>> {
    /// The map entry at `key`.
    pub fn key(&self, key: &str) -> Path<E, T> {
        let mut path = self.clone();
        path.steps.push(Step::Key(key.to_owned()));
        path.retype()
    }
}

/// Placeholders of one request's expressions: `#n0`, `#n1`, ... for names (each
/// schema name once; map keys always fresh) and `:v0`, `:v1`, ... for values.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Placeholders {
    names: Vec<(String, String)>,
    values: Vec<(String, AttributeValue)>,
}

impl Placeholders {
    /// The placeholder of a name from the schema.
    pub fn name(&mut self, name: &str) -> String {
        if let Some((placeholder, _)) = self.names.iter().find(|(_, n)| n == name) {
            return placeholder.clone();
        }
        self.fresh_name(name.to_owned())
    }

    fn fresh_name(&mut self, name: String) -> String {
        let placeholder = format!("#n{}", self.names.len());
        self.names.push((placeholder.clone(), name));
        placeholder
    }

    /// The placeholder of a value.
    pub fn value(&mut self, value: AttributeValue) -> String {
        let placeholder = format!(":v{}", self.values.len());
        self.values.push((placeholder.clone(), value));
        placeholder
    }

    /// The name placeholders and the names they stand for.
    pub fn names(&self) -> &[(String, String)] {
        &self.names
    }

    /// The value placeholders and their values.
    pub fn values(&self) -> &[(String, AttributeValue)] {
        &self.values
    }

    /// Both, taken out.
    pub fn into_parts(self) -> PlaceholderParts {
        (self.names, self.values)
    }
}

/// A path without its types, inside conditions and updates.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RawPath {
    attribute: &'static str,
    steps: Vec<Step>,
}

impl<E, T: ?Sized> From<&Path<E, T>> for RawPath {
    fn from(path: &Path<E, T>) -> Self {
        RawPath {
            attribute: path.attribute,
            steps: path.steps.clone(),
        }
    }
}

impl RawPath {
    fn typed<E>(&self) -> Path<E, ()> {
        Path {
            attribute: self.attribute,
            steps: self.steps.clone(),
            marker: PhantomData,
        }
    }

    fn render(&self, p: &mut Placeholders) -> String {
        self.typed::<()>().render(p)
    }

    fn display(&self) -> String {
        self.typed::<()>().display()
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Exists(RawPath),
    NotExists(RawPath),
    Compare(RawPath, &'static str, AttributeValue),
    /// `name = value` of a top-level attribute named at runtime.
    NamedEquals(String, AttributeValue),
    Between(RawPath, AttributeValue, AttributeValue),
    In(RawPath, Vec<AttributeValue>),
    BeginsWith(RawPath, AttributeValue),
    Contains(RawPath, AttributeValue),
    Size(RawPath, &'static str, AttributeValue),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
}

impl Node {
    fn render(&self, p: &mut Placeholders, out: &mut String) {
        match self {
            Node::Exists(path) => {
                let path = path.render(p);
                let _ = write!(out, "attribute_exists({path})");
            }
            Node::NotExists(path) => {
                let path = path.render(p);
                let _ = write!(out, "attribute_not_exists({path})");
            }
            Node::Compare(path, op, value) => {
                let path = path.render(p);
                let value = p.value(value.clone());
                let _ = write!(out, "{path} {op} {value}");
            }
            Node::NamedEquals(name, value) => {
                let name = p.fresh_name(name.clone());
                let value = p.value(value.clone());
                let _ = write!(out, "{name} = {value}");
            }
            Node::Between(path, low, high) => {
                let path = path.render(p);
                let low = p.value(low.clone());
                let high = p.value(high.clone());
                let _ = write!(out, "{path} BETWEEN {low} AND {high}");
            }
            Node::In(path, values) => {
                let path = path.render(p);
                let values: Vec<String> = values.iter().map(|v| p.value(v.clone())).collect();
                let _ = write!(out, "{path} IN ({})", values.join(", "));
            }
            Node::BeginsWith(path, value) => {
                let path = path.render(p);
                let value = p.value(value.clone());
                let _ = write!(out, "begins_with({path}, {value})");
            }
            Node::Contains(path, value) => {
                let path = path.render(p);
                let value = p.value(value.clone());
                let _ = write!(out, "contains({path}, {value})");
            }
            Node::Size(path, op, value) => {
                let path = path.render(p);
                let value = p.value(value.clone());
                let _ = write!(out, "size({path}) {op} {value}");
            }
            Node::And(a, b) | Node::Or(a, b) => {
                let word = if matches!(self, Node::And(..)) {
                    "AND"
                } else {
                    "OR"
                };
                out.push('(');
                a.render(p, out);
                let _ = write!(out, " {word} ");
                b.render(p, out);
                out.push(')');
            }
            Node::Not(inner) => {
                out.push_str("(NOT ");
                inner.render(p, out);
                out.push(')');
            }
        }
    }
}

/// A condition on an item of `E`: built from [`Path`]s, combined with
/// [`and`](Self::and), [`or`](Self::or) and [`not`](Self::not). Used by `put`,
/// `update`, `delete` and transactions; a value that cannot be encoded is reported
/// by the request, before anything is sent.
pub struct Condition<E> {
    node: Result<Node, EncodeError>,
    marker: PhantomData<fn() -> E>,
}

impl<E> Clone for Condition<E> {
    fn clone(&self) -> Self {
        Self {
            node: self.node.clone(),
            marker: PhantomData,
        }
    }
}

impl<E> std::fmt::Debug for Condition<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.node {
            Ok(node) => f.debug_tuple("Condition").field(node).finish(),
            Err(e) => f.debug_tuple("Condition").field(e).finish(),
        }
    }
}

impl<E> Condition<E> {
    fn new(node: Result<Node, EncodeError>) -> Self {
        Self {
            node,
            marker: PhantomData,
        }
    }

    /// Adds `condition` to an optional condition (`slot AND condition`).
    pub(crate) fn and_into(slot: &mut Option<Self>, condition: Self) {
        *slot = Some(match slot.take() {
            Some(existing) => existing.and(condition),
            None => condition,
        });
    }

    /// Both conditions.
    pub fn and(self, other: Condition<E>) -> Self {
        Self::new(
            self.node
                .and_then(|a| Ok(Node::And(Box::new(a), Box::new(other.node?)))),
        )
    }

    /// Either condition.
    pub fn or(self, other: Condition<E>) -> Self {
        Self::new(
            self.node
                .and_then(|a| Ok(Node::Or(Box::new(a), Box::new(other.node?)))),
        )
    }

    /// The opposite condition.
    #[allow(clippy::should_implement_trait)] // `!cond` reads worse in a builder chain.
    pub fn not(self) -> Self {
        Self::new(self.node.map(|n| Node::Not(Box::new(n))))
    }

    /// The expression text and its name and value placeholders, as sent.
    pub fn render(&self) -> (String, PlaceholderParts) {
        let mut p = Placeholders::default();
        let text = self.render_into(&mut p).unwrap_or_default();
        (text, p.into_parts())
    }

    /// Renders into shared placeholders (a request with several expressions).
    pub(crate) fn render_into(&self, p: &mut Placeholders) -> Result<String, EncodeError> {
        let node = self.node.as_ref().map_err(Clone::clone)?;
        let mut out = String::new();
        node.render(p, &mut out);
        Ok(out)
    }

    /// `attribute_exists` of the given top-level attribute (generated code).
    #[doc(hidden)]
    pub fn attribute_exists(attribute: &'static str) -> Self {
        Self::new(Ok(Node::Exists(RawPath {
            attribute,
            steps: Vec::new(),
        })))
    }

    /// `attribute_not_exists` of the given top-level attribute (generated code).
    #[doc(hidden)]
    pub fn attribute_not_exists(attribute: &'static str) -> Self {
        Self::new(Ok(Node::NotExists(RawPath {
            attribute,
            steps: Vec::new(),
        })))
    }

    /// `name = value` on a top-level attribute whose name is known only at runtime.
    pub(crate) fn named_equals(name: String, value: AttributeValue) -> Self {
        Self::new(Ok(Node::NamedEquals(name, value)))
    }

    /// `attribute = value` on a top-level attribute (generated code).
    #[doc(hidden)]
    pub fn attribute_equals(attribute: &'static str, value: AttributeValue) -> Self {
        Self::new(Ok(Node::Compare(
            RawPath {
                attribute,
                steps: Vec::new(),
            },
            "=",
            value,
        )))
    }
}

/// Encodes a condition's or update's value; absent values (`None`, empty sets)
/// compare as `NULL`.
pub(crate) fn encode<E: Entity, T: Attribute, U: ?Sized>(
    path: &Path<E, U>,
    value: &T,
) -> Result<AttributeValue, EncodeError> {
    value
        .encode()
        .map(|v| v.unwrap_or(AttributeValue::Null(true)))
        .map_err(|reason| EncodeError::new(E::NAME, &path.display(), reason))
}

/// A value compared with a path of type `T`: `T` itself, or `str` for strings.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a value of this path's type `{T}`",
    label = "expected a `{T}` (or `str` for a string field)"
)]
pub trait Operand<T: ?Sized> {
    /// The stored form, `None` for an absent value (`None`, an empty set).
    fn stored(&self) -> Result<Option<AttributeValue>, AttributeError>;

    /// The compared form: an absent value compares as `NULL`.
    fn operand(&self) -> Result<AttributeValue, AttributeError> {
        Ok(self.stored()?.unwrap_or(AttributeValue::Null(true)))
    }
}

impl<T: Attribute> Operand<T> for T {
    fn stored(&self) -> Result<Option<AttributeValue>, AttributeError> {
        self.encode()
    }
}

impl Operand<String> for str {
    fn stored(&self) -> Result<Option<AttributeValue>, AttributeError> {
        Ok(Some(AttributeValue::S(self.to_owned())))
    }
}

impl Operand<Option<String>> for str {
    fn stored(&self) -> Result<Option<AttributeValue>, AttributeError> {
        Ok(Some(AttributeValue::S(self.to_owned())))
    }
}

impl<E: Entity, T: ?Sized> Path<E, T> {
    fn operand<V: Operand<T> + ?Sized>(&self, value: &V) -> Result<AttributeValue, EncodeError> {
        value
            .operand()
            .map_err(|reason| EncodeError::new(E::NAME, &self.display(), reason))
    }

    fn compare<V: Operand<T> + ?Sized>(&self, op: &'static str, value: &V) -> Condition<E> {
        Condition::new(
            self.operand(value)
                .map(|v| Node::Compare(RawPath::from(self), op, v)),
        )
    }

    /// The path is present in the item.
    pub fn exists(&self) -> Condition<E> {
        Condition::new(Ok(Node::Exists(self.into())))
    }

    /// The path is absent from the item.
    pub fn not_exists(&self) -> Condition<E> {
        Condition::new(Ok(Node::NotExists(self.into())))
    }

    /// `path = value`.
    pub fn eq<V: Operand<T> + ?Sized>(&self, value: &V) -> Condition<E> {
        self.compare("=", value)
    }

    /// `path <> value`.
    pub fn ne<V: Operand<T> + ?Sized>(&self, value: &V) -> Condition<E> {
        self.compare("<>", value)
    }

    /// `path < value`.
    pub fn lt<V: Operand<T> + ?Sized>(&self, value: &V) -> Condition<E> {
        self.compare("<", value)
    }

    /// `path <= value`.
    pub fn le<V: Operand<T> + ?Sized>(&self, value: &V) -> Condition<E> {
        self.compare("<=", value)
    }

    /// `path > value`.
    pub fn gt<V: Operand<T> + ?Sized>(&self, value: &V) -> Condition<E> {
        self.compare(">", value)
    }

    /// `path >= value`.
    pub fn ge<V: Operand<T> + ?Sized>(&self, value: &V) -> Condition<E> {
        self.compare(">=", value)
    }

    /// `path BETWEEN low AND high` (both included).
    pub fn between<V: Operand<T> + ?Sized>(&self, low: &V, high: &V) -> Condition<E> {
        Condition::new(
            self.operand(low)
                .and_then(|low| Ok(Node::Between(RawPath::from(self), low, self.operand(high)?))),
        )
    }

    /// `path IN (values..)`; DynamoDB allows up to 100 values.
    pub fn is_in<V: Operand<T>>(&self, values: &[V]) -> Condition<E> {
        Condition::new(
            values
                .iter()
                .map(|v| self.operand(v))
                .collect::<Result<Vec<_>, _>>()
                .map(|values| Node::In(RawPath::from(self), values)),
        )
    }

    /// `size(path) <op> n` through the returned [`Size`]: the length of a string,
    /// the number of bytes of binary data, of elements of a list, map or set.
    pub fn size(&self) -> Size<E> {
        Size {
            path: self.into(),
            marker: PhantomData,
        }
    }
}

/// Text paths: `begins_with`.
impl<E: Entity, T: TextPath + ?Sized> Path<E, T> {
    /// `begins_with(path, prefix)`.
    pub fn begins_with(&self, prefix: &str) -> Condition<E> {
        Condition::new(Ok(Node::BeginsWith(
            self.into(),
            AttributeValue::S(prefix.to_owned()),
        )))
    }
}

/// Paths whose values can contain something: strings (substrings), lists (elements)
/// and sets (members).
pub trait Container {
    /// What `contains` looks for.
    type Element: ?Sized;
    /// The element's stored form.
    fn element(element: &Self::Element) -> Result<AttributeValue, AttributeError>;
}

impl Container for String {
    type Element = str;
    fn element(element: &str) -> Result<AttributeValue, AttributeError> {
        Ok(AttributeValue::S(element.to_owned()))
    }
}

impl<T: Attribute> Container for Vec<T> {
    type Element = T;
    fn element(element: &T) -> Result<AttributeValue, AttributeError> {
        Ok(element.encode()?.unwrap_or(AttributeValue::Null(true)))
    }
}

impl<T: Attribute + SetMember + Eq + std::hash::Hash, S> Container for HashSet<T, S> {
    type Element = T;
    fn element(element: &T) -> Result<AttributeValue, AttributeError> {
        Ok(element.encode()?.unwrap_or(AttributeValue::Null(true)))
    }
}

impl<T: Attribute + SetMember + Ord> Container for BTreeSet<T> {
    type Element = T;
    fn element(element: &T) -> Result<AttributeValue, AttributeError> {
        Ok(element.encode()?.unwrap_or(AttributeValue::Null(true)))
    }
}

impl<C: Container> Container for Option<C> {
    type Element = C::Element;
    fn element(element: &Self::Element) -> Result<AttributeValue, AttributeError> {
        C::element(element)
    }
}

impl<E: Entity, T: Container + ?Sized> Path<E, T> {
    /// `contains(path, element)`.
    pub fn contains(&self, element: &T::Element) -> Condition<E> {
        Condition::new(
            T::element(element)
                .map_err(|reason| EncodeError::new(E::NAME, &self.display(), reason))
                .map(|v| Node::Contains(self.into(), v)),
        )
    }
}

/// Text fields.
pub trait TextPath {}
impl TextPath for String {}
impl TextPath for Option<String> {}

/// `size(path)`, compared with a number.
pub struct Size<E> {
    path: RawPath,
    marker: PhantomData<fn() -> E>,
}

impl<E> Size<E> {
    fn compare(self, op: &'static str, n: u64) -> Condition<E> {
        Condition::new(Ok(Node::Size(
            self.path,
            op,
            AttributeValue::N(n.to_string()),
        )))
    }

    /// `size(path) = n`.
    pub fn eq(self, n: u64) -> Condition<E> {
        self.compare("=", n)
    }

    /// `size(path) < n`.
    pub fn lt(self, n: u64) -> Condition<E> {
        self.compare("<", n)
    }

    /// `size(path) <= n`.
    pub fn le(self, n: u64) -> Condition<E> {
        self.compare("<=", n)
    }

    /// `size(path) > n`.
    pub fn gt(self, n: u64) -> Condition<E> {
        self.compare(">", n)
    }

    /// `size(path) >= n`.
    pub fn ge(self, n: u64) -> Condition<E> {
        self.compare(">=", n)
    }
}

/// Numbers that `ADD` and arithmetic apply to.
pub trait Numeric: Attribute {
    /// For adding `by` (subtracting it when `negate`): the comparison and bound the
    /// current value must satisfy for the result to fit the Rust type, e.g.
    /// `("<=", 127 - by)` for an `i8`. `None` for floats.
    fn add_bound(by: &Self, negate: bool) -> Option<(&'static str, AttributeValue)>;
}

macro_rules! numeric {
    ($($t:ty),*) => {$(
        impl Numeric for $t {
            fn add_bound(by: &Self, negate: bool) -> Option<(&'static str, AttributeValue)> {
                // Every type here fits in i128, with room for the subtraction.
                let by = if negate { -(*by as i128) } else { *by as i128 };
                Some(if by >= 0 {
                    ("<=", AttributeValue::N((<$t>::MAX as i128 - by).to_string()))
                } else {
                    (">=", AttributeValue::N((<$t>::MIN as i128 - by).to_string()))
                })
            }
        }
    )*};
}
numeric!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// The largest integer DynamoDB stores exactly (38 digits): bounds beyond it would
/// be refused as values, so they are clamped to it.
const MAX_EXACT: u128 = 99_999_999_999_999_999_999_999_999_999_999_999_999;

impl Numeric for i128 {
    fn add_bound(by: &Self, negate: bool) -> Option<(&'static str, AttributeValue)> {
        let up = (*by >= 0) != negate;
        let magnitude = by.unsigned_abs();
        Some(if up {
            let bound = (i128::MAX as u128 - magnitude).min(MAX_EXACT);
            ("<=", AttributeValue::N(bound.to_string()))
        } else {
            // MIN + |by|, computed without overflow.
            let bound =
                (i128::MIN + magnitude.min(i128::MAX as u128) as i128).max(-(MAX_EXACT as i128));
            (">=", AttributeValue::N(bound.to_string()))
        })
    }
}

impl Numeric for u128 {
    fn add_bound(by: &Self, negate: bool) -> Option<(&'static str, AttributeValue)> {
        Some(if negate {
            (">=", AttributeValue::N(by.to_string()))
        } else {
            (
                "<=",
                AttributeValue::N((u128::MAX - by).min(MAX_EXACT).to_string()),
            )
        })
    }
}

macro_rules! float_numeric {
    ($($t:ty),*) => {$(
        impl Numeric for $t {
            fn add_bound(_: &Self, _: bool) -> Option<(&'static str, AttributeValue)> {
                None
            }
        }
    )*};
}
float_numeric!(f32, f64);

impl<T: Numeric> Numeric for Option<T> {
    fn add_bound(by: &Self, negate: bool) -> Option<(&'static str, AttributeValue)> {
        by.as_ref().and_then(|by| T::add_bound(by, negate))
    }
}

impl<E> Condition<E> {
    /// `path <op> value` on an action's path, or also true where the path is absent.
    pub(crate) fn bound(
        path: &RawPathPublic,
        op: &'static str,
        value: AttributeValue,
        or_absent: bool,
    ) -> Self {
        let compare = Node::Compare(path.0.clone(), op, value);
        Self::new(Ok(if or_absent {
            Node::Or(Box::new(Node::NotExists(path.0.clone())), Box::new(compare))
        } else {
            compare
        }))
    }
}

/// Sets that `ADD` and `DELETE` of members apply to.
pub trait AttributeSet: Attribute {}
impl<T: Attribute + SetMember + Eq + std::hash::Hash, S: std::hash::BuildHasher + Default>
    AttributeSet for HashSet<T, S>
where
    HashSet<T, S>: Attribute,
{
}
impl<T: Attribute + SetMember + Ord> AttributeSet for BTreeSet<T> where BTreeSet<T>: Attribute {}

/// What an update does to one path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    /// `SET path = value`
    Set(RawPathPublic, AttributeValue),
    /// `SET path = if_not_exists(path, value)`
    SetIfNotExists(RawPathPublic, AttributeValue),
    /// `SET path = path + value` / `- value`
    Arithmetic(RawPathPublic, &'static str, AttributeValue),
    /// `SET path = list_append(if_not_exists(path, []), value)` (or prepended)
    Append(RawPathPublic, AttributeValue, bool),
    /// `REMOVE path`
    Remove(RawPathPublic),
    /// `ADD path value`
    Add(RawPathPublic, AttributeValue),
    /// `DELETE path value`
    Delete(RawPathPublic, AttributeValue),
}

/// A path of an update action, with its top-level attribute exposed to the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawPathPublic(RawPath);

impl RawPathPublic {
    /// Whether one path is the other or a part of it (`a` and `a.b`, `l` and `l[1]`).
    pub(crate) fn overlaps(&self, other: &RawPathPublic) -> bool {
        let (a, b) = (&self.0, &other.0);
        a.attribute == b.attribute && a.steps.iter().zip(&b.steps).all(|(x, y)| x == y)
    }

    pub(crate) fn attribute(&self) -> &'static str {
        self.0.attribute
    }
    pub(crate) fn is_attribute(&self) -> bool {
        self.0.steps.is_empty()
    }
    pub(crate) fn display(&self) -> String {
        self.0.display()
    }
    pub(crate) fn from_path<E, T: ?Sized>(path: &Path<E, T>) -> Self {
        RawPathPublic(path.into())
    }

    pub(crate) fn top(attribute: &'static str) -> Self {
        RawPathPublic(RawPath {
            attribute,
            steps: Vec::new(),
        })
    }
}

impl Action {
    pub(crate) fn path(&self) -> &RawPathPublic {
        match self {
            Action::Set(p, _)
            | Action::SetIfNotExists(p, _)
            | Action::Arithmetic(p, _, _)
            | Action::Append(p, _, _)
            | Action::Remove(p)
            | Action::Add(p, _)
            | Action::Delete(p, _) => p,
        }
    }
}

/// The actions of an update, as one `UpdateExpression`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Actions {
    pub(crate) actions: Vec<Action>,
    pub(crate) error: Option<EncodeError>,
}

impl Actions {
    pub(crate) fn push<E: Entity, T: ?Sized>(
        &mut self,
        path: &Path<E, T>,
        action: impl FnOnce(RawPathPublic) -> Result<Action, EncodeError>,
    ) {
        match action(RawPathPublic(path.into())) {
            Ok(a) => self.actions.push(a),
            Err(e) if self.error.is_none() => self.error = Some(e),
            Err(_) => {}
        }
    }

    /// The `UpdateExpression`: `SET a, b REMOVE c ADD d DELETE e`, clauses in that
    /// order, actions in call order.
    pub(crate) fn render(&self, p: &mut Placeholders) -> String {
        let mut set = Vec::new();
        let mut remove = Vec::new();
        let mut add = Vec::new();
        let mut delete = Vec::new();
        for action in &self.actions {
            match action {
                Action::Set(path, v) => {
                    let path = path.0.render(p);
                    let v = p.value(v.clone());
                    set.push(format!("{path} = {v}"));
                }
                Action::SetIfNotExists(path, v) => {
                    let path = path.0.render(p);
                    let v = p.value(v.clone());
                    set.push(format!("{path} = if_not_exists({path}, {v})"));
                }
                Action::Arithmetic(path, op, v) => {
                    let path = path.0.render(p);
                    let v = p.value(v.clone());
                    set.push(format!("{path} = {path} {op} {v}"));
                }
                Action::Append(path, v, prepend) => {
                    let path = path.0.render(p);
                    let v = p.value(v.clone());
                    let empty = p.value(AttributeValue::L(Vec::new()));
                    let current = format!("if_not_exists({path}, {empty})");
                    set.push(if *prepend {
                        format!("{path} = list_append({v}, {current})")
                    } else {
                        format!("{path} = list_append({current}, {v})")
                    });
                }
                Action::Remove(path) => remove.push(path.0.render(p)),
                Action::Add(path, v) => {
                    let path = path.0.render(p);
                    let v = p.value(v.clone());
                    add.push(format!("{path} {v}"));
                }
                Action::Delete(path, v) => {
                    let path = path.0.render(p);
                    let v = p.value(v.clone());
                    delete.push(format!("{path} {v}"));
                }
            }
        }
        let mut clauses = Vec::new();
        for (word, parts) in [
            ("SET", set),
            ("REMOVE", remove),
            ("ADD", add),
            ("DELETE", delete),
        ] {
            if !parts.is_empty() {
                clauses.push(format!("{word} {}", parts.join(", ")));
            }
        }
        clauses.join(" ")
    }
}

/// Applies an update action to an item held in memory, as DynamoDB would: how an
/// update that changes the primary key computes the item it moves.
pub(crate) fn apply(item: &mut crate::attribute::Item, action: &Action) -> Result<(), String> {
    let path = &action.path().0;
    match action {
        Action::Set(_, v) => set(item, path, v.clone()),
        Action::SetIfNotExists(_, v) => {
            if get(item, path).is_none() {
                set(item, path, v.clone())?;
            }
            Ok(())
        }
        Action::Remove(_) => {
            remove(item, path);
            Ok(())
        }
        Action::Arithmetic(_, op, v) => {
            let current =
                get(item, path).ok_or_else(|| format!("`{}` does not exist", path.display()))?;
            let result = add_numbers(current, v, *op == "-")?;
            set(item, path, result)
        }
        Action::Add(_, v) => {
            let result = match (get(item, path), v) {
                (None, _) => v.clone(),
                (Some(current @ AttributeValue::N(_)), AttributeValue::N(_)) => {
                    add_numbers(current, v, false)?
                }
                (Some(AttributeValue::Ss(a)), AttributeValue::Ss(b)) => {
                    AttributeValue::Ss(union(a, b))
                }
                (Some(AttributeValue::Ns(a)), AttributeValue::Ns(b)) => {
                    AttributeValue::Ns(union(a, b))
                }
                _ => return Err(format!("cannot ADD to `{}`", path.display())),
            };
            set(item, path, result)
        }
        Action::Delete(_, v) => {
            let result = match (get(item, path), v) {
                (None, _) => return Ok(()),
                (Some(AttributeValue::Ss(a)), AttributeValue::Ss(b)) => {
                    difference(a, b).map(AttributeValue::Ss)
                }
                (Some(AttributeValue::Ns(a)), AttributeValue::Ns(b)) => {
                    difference(a, b).map(AttributeValue::Ns)
                }
                _ => return Err(format!("cannot DELETE from `{}`", path.display())),
            };
            match result {
                Some(v) => set(item, path, v),
                None => {
                    remove(item, path);
                    Ok(())
                }
            }
        }
        Action::Append(_, v, prepend) => {
            let AttributeValue::L(new) = v else {
                return Err("list_append of a non-list".into());
            };
            let mut list = match get(item, path) {
                Some(AttributeValue::L(l)) => l.clone(),
                None => Vec::new(),
                Some(_) => return Err(format!("`{}` is not a list", path.display())),
            };
            if *prepend {
                let mut joined = new.clone();
                joined.extend(list);
                list = joined;
            } else {
                list.extend(new.iter().cloned());
            }
            set(item, path, AttributeValue::L(list))
        }
    }
}

fn union(a: &[String], b: &[String]) -> Vec<String> {
    let mut out = a.to_vec();
    out.extend(b.iter().filter(|m| !a.contains(m)).cloned());
    out
}

fn difference(a: &[String], b: &[String]) -> Option<Vec<String>> {
    let out: Vec<String> = a.iter().filter(|m| !b.contains(m)).cloned().collect();
    (!out.is_empty()).then_some(out)
}

fn add_numbers(
    a: &AttributeValue,
    b: &AttributeValue,
    subtract: bool,
) -> Result<AttributeValue, String> {
    let (AttributeValue::N(a), AttributeValue::N(b)) = (a, b) else {
        return Err("arithmetic on a non-number".into());
    };
    let (Ok(x), Ok(y)) = (a.parse::<i128>(), b.parse::<i128>()) else {
        return Err(format!(
            "arithmetic on `{a}` and `{b}` in an update that moves the item: only integers"
        ));
    };
    let result = if subtract {
        x.checked_sub(y)
    } else {
        x.checked_add(y)
    };
    result
        .map(|r| AttributeValue::N(r.to_string()))
        .ok_or_else(|| "arithmetic overflow".to_owned())
}

fn get<'i>(item: &'i crate::attribute::Item, path: &RawPath) -> Option<&'i AttributeValue> {
    let mut current = item.get(path.attribute)?;
    for step in &path.steps {
        current = match (step, current) {
            (Step::Field(name), AttributeValue::M(m)) => m.get(*name)?,
            (Step::Key(key), AttributeValue::M(m)) => m.get(key)?,
            (Step::Index(i), AttributeValue::L(l)) => l.get(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

fn set(
    item: &mut crate::attribute::Item,
    path: &RawPath,
    value: AttributeValue,
) -> Result<(), String> {
    let Some((last, parents)) = path.steps.split_last() else {
        item.insert(path.attribute.to_owned(), value);
        return Ok(());
    };
    let missing = || format!("`{}`: a parent of the path does not exist", path.display());
    let mut current = item.get_mut(path.attribute).ok_or_else(missing)?;
    for step in parents {
        current = match (step, current) {
            (Step::Field(name), AttributeValue::M(m)) => m.get_mut(*name).ok_or_else(missing)?,
            (Step::Key(key), AttributeValue::M(m)) => m.get_mut(key).ok_or_else(missing)?,
            (Step::Index(i), AttributeValue::L(l)) => l.get_mut(*i).ok_or_else(missing)?,
            _ => return Err(missing()),
        };
    }
    match (last, current) {
        (Step::Field(name), AttributeValue::M(m)) => {
            m.insert((*name).to_owned(), value);
        }
        (Step::Key(key), AttributeValue::M(m)) => {
            m.insert(key.clone(), value);
        }
        (Step::Index(i), AttributeValue::L(l)) if *i < l.len() => l[*i] = value,
        (Step::Index(_), AttributeValue::L(l)) => l.push(value),
        _ => return Err(missing()),
    }
    Ok(())
}

fn remove(item: &mut crate::attribute::Item, path: &RawPath) {
    let Some((last, parents)) = path.steps.split_last() else {
        item.remove(path.attribute);
        return;
    };
    let Some(mut current) = item.get_mut(path.attribute) else {
        return;
    };
    for step in parents {
        current = match (step, current) {
            (Step::Field(name), AttributeValue::M(m)) => match m.get_mut(*name) {
                Some(c) => c,
                None => return,
            },
            (Step::Key(key), AttributeValue::M(m)) => match m.get_mut(key) {
                Some(c) => c,
                None => return,
            },
            (Step::Index(i), AttributeValue::L(l)) => match l.get_mut(*i) {
                Some(c) => c,
                None => return,
            },
            _ => return,
        };
    }
    match (last, current) {
        (Step::Field(name), AttributeValue::M(m)) => {
            m.remove(*name);
        }
        (Step::Key(key), AttributeValue::M(m)) => {
            m.remove(key);
        }
        (Step::Index(i), AttributeValue::L(l)) if *i < l.len() => {
            l.remove(*i);
        }
        _ => {}
    }
}
