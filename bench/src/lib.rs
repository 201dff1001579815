//! The benchmarks' entities, each in three forms doing the same work: dynaschema's
//! derive, `serde_dynamo` plus hand-written keys, and fully hand-written
//! `HashMap<String, AttributeValue>` code. Each form produces the same item: every
//! field, the key attributes and the entity discriminator `_et`.

use std::collections::{BTreeSet, HashMap};

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, TimeZone, Utc};
use dynaschema::{Attribute, Entity};
use serde::{Deserialize, Serialize};

dynaschema::include_schema!(pub bench);

pub mod modyne_peer;
pub mod raw;

/// An item as the SDK holds it.
pub type Item = HashMap<String, AttributeValue>;

/// 5 fields.
#[derive(Entity, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Small {
    pub group: String,
    pub id: String,
    pub name: String,
    pub count: u32,
    pub active: bool,
}

/// A postal address: the nested struct of [`Typical`].
#[derive(Attribute, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Address {
    pub street: String,
    pub city: String,
    pub postal_code: String,
}

/// 12 fields: an Option, a Vec, a set, a nested struct, a timestamp.
#[derive(Entity, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Typical {
    pub tenant: String,
    pub id: String,
    pub email: String,
    pub name: String,
    pub nickname: Option<String>,
    pub tags: Vec<String>,
    pub roles: BTreeSet<String>,
    pub address: Address,
    pub created_at: DateTime<Utc>,
    pub score: f64,
    pub logins: u32,
    pub active: bool,
}

macro_rules! large {
    ($($s:ident)*; $($n:ident)*) => {
        /// 40 fields, about 10 KB: an id, 29 texts of 330 bytes, 10 numbers.
        #[derive(Entity, Serialize, Deserialize, Clone, Debug, PartialEq)]
        pub struct Large {
            pub id: String,
            $(pub $s: String,)*
            $(pub $n: u64,)*
        }

        impl Large {
            /// The `n`th sample.
            pub fn sample(n: usize) -> Self {
                let text = |field: &str| format!("{field}-{n}-{}", "lorem ipsum dolor sit amet ".repeat(12));
                let mut i = 0_u64;
                let mut number = || { i += 1; i * 1_000_003 + n as u64 };
                Self { id: format!("large-{n:06}"), $($s: text(stringify!($s)),)* $($n: number(),)* }
            }

            /// Hand-written: the item.
            pub fn to_item_by_hand(&self) -> Item {
                let mut item = Item::with_capacity(43);
                item.insert("pk".into(), AttributeValue::S(format!("LARGE#{}", self.id)));
                item.insert("sk".into(), AttributeValue::S("LARGE".into()));
                item.insert("_et".into(), AttributeValue::S("Large".into()));
                item.insert("id".into(), AttributeValue::S(self.id.clone()));
                $(item.insert(stringify!($s).into(), AttributeValue::S(self.$s.clone()));)*
                $(item.insert(stringify!($n).into(), AttributeValue::N(self.$n.to_string()));)*
                item
            }

            /// Hand-written: the struct, from an item.
            pub fn from_item_by_hand(mut item: Item) -> Result<Self, String> {
                Ok(Self {
                    id: take_s(&mut item, "id")?,
                    $($s: take_s(&mut item, stringify!($s))?,)*
                    $($n: take_n(&mut item, stringify!($n))?,)*
                })
            }

            /// serde_dynamo, keys and discriminator added by hand.
            pub fn to_item_serde(&self) -> Item {
                let mut item: Item = serde_dynamo::to_item(self).expect("serializes");
                item.insert("pk".into(), AttributeValue::S(format!("LARGE#{}", self.id)));
                item.insert("sk".into(), AttributeValue::S("LARGE".into()));
                item.insert("_et".into(), AttributeValue::S("Large".into()));
                item
            }
        }
    };
}

large!(
    s01 s02 s03 s04 s05 s06 s07 s08 s09 s10 s11 s12 s13 s14 s15
    s16 s17 s18 s19 s20 s21 s22 s23 s24 s25 s26 s27 s28 s29;
    n01 n02 n03 n04 n05 n06 n07 n08 n09 n10
);

/// A customer: one side of the collection query.
#[derive(Entity, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Customer {
    pub customer_id: String,
    pub name: String,
}

/// An order: the other side of the collection query.
#[derive(Entity, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Order {
    pub customer_id: String,
    pub order_id: String,
    pub created_at: DateTime<Utc>,
    pub total_cents: i64,
}

