//! Sort key conditions select exactly the keys whose segment satisfies the
//! comparison, evaluated as DynamoDB evaluates key conditions (UTF-8 byte order),
//! over a partition that also holds other entities' keys next to the range.

use dynaschema::Comparison;
use dynaschema::KeyErrorReason;
use dynaschema::aws_sdk_dynamodb::types::AttributeValue;
use dynaschema::query::SortCondition;
use dynaschema::sort_key::{
    AttributeStep, MultiAttribute, SegmentStep, SortKey, SortKeyCondition, Template,
};
use proptest::prelude::*;

/// Whether DynamoDB's key condition selects `key`.
fn selects(condition: &SortCondition, key: &str) -> bool {
    match condition {
        SortCondition::Compare(op, v) => holds(*op, &key, &v.as_str()),
        SortCondition::BeginsWith(p) => key.starts_with(p.as_str()),
        SortCondition::Between(low, high) => low.as_str() <= key && key <= high.as_str(),
        SortCondition::Nothing => false,
        other => panic!("unknown condition {other:?}"),
    }
}

fn holds<T: Ord + ?Sized>(comparison: Comparison, value: &T, bound: &T) -> bool {
    match comparison {
        Comparison::Equal => value == bound,
        Comparison::NotEqual => value != bound,
        Comparison::Less => value < bound,
        Comparison::LessOrEqual => value <= bound,
        Comparison::Greater => value > bound,
        Comparison::GreaterOrEqual => value >= bound,
    }
}

/// The one condition of a template sort key and the key it drops.
fn single(condition: SortKeyCondition) -> (SortCondition, Option<String>) {
    assert!(condition.conditions().len() <= 1, "{condition:?}");
    let excluded = condition.excluded().map(str::to_owned);
    let one = match condition.conditions().first() {
        Some((attribute, c)) => {
            assert_eq!(*attribute, "sk");
            c.clone().map(|v| match v {
                AttributeValue::S(s) => s,
                other => panic!("a template key compares strings, not {other:?}"),
            })
        }
        None => SortCondition::BeginsWith(String::new()),
    };
    (one, excluded)
}

/// `NOTE#` fixed of the sort key `sk`.
fn note() -> SortKey<Template> {
    SortKey::template("Note", "sk", &["NOTE"])
}

/// A value segment of `field`; `last` when it is the template's last.
fn segment(field: &'static str, last: bool) -> SegmentStep {
    SegmentStep::new(field, &[], last)
}

/// Which value of a `(a, b)` key a `between` compares, if the key is in range at all.
type Pick = fn(&(u8, u8)) -> Option<u8>;

