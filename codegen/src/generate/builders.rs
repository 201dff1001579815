//! Query patterns whose sort key has value segments: a type-state builder per
//! number of fixed segments, offering exactly the conditions the segment order allows.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Generator, doc};
use crate::keys::{Role, cased, key_value};
use crate::names::ident;
use crate::schema::template::{FieldRef, Segment};
use crate::schema::{
    AccessPattern, Entity, EntityKeys, KeyAttribute, Order, PatternKind, ScalarKind,
};

/// A value segment of a sort key and the literal segments after it.
pub(super) struct SortStep {
    pub(super) field: FieldRef,
    pub(super) trailing: Vec<String>,
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

    /// The value segments of a query pattern's sort key after its literal prefix,
    /// each with the literals that follow it; `None` when there are none (the sort
    /// key is then fixed by the entity, or absent).
    pub(super) fn sort_steps(&self, pattern: &AccessPattern) -> Option<Vec<SortStep>> {
        if !matches!(pattern.kind, PatternKind::Query { .. }) {
            return None;
        }
        let (_, keys, _) = self.query_parts(pattern);
        if self.schema.indexes[keys.index].native.is_some() {
            return None;
        }
        let template = keys.sort.as_ref()?;
        let rest = &template.segments[template.literal_prefix().len()..];
        let mut steps: Vec<SortStep> = Vec::new();
        for segment in rest {
            match segment {
                Segment::Field(field) => steps.push(SortStep {
                    field: field.clone(),
                    trailing: Vec::new(),
                }),
                Segment::Literal(literal) => steps
                    .last_mut()
                    .expect("the rest starts with a field")
                    .trailing
                    .push(literal.clone()),
            }
        }
        (!steps.is_empty()).then_some(steps)
    }