impl Customer {
    /// Hand-written: the item.
    pub fn to_item_by_hand(&self) -> Item {
        let mut item = Item::with_capacity(5);
        item.insert(
            "pk".into(),
            AttributeValue::S(format!("CUSTOMER#{}", self.customer_id)),
        );
        item.insert("sk".into(), AttributeValue::S("PROFILE".into()));
        item.insert("_et".into(), AttributeValue::S("Customer".into()));
        item.insert(
            "customer_id".into(),
            AttributeValue::S(self.customer_id.clone()),
        );
        item.insert("name".into(), AttributeValue::S(self.name.clone()));
        item
    }

    /// Hand-written: the struct, from an item.
    pub fn from_item_by_hand(mut item: Item) -> Result<Self, String> {
        Ok(Self {
            customer_id: take_s(&mut item, "customer_id")?,
            name: take_s(&mut item, "name")?,
        })
    }
}

impl Order {
    /// The `n`th order of customer `customer_id`, placed `n` minutes after 2026-01-01.
    pub fn sample(customer_id: &str, n: usize) -> Self {
        Self {
            customer_id: customer_id.to_owned(),
            order_id: format!("o{n:05}"),
            created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
                + chrono::TimeDelta::minutes(n as i64),
            total_cents: 100 * n as i64,
        }
    }

    /// Hand-written: the item.
    pub fn to_item_by_hand(&self) -> Item {
        let created_at = timestamp(&self.created_at);
        let mut item = Item::with_capacity(7);
        item.insert(
            "pk".into(),
            AttributeValue::S(format!("CUSTOMER#{}", self.customer_id)),
        );
        item.insert(
            "sk".into(),
            AttributeValue::S(format!("ORDER#{created_at}#{}", self.order_id)),
        );
        item.insert("_et".into(), AttributeValue::S("Order".into()));
        item.insert(
            "customer_id".into(),
            AttributeValue::S(self.customer_id.clone()),
        );
        item.insert("order_id".into(), AttributeValue::S(self.order_id.clone()));
        item.insert("created_at".into(), AttributeValue::S(created_at));
        item.insert(
            "total_cents".into(),
            AttributeValue::N(self.total_cents.to_string()),
        );
        item
    }

    /// Hand-written: the struct, from an item.
    pub fn from_item_by_hand(mut item: Item) -> Result<Self, String> {
        let created_at = take_s(&mut item, "created_at")?;
        Ok(Self {
            customer_id: take_s(&mut item, "customer_id")?,
            order_id: take_s(&mut item, "order_id")?,
            created_at: DateTime::parse_from_rfc3339(&created_at)
                .map_err(|e| format!("created_at: {e}"))?
                .with_timezone(&Utc),
            total_cents: take_n(&mut item, "total_cents")?,
        })
    }
}

fn take(item: &mut Item, name: &str) -> Result<AttributeValue, String> {
    item.remove(name).ok_or_else(|| format!("missing {name}"))
}

fn take_s(item: &mut Item, name: &str) -> Result<String, String> {
    match take(item, name)? {
        AttributeValue::S(s) => Ok(s),
        other => Err(format!("{name}: expected S, found {other:?}")),
    }
}

fn take_n<T: std::str::FromStr>(item: &mut Item, name: &str) -> Result<T, String> {
    match take(item, name)? {
        AttributeValue::N(n) => n.parse().map_err(|_| format!("{name}: bad number {n}")),
        other => Err(format!("{name}: expected N, found {other:?}")),
    }
}

fn take_bool(item: &mut Item, name: &str) -> Result<bool, String> {
    match take(item, name)? {
        AttributeValue::Bool(b) => Ok(b),
        other => Err(format!("{name}: expected BOOL, found {other:?}")),
    }
}

/// The fixed-width timestamp text dynaschema stores (`2026-03-10T12:05:00.000000000Z`).
pub fn timestamp(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
}

impl Small {
    /// The `n`th sample of group `group`.
    pub fn sample(group: &str, n: usize) -> Self {
        Self {
            group: group.to_owned(),
            id: format!("s{n:06}"),
            name: format!("small item {n}"),
            count: n as u32,
            active: n.is_multiple_of(2),
        }
    }

