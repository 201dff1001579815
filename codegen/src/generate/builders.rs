//! Query patterns whose sort key can be narrowed: a type-state builder per number of
//! fixed steps, offering exactly the conditions the key's order allows next. One
//! generator for both kinds of sort key: a template's value segments and a
//! multi-attribute key's attributes are both a list of [`SortStep`]s, and the
//! runtime's `SortKey` narrows either.

use dynaschema_core::Comparison;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Generator, doc};
use crate::keys::FieldType;
use crate::names::ident;
use crate::schema::template::{FieldRef, Segment};
use crate::schema::{
    AccessPattern, Entity, EntityKeys, KeyAttribute, Order, PatternKind, ScalarType,
};

/// One step of a query pattern's sort key that its builder narrows.
pub(super) struct SortStep {
    /// The entity's field that fills it.
    pub(super) field: FieldRef,
    /// A template segment or a key attribute.
    pub(super) kind: StepKind,
}

/// What a [`SortStep`] narrows.
pub(super) enum StepKind {
    /// A value segment of a template and the literal segments after it; `last` when
    /// no value segment follows.
    Segment { trailing: Vec<String>, last: bool },
    /// An attribute of a multi-attribute sort key.
    Attribute(KeyAttribute),
}

impl SortStep {
    /// The runtime's description of the step (a `SegmentStep` or an `AttributeStep`).
    fn tokens(&self) -> TokenStream {
        match &self.kind {
            StepKind::Segment { trailing, last } => {
                let field = &self.field.name;
                let case = self.field.case.map(|case| {
                    let case = match case {
                        dynaschema_core::Case::Lower => quote!(Lower),
                        dynaschema_core::Case::Upper => quote!(Upper),
                    };
                    quote!(.cased(::dynaschema::__private::Case::#case))
                });
                quote!(::dynaschema::__private::SegmentStep::new(#field, &[#(#trailing),*], #last) #case)
            }
            StepKind::Attribute(attribute) => {
                let attribute = &*attribute.name;
                quote!(::dynaschema::__private::AttributeStep::new(#attribute))
            }
        }
    }

    /// Whether `begins_with` applies: text segments (the parameter's `TextPrefix`
    /// bound keeps it to text fields) and string attributes.
    fn allows_begins_with(&self) -> bool {
        match &self.kind {
            StepKind::Segment { .. } => true,
            StepKind::Attribute(attribute) => attribute.kind == ScalarType::String,
        }
    }

    /// Where the step's value goes, for the docs.
    fn place(&self) -> String {
        match &self.kind {
            StepKind::Segment { .. } => String::new(),
            StepKind::Attribute(attribute) => format!(" (attribute `{}`)", attribute.name),
        }
    }
}

/// The sort key a query pattern's builders narrow.
pub(super) struct SortPlan {
    /// The initial `SortKey` expression: the template's literal prefix fixed, or
    /// nothing fixed of a multi-attribute key.
    pub(super) start: TokenStream,
    /// The runtime's kind of sort key (`Template` or `MultiAttribute`).
    pub(super) kind: TokenStream,
    /// The steps, in the key's order.
    pub(super) steps: Vec<SortStep>,
}

impl Generator<'_> {
    /// The entity, its keys on the pattern's index, and the order, of a query pattern.
    pub(super) fn query_parts(&self, pattern: &AccessPattern) -> (&Entity, &EntityKeys, Order) {
        let PatternKind::Query {
            entity,
            index,
            order,
            ..
        } = &pattern.kind
        else {
            unreachable!("a query pattern")
        };
        let entity = &self.schema.entities[*entity];
        (entity, entity.keys_on(*index).expect("validated"), *order)
    }

    /// The sort key a query pattern's builders narrow: a template's value segments
    /// after its literal prefix, or a multi-attribute key's sort attributes; `None`
    /// when there is nothing to narrow (not a query, a sort key fixed by the entity,
    /// or none).
    pub(super) fn sort_plan(&self, pattern: &AccessPattern) -> Option<SortPlan> {
        if !matches!(pattern.kind, PatternKind::Query { .. }) {
            return None;
        }
        let (entity, keys, _) = self.query_parts(pattern);
        let index = &self.schema.indexes[keys.index];
        let template = keys.sort.as_ref()?;
        let entity_name = &entity.name;
        if let Some(key) = &index.multi_attribute {
            let steps: Vec<SortStep> = key
                .sort
                .iter()
                .zip(template.fields())
                .map(|(attribute, field)| SortStep {
                    field: field.clone(),
                    kind: StepKind::Attribute(attribute.clone()),
                })
                .collect();
            return (!steps.is_empty()).then(|| SortPlan {
                start: quote!(::dynaschema::__private::SortKey::multi_attribute(#entity_name)),
                kind: quote!(::dynaschema::__private::MultiAttribute),
                steps,
            });
        }
        let prefix = template.literal_prefix();
        let rest = &template.segments[prefix.len()..];
        let mut steps: Vec<SortStep> = Vec::new();
        for segment in rest {
            match segment {
                Segment::Field(field) => steps.push(SortStep {
                    field: field.clone(),
                    kind: StepKind::Segment {
                        trailing: Vec::new(),
                        last: false,
                    },
                }),
                // Lowering keeps the shard out of sort keys.
                Segment::Shard(_) => {}
                Segment::Literal(literal) => {
                    if let Some(StepKind::Segment { trailing, .. }) =
                        steps.last_mut().map(|s| &mut s.kind)
                    {
                        trailing.push(literal.clone());
                    }
                }
            }
        }
        if let Some(StepKind::Segment { last, .. }) = steps.last_mut().map(|s| &mut s.kind) {
            *last = true;
        }
        let attribute = index.sort_key.as_deref()?;
        (!steps.is_empty()).then(|| SortPlan {
            start: quote!(::dynaschema::__private::SortKey::template(#entity_name, #attribute, &[#(#prefix),*])),
            kind: quote!(::dynaschema::__private::Template),
            steps,
        })
    }

    /// `PatternQuery { .. }` of a query pattern: `partition` its key condition so far
    /// (a `Result<KeyCondition, KeyError>` expression).
    pub(super) fn pattern_query(
        &self,
        pattern: &AccessPattern,
        partition: TokenStream,
        arg: &dyn Fn(&FieldRef) -> TokenStream,
    ) -> TokenStream {
        let (entity, keys, order) = self.query_parts(pattern);
        let fan_out = match self.fan_out(&[entity], keys, arg) {
            Some(fan_out) => quote!(::core::option::Option::Some(#fan_out)),
            None => quote!(::core::option::Option::None),
        };
        let (_, decoder) = self.query_output(pattern);
        let name = &pattern.name;
        let entity_name = &entity.name;
        let index_name = self.index_name(keys.index);
        let ascending = order == Order::Ascending;
        let fetch_items = matches!(
            pattern.kind,
            PatternKind::Query {
                fetch_items: true,
                ..
            }
        );
        let filter = match self.filter(entity, self.pattern_filter(pattern)).1 {
            Some(filter) => quote!(::core::option::Option::Some(#filter)),
            None => quote!(::core::option::Option::None),
        };
        quote! {
            ::dynaschema::__private::PatternQuery {
                filter: #filter,
                fetch_items: #fetch_items,
                table: &self.inner,
                pattern: #name,
                entity: #entity_name,
                index: #index_name,
                partition: #partition,
                fan_out: #fan_out,
                ascending: #ascending,
                decode: #decoder,
                consistency: ::core::marker::PhantomData,
            }
        }
    }

    /// The builders of a query pattern whose sort key can be narrowed: one struct per
    /// number of fixed steps, each offering exactly the conditions the key's order
    /// allows on the next step: a template's segments left to right, a
    /// multi-attribute key's attributes left to right (as DynamoDB allows).
    pub(super) fn query_builders(&self, pattern: &AccessPattern) -> TokenStream {
        let Some(plan) = self.sort_plan(pattern) else {
            return TokenStream::new();
        };
        let steps = &plan.steps;
        let kind = &plan.kind;
        let (entity, _, _) = self.query_parts(pattern);
        // Parameters are typed by the entity's fields; results by what the index returns.
        let (ty, _) = self.query_output(pattern);
        let (consistency, reads) = self.consistency(pattern);
        let name_after = |fixed: usize| {
            let fixed = steps[..fixed].iter().map(|s| s.field.name.as_str());
            ident(&crate::names::query_builder(&pattern.name, fixed))
        };
        let query = quote!(::dynaschema::Query<'t, #ty, #consistency>);
        let mut out = TokenStream::new();
        for (k, step) in steps.iter().enumerate() {
            let this = name_after(k);
            let field = &step.field.name;
            let place = step.place();
            let arg_ty = self.field_type(entity, field, FieldType::Key);
            let param_ty = quote!(&#arg_ty);
            let step_tokens = step.tokens();
            let fix = ident(field);
            let fix_doc = doc(&format!("Only items with this `{field}`{place}."));
            let fix_method = if k + 1 == steps.len() {
                quote! {
                    #fix_doc
                    pub fn #fix(self, #fix: #param_ty) -> #query {
                        self.base.finish(self.sort.equals(&Self::STEP, #fix))
                    }
                }
            } else {
                let next = name_after(k + 1);
                quote! {
                    #fix_doc
                    pub fn #fix(self, #fix: #param_ty) -> #next<'t> {
                        #next { base: self.base, sort: self.sort.fix(&Self::STEP, #fix) }
                    }
                }
            };
            let comparisons = Comparison::ALL.into_iter().filter_map(|comparison| {
                let suffix = comparison.method_suffix()?;
                let method = format_ident!("{field}_{suffix}");
                let variant = crate::tokens::comparison(comparison);
                let doc = doc(&format!(
                    "Only items whose `{field}` is {} `value`.",
                    comparison.words()
                ));
                Some(quote! {
                    #doc
                    pub fn #method(self, value: #param_ty) -> #query {
                        self.base.finish(self.sort.compare(
                            &Self::STEP,
                            #variant,
                            value,
                        ))
                    }
                })
            });
            let begins_method = step.allows_begins_with().then(|| {
                let begins = format_ident!("{field}_begins_with");
                let begins_doc = doc(&format!(
                    "Only items whose `{field}` starts with `text` (text fields only)."
                ));
                quote! {
                    #begins_doc
                    pub fn #begins<P>(self, text: &P) -> #query
                    where
                        P: ?Sized + ::dynaschema::__private::TextPrefix<#arg_ty>,
                    {
                        self.base.finish(self.sort.begins_with(&Self::STEP, text.as_text()))
                    }
                }
            });
            let between = format_ident!("{field}_between");
            let between_doc = doc(&format!(
                "Only items whose `{field}` is between `low` and `high`, both included."
            ));
            let struct_doc = doc(&if k == 0 {
                format!(
                    "The `{}` query: narrow it by `{field}`, or run it as it is.",
                    pattern.name
                )
            } else {
                let fixed: Vec<String> = steps[..k]
                    .iter()
                    .map(|s| format!("`{}`", s.field.name))
                    .collect();
                format!(
                    "The `{}` query with {} fixed: narrow it by `{field}`, or run it.",
                    pattern.name,
                    fixed.join(", ")
                )
            });
            let narrowed = match step.kind {
                StepKind::Segment { .. } => "`begins_with` of the fixed segments",
                StepKind::Attribute(_) => "equality on the fixed attributes",
            };
            let query_doc = doc(&format!("The query as narrowed so far: {narrowed}."));
            out.extend(quote! {
                #struct_doc
                #[must_use = "a query does nothing until it is run"]
                pub struct #this<'t> {
                    base: ::dynaschema::__private::PatternQuery<'t, #ty, #consistency>,
                    sort: ::dynaschema::__private::SortKey<#kind>,
                }

                impl<'t> #this<'t> {
                    const STEP: <#kind as ::dynaschema::__private::SortKeyKind>::Step = #step_tokens;

                    #fix_method
                    #begins_method
                    #(#comparisons)*
                    #between_doc
                    pub fn #between(self, low: #param_ty, high: #param_ty) -> #query {
                        self.base.finish(self.sort.between(&Self::STEP, low, high))
                    }

                    #query_doc
                    pub fn query(self) -> #query {
                        self.base.finish(self.sort.finish())
                    }

                    ::dynaschema::__query_builder_methods!('t, #ty, #reads);
                }
            });
        }
        out
    }

    /// `FanOut` of a sharded partition (`None` for one that is not): the partition
    /// value of every shard, and where each member's shard fields are stored.
    pub(super) fn fan_out(
        &self,
        members: &[&Entity],
        keys: &EntityKeys,
        arg: &dyn Fn(&FieldRef) -> TokenStream,
    ) -> Option<TokenStream> {
        let shards = keys.partition.shards.as_ref()?;
        let index = &self.schema.indexes[keys.index];
        let count = shards.count;
        let entity_name = &members.first()?.name;
        let value = crate::keys::key_value_in_shard(
            entity_name,
            &index.partition_key,
            &keys.partition,
            &quote!(shard),
            arg,
        );
        let checks = members.iter().filter_map(|member| {
            let shards = member.keys_on(keys.index)?.partition.shards.as_ref()?;
            let name = &member.name;
            let sources = shards.of.iter().map(|source| {
                let (attribute, segment) = (&source.attribute, source.segment);
                quote!((#attribute, #segment))
            });
            Some(quote!(::dynaschema::__private::ShardCheck { entity: #name, sources: &[#(#sources),*] }))
        });
        Some(quote! {
            ::dynaschema::__private::FanOut::new(#count, |shard| #value, &[#(#checks),*])
        })
    }

    /// `Result<KeyCondition, KeyError>` of a query's partition: the template's key
    /// value (of shard 0, for a sharded partition), or one equality per attribute of
    /// a multi-attribute key.
    pub(super) fn partition_condition(
        &self,
        entity: &Entity,
        keys: &EntityKeys,
        arg: &dyn Fn(&FieldRef) -> TokenStream,
    ) -> TokenStream {
        let index = &self.schema.indexes[keys.index];
        let entity_name = &entity.name;
        match &index.multi_attribute {
            Some(key) => {
                let values = key
                    .partition
                    .iter()
                    .zip(keys.partition.fields())
                    .map(|(a, f)| {
                        let attr = &*a.name;
                        let value = arg(f);
                        quote!(.value(#attr, #value))
                    });
                quote!(::dynaschema::__private::MultiAttributePartition::new(#entity_name) #(#values)* .finish())
            }
            None => {
                let pk_attr = &index.partition_key;
                let pk = if keys.partition.shards.is_some() {
                    crate::keys::key_value_in_shard(
                        entity_name,
                        pk_attr,
                        &keys.partition,
                        &quote!(0),
                        arg,
                    )
                } else {
                    crate::keys::key_value(
                        entity_name,
                        pk_attr,
                        crate::keys::Role::Partition,
                        &keys.partition,
                        arg,
                    )
                };
                quote!(::dynaschema::__private::partition_condition(#pk_attr, #pk))
            }
        }
    }

    /// The read consistency a query pattern's index allows: the marker type of its
    /// `Query`, and the builder macro's word for it. Global indexes read eventually
    /// consistently only, so their queries have no `consistent()`.
    pub(super) fn consistency(&self, pattern: &AccessPattern) -> (TokenStream, TokenStream) {
        let global = match &pattern.kind {
            PatternKind::Query { index, .. } => self.schema.indexes[*index].is_global(),
            _ => false,
        };
        if global {
            (quote!(::dynaschema::query::Eventual), quote!(eventual))
        } else {
            (quote!(::dynaschema::query::Strong), quote!(strong))
        }
    }
}
