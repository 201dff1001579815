//! `docs`: each example's Markdown page is committed as `schema-examples/*/TABLE.md`
//! (so readers of the repository see it, and a change shows in review; re-bless with
//! `DYNASCHEMA_BLESS=1 cargo test -p dynaschema-codegen --test docs`), and the
//! request JSON, example items and aggregate view say what they should.

use std::path::Path;

use dynaschema_codegen::diagnostics::SourceFile;
use dynaschema_codegen::docs::{self, Item};
use dynaschema_codegen::schema::Schema;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn load(path: &str) -> Schema {
    dynaschema_codegen::load(root().join(path))
        .unwrap_or_else(|e| panic!("{e}"))
        .schema
}

#[test]
fn every_examples_table_md_is_up_to_date() {
    for example in [
        "shop",
        "ecommerce",
        "big-time-deals",
        "version-control",
        "online-shop",
        "lambda",
    ] {
        let schema = load(&format!("schema-examples/{example}/dynaschema.toml"));
        let generated = docs::markdown(&schema);
        let path = root().join(format!("schema-examples/{example}/TABLE.md"));
        if std::env::var_os("DYNASCHEMA_BLESS").is_some() {
            std::fs::write(&path, &generated).unwrap();
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            generated == committed,
            "{} is out of date; review and re-bless with `DYNASCHEMA_BLESS=1 cargo test -p dynaschema-codegen --test docs`",
            path.display()
        );
    }
}

