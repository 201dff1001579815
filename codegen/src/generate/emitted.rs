//! Every identifier the generated module and the derive emit, with the scope it
//! lives in and the schema declaration it comes from. The generator names things
//! through the same [`crate::names`] functions, and the identifier rule of
//! [`crate::check`] reads this list: what is checked is what is emitted.

use super::Generator;
use crate::diagnostics::Span;
use crate::names;
use crate::schema::{AccessPattern, PatternKind, Projection, Schema};

/// Where an emitted identifier lives: names in one scope must differ.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Items of the generated module (structs, aliases, the definition).
    Module,
    /// Methods of the generated `Table` (and of `dynaschema::Table` behind `Deref`).
    TableMethods,
    /// Methods of one query builder struct.
    Builder(String),
    /// Fields of one collection result struct.
    Collection(String),
    /// Parameters of one pattern method.
    Params(String),
    /// Variants and methods of the `AnyEntity` enum.
    AnyEntity,
    /// Associated functions the derive adds to one entity (`key`, `gsi1_key`, `fields`).
    Entity(String),
    /// The module the entity structs are in: the structs and what the derive adds.
    Entities,
}

impl Scope {
    /// The scope in words, for messages.
    pub fn describe(&self) -> String {
        match self {
            Scope::Module => "the generated module".into(),
            Scope::TableMethods => "the methods of the generated `Table`".into(),
            Scope::Builder(name) => format!("the methods of the query builder `{name}`"),
            Scope::Collection(name) => format!("the fields of the collection struct `{name}`"),
            Scope::Params(name) => format!("the parameters of the pattern method `{name}`"),
            Scope::AnyEntity => "the variants and methods of `AnyEntity`".into(),
            Scope::Entity(name) => format!("the associated functions of `{name}`"),
            Scope::Entities => "the module of the entity structs".into(),
        }
    }
}

/// Where an emitted identifier comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Emitted whatever the schema says (`Table`, `new`, `limit`), described.
    Fixed(&'static str),
    /// Derived from a schema declaration: its span, what it is, and an identity
    /// (two emissions with one identity are one item, e.g. a projection struct
    /// shared by two patterns).
    Schema {
        /// The declaration's span.
        span: Span,
        /// What it is, e.g. "the collection struct of pattern `user_orders`".
        what: String,
        /// The same item emitted twice has the same identity.
        identity: String,
    },
}

/// One identifier the generated code holds.
#[derive(Debug, Clone)]
pub struct Emitted {
    /// The scope it is declared in.
    pub scope: Scope,
    /// The identifier, unraw (`type`, not `r#type`).
    pub name: String,
    /// What it comes from.
    pub origin: Origin,
}

/// Every identifier generated from `schema`: the module `build.rs` writes and what
/// `#[derive(Entity)]` adds to each entity. `schema` must be free of errors.
pub fn emitted(schema: &Schema) -> Vec<Emitted> {
    let options = super::Options::default();
    let g = Generator {
        schema,
        options: &options,
    };
    let mut out = Vec::new();
    let fixed = |out: &mut Vec<Emitted>, scope: Scope, list: &[&'static str], what| {
        for name in list {
            out.push(Emitted {
                scope: scope.clone(),
                name: (*name).to_owned(),
                origin: Origin::Fixed(what),
            });
        }
    };
    let from = |scope: Scope, name: String, span: &Span, what: String| Emitted {
        scope,
        name,
        origin: Origin::Schema {
            span: span.clone(),
            identity: what.clone(),
            what,
        },
    };
    fixed(
        &mut out,
        Scope::Module,
        names::MODULE_ITEMS,
        "an item of every generated module",
    );
    fixed(
        &mut out,
        Scope::TableMethods,
        names::TABLE_METHODS,
        "a method of every generated `Table`",
    );
    fixed(
        &mut out,
        Scope::TableMethods,
        names::RUNTIME_TABLE_METHODS,
        "a method of `dynaschema::Table`, which `Table` dereferences to",
    );
    fixed(
        &mut out,
        Scope::AnyEntity,
        names::ANY_ENTITY_METHODS,
        "a method of `AnyEntity`",
    );

    for entity in &schema.entities {
        let e = &entity.name;
        out.push(from(
            Scope::AnyEntity,
            e.clone(),
            &entity.span,
            format!("the variant of entity `{e}`"),
        ));
        out.push(from(
            Scope::Entities,
            e.clone(),
            &entity.span,
            format!("the struct of entity `{e}`"),
        ));
        out.push(from(
            Scope::Entities,
            names::fields_struct(e),
            &entity.span,
            format!("the field paths struct of entity `{e}`"),
        ));
        let scope = Scope::Entity(e.clone());
        out.push(Emitted {
            scope: scope.clone(),
            name: "fields".into(),
            origin: Origin::Fixed("the field paths of every entity"),
        });
        for keys in &entity.keys {
            let index = &schema.indexes[keys.index];
            if matches!(index.projection, Projection::Include(_)) {
                out.push(from(
                    Scope::Entities,
                    names::include_projection(e, &index.name),
                    &keys.span,
                    format!("the projection of `{e}` on `{}`", index.name),
                ));
            }
            // A multi-attribute key is the fields themselves: no key function.
            if index.multi_attribute.is_some() {
                continue;
            }
            let function = if keys.index == 0 {
                "key".to_owned()
            } else {
                names::index_key_function(&index.name)
            };
            out.push(from(
                scope.clone(),
                function,
                &keys.span,
                format!("the key function of `{e}` on `{}`", index.name),
            ));
        }
    }

    for pattern in &schema.patterns {
        let p = &pattern.name;
        out.push(from(
            Scope::TableMethods,
            p.clone(),
            &pattern.span,
            format!("the method of pattern `{p}`"),
        ));
        for (name, span) in g.pattern_params(pattern) {
            out.push(Emitted {
                scope: Scope::Params(p.clone()),
                name,
                origin: Origin::Schema {
                    // Each placeholder is its own declaration: two of one name clash.
                    identity: format!("{span:?}"),
                    what: format!("a parameter of pattern `{p}`"),
                    span,
                },
            });
        }
        match &pattern.kind {
            PatternKind::Collection { entities, index } => {
                let name = names::collection_struct(p);
                out.push(from(
                    Scope::Module,
                    name.clone(),
                    &pattern.span,
                    format!("the result struct of collection `{p}`"),
                ));
                for &member in entities {
                    let entity = &schema.entities[member];
                    out.push(from(
                        Scope::Collection(name.clone()),
                        names::member_field(&entity.name, g.member_is_single(entity, *index)),
                        &entity.span,
                        format!("the field of `{}`", entity.name),
                    ));
                }
            }
            PatternKind::Query { .. } => g.query_names(pattern, &mut out),
            PatternKind::Get { .. } | PatternKind::Scan { .. } => {}
        }
    }
    out
}

