//! Sort key conditions select exactly the keys whose segment satisfies the
//! comparison, evaluated as DynamoDB evaluates key conditions (UTF-8 byte order),
//! over a partition that also holds other entities' keys next to the range.

use dynaschema::query::SortCondition;
use dynaschema::sort_key::{Comparison, SortKeyPrefix};
use proptest::prelude::*;

/// Whether DynamoDB's key condition selects `key`.
fn selects(condition: &SortCondition, key: &str) -> bool {
    match condition {
        SortCondition::Equals(v) => key == v,
        SortCondition::BeginsWith(p) => key.starts_with(p.as_str()),
        SortCondition::Between(low, high) => low.as_str() <= key && key <= high.as_str(),
        SortCondition::Less(v) => key < v.as_str(),
        SortCondition::LessOrEqual(v) => key <= v.as_str(),
        SortCondition::Greater(v) => key > v.as_str(),
        SortCondition::GreaterOrEqual(v) => key >= v.as_str(),
        SortCondition::Nothing => false,
        other => panic!("unknown condition {other:?}"),
    }
}

fn holds<T: Ord>(comparison: Comparison, value: &T, bound: &T) -> bool {
    match comparison {
        Comparison::Below => value < bound,
        Comparison::AtMost => value <= bound,
        Comparison::Above => value > bound,
        Comparison::AtLeast => value >= bound,
    }
}

/// Which value of a `(a, b)` key a `between` compares, if the key is in range at all.
type Pick = fn(&(u8, u8)) -> Option<u8>;

fn comparison() -> impl Strategy<Value = Comparison> {
    prop_oneof![
        Just(Comparison::Below),
        Just(Comparison::AtMost),
        Just(Comparison::Above),
        Just(Comparison::AtLeast)
    ]
}

fn encode<T: dynaschema::KeySegment + ?Sized>(v: &T) -> String {
    let mut s = String::new();
    v.encode_segment(&mut s).unwrap();
    s
}

/// Keys of other entities around `NOTE#…` that a sloppy range would catch.
const NEIGHBOURS: [&str; 7] = [
    "NOTE",
    "NOTEBOOK#1",
    "NOTE_V2#1",
    "NOTD#9",
    "NOTF#0",
    "A",
    "\u{10FFFF}",
];