    /// `PatternQuery { .. }` of a query pattern, its partition built from `arg`.
    pub(super) fn pattern_query(
        &self,
        pattern: &AccessPattern,
        arg: &dyn Fn(&FieldRef) -> TokenStream,
    ) -> TokenStream {
        let (entity, keys, order) = self.query_parts(pattern);
        let (_, decoder) = self.query_output(pattern);
        let partition = self.partition_condition(entity, keys, arg);
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
                ascending: #ascending,
                decode: #decoder,
                consistency: ::core::marker::PhantomData,
            }
        }
    }

    /// The builders of a query pattern whose sort key has value segments: one struct
    /// per number of fixed segments, each offering exactly the conditions that the
    /// template's segment order allows on the next segment.
    pub(super) fn query_builders(&self, pattern: &AccessPattern) -> TokenStream {
        if let Some(attributes) = self.native_sort(pattern) {
            return self.native_query_builders(pattern, &attributes);
        }
        let Some(steps) = self.sort_steps(pattern) else {
            return TokenStream::new();
        };
        let (entity, _, _) = self.query_parts(pattern);
        // Parameters are typed by the entity's fields; results by what the index returns.
        let (ty, _) = self.query_output(pattern);
        let (consistency, reads) = self.consistency(pattern);
        let name_after = |fixed: usize| {
            let fixed = steps[..fixed].iter().map(|s| s.field.name.as_str());
            ident(&crate::names::query_builder(&pattern.name, fixed))
        };
        let mut out = TokenStream::new();
        for (k, step) in steps.iter().enumerate() {
            let this = name_after(k);
            let field = &step.field.name;
            let arg_ty = self.field_type(entity, field, crate::keys::FieldType::Key);
            let param_ty = quote!(&#arg_ty);
            let is_last_value = k + 1 == steps.len();
            // Nothing at all after this segment: it is compared as the end of the key.
            let ends_key = is_last_value && step.trailing.is_empty();
            let trailing = &step.trailing;
            let fix = ident(field);
            let fix_value = cased(&step.field, quote!(#fix));
            let value_expr = cased(&step.field, quote!(value));
            let low_expr = cased(&step.field, quote!(low));
            let high_expr = cased(&step.field, quote!(high));
            let fix_doc = doc(&format!("Only items with this `{field}`."));
            let fix_method = if is_last_value {
                quote! {
                    #fix_doc
                    pub fn #fix(self, #fix: #param_ty) -> ::dynaschema::Query<'t, #ty, #consistency> {
                        let __attribute = self.sort.attribute();
                        let __sort = self
                            .sort
                            .equals(#field, #fix_value, &[#(#trailing),*])
                            .map(|c| (::core::option::Option::Some(c), ::core::option::Option::None));
                        self.base.finish(__attribute, __sort)
                    }
                }
            } else {
                let next = name_after(k + 1);
                quote! {
                    #fix_doc
                    pub fn #fix(self, #fix: #param_ty) -> #next<'t> {
                        #next { base: self.base, sort: self.sort.value(#field, #fix_value) #(.literal(#trailing))* }
                    }
                }
            };
            let comparisons = [
                ("lt", "Below", "less than"),
                ("lte", "AtMost", "at most"),
                ("gt", "Above", "greater than"),
                ("gte", "AtLeast", "at least"),
            ]
            .map(|(suffix, variant, words)| {
                let method = format_ident!("{field}_{suffix}");
                let variant = format_ident!("{variant}");
                let doc = doc(&format!("Only items whose `{field}` is {words} `value`."));
                quote! {
                    #doc
                    pub fn #method(self, value: #param_ty) -> ::dynaschema::Query<'t, #ty, #consistency> {
                        let __attribute = self.sort.attribute();
                        let __sort = self
                            .sort
                            .compare(#field, ::dynaschema::__private::Comparison::#variant, #value_expr, #ends_key)
                            .map(|(c, excluded)| (::core::option::Option::Some(c), excluded));
                        self.base.finish(__attribute, __sort)
                    }
                }
            });
            let begins = format_ident!("{field}_begins_with");
            let begins_doc = doc(&format!(
                "Only items whose `{field}` starts with `text` (text fields only)."
            ));
            let text_expr = cased(&step.field, quote!(text.as_text()));
            let begins_method = quote! {
                #begins_doc
                pub fn #begins<P>(self, text: &P) -> ::dynaschema::Query<'t, #ty, #consistency>
                where
                    P: ?Sized
                        + ::dynaschema::__private::TextPrefix<#arg_ty>,
                {
                    let __attribute = self.sort.attribute();
                    let __sort = self
                        .sort
                        .begins_with_text(#field, #text_expr)
                        .map(|c| (::core::option::Option::Some(c), ::core::option::Option::None));
                    self.base.finish(__attribute, __sort)
                }
            };
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
            out.extend(quote! {
                #struct_doc
                #[must_use = "a query does nothing until it is run"]
                pub struct #this<'t> {
                    base: ::dynaschema::__private::PatternQuery<'t, #ty, #consistency>,
                    sort: ::dynaschema::__private::SortKeyPrefix,
                }

                impl<'t> #this<'t> {
                    #fix_method
                    #begins_method
                    #(#comparisons)*
                    #between_doc
                    pub fn #between(self, low: #param_ty, high: #param_ty) -> ::dynaschema::Query<'t, #ty, #consistency> {
                        let __attribute = self.sort.attribute();
                        let __sort = self.sort.between(#field, #low_expr, #high_expr, #ends_key).map(|c| {
                            let c = c.unwrap_or(::dynaschema::__private::SortCondition::Nothing);
                            (::core::option::Option::Some(c), ::core::option::Option::None)
                        });
                        self.base.finish(__attribute, __sort)
                    }

                    /// The query as narrowed so far: `begins_with` of the fixed segments.
                    pub fn query(self) -> ::dynaschema::Query<'t, #ty, #consistency> {
                        let __attribute = self.sort.attribute();
                        let __sort = self.sort.begins_with().map(|c| (c, ::core::option::Option::None));
                        self.base.finish(__attribute, __sort)
                    }

                    ::dynaschema::__query_builder_methods!('t, #ty, #reads);
                }
            });
        }
        out
    }

    /// `Result<KeyCondition, KeyError>` of a query's partition: the template's key
    /// value, or one equality per attribute of a multi-attribute key.
    pub(super) fn partition_condition(
        &self,
        entity: &Entity,
        keys: &EntityKeys,
        arg: &dyn Fn(&FieldRef) -> TokenStream,
    ) -> TokenStream {
        let index = &self.schema.indexes[keys.index];
        let entity_name = &entity.name;
        match &index.native {
            Some(native) => {
                let values = native
                    .partition
                    .iter()
                    .zip(keys.partition.fields())
                    .map(|(a, f)| {
                        let attr = &a.name;
                        let value = arg(f);
                        quote!(.value(#attr, #value))
                    });
                quote!(::dynaschema::__private::NativePartition::new(#entity_name) #(#values)* .finish())
            }
            None => {
                let pk_attr = &index.partition_key;
                let pk = key_value(entity_name, pk_attr, Role::Partition, &keys.partition, arg);
                quote!(::dynaschema::__private::partition_condition(#pk_attr, #pk))
            }
        }
    }

    /// The sort attributes of a query pattern on a multi-attribute index, each with
    /// the field filling it; `None` for other patterns.
    pub(super) fn native_sort(
        &self,
        pattern: &AccessPattern,
    ) -> Option<Vec<(KeyAttribute, FieldRef)>> {
        if !matches!(pattern.kind, PatternKind::Query { .. }) {
            return None;
        }
        let (_, keys, _) = self.query_parts(pattern);
        let native = self.schema.indexes[keys.index].native.as_ref()?;
        Some(
            native
                .sort
                .iter()
                .cloned()
                .zip(keys.sort.iter().flat_map(|t| t.fields()).cloned())
                .collect(),
        )
    }

    /// The builders of a query on a multi-attribute index with sort attributes: one
    /// struct per number of attributes fixed by equality, each offering equality or
    /// one comparison on the next attribute, as DynamoDB allows (left to right).
    fn native_query_builders(
        &self,
        pattern: &AccessPattern,
        attributes: &[(KeyAttribute, FieldRef)],
    ) -> TokenStream {
        if attributes.is_empty() {
            return TokenStream::new();
        }
        let (entity, _, _) = self.query_parts(pattern);
        let (ty, _) = self.query_output(pattern);
        let (consistency, reads) = self.consistency(pattern);
        let name_after = |fixed: usize| {
            let fixed = attributes[..fixed].iter().map(|(_, f)| f.name.as_str());
            ident(&crate::names::query_builder(&pattern.name, fixed))
        };
        let mut out = TokenStream::new();
        for (k, (attribute, field)) in attributes.iter().enumerate() {
            let this = name_after(k);
            let name = &field.name;
            let attr = &attribute.name;
            let arg_ty = self.field_type(entity, name, crate::keys::FieldType::Native);
            let param_ty = quote!(&#arg_ty);
            let fix = ident(name);
            let fix_doc = doc(&format!(
                "Only items with this `{name}` (attribute `{attr}`)."
            ));
            let fix_method = if k + 1 == attributes.len() {
                quote! {
                    #fix_doc
                    pub fn #fix(self, #fix: #param_ty) -> ::dynaschema::Query<'t, #ty, #consistency> {
                        self.base.finish_native(self.sort.equals(#attr, #fix))
                    }
                }
            } else {
                let next = name_after(k + 1);
                quote! {
                    #fix_doc
                    pub fn #fix(self, #fix: #param_ty) -> #next<'t> {
                        #next { base: self.base, sort: self.sort.fix(#attr, #fix) }
                    }
                }
            };
            let comparisons = [
                ("lt", "Below", "less than"),
                ("lte", "AtMost", "at most"),
                ("gt", "Above", "greater than"),
                ("gte", "AtLeast", "at least"),
            ]
            .map(|(suffix, variant, words)| {
                let method = format_ident!("{name}_{suffix}");
                let variant = format_ident!("{variant}");
                let doc = doc(&format!("Only items whose `{name}` is {words} `value`."));
                quote! {
                    #doc
                    pub fn #method(self, value: #param_ty) -> ::dynaschema::Query<'t, #ty, #consistency> {
                        self.base.finish_native(self.sort.compare(
                            #attr,
                            ::dynaschema::__private::Comparison::#variant,
                            value,
                        ))
                    }
                }
            });
            let begins_method = (attribute.kind == ScalarKind::String).then(|| {
                let begins = format_ident!("{name}_begins_with");
                let begins_doc = doc(&format!(
                    "Only items whose `{name}` starts with `text` (text fields only)."
                ));
                quote! {
                    #begins_doc
                    pub fn #begins<P>(self, text: &P) -> ::dynaschema::Query<'t, #ty, #consistency>
                    where
                        P: ?Sized + ::dynaschema::__private::TextPrefix<#arg_ty>,
                    {
                        self.base.finish_native(self.sort.begins_with(#attr, text.as_text()))
                    }
                }
            });
            let between = format_ident!("{name}_between");
            let between_doc = doc(&format!(
                "Only items whose `{name}` is between `low` and `high`, both included."
            ));
            let struct_doc = doc(&if k == 0 {
                format!(
                    "The `{}` query: narrow it by `{name}`, or run it as it is.",
                    pattern.name
                )
            } else {
                let fixed: Vec<String> = attributes[..k]
                    .iter()
                    .map(|(_, f)| format!("`{}`", f.name))
                    .collect();
                format!(
                    "The `{}` query with {} fixed: narrow it by `{name}`, or run it.",
                    pattern.name,
                    fixed.join(", ")
                )
            });
            out.extend(quote! {
                #struct_doc
                #[must_use = "a query does nothing until it is run"]
                pub struct #this<'t> {
                    base: ::dynaschema::__private::PatternQuery<'t, #ty, #consistency>,
                    sort: ::dynaschema::__private::NativeSort,
                }

                impl<'t> #this<'t> {
                    #fix_method
                    #begins_method
                    #(#comparisons)*
                    #between_doc
                    pub fn #between(self, low: #param_ty, high: #param_ty) -> ::dynaschema::Query<'t, #ty, #consistency> {
                        self.base.finish_native(self.sort.between(#attr, low, high))
                    }

                    /// The query as narrowed so far: equality on the fixed attributes.
                    pub fn query(self) -> ::dynaschema::Query<'t, #ty, #consistency> {
                        self.base.finish_native(self.sort.finish())
                    }

                    ::dynaschema::__query_builder_methods!('t, #ty, #reads);
                }
            });
        }
        out
    }

    /// The read consistency a query pattern's index allows: the marker type of its
    /// `Query`, and the builder macro's word for it. Global indexes read eventually
    /// consistently only, so their queries have no `consistent()`.
    pub(super) fn consistency(&self, pattern: &AccessPattern) -> (TokenStream, TokenStream) {
        let global = match &pattern.kind {
            PatternKind::Query { index, .. } => {
                self.schema.indexes[*index].kind == crate::schema::IndexKind::Global
            }
            _ => false,
        };
        if global {
            (quote!(::dynaschema::query::Eventual), quote!(eventual))
        } else {
            (quote!(::dynaschema::query::Strong), quote!(strong))
        }
    }
}
