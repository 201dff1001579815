//! The `[indexes.*]` sections: kinds, key attributes (template or multi-attribute), projections.

use toml::Spanned;

use super::{KeySpec, Lowering};
use crate::diagnostics::{Diagnostic, Span};
use crate::schema::model::*;
use crate::schema::raw::*;
use crate::schema::template::is_identifier;

impl Lowering<'_> {
    pub(super) fn indexes(
        &mut self,
        table: &Spanned<RawTable>,
        raw: &std::collections::BTreeMap<String, Spanned<RawIndex>>,
    ) -> Vec<Index> {
        let t = table.get_ref();
        let mut indexes = vec![Index {
            name: PRIMARY.to_owned(),
            secondary: None,
            partition_key: t.partition_key.get_ref().clone(),
            sort_key: t.sort_key.as_ref().map(|s| s.get_ref().clone()),
            multi_attribute: None,
            projection: Projection::All,
            capacity: None,
            span: table.span(),
        }];
        let provisioned = matches!(
            t.billing.as_ref().map(|b| *b.get_ref()),
            Some(RawBilling::Provisioned(_))
        );
        for (name, index) in raw {
            let span = index.span();
            if name == PRIMARY {
                self.error(Diagnostic::error(
                    "schema::reserved-index-name",
                    "`primary` is the table's own key and cannot name an index",
                    span.clone(),
                    "reserved name",
                ));
                continue;
            }
            let valid_name = (3..=255).contains(&name.len())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if !valid_name || !is_identifier(name) {
                self.error(
                    Diagnostic::error(
                        "schema::index-name",
                        format!("`{name}` is not a usable index name"),
                        span.clone(),
                        "bad index name",
                    )
                    .with_help(
                        "DynamoDB allows 3 to 255 characters of a-z, A-Z, 0-9, `_`, `-`, `.`; \
                         dynaschema also needs a Rust identifier (letters, digits, `_`)",
                    ),
                );
            }
            let i = index.get_ref();
            let local = i.kind == Some(RawIndexKind::Local);
            let pk_spec = i.partition_key.as_ref().and_then(|v| self.key_spec(v));
            let sk_spec = i.sort_key.as_ref().and_then(|v| self.key_spec(v));
            if i.partition_key.is_some() != pk_spec.is_some()
                || i.sort_key.is_some() != sk_spec.is_some()
            {
                continue;
            }
            let multi_attribute = match (&pk_spec, &sk_spec) {
                (Some(KeySpec::Many(..)), _) if local => {
                    self.error(Diagnostic::error(
                        "schema::key-attributes",
                        format!("local index `{name}` cannot have a multi-attribute key"),
                        span.clone(),
                        "multi-attribute keys are for global indexes",
                    ));
                    continue;
                }
                (Some(KeySpec::Many(partition, _)), sort) => {
                    let sort = match sort {
                        None => Vec::new(),
                        Some(KeySpec::One(one)) => vec![one.clone()],
                        Some(KeySpec::Many(many, _)) => many.clone(),
                    };
                    match self.multi_attribute_key(
                        name,
                        partition,
                        &sort,
                        i.attribute_types.as_ref(),
                        span.clone(),
                    ) {
                        Some(key) => Some(key),
                        None => continue,
                    }
                }
                (_, Some(KeySpec::Many(_, sk_span))) => {
                    self.error(
                        Diagnostic::error(
                            "schema::key-attributes",
                            format!("index `{name}` has a list of sort key attributes but one partition key attribute"),
                            sk_span.clone(),
                            "a multi-attribute sort key",
                        )
                        .with_help("write the partition key as a list too, e.g. `partition_key = [\"tenant_id\"]`: its attributes then hold the entities' own values"),
                    );
                    continue;
                }
                _ => {
                    if let Some(types) = &i.attribute_types {
                        self.error(Diagnostic::error(
                            "schema::attribute-types",
                            format!(
                                "index `{name}` has a template key: its attributes are strings"
                            ),
                            types.span(),
                            "`attribute_types` is for multi-attribute keys",
                        ));
                    }
                    None
                }
            };
            let pk_one = match &pk_spec {
                Some(KeySpec::One(one)) => Some(one.clone()),
                Some(KeySpec::Many(many, _)) => Some(many[0].clone()),
                None => None,
            };
            let sk_one = match &sk_spec {
                Some(KeySpec::One(one)) => Some(one.clone()),
                Some(KeySpec::Many(many, _)) => Some(many[0].clone()),
                None => None,
            };
            let partition_key = match (&pk_one, local) {
                (Some(pk), false) => {
                    if multi_attribute.is_none() {
                        self.attribute_name("the index partition key attribute", pk);
                    }
                    pk.get_ref().clone()
                }
                (None, true) => t.partition_key.get_ref().clone(),
                (Some(pk), true) if pk.get_ref() == t.partition_key.get_ref() => {
                    pk.get_ref().clone()
                }
                (Some(pk), true) => {
                    self.error(Diagnostic::error(
                        "schema::local-index-partition",
                        format!(
                            "local index `{name}` has the table's partition key, `{}`",
                            t.partition_key.get_ref()
                        ),
                        pk.span(),
                        "omit `partition_key` on a local index",
                    ));
                    continue;
                }
                (None, false) => {
                    self.error(
                        Diagnostic::error(
                            "schema::missing-partition-key",
                            format!("index `{name}` has no `partition_key`"),
                            span.clone(),
                            "a global index needs its own partition key attribute",
                        )
                        .with_help("add `partition_key = \"...\"`, or `kind = \"local\"` for a local index"),
                    );
                    continue;
                }
            };
            if let (Some(sk), None) = (&sk_one, &multi_attribute) {
                self.attribute_name("the index sort key attribute", sk);
            }
            if local {
                let problem = if t.sort_key.is_none() {
                    Some("a local index needs a table with a sort key")
                } else if sk_one.is_none() {
                    Some("a local index needs a `sort_key`: it is what it adds to the table")
                } else if i.capacity.is_some() {
                    Some("a local index has no capacity of its own: it uses the table's")
                } else {
                    None
                };
                if let Some(problem) = problem {
                    self.error(Diagnostic::error(
                        "schema::local-index",
                        format!("local index `{name}`: {problem}"),
                        span.clone(),
                        problem,
                    ));
                    continue;
                }
            }
            let projection = match &i.projection {
                None => Projection::All,
                Some(p) => self.projection(p),
            };
            let capacity = match (&i.capacity, provisioned && !local) {
                (Some(capacity), true) => {
                    self.capacity(*capacity.get_ref(), capacity.span());
                    Some(Capacity::from(*capacity.get_ref()))
                }
                (None, false) => None,
                (Some(capacity), false) => {
                    self.error(Diagnostic::error(
                        "schema::capacity",
                        format!(
                            "index `{name}` has a capacity, but the table is billed per request"
                        ),
                        capacity.span(),
                        "remove this, or give the table `billing = { read = .., write = .. }`",
                    ));
                    None
                }
                (None, true) => {
                    self.error(
                        Diagnostic::error(
                            "schema::capacity",
                            format!(
                                "index `{name}` needs a capacity: the table has provisioned billing"
                            ),
                            span.clone(),
                            "no capacity",
                        )
                        .with_help("add `capacity = { read = 5, write = 5 }`"),
                    );
                    None
                }
            };
            indexes.push(Index {
                name: name.clone(),
                secondary: Some(if local {
                    IndexKind::Local
                } else {
                    IndexKind::Global
                }),
                partition_key,
                sort_key: sk_one.as_ref().map(|s| s.get_ref().clone()),
                multi_attribute,
                projection,
                capacity,
                span,
            });
        }
        indexes
    }

    /// An index's `partition_key` or `sort_key`: one attribute name, or a list of
    /// 1 to 4 (a multi-attribute key).
    pub(super) fn key_spec(&mut self, raw: &Spanned<toml::Value>) -> Option<KeySpec> {
        let span = raw.span();
        match raw.get_ref() {
            toml::Value::String(s) => Some(KeySpec::One(Spanned::new(span, s.clone()))),
            toml::Value::Array(items)
                if (1..=4).contains(&items.len()) && items.iter().all(toml::Value::is_str) =>
            {
                let names = items
                    .iter()
                    .filter_map(|v| v.as_str())
                    .map(|s| Spanned::new(span.clone(), s.to_owned()))
                    .collect();
                Some(KeySpec::Many(names, span))
            }
            _ => {
                self.error(
                    Diagnostic::error(
                        "schema::key-attributes",
                        "a key is one attribute name or a list of 1 to 4 attribute names",
                        span,
                        "not a key",
                    )
                    .with_help(r#"write `"gsi1pk"` (a template key) or `["tenant_id", "region"]` (a multi-attribute key)"#),
                );
                None
            }
        }
    }

    /// The typed attributes of a multi-attribute key.
    pub(super) fn multi_attribute_key(
        &mut self,
        index: &str,
        partition: &[Spanned<String>],
        sort: &[Spanned<String>],
        types: Option<&Spanned<std::collections::BTreeMap<String, RawScalarKind>>>,
        span: Span,
    ) -> Option<MultiAttributeKey> {
        let mut ok = true;
        let mut seen = std::collections::BTreeSet::new();
        for name in partition.iter().chain(sort) {
            self.attribute_name("a key attribute", name);
            if !seen.insert(name.get_ref().as_str()) {
                self.error(Diagnostic::error(
                    "schema::key-attributes",
                    format!(
                        "index `{index}` names `{}` twice in its key",
                        name.get_ref()
                    ),
                    name.span(),
                    "each key attribute once",
                ));
                ok = false;
            }
        }
        if sort.len() > 4 {
            self.error(Diagnostic::error(
                "schema::key-attributes",
                format!(
                    "index `{index}` has {} sort key attributes; DynamoDB allows 4",
                    sort.len()
                ),
                span,
                "too many attributes",
            ));
            ok = false;
        }
        let empty = Default::default();
        let types_map = types.map_or(&empty, |t| t.get_ref());
        for name in types_map.keys() {
            if !seen.contains(name.as_str()) {
                self.error(
                    Diagnostic::error(
                        "schema::attribute-types",
                        format!("`{name}` is not a key attribute of index `{index}`"),
                        types.map(|t| t.span()).unwrap_or_default(),
                        "unknown key attribute",
                    )
                    .suggest(name, seen.iter().copied()),
                );
                ok = false;
            }
        }
        let attribute = |name: &Spanned<String>| KeyAttribute {
            name: name.get_ref().clone().into(),
            kind: types_map
                .get(name.get_ref())
                .map_or(ScalarType::String, |kind| (*kind).into()),
        };
        ok.then(|| MultiAttributeKey {
            partition: partition.iter().map(attribute).collect(),
            sort: sort.iter().map(attribute).collect(),
        })
    }

    pub(super) fn projection(&mut self, raw: &Spanned<toml::Value>) -> Projection {
        match raw.get_ref() {
            toml::Value::String(s) if s == "all" => Projection::All,
            toml::Value::String(s) if s == "keys_only" => Projection::KeysOnly,
            toml::Value::Table(t) if t.len() == 1 && t.contains_key("include") => {
                match t["include"].as_array() {
                    Some(names) if names.iter().all(toml::Value::is_str) => Projection::Include(
                        names
                            .iter()
                            .filter_map(|n| n.as_str().map(|n| n.to_owned().into()))
                            .collect::<Vec<_>>()
                            .into(),
                    ),
                    _ => {
                        self.bad_projection(raw.span());
                        Projection::All
                    }
                }
            }
            _ => {
                self.bad_projection(raw.span());
                Projection::All
            }
        }
    }

    pub(super) fn bad_projection(&mut self, span: Span) {
        self.error(
            Diagnostic::error(
                "schema::projection",
                "unknown projection",
                span,
                "not a projection",
            )
            .with_help(r#"write `"all"`, `"keys_only"` or `{ include = ["attribute", ...] }`"#),
        );
    }
}