    /// Hand-written: the item.
    pub fn to_item_by_hand(&self) -> Item {
        let mut item = Item::with_capacity(8);
        item.insert(
            "pk".into(),
            AttributeValue::S(format!("GROUP#{}", self.group)),
        );
        item.insert("sk".into(), AttributeValue::S(format!("SMALL#{}", self.id)));
        item.insert("_et".into(), AttributeValue::S("Small".into()));
        item.insert("group".into(), AttributeValue::S(self.group.clone()));
        item.insert("id".into(), AttributeValue::S(self.id.clone()));
        item.insert("name".into(), AttributeValue::S(self.name.clone()));
        item.insert("count".into(), AttributeValue::N(self.count.to_string()));
        item.insert("active".into(), AttributeValue::Bool(self.active));
        item
    }

    /// Hand-written: the struct, from an item.
    pub fn from_item_by_hand(mut item: Item) -> Result<Self, String> {
        Ok(Self {
            group: take_s(&mut item, "group")?,
            id: take_s(&mut item, "id")?,
            name: take_s(&mut item, "name")?,
            count: take_n(&mut item, "count")?,
            active: take_bool(&mut item, "active")?,
        })
    }

    /// serde_dynamo, keys and discriminator added by hand.
    pub fn to_item_serde(&self) -> Item {
        let mut item: Item = serde_dynamo::to_item(self).expect("serializes");
        item.insert(
            "pk".into(),
            AttributeValue::S(format!("GROUP#{}", self.group)),
        );
        item.insert("sk".into(), AttributeValue::S(format!("SMALL#{}", self.id)));
        item.insert("_et".into(), AttributeValue::S("Small".into()));
        item
    }
}

impl Typical {
    /// The `n`th sample.
    pub fn sample(n: usize) -> Self {
        Self {
            tenant: "acme".into(),
            id: format!("t{n:06}"),
            email: format!("user{n}@example.com"),
            name: format!("User Number {n}"),
            nickname: n.is_multiple_of(2).then(|| format!("nick{n}")),
            tags: vec!["alpha".into(), "beta".into(), format!("tag{n}")],
            roles: ["admin", "reader", "writer"]
                .into_iter()
                .map(String::from)
                .collect(),
            address: Address {
                street: format!("{n} Main Street"),
                city: "Springfield".into(),
                postal_code: "12345".into(),
            },
            created_at: Utc
                .with_ymd_and_hms(2026, 3, 1 + (n % 28) as u32, 12, 0, 0)
                .unwrap(),
            score: n as f64 * 1.25 + 0.5,
            logins: n as u32,
            active: true,
        }
    }

    fn keys_by_hand(&self, item: &mut Item) {
        item.insert(
            "pk".into(),
            AttributeValue::S(format!("TENANT#{}", self.tenant)),
        );
        item.insert(
            "sk".into(),
            AttributeValue::S(format!("TYPICAL#{}", self.id)),
        );
        item.insert(
            "gsi1pk".into(),
            AttributeValue::S(format!("EMAIL#{}", self.email)),
        );
        item.insert(
            "gsi1sk".into(),
            AttributeValue::S(format!("TYPICAL#{}", timestamp(&self.created_at))),
        );
        item.insert("_et".into(), AttributeValue::S("Typical".into()));
    }

    /// Hand-written: the item.
    pub fn to_item_by_hand(&self) -> Item {
        let mut item = Item::with_capacity(17);
        self.keys_by_hand(&mut item);
        item.insert("tenant".into(), AttributeValue::S(self.tenant.clone()));
        item.insert("id".into(), AttributeValue::S(self.id.clone()));
        item.insert("email".into(), AttributeValue::S(self.email.clone()));
        item.insert("name".into(), AttributeValue::S(self.name.clone()));
        if let Some(nickname) = &self.nickname {
            item.insert("nickname".into(), AttributeValue::S(nickname.clone()));
        }
        item.insert(
            "tags".into(),
            AttributeValue::L(
                self.tags
                    .iter()
                    .map(|t| AttributeValue::S(t.clone()))
                    .collect(),
            ),
        );
        if !self.roles.is_empty() {
            item.insert(
                "roles".into(),
                AttributeValue::Ss(self.roles.iter().cloned().collect()),
            );
        }
        let mut address = HashMap::with_capacity(3);
        address.insert(
            "street".into(),
            AttributeValue::S(self.address.street.clone()),
        );
        address.insert("city".into(), AttributeValue::S(self.address.city.clone()));
        address.insert(
            "postal_code".into(),
            AttributeValue::S(self.address.postal_code.clone()),
        );
        item.insert("address".into(), AttributeValue::M(address));
        item.insert(
            "created_at".into(),
            AttributeValue::S(timestamp(&self.created_at)),
        );
        item.insert("score".into(), AttributeValue::N(self.score.to_string()));
        item.insert("logins".into(), AttributeValue::N(self.logins.to_string()));
        item.insert("active".into(), AttributeValue::Bool(self.active));
        item
    }

