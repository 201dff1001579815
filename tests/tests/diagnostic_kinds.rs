//! Every kind of schema diagnostic: a minimal schema that produces it, and the
//! rendered message of each, snapshotted. A code in the codegen source without a case
//! here fails `every_diagnostic_code_has_a_case`.

use std::collections::BTreeSet;

use dynaschema_codegen::diagnostics::SourceFile;

const TABLE: &str = "[table]\nname = \"App\"\npartition_key = \"pk\"\nsort_key = \"sk\"\n";
const USER: &str = "[entities.User]\nprimary = { pk = \"USER#{id}\", sk = \"PROFILE\" }\n";
const GSI: &str = "[indexes.gsi1]\npartition_key = \"gsi1pk\"\nsort_key = \"gsi1sk\"\n";

fn cases() -> Vec<(&'static str, String)> {
    let t = |extra: &str| format!("{TABLE}\n{extra}");
    let u = |extra: &str| format!("{TABLE}\n{USER}\n{extra}");
    let many_gsis: String = (0..21)
        .map(|i| format!("[indexes.gsi_{i:02}]\npartition_key = \"p{i}\"\nsort_key = \"s{i}\"\n"))
        .collect();
    let include = |n: usize| {
        (0..n)
            .map(|i| format!("\"a{i}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![
        ("check::collection-partition", t("[entities.A]\nprimary = { pk = \"A#{id}\", sk = \"A\" }\n[entities.B]\nprimary = { pk = \"B#{id}\", sk = \"B#{n}\" }\n[patterns.ab]\ncollection = [\"A\", \"B\"]\n")),
        ("check::collection-shards", u(&format!("{GSI}[entities.Event]\nprimary = {{ pk = \"EVENT#{{id}}\", sk = \"EVENT\" }}\ngsi1 = {{ pk = \"FEED#{{shard}}\", sk = \"E#{{id}}\", shards = {{ count = 8, of = [\"id\"] }} }}\n[entities.Notice]\nprimary = {{ pk = \"NOTICE#{{notice_id}}\", sk = \"NOTICE\" }}\ngsi1 = {{ pk = \"FEED#{{shard}}\", sk = \"N#{{notice_id}}\", shards = {{ count = 4, of = [\"notice_id\"] }} }}\n[patterns.feed]\ncollection = [\"Event\", \"Notice\"]\nindex = \"gsi1\"\n"))),
        ("schema::shard-index", t("[entities.Event]\nprimary = { pk = \"EVENTS#{shard}\", sk = \"E#{id}\", shards = { count = 8, of = [\"id\"] } }\n")),
        ("schema::shard-count", u(&format!("{GSI}[entities.Event]\nprimary = {{ pk = \"EVENT#{{id}}\", sk = \"EVENT\" }}\ngsi1 = {{ pk = \"EVENTS#{{shard}}\", sk = \"E#{{id}}\", shards = {{ count = 1000, of = [\"id\"] }} }}\n[patterns.events]\nquery = \"Event\"\nindex = \"gsi1\"\n"))),
        ("schema::shard-field", u(&format!("{GSI}[entities.Event]\nprimary = {{ pk = \"EVENT#{{id}}\", sk = \"EVENT\" }}\ngsi1 = {{ pk = \"EVENTS#{{shard}}\", sk = \"E#{{id}}\", shards = {{ count = 8, of = [\"status\"] }} }}\n[patterns.events]\nquery = \"Event\"\nindex = \"gsi1\"\n"))),
        ("schema::shard-segment", u(&format!("{GSI}[entities.Event]\nprimary = {{ pk = \"EVENT#{{id}}\", sk = \"EVENT\" }}\ngsi1 = {{ pk = \"EVENTS\", sk = \"E#{{id}}\", shards = {{ count = 8, of = [\"id\"] }} }}\n[patterns.events]\nquery = \"Event\"\nindex = \"gsi1\"\n"))),
        ("schema::shard-redundant", u(&format!("{GSI}[entities.Event]\nprimary = {{ pk = \"EVENT#{{id}}\", sk = \"EVENT\" }}\ngsi1 = {{ pk = \"EVENTS#{{id}}#{{shard}}\", sk = \"E\", shards = {{ count = 8, of = [\"id\"] }} }}\n[patterns.events]\nquery = \"Event\"\nindex = \"gsi1\"\n"))),
        ("schema::time-bucket-sort-key", u(&format!("{GSI}[entities.Reading]\nprimary = {{ pk = \"READING#{{id}}\", sk = \"READING\" }}\ngsi1 = {{ pk = \"DAY#{{at|day}}\", sk = \"{{at|hour}}#{{id}}\" }}\n[patterns.readings]\nquery = \"Reading\"\nindex = \"gsi1\"\n"))),
        ("schema::time-bucket-field", u(&format!("{GSI}[entities.Reading]\nprimary = {{ pk = \"READING#{{id}}\", sk = \"READING\" }}\ngsi1 = {{ pk = \"DAY#{{at|day}}\", sk = \"{{id}}\" }}\n[patterns.readings]\nquery = \"Reading\"\nindex = \"gsi1\"\n"))),
        ("check::entity-attribute-is-key", format!("{TABLE}entity_attribute = \"sk\"\n\n{USER}")),
        ("check::filter-only", u(&format!("{GSI}[entities.Team]\nprimary = {{ pk = \"TEAM#{{id}}\", sk = \"TEAM\" }}\ngsi1 = {{ pk = \"TEAMS\", sk = \"TEAM#{{id}}\" }}\n[patterns.teams_named]\nquery = \"Team\"\nindex = \"gsi1\"\nfilter = \"name = {{name}}\"\n"))),
        ("check::hot-partition", u(&format!("{GSI}[entities.Team]\nprimary = {{ pk = \"TEAM#{{id}}\", sk = \"TEAM\" }}\ngsi1 = {{ pk = \"TEAMS\", sk = \"TEAM#{{id}}\" }}\n[patterns.teams]\nquery = \"Team\"\nindex = \"gsi1\"\n"))),
        ("check::key-attribute-type", u("[indexes.by_score]\npartition_key = [\"team\"]\nsort_key = [\"score\"]\nattribute_types = { score = \"number\" }\n[indexes.by_name]\npartition_key = [\"team\"]\nsort_key = [\"score\"]\n[entities.Player]\nprimary = { pk = \"P#{id}\", sk = \"P\" }\nby_score = { pk = [\"{team}\"], sk = [\"{score}\"] }\nby_name = { pk = [\"{team}\"], sk = [\"{score}\"] }\n")),
        ("check::key-collision", u("[entities.Person]\nprimary = { pk = \"USER#{person_id}\", sk = \"PROFILE\" }\n")),
        ("check::prefix-overlap", u("[entities.Note]\nprimary = { pk = \"USER#{id}\", sk = \"{n}\" }\n[patterns.notes]\nquery = \"Note\"\n")),
        ("check::too-many-indexes", t(&many_gsis)),
        ("check::name-clash", u("[entities.Order]\nprimary = { pk = \"USER#{id}\", sk = \"ORDER#{n}\" }\n[patterns.user_orders]\ncollection = [\"User\", \"Order\"]\n[patterns.user__orders]\ncollection = [\"User\", \"Order\"]\n")),
        ("check::generated-name", u("[entities.Order]\nprimary = { pk = \"USER#{id}\", sk = \"ORDER#{n}\" }\n[patterns.self_]\ncollection = [\"User\", \"Order\"]\n")),
        ("schema::keyword-name", t("[entities.User]\nprimary = { pk = \"USER#{self}\", sk = \"P\" }\n")),
        ("schema::reserved-name", t("[entities.User]\nprimary = { pk = \"USER#{__id}\", sk = \"P\" }\n")),
        ("check::too-many-projected", t(&format!("[indexes.g1]\npartition_key = \"p1\"\nprojection = {{ include = [{}] }}\n[indexes.g2]\npartition_key = \"p2\"\nprojection = {{ include = [{}] }}\n", include(60), include(60)))),
        ("check::unused-index", u(GSI)),
        ("schema::attribute-name", format!("[table]\nname = \"App\"\npartition_key = \"\"\n\n{USER}").replace(", sk = \"PROFILE\"", "")),
        ("schema::bad-placeholder", t("[entities.User]\nprimary = { pk = \"USER#{user id}\", sk = \"P\" }\n")),
        ("schema::capacity", format!("{TABLE}billing = {{ read = 0, write = 1 }}\n\n{USER}")),
        ("schema::collection-size", u("[patterns.alone]\ncollection = [\"User\"]\n")),
        ("schema::empty-segment", t("[entities.User]\nprimary = { pk = \"USER##{id}\", sk = \"P\" }\n")),
        ("schema::empty-template", t("[entities.User]\nprimary = { pk = \"\", sk = \"P\" }\n")),
        ("schema::entity-name", t("[entities.\"bad-name\"]\nprimary = { pk = \"X#{id}\", sk = \"X\" }\n")),
        ("schema::entity-not-on-index", u(&format!("{GSI}[patterns.by_gsi]\nquery = \"User\"\nindex = \"gsi1\"\n"))),
        ("schema::fetch", u("[patterns.users]\nquery = \"User\"\nfetch = \"rows\"\n")),
        ("schema::filter", u("[patterns.users]\nquery = \"User\"\nfilter = \"age >= 5\"\n")),
        ("schema::filter-without-query", u("[patterns.user]\nget = \"User\"\nfilter = \"age >= {a}\"\n")),
        ("schema::get-with-index", u(&format!("{GSI}[patterns.user]\nget = \"User\"\nindex = \"gsi1\"\n"))),
        ("schema::index-name", u("[indexes.ab]\npartition_key = \"p\"\n")),
        ("schema::local-index", u("[indexes.lsi1]\nkind = \"local\"\n")),
        ("schema::local-index-partition", u("[indexes.lsi1]\nkind = \"local\"\npartition_key = \"other\"\nsort_key = \"lsi1sk\"\n")),
        ("schema::missing-partition-key", u("[indexes.gsi1]\nsort_key = \"gsi1sk\"\n")),
        ("schema::missing-partition-template", t(&format!("{GSI}[entities.User]\nprimary = {{ pk = \"USER#{{id}}\", sk = \"P\" }}\ngsi1 = {{ sk = \"X\" }}\n"))),
        ("schema::missing-primary", t(&format!("{GSI}[entities.User]\ngsi1 = {{ pk = \"USER#{{id}}\", sk = \"P\" }}\n"))),
        ("schema::missing-sort-key", t("[entities.User]\nprimary = { pk = \"USER#{id}\" }\n")),
        ("schema::order", u("[patterns.users]\nquery = \"User\"\norder = \"sideways\"\n")),
        ("schema::order-without-query", u("[patterns.user]\nget = \"User\"\norder = \"descending\"\n")),
        ("schema::partial-projection", t("[indexes.keys]\npartition_key = \"gsi1pk\"\nsort_key = \"gsi1sk\"\nprojection = { include = [\"name\"] }\n[entities.User]\nprimary = { pk = \"USER#{id}\", sk = \"P\" }\nkeys = { pk = \"ALL#{team}\", sk = \"U#{id}\" }\n[patterns.team]\ncollection = [\"User\"]\nindex = \"keys\"\n")),
        ("schema::pattern-kind", u("[patterns.nothing]\ndescription = \"does what?\"\n")),
        ("schema::pattern-name", u("[patterns.BadName]\nget = \"User\"\n")),
        ("schema::attribute-types", u("[indexes.by_score]\npartition_key = [\"team\"]\nsort_key = [\"score\"]\nattribute_types = { scores = \"number\" }\n")),
        ("schema::key-attributes", u("[indexes.by_team]\npartition_key = [\"team\", \"region\"]\n[entities.Player]\nprimary = { pk = \"P#{id}\", sk = \"P\" }\nby_team = { pk = [\"{team}\"] }\n")),
        ("schema::multi-attribute-key-field", u("[indexes.by_team]\npartition_key = [\"team\"]\n[entities.Player]\nprimary = { pk = \"P#{id}\", sk = \"P\" }\nby_team = { pk = [\"TEAM#{team}\"] }\n")),
        ("schema::placeholder-modifier", t("[entities.User]\nprimary = { pk = \"USER#{id|title}\", sk = \"P\" }\n")),
        ("schema::placeholder-not-segment", t("[entities.User]\nprimary = { pk = \"USER{id}\", sk = \"P\" }\n")),
        ("schema::previous-primary-field", t("[entities.Order]\nprimary = { pk = \"USER#{user_id}\", sk = \"ORDER#{order_id}\" }\nprevious_primary = { pk = \"USER#{user_id}\", sk = \"ORDER#{number}\" }\n")),
        ("schema::previous-primary-unchanged", t("[entities.Order]\nprimary = { pk = \"USER#{user_id}\", sk = \"ORDER#{order_id}\" }\nprevious_primary = { pk = \"USER#{user_id}\", sk = \"ORDER#{order_id}\" }\n")),
        ("schema::projection", u("[indexes.gsi1]\npartition_key = \"gsi1pk\"\nprojection = \"some\"\n")),
        ("schema::repeated-member", u("[patterns.twice]\ncollection = [\"User\", \"User\"]\n")),
        ("schema::repeated-placeholder", t("[entities.User]\nprimary = { pk = \"USER#{id}#{id}\", sk = \"P\" }\n")),
        ("schema::replica-region", format!("{TABLE}replicas = [\"Europe\"]\n\n{USER}")),
        ("schema::reserved-index-name", u("[indexes.primary]\npartition_key = \"p\"\n")),
        ("schema::reserved-pattern-name", u("[patterns.get]\nget = \"User\"\n")),
        ("schema::schema-version", t("[entities.User]\nschema_version = 0\nprimary = { pk = \"USER#{id}\", sk = \"P\" }\n")),
        ("schema::schema-version-attribute", format!("{TABLE}schema_version_attribute = \"pk\"\n\n{USER}")),
        ("schema::segments", u("[patterns.all]\nscan = \"User\"\nsegments = 0\n")),
        ("schema::shape", "[table]\nname = \"App\"\npartition_key = 5\n".to_owned()),
        ("schema::sort-key-without-attribute", "[table]\nname = \"App\"\npartition_key = \"pk\"\n\n[entities.User]\nprimary = { pk = \"U#{id}\", sk = \"P\" }\n".to_owned()),
        ("schema::syntax", "[table\nname = \"App\"\n".to_owned()),
        ("schema::table-name", format!("[table]\nname = \"123\"\npartition_key = \"pk\"\nsort_key = \"sk\"\n\n{USER}")),
        ("schema::tags", format!("{TABLE}tags = {{ \"aws:team\" = \"x\" }}\n\n{USER}")),
        ("schema::ttl-attribute", format!("{TABLE}ttl_attribute = \"pk\"\n\n{USER}")),
        ("schema::unknown-entity", u("[patterns.p]\nget = \"Usr\"\n")),
        ("schema::unknown-index", u("[patterns.p]\nquery = \"User\"\nindex = \"gsi9\"\n")),
        ("schema::unknown-key", format!("{TABLE}colour = \"blue\"\n\n{USER}")),
    ]
}

#[test]
fn every_case_produces_its_diagnostic() {
    let mut rendered = String::new();
    for (code, text) in cases() {
        let source = SourceFile::new("dynaschema.toml", text.clone());
        let diagnostics = match dynaschema_codegen::parse(source) {
            Ok(checked) => checked.warnings,
            Err(errors) => errors,
        };
        let found: Vec<&str> = diagnostics.items().iter().map(|d| d.code).collect();
        assert!(
            found.contains(&code),
            "{code}: not produced by\n{text}\nfound {found:?}"
        );
        // Snapshot only the first diagnostic of this case's kind.
        let mut one =
            dynaschema_codegen::diagnostics::Diagnostics::new(diagnostics.source().clone());
        if let Some(d) = diagnostics.items().iter().find(|d| d.code == code) {
            one.push(d.clone());
        }
        rendered.push_str(&format!("===== {code}\n{}\n", one.render()));
    }
    insta::assert_snapshot!("every_diagnostic_kind", rendered);
}

#[test]
fn every_diagnostic_code_has_a_case() {
    let mut in_source = BTreeSet::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/src");
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for prefix in ["\"schema::", "\"check::"] {
                    for (at, _) in text.match_indices(prefix) {
                        let rest = &text[at + 1..];
                        let code: String = rest.chars().take_while(|c| *c != '"').collect();
                        in_source.insert(code);
                    }
                }
            }
        }
    }
    let covered: BTreeSet<String> = cases()
        .into_iter()
        .map(|(code, _)| code.to_owned())
        .collect();
    let missing: Vec<&String> = in_source.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "diagnostic codes without a case: {missing:?}"
    );
}
