//! Multi-attribute GSI keys (`schemas/tournament.toml`): index keys made of the
//! items' own typed attributes, queried left to right.

use chrono::{TimeZone as _, Utc};
use dynaschema::Error;
use dynaschema::aws_sdk_dynamodb::types::{AttributeValue, KeyType, ScalarAttributeType};
use dynaschema::error::KeyErrorReason;
use dynaschema_tests::tournament::{Match, Sponsor, tournament};
use dynaschema_tests::{client, raw_item, unique_table_name};

async fn table() -> tournament::Table {
    let table = tournament::Table::new(client(), unique_table_name("tournament"));
    table.create_table().await.expect("create the table");
    table
}

fn game(id: &str, region: &str, round: u32, bracket: &str, winner: Option<&str>) -> Match {
    Match {
        match_id: id.into(),
        tournament_id: "worlds".into(),
        region: region.into(),
        round,
        bracket: bracket.into(),
        winner: winner.map(Into::into),
        // Day = round, minute = the match number: no two matches tie.
        played_at: Utc
            .with_ymd_and_hms(2026, 3, round, 12, id[1..].parse().unwrap(), 0)
            .unwrap(),
    }
}

/// Rounds 1, 2 and 10 (10 sorts after 2 only as a number), two brackets.
async fn seeded() -> tournament::Table {
    let table = table().await;
    let games = [
        game("m1", "eu", 1, "upper", Some("ana")),
        game("m2", "eu", 1, "lower", Some("bo")),
        game("m3", "eu", 2, "upper", Some("ana")),
        game("m4", "eu", 2, "upper", None),
        game("m5", "eu", 10, "lower", Some("ana")),
        game("m6", "na", 2, "upper", Some("ana")),
    ];
    for g in &games {
        table.put(g).await.unwrap();
    }
    table
        .put(&Sponsor {
            sponsor_id: "s1".into(),
            tournament_id: "worlds".into(),
            market: "eu".into(),
            tier: 1,
            name: "Acme".into(),
        })
        .await
        .unwrap();
    table
}

fn ids(matches: &[Match]) -> Vec<&str> {
    matches.iter().map(|m| m.match_id.as_str()).collect()
}

#[tokio::test]
async fn create_table_declares_every_key_attribute_with_its_type() {
    let table = table().await;
    let described = table
        .client()
        .describe_table()
        .table_name(table.name())
        .send()
        .await
        .unwrap();
    let t = described.table().unwrap();
    let gsi = t
        .global_secondary_indexes()
        .iter()
        .find(|i| i.index_name() == Some("by_bracket"))
        .unwrap();
    let schema: Vec<(&str, KeyType)> = gsi
        .key_schema()
        .iter()
        .map(|k| (k.attribute_name(), k.key_type().clone()))
        .collect();
    assert_eq!(
        schema,
        [
            ("tournament_id", KeyType::Hash),
            ("region", KeyType::Hash),
            ("round", KeyType::Range),
            ("bracket", KeyType::Range),
            ("match_id", KeyType::Range),
        ]
    );
    let round = t
        .attribute_definitions()
        .iter()
        .find(|a| a.attribute_name() == "round")
        .unwrap();
    assert_eq!(round.attribute_type(), &ScalarAttributeType::N);
}

#[tokio::test]
async fn key_attributes_are_the_fields_own_values() {
    let table = seeded().await;
    let stored = raw_item(table.client(), table.name(), "MATCH#m5", "MATCH")
        .await
        .unwrap();
    // Stored once, as the field, with its own type: no synthetic key string.
    assert_eq!(stored["round"], AttributeValue::N("10".into()));
    assert_eq!(stored["region"], AttributeValue::S("eu".into()));
    assert_eq!(
        stored["played_at"],
        AttributeValue::S("2026-03-10T12:05:00.000000000Z".into())
    );
    let mut names: Vec<&str> = stored.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "_et",
            "bracket",
            "match_id",
            "pk",
            "played_at",
            "region",
            "round",
            "sk",
            "tournament_id",
            "winner"
        ]
    );
    // The get pattern reads it back whole, every key attribute a field again.
    let read = table.get_match("m5").consistent().await.unwrap().unwrap();
    assert_eq!(read, game("m5", "eu", 10, "lower", Some("ana")));
    assert_eq!(table.get_match("m9").await.unwrap(), None);
    // A field stored under another name is copied into the key attribute.
    let sponsor = raw_item(table.client(), table.name(), "SPONSOR#s1", "SPONSOR")
        .await
        .unwrap();
    assert_eq!(sponsor["market"], AttributeValue::S("eu".into()));
    assert_eq!(sponsor["region"], AttributeValue::S("eu".into()));
    assert_eq!(sponsor["tier"], AttributeValue::N("1".into()));
    // And read back as the struct, the copy ignored.
    let read = table
        .get(Sponsor::key("s1"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.market, "eu");
}

