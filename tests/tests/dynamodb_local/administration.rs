//! Table administration never waits forever and never acts on a plan that is not
//! the table's: a table stuck in creation (the fault proxy reports `CREATING`
//! forever) is a typed timeout naming the table and what it waited for; a plan made
//! for another table is refused before anything is sent.

use std::time::Duration;

use dynaschema::Error;
use dynaschema_tests::fault_proxy::{FaultProxy, Faults};
use dynaschema_tests::{client, server, testbed, unique_table_name};

#[tokio::test]
async fn a_table_that_never_becomes_active_is_a_timeout() {
    let proxy = FaultProxy::start(
        server().endpoint(),
        Faults {
            never_active: true,
            ..Faults::default()
        },
        1,
    )
    .await;
    let name = unique_table_name("stuck");
    let table = testbed::Table::new(proxy.client(), name.as_str())
        .with_wait_timeout(Duration::from_millis(300));
    let err = table.create_table().await.unwrap_err();
    let Error::Timeout {
        table: stuck,
        waiting_for,
        waited,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(stuck, &name);
    assert!(waiting_for.contains("ACTIVE"), "{waiting_for}");
    assert!(waiting_for.contains("CREATING"), "{waiting_for}");
    assert!(*waited >= Duration::from_millis(300));
    // The table itself was created: the server, not the proxy, says so.
    assert!(
        client()
            .describe_table()
            .table_name(&name)
            .send()
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_plan_for_another_table_is_refused() {
    let first = testbed::Table::new(client(), unique_table_name("planned"));
    let second = testbed::Table::new(client(), unique_table_name("other"));
    let plan = first.plan().await.unwrap();
    assert!(!plan.changes.is_empty(), "the table does not exist yet");
    let err = second.apply(&plan, false).await.unwrap_err();
    assert!(matches!(err, Error::InvalidPlan { .. }), "{err:?}");
    // Nothing was sent: neither table exists.
    for table in [&first, &second] {
        let described = client()
            .describe_table()
            .table_name(table.name())
            .send()
            .await;
        assert!(described.is_err(), "{} was created", table.name());
    }
    // Its own table takes it.
    first.apply(&plan, false).await.unwrap();
    assert!(first.plan().await.unwrap().is_empty());
}
