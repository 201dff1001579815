//! The `[patterns.*]` sections: one method per kind of pattern, and what they share.

use toml::Spanned;

use super::Lowering;
use crate::diagnostics::Diagnostic;
use crate::schema::model::*;
use crate::schema::raw::*;
use crate::schema::template::{is_identifier, name_problem};

impl Lowering<'_> {
    pub(super) fn entity_ref(
        &mut self,
        name: &Spanned<String>,
        entities: &[Entity],
        known: &[&str],
    ) -> Option<usize> {
        match entities.iter().position(|e| &e.name == name.get_ref()) {
            Some(i) => Some(i),
            None => {
                // Declared but broken entities were already reported; don't pile on.
                if !known.contains(&name.get_ref().as_str()) {
                    self.error(
                        Diagnostic::error(
                            "schema::unknown-entity",
                            format!("`{}` is not an entity of this schema", name.get_ref()),
                            name.span(),
                            "unknown entity",
                        )
                        .suggest(name.get_ref(), known.iter().copied()),
                    );
                }
                None
            }
        }
    }

    pub(super) fn index_ref(
        &mut self,
        name: Option<&Spanned<String>>,
        indexes: &[Index],
    ) -> Option<usize> {
        let Some(name) = name else { return Some(0) };
        match indexes.iter().position(|i| &i.name == name.get_ref()) {
            Some(i) => Some(i),
            None => {
                self.error(
                    Diagnostic::error(
                        "schema::unknown-index",
                        format!("`{}` is not an index of this schema", name.get_ref()),
                        name.span(),
                        "unknown index",
                    )
                    .suggest(name.get_ref(), indexes.iter().map(|i| i.name.as_str())),
                );
                None
            }
        }
    }

    pub(super) fn patterns(
        &mut self,
        raw: &std::collections::BTreeMap<String, Spanned<RawPattern>>,
        entities: &[Entity],
        // Names declared in the file, even those whose declaration had errors.
        known: &[&str],
        indexes: &[Index],
    ) -> Vec<AccessPattern> {
        let mut patterns = Vec::new();
        for (name, pattern) in raw {
            let span = pattern.span();
            if !is_identifier(name) || name.chars().any(|c| c.is_ascii_uppercase()) {
                self.error(Diagnostic::error(
                    "schema::pattern-name",
                    format!("the pattern name `{name}` is not a snake_case Rust identifier"),
                    span.clone(),
                    "it becomes a method name",
                ));
            } else if let Some(problem) = name_problem(name, "pattern", span.clone()) {
                self.error(problem);
            }
            let p = pattern.get_ref();
            let kinds = [
                p.get.is_some(),
                p.query.is_some(),
                p.collection.is_some(),
                p.scan.is_some(),
            ];
            if kinds.iter().filter(|k| **k).count() != 1 {
                self.error(
                    Diagnostic::error(
                        "schema::pattern-kind",
                        format!("pattern `{name}` must say exactly one of `get`, `query`, `collection`, `scan`"),
                        span.clone(),
                        "what does this pattern do?",
                    )
                    .with_help(r#"e.g. `get = "User"`, `query = "Order"` or `collection = ["User", "Order"]`"#),
                );
                continue;
            }
            let description = p.description.as_ref().map(|d| d.get_ref().clone());
            let kind = if let Some(entity) = &p.get {
                self.get_pattern(name, p, entity, entities, known)
            } else if let Some(entity_name) = &p.scan {
                self.scan_pattern(name, p, entity_name, entities, known, indexes)
            } else if let Some(entity_name) = &p.query {
                self.query_pattern(name, p, entity_name, entities, known, indexes)
            } else {
                self.collection_pattern(name, p, entities, known, indexes)
            };
            if let Some(kind) = kind {
                patterns.push(AccessPattern {
                    name: name.clone(),
                    description,
                    kind,
                    span,
                });
            }
        }
        patterns
    }

    /// A `get` pattern: the table's primary key, no index, no order.
    pub(super) fn get_pattern(
        &mut self,
        name: &str,
        p: &RawPattern,
        entity: &Spanned<String>,
        entities: &[Entity],
        known: &[&str],
    ) -> Option<PatternKind> {
        if let Some(index) = &p.index {
            self.error(Diagnostic::error(
                "schema::get-with-index",
                "`get` reads by the table's primary key; it takes no `index`",
                index.span(),
                "remove this, or make the pattern a `query`",
            ));
        }
        self.no_order(name, p);
        self.entity_ref(entity, entities, known)
            .map(|entity| PatternKind::Get { entity })
    }

    /// A `scan` pattern: its entity, index, segments and filter.
    pub(super) fn scan_pattern(
        &mut self,
        name: &str,
        p: &RawPattern,
        entity_name: &Spanned<String>,
        entities: &[Entity],
        known: &[&str],
        indexes: &[Index],
    ) -> Option<PatternKind> {
        if let Some(order) = &p.order {
            self.error(Diagnostic::error(
                "schema::order-without-query",
                format!("pattern `{name}` is a scan: items come in no order"),
                order.span(),
                "remove this",
            ));
        }
        let entity = self.entity_ref(entity_name, entities, known);
        let index = self.index_ref(p.index.as_ref(), indexes);
        let segments = match &p.segments {
            None => Some(1),
            Some(n) if (1..=1_000_000).contains(n.get_ref()) => Some(*n.get_ref()),
            Some(n) => {
                self.error(Diagnostic::error(
                    "schema::segments",
                    "a scan has 1 to 1,000,000 segments",
                    n.span(),
                    "out of range",
                ));
                None
            }
        };
        let filter = self.filter(p);
        match (entity, index, segments, filter) {
            (Some(_), Some(index), Some(_), Some(_))
                if indexes[index].projection != Projection::All =>
            {
                self.partial_index(name, p, &indexes[index]);
                None
            }
            (Some(entity), Some(index), Some(segments), Some(filter)) => {
                if entities[entity].keys_on(index).is_none() {
                    self.error(Diagnostic::error(
                        "schema::entity-not-on-index",
                        format!(
                            "entity `{}` has no template for index `{}`, so a scan there never finds it",
                            entities[entity].name, indexes[index].name
                        ),
                        p.index.as_ref().map_or(entity_name.span(), |i| i.span()),
                        "this pattern can never find an item",
                    ));
                    None
                } else {
                    Some(PatternKind::Scan {
                        entity,
                        index,
                        segments,
                        filter,
                    })
                }
            }
            _ => None,
        }
    }

    /// A `query` pattern: its entity, index, order, filter and whether it fetches
    /// full items behind a partial projection.
    pub(super) fn query_pattern(
        &mut self,
        name: &str,
        p: &RawPattern,
        entity_name: &Spanned<String>,
        entities: &[Entity],
        known: &[&str],
        indexes: &[Index],
    ) -> Option<PatternKind> {
        let entity = self.entity_ref(entity_name, entities, known);
        let index = self.index_ref(p.index.as_ref(), indexes);
        let order = match &p.order {
            None => Some(Order::Ascending),
            Some(o) => match o.get_ref().as_str() {
                "ascending" | "oldest_first" => Some(Order::Ascending),
                "descending" | "newest_first" => Some(Order::Descending),
                other => {
                    self.error(
                        Diagnostic::error(
                            "schema::order",
                            format!("`{other}` is not an order"),
                            o.span(),
                            "unknown order",
                        )
                        .suggest(
                            other,
                            ["ascending", "descending", "oldest_first", "newest_first"],
                        ),
                    );
                    None
                }
            },
        };
        let filter = self.filter(p);
        let fetch_items = match &p.fetch {
            None => Some(false),
            Some(f) if f.get_ref() == "items" => Some(true),
            Some(f) => {
                self.error(
                    Diagnostic::error(
                        "schema::fetch",
                        format!("`{}` is not something to fetch", f.get_ref()),
                        f.span(),
                        "unknown",
                    )
                    .suggest(f.get_ref(), ["items"]),
                );
                None
            }
        };
        match (entity, index, order, filter, fetch_items) {
            (Some(_), Some(index), Some(_), Some(filter), Some(fetch_items))
                if !self.projection_fits(
                    name,
                    p,
                    &indexes[index],
                    fetch_items,
                    filter.is_some(),
                ) =>
            {
                None
            }
            (Some(entity), Some(index), Some(order), Some(filter), Some(fetch_items)) => {
                if entities[entity].keys_on(index).is_none() {
                    self.error(Diagnostic::error(
                        "schema::entity-not-on-index",
                        format!(
                            "entity `{}` has no template for index `{}`, so its items are not in it",
                            entities[entity].name, indexes[index].name
                        ),
                        p.index.as_ref().map_or(entity_name.span(), |i| i.span()),
                        "this pattern can never find an item",
                    ));
                    None
                } else {
                    Some(PatternKind::Query {
                        entity,
                        index,
                        order,
                        filter,
                        fetch_items,
                    })
                }
            }
            _ => None,
        }
    }

    /// A `collection` pattern: two or more entities sharing a partition of an index.
    pub(super) fn collection_pattern(
        &mut self,
        name: &str,
        p: &RawPattern,
        entities: &[Entity],
        known: &[&str],
        indexes: &[Index],
    ) -> Option<PatternKind> {
        let members = p.collection.as_ref().expect("one kind is set");
        self.no_order(name, p);
        let index = self.index_ref(p.index.as_ref(), indexes);
        let mut resolved = Vec::new();
        for member in members.get_ref() {
            if let Some(entity) = self.entity_ref(member, entities, known) {
                if resolved.contains(&entity) {
                    self.error(Diagnostic::error(
                        "schema::repeated-member",
                        format!("`{}` is listed twice", member.get_ref()),
                        member.span(),
                        "repeated",
                    ));
                } else if let Some(index) = index
                    && entities[entity].keys_on(index).is_none()
                {
                    self.error(Diagnostic::error(
                        "schema::entity-not-on-index",
                        format!(
                            "entity `{}` has no template for index `{}`, so a query there never returns it",
                            member.get_ref(),
                            indexes[index].name
                        ),
                        member.span(),
                        "not in this index",
                    ));
                } else {
                    resolved.push(entity);
                }
            }
        }
        if members.get_ref().len() < 2 {
            self.error(
                Diagnostic::error(
                    "schema::collection-size",
                    "a collection groups at least two entities",
                    members.span(),
                    "one entity",
                )
                .with_help("for one entity, write `query = \"...\"`"),
            );
        }
        match index {
            Some(index) if indexes[index].projection != Projection::All => {
                self.partial_index(name, p, &indexes[index]);
                None
            }
            Some(index) if resolved.len() == members.get_ref().len() && resolved.len() >= 2 => {
                Some(PatternKind::Collection {
                    entities: resolved,
                    index,
                })
            }
            _ => None,
        }
    }

    /// Whether a query on `index` fits its projection: full items where every
    /// attribute is projected or the pattern reads the items (`fetch = "items"`), a
    /// projection type otherwise, and no filter on what the index does not hold.
    /// Reports what does not fit.
    pub(super) fn projection_fits(
        &mut self,
        name: &str,
        p: &RawPattern,
        index: &Index,
        fetch_items: bool,
        has_filter: bool,
    ) -> bool {
        let span = p.index.as_ref().map_or(0..0, |i| i.span());
        let partial = index.projection != Projection::All;
        let keys_only = index.projection == Projection::KeysOnly;
        let problem = match (partial, fetch_items) {
            (true, false) if has_filter => Some(Diagnostic::error(
                "schema::fetch",
                format!(
                    "pattern `{name}` filters on index `{}`, which holds only {}",
                    index.name,
                    if keys_only { "keys" } else { "some attributes" }
                ),
                p.filter.as_ref().map_or(span.clone(), |f| f.span()),
                "a filter sees the index's projection only",
            )),
            // A keys-only or include index yields a projection type: the key fields,
            // and on an include index the included fields the entity has.
            (true, false) => None,
            (false, true) => Some(Diagnostic::error(
                "schema::fetch",
                format!(
                    "index `{}` projects every attribute: pattern `{name}` needs no `fetch`",
                    index.name
                ),
                p.fetch.as_ref().map_or(span, |f| f.span()),
                "remove this",
            )),
            (true, true) if has_filter => Some(Diagnostic::error(
                "schema::fetch",
                format!(
                    "pattern `{name}` filters on index `{}`, which holds only some attributes",
                    index.name
                ),
                p.filter.as_ref().map_or(span, |f| f.span()),
                "a filter sees the index's projection only",
            )),
            _ => None,
        };
        match problem {
            Some(d) => {
                self.error(d);
                false
            }
            None => true,
        }
    }

    /// A collection or scan on an index that holds only some attributes cannot decode
    /// full items; only queries can `fetch` them.
    pub(super) fn partial_index(&mut self, name: &str, p: &RawPattern, index: &Index) {
        self.error(
            Diagnostic::error(
                "schema::partial-projection",
                format!("index `{}` projects only some attributes, so pattern `{name}` cannot return full items", index.name),
                p.index.as_ref().map_or(0..0, |i| i.span()),
                "partial projection",
            )
            .with_help("project `all` on this index, or read it with a `query` pattern with `fetch = \"items\"`"),
        );
    }

    /// The pattern's filter: `Some(None)` without one, `None` if it does not parse.
    pub(super) fn filter(
        &mut self,
        p: &RawPattern,
    ) -> Option<Option<crate::schema::filter::Filter>> {
        match &p.filter {
            None => Some(None),
            Some(text) => match crate::schema::filter::Filter::parse(
                text.get_ref(),
                text.span(),
                self.content_start(text),
            ) {
                Ok(filter) => Some(Some(filter)),
                Err(e) => {
                    self.error(e);
                    None
                }
            },
        }
    }

    pub(super) fn no_order(&mut self, name: &str, p: &RawPattern) {
        if let Some(fetch) = &p.fetch {
            self.error(Diagnostic::error(
                "schema::fetch",
                format!("pattern `{name}` is not a `query`, so it takes no `fetch`"),
                fetch.span(),
                "remove this",
            ));
        }
        if let Some(segments) = &p.segments {
            self.error(Diagnostic::error(
                "schema::segments",
                format!("pattern `{name}` is not a `scan`, so it has no segments"),
                segments.span(),
                "remove this",
            ));
        }
        if let Some(filter) = &p.filter {
            self.error(Diagnostic::error(
                "schema::filter-without-query",
                format!("pattern `{name}` is not a `query` or `scan`, so it takes no filter"),
                filter.span(),
                "filters narrow the items a query reads",
            ));
        }
        if let Some(order) = &p.order {
            self.error(Diagnostic::error(
                "schema::order-without-query",
                format!("pattern `{name}` is not a `query`, so it has no order"),
                order.span(),
                "remove this",
            ));
        }
    }
}
