//! Filters of query patterns: `price_cents >= {min_price} and not attribute_exists(deleted_at)`.
//!
//! Grammar (keywords are case-insensitive):
//!
//! ```text
//! expr       := and ("or" and)*
//! and        := unary ("and" unary)*
//! unary      := "not" unary | "(" expr ")" | function | comparison
//! function   := ("attribute_exists" | "attribute_not_exists") "(" field ")"
//!             | ("begins_with" | "contains") "(" field "," param ")"
//! comparison := operand ("=" | "<>" | "<" | "<=" | ">" | ">=") param
//!             | operand "between" param "and" param
//!             | operand "in" "(" param ("," param)* ")"
//! operand    := field | "size" "(" field ")"
//! param      := "{" name "}"
//! ```
//!
//! Fields are struct field names; each `{param}` becomes an argument of the generated
//! method, typed by the field it is compared with (`u64` for `size(..)`, `&str` for
//! `begins_with`). Names and values always travel as placeholders.

use crate::diagnostics::{Diagnostic, Span};
use crate::schema::template::FieldRef;

/// A comparison operator: the one enum the runtime writes into requests too.
pub use dynaschema_core::Comparison;

/// The left side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    /// A field's value.
    Field(FieldRef),
    /// `size(field)`: a string's length, a set's or list's element count.
    Size(FieldRef),
}

impl Operand {
    /// The field the operand reads.
    pub fn field(&self) -> &FieldRef {
        match self {
            Self::Field(f) | Self::Size(f) => f,
        }
    }
}

/// A `{param}` and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamRef {
    /// The parameter's name.
    pub name: String,
    /// Its span in the schema file.
    pub span: Span,
}

/// A filter expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterExpr {
    /// `operand op {param}`
    Compare(Operand, Comparison, ParamRef),
    /// `operand between {low} and {high}`
    Between(Operand, ParamRef, ParamRef),
    /// `operand in ({a}, {b}, ..)`
    In(Operand, Vec<ParamRef>),
    /// `begins_with(field, {prefix})`
    BeginsWith(FieldRef, ParamRef),
    /// `contains(field, {value})`
    Contains(FieldRef, ParamRef),
    /// `attribute_exists(field)` (`true`) or `attribute_not_exists(field)` (`false`)
    Exists(FieldRef, bool),
    /// `a and b`
    And(Box<FilterExpr>, Box<FilterExpr>),
    /// `a or b`
    Or(Box<FilterExpr>, Box<FilterExpr>),
    /// `not a`
    Not(Box<FilterExpr>),
}

/// How a parameter is typed in the generated method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamType {
    /// Like the field it is compared with (`&str` for `String` fields).
    LikeField(String),
    /// `u64`: compared with `size(..)`.
    Size,
    /// `&str`: a `begins_with` prefix.
    Text,
    /// Any attribute value: an element looked for with `contains`.
    Element,
}

/// A parsed filter: the expression, and its parameters in order of appearance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The filter as written.
    pub text: String,
    /// The expression.
    pub expr: FilterExpr,
    /// Each parameter once, in order of appearance, with its type.
    pub params: Vec<(ParamRef, ParamType)>,
    /// Each field once, in order of appearance.
    pub fields: Vec<FieldRef>,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Param(String),
    Op(Comparison),
    Open,
    Close,
    Comma,
}

struct Parser {
    tokens: Vec<(Token, Span)>,
    position: usize,
    end: Span,
}

