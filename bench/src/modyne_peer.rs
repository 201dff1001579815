//! The benchmarks' entities on [modyne](https://docs.rs/modyne), the Rust
//! single-table crate a team might pick instead: the same structs, the same key
//! templates and the same `_et` discriminator, written as modyne's documentation
//! shows (a `Table`, an `Entity` per struct, a `QueryInput` per query, an
//! `Aggregate` for the collection). What modyne leaves to its user — following
//! `LastEvaluatedKey`, splitting batches into requests of 25 and 100, sending the
//! unprocessed part again — is written here the way its documentation's
//! single-request calls suggest. Used by the `peers` binary.

use aws_sdk_dynamodb::Client;
use futures::{StreamExt, stream};
use modyne::keys::{self, Key, KeyDefinition, PrimaryKey, PrimaryKeyDefinition};
use modyne::model::{BatchGet, BatchWrite, Get, Put};
use modyne::{
    Aggregate, Entity, EntityDef, EntityExt, EntityTypeNameRef, Error, Item, ProjectionExt,
    QueryInput, QueryInputExt, expr, projections, read_projection,
};
use serde::Serialize;

use crate::{Customer, Order, Small, timestamp};

/// The benchmark table, as modyne sees it.
#[derive(Debug, Clone)]
pub struct Db {
    /// The table's name.
    pub name: String,
    /// The SDK client.
    pub client: Client,
}

/// The table's primary key: `pk` and `sk` (modyne's own `keys::Primary` names them
/// `PK` and `SK`).
#[derive(Debug, Serialize)]
pub struct Pk {
    /// The partition key.
    pub pk: String,
    /// The sort key.
    pub sk: String,
}

impl PrimaryKey for Pk {
    const PRIMARY_KEY_DEFINITION: PrimaryKeyDefinition = PrimaryKeyDefinition {
        hash_key: "pk",
        range_key: Some("sk"),
    };
}

impl Key for Pk {
    const DEFINITION: KeyDefinition =
        <Self as PrimaryKey>::PRIMARY_KEY_DEFINITION.into_key_definition();
}

// The discriminator is modyne's default attribute, `entity_type`, not dynaschema's
// `_et`: modyne 0.3.1 leaves a name starting with `_` unescaped in the projection
// expression it sends with every query, which DynamoDB rejects ("Invalid
// ProjectionExpression: Syntax error; token: "_"").
impl modyne::Table for Db {
    type PrimaryKey = Pk;
    type IndexKeys = ();

    fn table_name(&self) -> &str {
        &self.name
    }

    fn client(&self) -> &Client {
        &self.client
    }
}

// What `#[derive(modyne::EntityDef)]` generates, written out: the structs already
// derive dynaschema's `Entity`, and the derive's name would clash in this crate.
impl EntityDef for Small {
    const ENTITY_TYPE: &'static EntityTypeNameRef = EntityTypeNameRef::from_static("Small");
    const PROJECTED_ATTRIBUTES: &'static [&'static str] =
        &["group", "id", "name", "count", "active"];
}

impl Entity for Small {
    type KeyInput<'a> = (&'a str, &'a str);
    type Table = Db;
    type IndexKeys = ();

    fn primary_key((group, id): Self::KeyInput<'_>) -> Pk {
        Pk {
            pk: format!("GROUP#{group}"),
            sk: format!("SMALL#{id}"),
        }
    }

    fn full_key(&self) -> keys::FullKey<Pk, ()> {
        Self::primary_key((&self.group, &self.id)).into()
    }
}

impl EntityDef for Customer {
    const ENTITY_TYPE: &'static EntityTypeNameRef = EntityTypeNameRef::from_static("Customer");
    const PROJECTED_ATTRIBUTES: &'static [&'static str] = &["customer_id", "name"];
}

impl Entity for Customer {
    type KeyInput<'a> = &'a str;
    type Table = Db;
    type IndexKeys = ();

    fn primary_key(customer_id: &str) -> Pk {
        Pk {
            pk: format!("CUSTOMER#{customer_id}"),
            sk: "PROFILE".into(),
        }
    }

    fn full_key(&self) -> keys::FullKey<Pk, ()> {
        Self::primary_key(&self.customer_id).into()
    }
}

impl EntityDef for Order {
    const ENTITY_TYPE: &'static EntityTypeNameRef = EntityTypeNameRef::from_static("Order");
    const PROJECTED_ATTRIBUTES: &'static [&'static str] =
        &["customer_id", "order_id", "created_at", "total_cents"];
}

impl Entity for Order {
    type KeyInput<'a> = (&'a str, &'a chrono::DateTime<chrono::Utc>, &'a str);
    type Table = Db;
    type IndexKeys = ();

    fn primary_key((customer_id, created_at, order_id): Self::KeyInput<'_>) -> Pk {
        Pk {
            pk: format!("CUSTOMER#{customer_id}"),
            sk: format!("ORDER#{}#{order_id}", timestamp(created_at)),
        }
    }

    fn full_key(&self) -> keys::FullKey<Pk, ()> {
        Self::primary_key((&self.customer_id, &self.created_at, &self.order_id)).into()
    }
}