/// The comparisons a sort key builder offers (`_lt`, `_lte`, `_gt`, `_gte`) and `=`.
fn comparison() -> impl Strategy<Value = Comparison> {
    prop_oneof![
        Just(Comparison::Equal),
        Just(Comparison::Less),
        Just(Comparison::LessOrEqual),
        Just(Comparison::Greater),
        Just(Comparison::GreaterOrEqual)
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
        let keys: Vec<(i32, String)> = values.iter().map(|v| (*v, format!("NOTE#{}", encode(v)))).collect();
        let (condition, excluded) = single(note().compare(&segment("value", true), comparison, &bound).unwrap());
        let expected: Vec<i32> = values.iter().copied().filter(|v| holds(comparison, v, &bound)).collect();
        prop_assert_eq!(run(&condition, excluded.as_deref(), &keys), expected);
    }

    #[test]
    fn comparing_a_middle_segment_selects_exactly_the_matching_keys(
        values in prop::collection::btree_set((any::<i16>(), "[a-c#%!]{1,3}"), 0..40),
        bound: i16,
        comparison in comparison(),
    ) {
        let keys: Vec<((i16, String), String)> = values
            .iter()
            .map(|(t, id)| ((*t, id.clone()), format!("NOTE#{}#{}", encode(t), encode(id.as_str()))))
            .collect();
        let (condition, excluded) = single(note().compare(&segment("t", false), comparison, &bound).unwrap());
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
        let (prefix, pick): (SortKey<Template>, Pick) = if last {
            (note().fix(&segment("a", false), &7_u8), |(a, b)| (*a == 7).then_some(*b))
        } else {
            (note(), |(a, _)| Some(*a))
        };
        let expected: Vec<(u8, u8)> = values
            .iter()
            .filter(|pair| pick(pair).is_some_and(|v| low <= v && v <= high))
            .copied()
            .collect();
        match single(prefix.between(&segment("x", last), &low, &high).unwrap()) {
            (SortCondition::Nothing, _) => {
                prop_assert!(low > high);
                prop_assert!(expected.is_empty());
            }
            (condition, excluded) => {
                prop_assert_eq!(excluded, None);
                prop_assert_eq!(run(&condition, None, &keys), expected);
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
        let (condition, excluded) = single(note().compare(&segment("s", last), comparison, bound.as_str()).unwrap());
        let mut expected: Vec<String> = values
            .iter()
            .filter(|v| holds(comparison, &boundary(v), &boundary(&bound)))
            .cloned()
            .collect();
        expected.sort();
        prop_assert_eq!(run(&condition, excluded.as_deref(), &keys), expected);
    }

    #[test]
    fn without_a_literal_prefix_plain_comparisons_are_exact(
        values in prop::collection::btree_set((any::<i32>(), any::<u16>()), 0..40),
        bound: i32,
        comparison in comparison(),
    ) {
        // `{value}#{id}`: the entity spans the whole partition.
        let keys: Vec<((i32, u16), String)> = values.iter().map(|(v, id)| ((*v, *id), format!("{}#{}", encode(v), encode(id)))).collect();
        let (condition, excluded) = single(
            SortKey::template("E", "sk", &[]).compare(&segment("value", false), comparison, &bound).unwrap(),
        );
        prop_assert_eq!(excluded, None);
        let mut selected: Vec<(i32, u16)> = keys.iter().filter(|(_, k)| selects(&condition, k)).map(|(v, _)| *v).collect();
        selected.sort();
        let expected: Vec<(i32, u16)> = values.iter().filter(|(v, _)| holds(comparison, v, &bound)).copied().collect();
        prop_assert_eq!(selected, expected);
    }
}

#[test]
fn fixing_every_segment_is_an_equality_and_a_prefix_a_begins_with() {
    const T: SegmentStep = SegmentStep::new("t", &[], false);
    const ID: SegmentStep = SegmentStep::new("id", &["END"], true);
    let order = || SortKey::template("Order", "sk", &["ORDER"]).fix(&T, &5_u8);
    assert_eq!(
        single(order().finish().unwrap()).0,
        SortCondition::BeginsWith("ORDER#005#".into())
    );
    assert_eq!(
        single(order().equals(&ID, "a#b").unwrap()).0,
        SortCondition::equals("ORDER#005#a%23b#END".into())
    );
    assert!(
        SortKey::template("E", "sk", &[])
            .finish()
            .unwrap()
            .conditions()
            .is_empty()
    );
}

#[test]
fn an_empty_value_in_a_condition_is_a_key_error() {
    let err = note()
        .compare(&segment("id", true), Comparison::Greater, "")
        .unwrap_err();
    assert_eq!(err.attribute, "id");
    assert!(note().fix(&segment("id", false), "").finish().is_err());
}

#[test]
fn not_equal_is_refused_before_sending_on_either_kind_of_key() {
    let err = note()
        .compare(&segment("id", true), Comparison::NotEqual, "a")
        .unwrap_err();
    assert_eq!(
        err.reason,
        KeyErrorReason::NotAKeyCondition(Comparison::NotEqual)
    );
    let err = SortKey::multi_attribute("Match")
        .compare(&AttributeStep::new("round"), Comparison::NotEqual, &3_u32)
        .unwrap_err();
    assert_eq!(err.attribute, "round");
}

#[test]
fn a_multi_attribute_key_takes_equalities_then_one_condition() {
    const BRACKET: AttributeStep = AttributeStep::new("bracket");
    const ROUND: AttributeStep = AttributeStep::new("round");
    let key = || SortKey::<MultiAttribute>::multi_attribute("Match").fix(&BRACKET, "upper");
    let condition = key()
        .compare(&ROUND, Comparison::GreaterOrEqual, &3_u32)
        .unwrap();
    assert_eq!(
        condition.conditions(),
        [
            (
                "bracket",
                SortCondition::equals(AttributeValue::S("upper".into()))
            ),
            (
                "round",
                SortCondition::Compare(Comparison::GreaterOrEqual, AttributeValue::N("3".into()))
            ),
        ]
    );
    let reversed = key().between(&ROUND, &5_u32, &2_u32).unwrap();
    assert_eq!(reversed.conditions()[1].1, SortCondition::Nothing);
    let fixed_so_far = key().finish().unwrap();
    assert_eq!(fixed_so_far.conditions().len(), 1);
}
