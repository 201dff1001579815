//! Property tests of the key encoding (DESIGN.md, "Key encoding"):
//! (a) decoding inverts encoding, (b) distinct segment tuples never collide,
//! (c) a `begins_with` prefix never matches another entity's key or a longer value,
//! (d) integer and timestamp segments sort like their values.

use chrono::{DateTime, TimeZone, Utc};
use dynaschema::key::{KeyRole, KeySegment, KeyWriter, decode_segments};
use proptest::prelude::*;

fn encode<T: KeySegment + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.encode_segment(&mut out).expect("encodable");
    out
}

/// A key `LITERAL#a#b` written the way generated code writes it.
fn key(literal: &'static str, a: &str, b: &str) -> String {
    KeyWriter::new("E", "sk", KeyRole::Sort)
        .literal(literal)
        .value("a", a)
        .value("b", b)
        .finish()
        .expect("encodable")
}

/// A `begins_with` prefix over the literal and the first value.
fn prefix(literal: &'static str, a: &str) -> String {
    KeyWriter::new("E", "sk", KeyRole::Sort)
        .literal(literal)
        .value("a", a)
        .finish_prefix()
        .expect("encodable")
}

/// Non-empty strings rich in delimiters, escapes and Unicode.
fn segment_text() -> impl Strategy<Value = String> {
    prop::string::string_regex("([#%a-cA1é€😀 ]|%2|%23|%25|##){1,12}").unwrap()
}

fn timestamp() -> impl Strategy<Value = DateTime<Utc>> {
    // Years 0000..=9999, any nanosecond.
    (-62_167_219_200_i64..253_402_300_799, 0_u32..1_000_000_000)
        .prop_map(|(secs, nanos)| Utc.timestamp_opt(secs, nanos).single().expect("in range"))
}

#[test]
fn the_classic_collisions_do_not_collide() {
    assert_ne!(key("K", "A#", "B"), key("K", "A", "#B"));
    assert_ne!(key("K", "A%23", "B"), key("K", "A#", "B"));
    // `ORDER#1#` is not a prefix of `ORDER#10#..`.
    assert!(!key("ORDER", "10", "x").starts_with(&prefix("ORDER", "1")));
    assert!(key("ORDER", "1", "x").starts_with(&prefix("ORDER", "1")));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    // (a)
    #[test]
    fn strings_decode_to_what_was_encoded(s in segment_text()) {
        let encoded = encode(s.as_str());
        prop_assert!(!encoded.contains('#'));
        prop_assert_eq!(str::decode_segment(&encoded).unwrap(), s);
    }

    #[test]
    fn composite_keys_decode_to_their_segments(a in segment_text(), b in segment_text()) {
        let k = key("ORDER", &a, &b);
        prop_assert_eq!(decode_segments(&k).unwrap(), vec!["ORDER".to_owned(), a, b]);
    }

    #[test]
    fn integers_decode_to_what_was_encoded(a: i64, b: u64, c: i8, d: u128, e: i32) {
        prop_assert_eq!(i64::decode_segment(&encode(&a)).unwrap(), a);
        prop_assert_eq!(u64::decode_segment(&encode(&b)).unwrap(), b);
        prop_assert_eq!(i8::decode_segment(&encode(&c)).unwrap(), c);
        prop_assert_eq!(u128::decode_segment(&encode(&d)).unwrap(), d);
        prop_assert_eq!(i32::decode_segment(&encode(&e)).unwrap(), e);
    }

    #[test]
    fn timestamps_uuids_and_ulids_decode_to_what_was_encoded(t in timestamp(), u: u128, l: u128) {
        prop_assert_eq!(DateTime::<Utc>::decode_segment(&encode(&t)).unwrap(), t);
        let uuid = uuid::Uuid::from_u128(u);
        prop_assert_eq!(uuid::Uuid::decode_segment(&encode(&uuid)).unwrap(), uuid);
        let ulid = ulid::Ulid(l);
        prop_assert_eq!(ulid::Ulid::decode_segment(&encode(&ulid)).unwrap(), ulid);
    }

    // (b)
    #[test]
    fn distinct_tuples_never_share_a_key(a1 in segment_text(), b1 in segment_text(), a2 in segment_text(), b2 in segment_text()) {
        let same_tuple = a1 == a2 && b1 == b2;
        prop_assert_eq!(key("K", &a1, &b1) == key("K", &a2, &b2), same_tuple);
    }

    #[test]
    fn distinct_integer_tuples_never_share_a_key(a1: i64, b1: i64, a2: i64, b2: i64) {
        let k = |a: i64, b: i64| KeyWriter::new("E", "sk", KeyRole::Sort).value("a", &a).value("b", &b).finish().unwrap();
        prop_assert_eq!(k(a1, b1) == k(a2, b2), a1 == a2 && b1 == b2);
    }

    // (c)
    #[test]
    fn a_prefix_matches_exactly_the_keys_with_that_segment(a in segment_text(), other in segment_text(), rest in segment_text()) {
        prop_assert!(key("ORDER", &a, &rest).starts_with(&prefix("ORDER", &a)));
        // A different value, including one that merely starts like `a`, never matches.
        let longer = format!("{a}{other}");
        prop_assert!(!key("ORDER", &longer, &rest).starts_with(&prefix("ORDER", &a)));
        if other != a {
            prop_assert!(!key("ORDER", &other, &rest).starts_with(&prefix("ORDER", &a)));
        }
    }

    #[test]
    fn an_entity_prefix_never_matches_another_entitys_key(a in segment_text(), b in segment_text()) {
        let entity_prefix = KeyWriter::new("E", "sk", KeyRole::Sort).literal("ORDER").finish_prefix().unwrap();
        prop_assert!(!key("ORDERITEM", &a, &b).starts_with(&entity_prefix));
        prop_assert!(!key("ORDER_V2", &a, &b).starts_with(&entity_prefix));
        prop_assert!(key("ORDER", &a, &b).starts_with(&entity_prefix));
    }

    // (d)
    #[test]
    fn integer_segments_sort_like_their_values(a: i64, b: i64, c: u32, d: u32, e: i8, f: i8, g: i128, h: i128) {
        prop_assert_eq!(encode(&a).cmp(&encode(&b)), a.cmp(&b));
        prop_assert_eq!(encode(&c).cmp(&encode(&d)), c.cmp(&d));
        prop_assert_eq!(encode(&e).cmp(&encode(&f)), e.cmp(&f));
        prop_assert_eq!(encode(&g).cmp(&encode(&h)), g.cmp(&h));
    }

    #[test]
    fn timestamp_segments_sort_like_their_values(a in timestamp(), b in timestamp()) {
        prop_assert_eq!(encode(&a).cmp(&encode(&b)), a.cmp(&b));
    }

    #[test]
    fn ulid_segments_sort_like_their_values(a: u128, b: u128) {
        prop_assert_eq!(encode(&ulid::Ulid(a)).cmp(&encode(&ulid::Ulid(b))), a.cmp(&b));
    }

    #[test]
    fn composite_integer_keys_sort_by_first_then_second(a1: i32, b1: i32, a2: i32, b2: i32) {
        let k = |a: i32, b: i32| KeyWriter::new("E", "sk", KeyRole::Sort).literal("N").value("a", &a).value("b", &b).finish().unwrap();
        prop_assert_eq!(k(a1, b1).cmp(&k(a2, b2)), (a1, b1).cmp(&(a2, b2)));
    }
}