    /// Hand-written: the struct, from an item.
    pub fn from_item_by_hand(mut item: Item) -> Result<Self, String> {
        let tags = match take(&mut item, "tags")? {
            AttributeValue::L(list) => list
                .into_iter()
                .map(|v| match v {
                    AttributeValue::S(s) => Ok(s),
                    other => Err(format!("tags: expected S, found {other:?}")),
                })
                .collect::<Result<_, _>>()?,
            other => return Err(format!("tags: expected L, found {other:?}")),
        };
        let roles = match item.remove("roles") {
            Some(AttributeValue::Ss(set)) => set.into_iter().collect(),
            None => BTreeSet::new(),
            Some(other) => return Err(format!("roles: expected SS, found {other:?}")),
        };
        let address = match take(&mut item, "address")? {
            AttributeValue::M(mut map) => Address {
                street: take_s(&mut map, "street")?,
                city: take_s(&mut map, "city")?,
                postal_code: take_s(&mut map, "postal_code")?,
            },
            other => return Err(format!("address: expected M, found {other:?}")),
        };
        let created_at = take_s(&mut item, "created_at")?;
        Ok(Self {
            tenant: take_s(&mut item, "tenant")?,
            id: take_s(&mut item, "id")?,
            email: take_s(&mut item, "email")?,
            name: take_s(&mut item, "name")?,
            nickname: match item.remove("nickname") {
                Some(AttributeValue::S(s)) => Some(s),
                None | Some(AttributeValue::Null(_)) => None,
                Some(other) => return Err(format!("nickname: expected S, found {other:?}")),
            },
            tags,
            roles,
            address,
            created_at: DateTime::parse_from_rfc3339(&created_at)
                .map_err(|e| format!("created_at: {e}"))?
                .with_timezone(&Utc),
            score: take_n(&mut item, "score")?,
            logins: take_n(&mut item, "logins")?,
            active: take_bool(&mut item, "active")?,
        })
    }

    /// serde_dynamo, keys and discriminator added by hand.
    pub fn to_item_serde(&self) -> Item {
        let mut item: Item = serde_dynamo::to_item(self).expect("serializes");
        self.keys_by_hand(&mut item);
        item
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The three forms must do the same work: the same attribute names, and values
    /// that decode back to the same struct.
    #[test]
    fn every_form_makes_the_same_item() {
        fn names(item: &Item) -> BTreeSet<&str> {
            item.keys().map(String::as_str).collect()
        }
        let small = Small::sample("g", 7);
        let derived = small.to_item().unwrap();
        assert_eq!(derived, small.to_item_by_hand());
        assert_eq!(names(&derived), names(&small.to_item_serde()));
        assert_eq!(Small::from_item_by_hand(derived.clone()).unwrap(), small);
        assert_eq!(serde_dynamo::from_item::<_, Small>(derived).unwrap(), small);

        let typical = Typical::sample(8);
        let derived = typical.to_item().unwrap();
        assert_eq!(derived, typical.to_item_by_hand());
        assert_eq!(names(&derived), names(&typical.to_item_serde()));
        assert_eq!(
            Typical::from_item(typical.to_item_by_hand()).unwrap(),
            typical
        );
        assert_eq!(Typical::from_item_by_hand(derived).unwrap(), typical);
        let serde_item = typical.to_item_serde();
        assert_eq!(
            serde_dynamo::from_item::<_, Typical>(serde_item).unwrap(),
            typical
        );

        let large = Large::sample(3);
        let derived = large.to_item().unwrap();
        let size = dynaschema::limits::item_size(&derived);
        assert!((9_000..=11_000).contains(&size), "about 10 KB: {size}");
        assert_eq!(derived, large.to_item_by_hand());
        assert_eq!(names(&derived), names(&large.to_item_serde()));
        assert_eq!(Large::from_item_by_hand(derived.clone()).unwrap(), large);
        assert_eq!(Large::from_item(derived).unwrap(), large);

        let customer = Customer {
            customer_id: "c1".into(),
            name: "Ada".into(),
        };
        let derived = customer.to_item().unwrap();
        assert_eq!(derived, customer.to_item_by_hand());
        assert_eq!(Customer::from_item_by_hand(derived).unwrap(), customer);
        let order = Order::sample("c1", 61);
        let derived = order.to_item().unwrap();
        assert_eq!(derived, order.to_item_by_hand());
        assert_eq!(Order::from_item_by_hand(derived).unwrap(), order);
    }
}