/// Runs `condition` over entity keys (value -> key) plus the neighbours and returns
/// the values selected, after the discriminator drops foreign items.
fn run<T: Clone + Ord>(
    condition: &SortCondition,
    excluded: Option<&str>,
    keys: &[(T, String)],
) -> Vec<T> {
    for neighbour in NEIGHBOURS {
        // The only foreign key a range may touch is the range end itself (`NOTE$`),
        // which the discriminator filters; none of these.
        assert!(
            !selects(condition, neighbour),
            "{condition:?} selects foreign key {neighbour:?}"
        );
    }
    let mut selected: Vec<T> = keys
        .iter()
        .filter(|(_, key)| selects(condition, key) && Some(key.as_str()) != excluded)
        .map(|(v, _)| v.clone())
        .collect();
    selected.sort();
    selected
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn comparing_the_last_segment_selects_exactly_the_matching_keys(
        values in prop::collection::btree_set(any::<i32>(), 0..40),
        bound: i32,
        comparison in comparison(),
    ) {
        let prefix = SortKeyPrefix::new("Note", "sk").literal("NOTE");
        let keys: Vec<(i32, String)> = values.iter().map(|v| (*v, format!("NOTE#{}", encode(v)))).collect();
        let (condition, excluded) = prefix.compare("value", comparison, &bound, true).unwrap();
        let expected: Vec<i32> = values.iter().copied().filter(|v| holds(comparison, v, &bound)).collect();
        prop_assert_eq!(run(&condition, excluded.as_deref(), &keys), expected);
    }

    #[test]
    fn comparing_a_middle_segment_selects_exactly_the_matching_keys(
        values in prop::collection::btree_set((any::<i16>(), "[a-c#%!]{1,3}"), 0..40),
        bound: i16,
        comparison in comparison(),
    ) {
        let prefix = SortKeyPrefix::new("Order", "sk").literal("NOTE");
        let keys: Vec<((i16, String), String)> = values
            .iter()
            .map(|(t, id)| ((*t, id.clone()), format!("NOTE#{}#{}", encode(t), encode(id.as_str()))))
            .collect();
        let (condition, excluded) = prefix.compare("t", comparison, &bound, false).unwrap();
        prop_assert_eq!(excluded, None);
        let expected: Vec<(i16, String)> = values.iter().filter(|(t, _)| holds(comparison, t, &bound)).cloned().collect();
        prop_assert_eq!(run(&condition, None, &keys), expected);
    }

    #[test]
    fn between_selects_exactly_the_keys_in_range(
        values in prop::collection::btree_set((any::<u8>(), any::<u8>()), 0..60),
        low: u8,
        high: u8,
        last: bool,
    ) {
        // `NOTE#{a}#{b}`: `last` compares `b` with `a` fixed to 7, else `a`.
        let keys: Vec<((u8, u8), String)> = values
            .iter()
            .map(|(a, b)| ((*a, *b), format!("NOTE#{}#{}", encode(a), encode(b))))
            .collect();
        let (prefix, pick): (SortKeyPrefix, Pick) = if last {
            (SortKeyPrefix::new("E", "sk").literal("NOTE").value("a", &7_u8), |(a, b)| (*a == 7).then_some(*b))
        } else {
            (SortKeyPrefix::new("E", "sk").literal("NOTE"), |(a, _)| Some(*a))
        };
        let expected: Vec<(u8, u8)> = values
            .iter()
            .filter(|pair| pick(pair).is_some_and(|v| low <= v && v <= high))
            .copied()
            .collect();
        match prefix.between("x", &low, &high, last).unwrap() {
            Some(condition) => prop_assert_eq!(run(&condition, None, &keys), expected),
            None => {
                prop_assert!(low > high);
                prop_assert!(expected.is_empty());
            }
        }
    }

    #[test]
    fn string_segments_compare_at_segment_boundaries(
        values in prop::collection::btree_set("[a-c!#%$]{1,4}", 0..30),
        bound in "[a-c!#%$]{1,4}",
        comparison in comparison(),
        last: bool,
    ) {
        // Documented order for strings: the escaped text at a segment boundary.
        let boundary = |s: &str| if last { encode(s) } else { format!("{}#", encode(s)) };
        let keys: Vec<(String, String)> = values
            .iter()
            .map(|v| (v.clone(), if last { format!("NOTE#{}", encode(v.as_str())) } else { format!("NOTE#{}#x", encode(v.as_str())) }))
            .collect();
        let prefix = SortKeyPrefix::new("E", "sk").literal("NOTE");
        let (condition, excluded) = prefix.compare("s", comparison, bound.as_str(), last).unwrap();
        let mut expected: Vec<String> = values
            .iter()
            .filter(|v| holds(comparison, &boundary(v), &boundary(&bound)))
            .cloned()
            .collect();
        expected.sort();
        prop_assert_eq!(run(&condition, excluded.as_deref(), &keys), expected);
    }

    #[test]
    fn without_a_literal_prefix_native_comparisons_are_exact(
        values in prop::collection::btree_set((any::<i32>(), any::<u16>()), 0..40),
        bound: i32,
        comparison in comparison(),
    ) {
        // `{value}#{id}`: the entity spans the whole partition.
        let keys: Vec<((i32, u16), String)> = values.iter().map(|(v, id)| ((*v, *id), format!("{}#{}", encode(v), encode(id)))).collect();
        let (condition, excluded) = SortKeyPrefix::new("E", "sk").compare("value", comparison, &bound, false).unwrap();
        prop_assert_eq!(excluded, None);
        let mut selected: Vec<(i32, u16)> = keys.iter().filter(|(_, k)| selects(&condition, k)).map(|(v, _)| *v).collect();
        selected.sort();
        let expected: Vec<(i32, u16)> = values.iter().filter(|(v, _)| holds(comparison, v, &bound)).copied().collect();
        prop_assert_eq!(selected, expected);
    }
}

#[test]
fn fixing_every_segment_is_an_equality_and_a_prefix_a_begins_with() {
    let prefix = SortKeyPrefix::new("Order", "sk")
        .literal("ORDER")
        .value("t", &5_u8);
    assert_eq!(
        prefix.begins_with().unwrap(),
        Some(SortCondition::BeginsWith("ORDER#005#".into()))
    );
    assert_eq!(
        prefix.equals("id", "a#b", &["END"]).unwrap(),
        SortCondition::Equals("ORDER#005#a%23b#END".into())
    );
    assert_eq!(SortKeyPrefix::new("E", "sk").begins_with().unwrap(), None);
}

#[test]
fn an_empty_value_in_a_condition_is_a_key_error() {
    let prefix = SortKeyPrefix::new("Order", "sk").literal("ORDER");
    let err = prefix
        .compare("id", Comparison::Above, "", true)
        .unwrap_err();
    assert_eq!(err.attribute, "id");
    assert!(prefix.value("id", "").begins_with().is_err());
}