/// Every small item of a group.
pub struct GroupSmalls<'a> {
    /// The group.
    pub group: &'a str,
}

impl QueryInput for GroupSmalls<'_> {
    type Index = Pk;
    type Aggregate = Vec<Small>;

    fn key_condition(&self) -> expr::KeyCondition<Pk> {
        expr::KeyCondition::in_partition(format!("GROUP#{}", self.group))
    }
}

/// A customer and its orders.
pub struct CustomerWithOrdersQuery<'a> {
    /// The customer.
    pub customer_id: &'a str,
}

/// The collection, as modyne's aggregate builds it.
#[derive(Debug, Default)]
pub struct CustomerWithOrders {
    /// The customer, if found.
    pub customer: Option<Customer>,
    /// Its orders.
    pub orders: Vec<Order>,
}

projections! {
    /// The entities of the collection.
    pub enum CustomerOrOrder {
        Customer,
        Order,
    }
}

impl Aggregate for CustomerWithOrders {
    type Projections = CustomerOrOrder;

    fn merge(&mut self, item: Item) -> Result<(), Error> {
        match read_projection!(item)? {
            Self::Projections::Customer(customer) => self.customer = Some(customer),
            Self::Projections::Order(order) => self.orders.push(order),
        }
        Ok(())
    }
}

impl QueryInput for CustomerWithOrdersQuery<'_> {
    type Index = Pk;
    type Aggregate = CustomerWithOrders;

    fn key_condition(&self) -> expr::KeyCondition<Pk> {
        expr::KeyCondition::in_partition(format!("CUSTOMER#{}", self.customer_id))
    }
}

/// Every page of `input`'s query, reduced into its aggregate.
pub async fn query_all<Q: QueryInput>(db: &Db, input: &Q) -> Result<Q::Aggregate, Error> {
    let mut aggregate = Q::Aggregate::default();
    let mut start = None;
    loop {
        let output = input
            .query()
            .set_exclusive_start_key(start)
            .execute(db)
            .await?;
        aggregate.reduce(output.items.unwrap_or_default())?;
        start = output.last_evaluated_key.filter(|k| !k.is_empty());
        if start.is_none() {
            return Ok(aggregate);
        }
    }
}

/// Puts `items` with `BatchWriteItem`s of 25, `in_flight` at once, sending the
/// unprocessed part again.
pub async fn batch_put<E: EntityExt + Serialize>(db: &Db, items: Vec<E>, in_flight: usize) {
    let mut chunks = Vec::new();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        chunks.push(items.by_ref().take(25).collect::<Vec<E>>());
    }
    stream::iter(chunks)
        .map(|chunk| async move {
            let mut batch = chunk
                .into_iter()
                .fold(BatchWrite::new(), |batch, item| batch.operation(item.put()));
            loop {
                let output = batch.execute(db).await.expect("BatchWriteItem");
                let unprocessed: Vec<Item> = output
                    .unprocessed_items
                    .and_then(|mut u| u.remove(&db.name))
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|w| w.put_request.map(|p| p.item))
                    .collect();
                if unprocessed.is_empty() {
                    return;
                }
                batch = unprocessed
                    .into_iter()
                    .fold(BatchWrite::new(), |batch, item| {
                        batch.operation(Put::new(item))
                    });
            }
        })
        .buffer_unordered(in_flight)
        .collect::<Vec<()>>()
        .await;
}

/// Gets the small items of `keys` with `BatchGetItem`s of 100, `in_flight` at once,
/// asking again for the unprocessed keys; returns the items decoded.
pub async fn batch_get_smalls(
    db: &Db,
    keys: Vec<(String, String)>,
    in_flight: usize,
) -> Vec<Small> {
    let chunks: Vec<Vec<(String, String)>> = keys.chunks(100).map(<[_]>::to_vec).collect();
    let found: Vec<Vec<Small>> = stream::iter(chunks)
        .map(|chunk| async move {
            let mut batch = chunk.iter().fold(BatchGet::new(), |batch, (group, id)| {
                batch.operation(Small::get((group, id)))
            });
            let mut found = Vec::new();
            loop {
                let output = batch.execute(db).await.expect("BatchGetItem");
                for item in output
                    .responses
                    .and_then(|mut r| r.remove(&db.name))
                    .unwrap_or_default()
                {
                    found.push(Small::from_item(item).expect("a small item"));
                }
                let unprocessed = output
                    .unprocessed_keys
                    .and_then(|mut u| u.remove(&db.name))
                    .map(|k| k.keys)
                    .unwrap_or_default();
                if unprocessed.is_empty() {
                    return found;
                }
                batch = unprocessed
                    .into_iter()
                    .fold(BatchGet::new(), |batch, key| batch.operation(Get::new(key)));
            }
        })
        .buffer_unordered(in_flight)
        .collect()
        .await;
    found.into_iter().flatten().collect()
}