#[test]
fn each_pattern_has_its_request() {
    let schema = load("schema-examples/shop/dynaschema.toml");
    let patterns = docs::patterns(&schema);
    let by_name = |name: &str| patterns.iter().find(|p| p.name == name).unwrap();

    let get = by_name("get_user");
    assert_eq!(get.operation, "GetItem `User`");
    assert_eq!(get.parameters, ["user_id"]);
    assert_eq!(
        get.request,
        serde_json::json!({
            "TableName": "Shop",
            "Key": { "pk": { "S": "USER#{user_id}" }, "sk": { "S": "PROFILE" } },
        })
    );

    let orders = by_name("user_orders");
    assert_eq!(orders.index, "table");
    assert_eq!(
        orders.key_condition,
        r#"pk = "USER#{user_id}" AND begins_with(sk, "ORDER#")"#
    );
    assert_eq!(orders.request["ScanIndexForward"], false);
    assert_eq!(
        orders.request["KeyConditionExpression"],
        "#pk = :pk AND begins_with(#sk, :sk)"
    );

    let priced = by_name("products_by_category_min_price");
    assert_eq!(priced.index, "gsi1");
    assert_eq!(priced.request["IndexName"], "gsi1");
    assert_eq!(priced.parameters, ["category", "min_price"]);
    assert_eq!(priced.request["FilterExpression"], "#f0 >= :f0");
    assert_eq!(
        priced.request["ExpressionAttributeNames"]["#f0"],
        "price_cents"
    );
    assert_eq!(
        priced.request["ExpressionAttributeValues"][":f0"],
        "{min_price}"
    );

    let collection = by_name("user_with_orders");
    assert_eq!(collection.operation, "Query collection `User`, `Order`");
    assert_eq!(collection.key_condition, r#"pk = "USER#{user_id}""#);
}

#[test]
fn multi_attribute_keys_are_one_condition_per_attribute() {
    let schema = load("tests/schemas/tournament.toml");
    let patterns = docs::patterns(&schema);
    let region = patterns
        .iter()
        .find(|p| p.name == "region_matches")
        .unwrap();
    assert_eq!(
        region.request["KeyConditionExpression"],
        "#pk0 = :pk0 AND #pk1 = :pk1"
    );
    assert_eq!(
        region.key_condition,
        r#"tournament_id = "{tournament_id}" AND region = "{region}""#
    );
    let items = docs::example_items(&schema);
    let game = items
        .iter()
        .find(|i| i.get("_et") == Some("Match"))
        .unwrap();
    assert_eq!(
        game.get("round"),
        Some("1"),
        "a number attribute gets a number"
    );
    // A field stored under the index's attribute name fills it, typed as it.
    let sponsor = items
        .iter()
        .find(|i| i.get("_et") == Some("Sponsor"))
        .unwrap();
    assert_eq!(sponsor.get("region"), sponsor.get("market"));
    assert_eq!(sponsor.get("round"), Some("1"));
    let html = docs::html(&schema, &items);
    let index_view = html.split_once("Index <code>by_bracket</code>").unwrap().1;
    assert!(
        index_view.contains(">Sponsor<"),
        "Sponsor items are on by_bracket"
    );
}

#[test]
fn example_items_share_partitions_as_the_templates_say() {
    let schema = load("schema-examples/shop/dynaschema.toml");
    let items = docs::example_items(&schema);
    let user = items.iter().find(|i| i.get("_et") == Some("User")).unwrap();
    let order = items
        .iter()
        .find(|i| i.get("_et") == Some("Order"))
        .unwrap();
    assert_eq!(user.get("pk"), Some("USER#user1"));
    assert_eq!(
        order.get("pk"),
        user.get("pk"),
        "a user's orders share its partition"
    );
    assert_eq!(user.get("gsi1pk"), Some("EMAIL#email1"), "`|lower` applied");
    let html = docs::html(&schema, &items);
    // The user's partition spans its profile and its order.
    assert!(
        html.contains(r#"<td class="partition" rowspan="2">USER#user1</td>"#),
        "{html}"
    );
}

#[test]
fn a_keys_only_index_shows_only_keys() {
    let schema = dynaschema_codegen::parse(SourceFile::new(
        "dynaschema.toml",
        r#"
[table]
name = "App"
partition_key = "pk"
sort_key = "sk"

[indexes.by_kind]
partition_key = "kpk"
sort_key = "ksk"
projection = "keys_only"

[entities.Thing]
primary = { pk = "THING#{id}", sk = "THING" }
by_kind = { pk = "KIND#{kind}", sk = "THING#{id}" }
"#,
    ))
    .unwrap()
    .schema;
    let item = Item::from_json(
        serde_json::json!({
            "pk": { "S": "THING#1" }, "sk": { "S": "THING" }, "_et": { "S": "Thing" },
            "kpk": { "S": "KIND#big" }, "ksk": { "S": "THING#1" },
            "secret": { "S": "not projected" }, "tags": { "SS": ["a", "b"] },
        })
        .as_object()
        .unwrap(),
    );
    assert_eq!(
        item.get("tags"),
        Some("[a, b]"),
        "typed values are unwrapped"
    );
    let html = docs::html(&schema, &[item]);
    let (table_view, index_view) = html.split_once("Index <code>by_kind</code>").unwrap();
    assert!(table_view.contains("not projected"));
    assert!(!index_view.contains("not projected"));
    assert!(index_view.contains("KIND#big"));
}

#[test]
fn a_sharded_key_shows_its_shards_and_its_items_land_in_their_shard() {
    let schema = load("tests/schemas/sharded-8.toml");
    let markdown = docs::markdown(&schema);
    assert!(
        markdown.contains("`EVENTS#{shard}` / `E#{at}#{event_id}` (8 shards of `event_id`"),
        "{markdown}"
    );
    let items = docs::example_items(&schema);
    let html = docs::html(&schema, &items);
    assert!(
        html.contains("8 shards of `event_id`"),
        "no shards in the HTML"
    );
    // The example items sit in the shard their id hashes to, as stored items would.
    let events: Vec<&Item> = items
        .iter()
        .filter(|i| i.get("event_id").is_some())
        .collect();
    assert!(!events.is_empty());
    for item in events {
        let id = item.get("event_id").unwrap();
        let shard = dynaschema_core::shard_of(id, 8);
        assert_eq!(
            item.get("gsi1pk"),
            Some(format!("EVENTS#{shard}").as_str()),
            "{item:?}"
        );
    }
}