impl Generator<'_> {
    /// A pattern method's parameters, each with its placeholder's span.
    fn pattern_params(&self, pattern: &AccessPattern) -> Vec<(String, Span)> {
        let mut seen = std::collections::BTreeSet::new();
        let mut keys =
            |templates: Vec<&crate::schema::template::KeyTemplate>| -> Vec<(String, Span)> {
                templates
                    .into_iter()
                    .flat_map(|t| t.fields())
                    .filter(|f| seen.insert(f.name.clone()))
                    .map(|f| (f.name.clone(), f.span.clone()))
                    .collect()
            };
        let mut params = match &pattern.kind {
            PatternKind::Get { entity } => keys(
                self.schema.entities[*entity]
                    .primary()
                    .templates()
                    .collect(),
            ),
            PatternKind::Query { .. } => {
                let (_, entity_keys, _) = self.query_parts(pattern);
                keys(vec![&entity_keys.partition])
            }
            PatternKind::Collection { entities, index } => {
                match self.schema.entities[entities[0]].keys_on(*index) {
                    Some(entity_keys) => keys(vec![&entity_keys.partition]),
                    None => Vec::new(),
                }
            }
            PatternKind::Scan { .. } => Vec::new(),
        };
        if let Some(filter) = self.pattern_filter(pattern) {
            params.extend(
                filter
                    .params
                    .iter()
                    .map(|(param, _)| (param.name.clone(), param.span.clone())),
            );
        }
        params
    }

    /// The builder structs of a query pattern and their methods; keys projection
    /// structs and include projection aliases in the module.
    fn query_names(&self, pattern: &AccessPattern, out: &mut Vec<Emitted>) {
        let p = &pattern.name;
        let (entity, keys, _) = self.query_parts(pattern);
        let index = &self.schema.indexes[keys.index];
        let projection = if self.is_keys_projection(pattern) {
            Some((
                names::keys_projection(&entity.name, &index.name),
                "the keys struct",
            ))
        } else if self.is_include_projection(pattern) {
            Some((
                names::include_projection(&entity.name, &index.name),
                "the projection alias",
            ))
        } else {
            None
        };
        if let Some((name, what)) = projection {
            out.push(Emitted {
                scope: Scope::Module,
                name,
                origin: Origin::Schema {
                    span: pattern.span.clone(),
                    what: format!("{what} of `{}` on `{}`", entity.name, index.name),
                    // Patterns on one entity and index share it.
                    identity: format!("{what} {} {}", entity.name, index.name),
                },
            });
        }
        let fields: Vec<crate::schema::template::FieldRef> = self
            .sort_plan(pattern)
            .map(|plan| plan.steps.into_iter().map(|s| s.field).collect())
            .unwrap_or_default();
        for (k, field) in fields.iter().enumerate() {
            let builder = names::query_builder(p, fields[..k].iter().map(|f| f.name.as_str()));
            out.push(Emitted {
                scope: Scope::Module,
                name: builder.clone(),
                origin: Origin::Schema {
                    span: field.span.clone(),
                    what: format!("a query builder of pattern `{p}`"),
                    identity: format!("builder {p} {k}"),
                },
            });
            for name in names::QUERY_BUILDER_METHODS {
                out.push(Emitted {
                    scope: Scope::Builder(builder.clone()),
                    name: (*name).to_owned(),
                    origin: Origin::Fixed("a method of every query builder"),
                });
            }
            for method in names::sort_field_methods(&field.name) {
                out.push(Emitted {
                    scope: Scope::Builder(builder.clone()),
                    name: method,
                    origin: Origin::Schema {
                        span: field.span.clone(),
                        what: format!("a condition on `{}`", field.name),
                        identity: format!("{:?}", field.span),
                    },
                });
            }
        }
    }
}
