//! One conversion workload in a loop, for instruction counts under callgrind
//! (repeatable on a shared machine, unlike times):
//!
//! ```text
//! cargo build --release -p dynaschema-bench --example profile
//! valgrind --tool=callgrind target/release/examples/profile large to_item dynaschema 1000
//! ```
//!
//! Arguments: `small|typical|large`, `to_item|from_item`,
//! `dynaschema|serde_dynamo|hand_written` (or `clone`: the item clone each
//! `from_item` run includes, to subtract), and the number of conversions.

use std::hint::black_box;

use dynaschema::Entity;
use dynaschema_bench::{Large, Small, Typical};

macro_rules! run {
    ($value:expr, $ty:ty, $direction:expr, $form:expr, $n:expr) => {{
        let value: $ty = $value;
        let item = value.to_item().unwrap();
        for _ in 0..$n {
            match ($direction, $form) {
                ("to_item", "dynaschema") => drop(black_box(&value).to_item().unwrap()),
                ("to_item", "serde_dynamo") => drop(black_box(&value).to_item_serde()),
                ("to_item", "hand_written") => drop(black_box(&value).to_item_by_hand()),
                ("from_item", "dynaschema") => drop(<$ty>::from_item(item.clone()).unwrap()),
                ("from_item", "serde_dynamo") => {
                    drop(serde_dynamo::from_item::<_, $ty>(item.clone()).unwrap())
                }
                ("from_item", "hand_written") => {
                    drop(<$ty>::from_item_by_hand(item.clone()).unwrap())
                }
                // What every `from_item` run spends on its input: subtract it.
                ("from_item", "clone") => drop(black_box(item.clone())),
                other => panic!("unknown workload {other:?}"),
            }
        }
    }};
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, entity, direction, form, n] = args.as_slice() else {
        panic!(
            "usage: profile small|typical|large to_item|from_item dynaschema|serde_dynamo|hand_written N"
        );
    };
    let n: usize = n.parse().expect("N is a number");
    let (direction, form) = (direction.as_str(), form.as_str());
    match entity.as_str() {
        "small" => run!(Small::sample("group", 1), Small, direction, form, n),
        "typical" => run!(Typical::sample(2), Typical, direction, form, n),
        "large" => run!(Large::sample(3), Large, direction, form, n),
        other => panic!("unknown entity {other}"),
    }
}