#[tokio::test]
async fn a_partition_is_every_partition_attribute_and_sorts_by_each_sort_attribute() {
    let table = seeded().await;
    let all = table.region_matches("worlds", "eu").all().await.unwrap();
    // round 1 (lower before upper), round 2, round 10: numbers, not text.
    assert_eq!(ids(&all), ["m2", "m1", "m3", "m4", "m5"]);
    let reversed = table
        .region_matches("worlds", "eu")
        .reverse()
        .all()
        .await
        .unwrap();
    assert_eq!(ids(&reversed), ["m5", "m4", "m3", "m1", "m2"]);
    let na = table.region_matches("worlds", "na").all().await.unwrap();
    assert_eq!(ids(&na), ["m6"]);
    assert!(
        table
            .region_matches("other", "eu")
            .all()
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn sort_attributes_are_narrowed_left_to_right() {
    let table = seeded().await;
    let q = || table.region_matches("worlds", "eu");
    assert_eq!(ids(&q().round(&2).all().await.unwrap()), ["m3", "m4"]);
    assert_eq!(
        ids(&q().round_gte(&2).all().await.unwrap()),
        ["m3", "m4", "m5"]
    );
    assert_eq!(ids(&q().round_gt(&2).all().await.unwrap()), ["m5"]);
    assert_eq!(ids(&q().round_lt(&2).all().await.unwrap()), ["m2", "m1"]);
    assert_eq!(
        ids(&q().round_lte(&2).all().await.unwrap()),
        ["m2", "m1", "m3", "m4"]
    );
    assert_eq!(
        ids(&q().round_between(&2, &10).all().await.unwrap()),
        ["m3", "m4", "m5"]
    );
    assert_eq!(
        ids(&q().round(&1).bracket("upper").all().await.unwrap()),
        ["m1"]
    );
    assert_eq!(
        ids(&q()
            .round(&1)
            .bracket_begins_with("low")
            .all()
            .await
            .unwrap()),
        ["m2"]
    );
    assert_eq!(
        ids(&q().round(&1).bracket_gt("lower").all().await.unwrap()),
        ["m1"]
    );
    assert_eq!(
        ids(&q()
            .round(&2)
            .bracket("upper")
            .match_id("m4")
            .all()
            .await
            .unwrap()),
        ["m4"]
    );
    assert_eq!(
        ids(&q()
            .round(&2)
            .bracket("upper")
            .match_id_between("m0", "m3")
            .all()
            .await
            .unwrap()),
        ["m3"]
    );
    // An empty range matches nothing; DynamoDB would refuse the request.
    assert!(q().round_between(&10, &2).all().await.unwrap().is_empty());
    // Pages and limits work as on any query. The sponsor sorts first (round 1,
    // bracket "Acme"): it counts against the limit and is skipped.
    let page = q().limit(3).page(None).await.unwrap();
    assert_eq!(ids(&page.items), ["m2", "m1"]);
    let rest = q().limit(10).page(Some(&page.next.unwrap())).await.unwrap();
    assert_eq!(ids(&rest.items), ["m3", "m4", "m5"]);
}

#[tokio::test]
async fn entities_sharing_the_index_are_told_apart_and_collected() {
    let table = seeded().await;
    // The sponsor is in the eu partition too, and is skipped by the Match pattern.
    let matches = table.region_matches("worlds", "eu").all().await.unwrap();
    assert_eq!(matches.len(), 5);
    let overview = table.region_overview("worlds", "eu").await.unwrap();
    assert_eq!(overview.matches.len(), 5);
    assert_eq!(overview.sponsors.len(), 1);
    assert_eq!(overview.sponsors[0].name, "Acme");
}

#[tokio::test]
async fn a_keys_only_multi_attribute_index_yields_the_key_fields() {
    let table = seeded().await;
    // Newest first; m4 has no winner, so it is not in the sparse index.
    let wins = table.wins("ana").all().await.unwrap();
    let got: Vec<(&str, &str, u32)> = wins
        .iter()
        .map(|w| {
            use chrono::Datelike as _;
            (w.match_id.as_str(), w.winner.as_str(), w.played_at.day())
        })
        .collect();
    assert_eq!(
        got,
        [
            ("m5", "ana", 10),
            ("m6", "ana", 2),
            ("m3", "ana", 2),
            ("m1", "ana", 1)
        ]
    );
    let since = Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap();
    let recent = table.wins("ana").played_at_gte(&since).all().await.unwrap();
    assert_eq!(recent.len(), 3);
    // `fetch = "items"` reads the full items of each page.
    let full = table
        .won_matches("ana")
        .played_at_lt(&since)
        .all()
        .await
        .unwrap();
    assert_eq!(full, [game("m1", "eu", 1, "upper", Some("ana"))]);
    assert!(table.wins("nobody").all().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_sparse_multi_attribute_key_follows_its_option_field() {
    let table = seeded().await;
    let mut undecided = game("m4", "eu", 2, "upper", None);
    assert!(
        !table
            .wins("cy")
            .all()
            .await
            .unwrap()
            .iter()
            .any(|w| w.match_id == "m4")
    );
    undecided.winner = Some("cy".into());
    table.put(&undecided).await.unwrap();
    let wins = table.wins("cy").all().await.unwrap();
    assert_eq!(wins.len(), 1);
    assert_eq!(wins[0].match_id, "m4");
}

#[tokio::test]
async fn empty_key_values_are_refused_before_sending() {
    let table = table().await;
    let mut bad = game("m1", "", 1, "upper", None);
    let err = table.put(&bad).await.unwrap_err();
    match &err {
        Error::Key(e) => {
            assert_eq!((e.entity, e.attribute.as_str()), ("Match", "region"));
            assert_eq!(e.reason, KeyErrorReason::EmptySegment);
        }
        other => panic!("expected a key error, got {other:?}"),
    }
    // Nothing was written.
    assert!(
        raw_item(table.client(), table.name(), "MATCH#m1", "MATCH")
            .await
            .is_none()
    );
    // A query with an empty value is refused too (DynamoDB would answer with a
    // ValidationException), naming the attribute.
    let err = table.region_matches("worlds", "").all().await.unwrap_err();
    assert!(
        matches!(&err, Error::Key(e) if e.attribute == "region"),
        "{err:?}"
    );
    let err = table
        .region_matches("worlds", "eu")
        .round(&1)
        .bracket("")
        .all()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Key(e) if e.attribute == "bracket"),
        "{err:?}"
    );
    // An over-long value is refused with its size and DynamoDB's limit.
    bad.region = "x".repeat(2049);
    let err = table.put(&bad).await.unwrap_err();
    assert!(
        matches!(&err, Error::Key(e) if e.reason == KeyErrorReason::TooLong { size: 2049, limit: 2048 }),
        "{err:?}"
    );
}

/// The embedded server (dynoxide, what the example binaries run on by default)
/// implements multi-attribute keys too: the same table, items and conditions.
#[tokio::test]
async fn the_embedded_server_serves_multi_attribute_keys_too() {
    let server = dynaschema::local::Embedded::start().expect("start the embedded server");
    let table = tournament::Table::new(server.client(), "tournament");
    table.create_table().await.unwrap();
    for g in [
        game("m1", "eu", 10, "upper", Some("ana")),
        game("m2", "eu", 2, "upper", Some("ana")),
        game("m3", "eu", 2, "lower", None),
        game("m4", "na", 2, "upper", None),
    ] {
        table.put(&g).await.unwrap();
    }
    let all = table.region_matches("worlds", "eu").all().await.unwrap();
    assert_eq!(ids(&all), ["m3", "m2", "m1"]);
    let upper = table
        .region_matches("worlds", "eu")
        .round(&2)
        .bracket("upper")
        .all()
        .await
        .unwrap();
    assert_eq!(ids(&upper), ["m2"]);
    let late = table
        .region_matches("worlds", "eu")
        .round_gt(&2)
        .all()
        .await
        .unwrap();
    assert_eq!(ids(&late), ["m1"]);
    let wins = table.wins("ana").all().await.unwrap();
    let won: Vec<&str> = wins.iter().map(|w| w.match_id.as_str()).collect();
    assert_eq!(won, ["m1", "m2"]);
}