fn lex(text: &str, place: &dyn Fn(usize, usize) -> Span) -> Result<Vec<(Token, Span)>, Diagnostic> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let token = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'(' => Token::Open,
            b')' => Token::Close,
            b',' => Token::Comma,
            b'{' => {
                let Some(len) = text[i..].find('}') else {
                    return Err(Diagnostic::error(
                        "schema::filter",
                        "unclosed `{` in a filter",
                        place(i, 1),
                        "no matching `}`",
                    ));
                };
                let name = &text[i + 1..i + len];
                if let Some(problem) =
                    crate::schema::template::name_problem(name, "parameter", place(i, len + 1))
                {
                    return Err(problem);
                }
                if !crate::schema::template::is_identifier(name) {
                    return Err(Diagnostic::error(
                        "schema::filter",
                        format!("`{{{name}}}` is not a parameter name"),
                        place(i, len + 1),
                        "a parameter is `{name}` with a Rust identifier",
                    ));
                }
                i += len;
                Token::Param(name.to_owned())
            }
            b'=' => Token::Op(Comparison::Equal),
            b'<' | b'>' | b'!' => {
                let next = bytes.get(i + 1).copied();
                let (op, wide) = match (c, next) {
                    (b'<', Some(b'>')) | (b'!', Some(b'=')) => (Comparison::NotEqual, true),
                    (b'<', Some(b'=')) => (Comparison::LessOrEqual, true),
                    (b'>', Some(b'=')) => (Comparison::GreaterOrEqual, true),
                    (b'<', _) => (Comparison::Less, false),
                    (b'>', _) => (Comparison::Greater, false),
                    _ => {
                        return Err(Diagnostic::error(
                            "schema::filter",
                            "`!` is only part of `!=`",
                            place(i, 1),
                            "unexpected",
                        ));
                    }
                };
                if wide {
                    i += 1;
                }
                Token::Op(op)
            }
            c if c == b'_' || c.is_ascii_alphabetic() => {
                let len = text[i..]
                    .find(|ch: char| !(ch == '_' || ch.is_ascii_alphanumeric()))
                    .unwrap_or(text.len() - i);
                i += len - 1;
                Token::Word(text[start..start + len].to_owned())
            }
            _ => {
                return Err(Diagnostic::error(
                    "schema::filter",
                    format!(
                        "unexpected `{}` in a filter",
                        &text[i..].chars().next().unwrap_or(' ')
                    ),
                    place(i, 1),
                    "not part of a filter",
                ));
            }
        };
        i += 1;
        tokens.push((token, place(start, i - start)));
    }
    Ok(tokens)
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position).map(|(t, _)| t)
    }

    fn span(&self) -> Span {
        self.tokens
            .get(self.position)
            .map_or_else(|| self.end.clone(), |(_, s)| s.clone())
    }

    fn error(&self, expected: &str) -> Diagnostic {
        let found = match self.peek() {
            None => "the end of the filter".to_owned(),
            Some(Token::Word(w)) => format!("`{w}`"),
            Some(Token::Param(p)) => format!("`{{{p}}}`"),
            Some(Token::Op(op)) => format!("`{}`", op.operator()),
            Some(Token::Open) => "`(`".to_owned(),
            Some(Token::Close) => "`)`".to_owned(),
            Some(Token::Comma) => "`,`".to_owned(),
        };
        Diagnostic::error(
            "schema::filter",
            format!("expected {expected}, found {found}"),
            self.span(),
            format!("expected {expected}"),
        )
    }

    fn keyword(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word)) {
            self.position += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, token: Token, what: &str) -> Result<(), Diagnostic> {
        if self.peek() == Some(&token) {
            self.position += 1;
            Ok(())
        } else {
            Err(self.error(what))
        }
    }

    fn param(&mut self) -> Result<ParamRef, Diagnostic> {
        match self.tokens.get(self.position) {
            Some((Token::Param(name), span)) => {
                let param = ParamRef {
                    name: name.clone(),
                    span: span.clone(),
                };
                self.position += 1;
                Ok(param)
            }
            _ => Err(self.error("a `{parameter}`")),
        }
    }

    fn field(&mut self) -> Result<FieldRef, Diagnostic> {
        match self.tokens.get(self.position) {
            Some((Token::Word(name), span)) if !is_keyword(name) => {
                let field = FieldRef {
                    name: name.clone(),
                    span: span.clone(),
                    case: None,
                    bucket: None,
                };
                self.position += 1;
                Ok(field)
            }
            _ => Err(self.error("a field name")),
        }
    }

    fn expr(&mut self) -> Result<FilterExpr, Diagnostic> {
        let mut left = self.and()?;
        while self.keyword("or") {
            left = FilterExpr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<FilterExpr, Diagnostic> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            left = FilterExpr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<FilterExpr, Diagnostic> {
        if self.keyword("not") {
            return Ok(FilterExpr::Not(Box::new(self.unary()?)));
        }
        if self.peek() == Some(&Token::Open) {
            self.position += 1;
            let inner = self.expr()?;
            self.expect(Token::Close, "`)`")?;
            return Ok(inner);
        }
        for (name, exists) in [("attribute_exists", true), ("attribute_not_exists", false)] {
            if self.keyword(name) {
                self.expect(Token::Open, "`(`")?;
                let field = self.field()?;
                self.expect(Token::Close, "`)`")?;
                return Ok(FilterExpr::Exists(field, exists));
            }
        }
        for name in ["begins_with", "contains"] {
            if self.keyword(name) {
                self.expect(Token::Open, "`(`")?;
                let field = self.field()?;
                self.expect(Token::Comma, "`,`")?;
                let param = self.param()?;
                self.expect(Token::Close, "`)`")?;
                return Ok(if name == "contains" {
                    FilterExpr::Contains(field, param)
                } else {
                    FilterExpr::BeginsWith(field, param)
                });
            }
        }
        let operand = if self.keyword("size") {
            self.expect(Token::Open, "`(`")?;
            let field = self.field()?;
            self.expect(Token::Close, "`)`")?;
            Operand::Size(field)
        } else {
            Operand::Field(self.field()?)
        };
        if let Some(Token::Op(op)) = self.peek() {
            let op = *op;
            self.position += 1;
            return Ok(FilterExpr::Compare(operand, op, self.param()?));
        }
        if self.keyword("between") {
            let low = self.param()?;
            if !self.keyword("and") {
                return Err(self.error("`and`"));
            }
            return Ok(FilterExpr::Between(operand, low, self.param()?));
        }
        if self.keyword("in") {
            self.expect(Token::Open, "`(`")?;
            let mut params = vec![self.param()?];
            while self.peek() == Some(&Token::Comma) {
                self.position += 1;
                params.push(self.param()?);
            }
            self.expect(Token::Close, "`)`")?;
            return Ok(FilterExpr::In(operand, params));
        }
        Err(self.error("a comparison (`=`, `<>`, `<`, `<=`, `>`, `>=`, `between`, `in`)"))
    }
}

fn is_keyword(word: &str) -> bool {
    [
        "and",
        "or",
        "not",
        "between",
        "in",
        "size",
        "attribute_exists",
        "attribute_not_exists",
        "begins_with",
        "contains",
    ]
    .iter()
    .any(|k| k.eq_ignore_ascii_case(word))
}

impl Filter {
    /// Parses `text`; `content_start` maps offsets in the text to the file (`None`
    /// when the TOML string has escapes: errors then point at the whole string).
    pub fn parse(text: &str, span: Span, content_start: Option<usize>) -> Result<Self, Diagnostic> {
        let place = |start: usize, len: usize| match content_start {
            Some(base) => base + start..base + start + len,
            None => span.clone(),
        };
        let tokens = lex(text, &place)?;
        let mut parser = Parser {
            tokens,
            position: 0,
            end: place(text.len(), 0),
        };
        let expr = parser.expr()?;
        if parser.position < parser.tokens.len() {
            return Err(parser.error("`and`, `or` or the end of the filter"));
        }
        let mut filter = Self {
            text: text.to_owned(),
            expr: expr.clone(),
            params: Vec::new(),
            fields: Vec::new(),
        };
        filter.collect(&expr)?;
        Ok(filter)
    }

    fn add_field(&mut self, field: &FieldRef) {
        if !self.fields.iter().any(|f| f.name == field.name) {
            self.fields.push(field.clone());
        }
    }

    fn add_param(&mut self, param: &ParamRef, ty: ParamType) -> Result<(), Diagnostic> {
        if self.params.iter().any(|(p, _)| p.name == param.name) {
            return Err(Diagnostic::error(
                "schema::filter",
                format!("`{{{}}}` appears twice in the filter", param.name),
                param.span.clone(),
                "give each use its own parameter",
            ));
        }
        self.params.push((param.clone(), ty));
        Ok(())
    }

    fn operand_type(&mut self, operand: &Operand) -> ParamType {
        self.add_field(operand.field());
        match operand {
            Operand::Field(f) => ParamType::LikeField(f.name.clone()),
            Operand::Size(_) => ParamType::Size,
        }
    }

    fn collect(&mut self, expr: &FilterExpr) -> Result<(), Diagnostic> {
        match expr {
            FilterExpr::Compare(operand, _, param) => {
                let ty = self.operand_type(operand);
                self.add_param(param, ty)
            }
            FilterExpr::Between(operand, low, high) => {
                let ty = self.operand_type(operand);
                self.add_param(low, ty.clone())?;
                self.add_param(high, ty)
            }
            FilterExpr::In(operand, params) => {
                let ty = self.operand_type(operand);
                params
                    .iter()
                    .try_for_each(|p| self.add_param(p, ty.clone()))
            }
            FilterExpr::BeginsWith(field, param) => {
                self.add_field(field);
                self.add_param(param, ParamType::Text)
            }
            FilterExpr::Contains(field, param) => {
                self.add_field(field);
                self.add_param(param, ParamType::Element)
            }
            FilterExpr::Exists(field, _) => {
                self.add_field(field);
                Ok(())
            }
            FilterExpr::And(a, b) | FilterExpr::Or(a, b) => {
                self.collect(a)?;
                self.collect(b)
            }
            FilterExpr::Not(a) => self.collect(a),
        }
    }

    /// The DynamoDB `FilterExpression`, fields as `#f0`, `#f1`.. and parameters as
    /// `:f0`, `:f1`.. in order of appearance. Depends only on the schema.
    pub fn expression(&self) -> String {
        let text = self.render(&self.expr);
        // The outermost parentheses are dropped: a scan wraps the filter in its own
        // (`#et = :et AND (..)`), and DynamoDB refuses doubled ones ("redundant
        // parentheses").
        match self.expr {
            FilterExpr::And(..) | FilterExpr::Or(..) | FilterExpr::Not(..) => {
                text[1..text.len() - 1].to_owned()
            }
            _ => text,
        }
    }

    fn name(&self, field: &FieldRef) -> String {
        let i = self
            .fields
            .iter()
            .position(|f| f.name == field.name)
            .expect("collected");
        format!("#f{i}")
    }

    fn value(&self, param: &ParamRef) -> String {
        let i = self
            .params
            .iter()
            .position(|(p, _)| p.name == param.name)
            .expect("collected");
        format!(":f{i}")
    }

    fn operand(&self, operand: &Operand) -> String {
        match operand {
            Operand::Field(f) => self.name(f),
            Operand::Size(f) => format!("size({})", self.name(f)),
        }
    }

    fn render(&self, expr: &FilterExpr) -> String {
        match expr {
            FilterExpr::Compare(o, op, p) => {
                format!("{} {} {}", self.operand(o), op.operator(), self.value(p))
            }
            FilterExpr::Between(o, low, high) => {
                format!(
                    "{} BETWEEN {} AND {}",
                    self.operand(o),
                    self.value(low),
                    self.value(high)
                )
            }
            FilterExpr::In(o, params) => {
                let values: Vec<String> = params.iter().map(|p| self.value(p)).collect();
                format!("{} IN ({})", self.operand(o), values.join(", "))
            }
            FilterExpr::BeginsWith(f, p) => {
                format!("begins_with({}, {})", self.name(f), self.value(p))
            }
            FilterExpr::Contains(f, p) => format!("contains({}, {})", self.name(f), self.value(p)),
            FilterExpr::Exists(f, true) => format!("attribute_exists({})", self.name(f)),
            FilterExpr::Exists(f, false) => format!("attribute_not_exists({})", self.name(f)),
            FilterExpr::And(a, b) => format!("({} AND {})", self.render(a), self.render(b)),
            FilterExpr::Or(a, b) => format!("({} OR {})", self.render(a), self.render(b)),
            FilterExpr::Not(a) => format!("(NOT {})", self.render(a)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Filter, Diagnostic> {
        Filter::parse(text, 0..text.len() + 2, Some(1))
    }

    #[test]
    fn renders_every_form_with_placeholders() {
        let f = parse(
            "price_cents >= {min} and (name between {a} and {b} or size(tags) > {n}) \
             and not attribute_exists(deleted) and begins_with(name, {p}) and contains(tags, {t}) \
             and status IN ({s1}, {s2}) and price_cents != {other}",
        )
        .unwrap();
        assert_eq!(
            f.expression(),
            "(((((#f0 >= :f0 AND (#f1 BETWEEN :f1 AND :f2 OR size(#f2) > :f3)) AND (NOT attribute_exists(#f3))) \
             AND begins_with(#f1, :f4)) AND contains(#f2, :f5)) AND #f4 IN (:f6, :f7)) AND #f0 <> :f8"
        );
        let fields: Vec<&str> = f.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(fields, ["price_cents", "name", "tags", "deleted", "status"]);
        assert_eq!(f.params[0].1, ParamType::LikeField("price_cents".into()));
        assert_eq!(f.params[3].1, ParamType::Size);
        assert_eq!(f.params[4].1, ParamType::Text);
        assert_eq!(f.params[5].1, ParamType::Element);
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = parse("price >= 5").unwrap_err();
        assert_eq!(e.message, "unexpected `5` in a filter");
        let e = parse("price >=").unwrap_err();
        assert_eq!(
            e.message,
            "expected a `{parameter}`, found the end of the filter"
        );
        let e = parse("price >= {a} nope").unwrap_err();
        assert_eq!(e.span, Some(14..18));
        assert!(parse("price >= {a} and price <= {a}").is_err());
        assert!(parse("and >= {a}").is_err());
        assert!(parse("(price >= {a}").is_err());
    }
}
