//! Three ways to hand out the same messages: publish-subscribe with a late subscriber, and a
//! partitioned log read by two consumer groups, where one member crashes before committing
//! and a third group joins late and reads from offset 0.

use sysdesign::messaging::{ConsumerGroup, PartitionedLog, PubSub, Record};
use sysdesign::show::{self, Table};

fn names(records: &[Record]) -> String {
    let names: Vec<String> = records
        .iter()
        .map(|r| format!("{}@p{}:{}", r.value, r.partition, r.offset))
        .collect();
    names.join(" ")
}

fn pubsub() -> Table {
    let mut bus = PubSub::new();
    let email = bus.subscribe("orders");
    bus.publish("orders", "o1");
    bus.publish("orders", "o2");
    let stock = bus.subscribe("orders"); // joins late
    bus.publish("orders", "o3");
    let dropped = bus.publish("refunds", "r1"); // nobody listens
    let mut table = Table::new(["subscriber", "received"]);
    table.push(["email (from the start)", &bus.drain(email).join(" ")]);
    table.push(["stock (joined after o2)", &bus.drain(stock).join(" ")]);
    table.push([
        "refunds topic, no subscriber",
        &format!("{dropped} copies: r1 is gone"),
    ]);
    table.caption("publish-subscribe keeps nothing: a copy per current subscriber")
}

/// Polls `member` of `group` and adds what it read as a row.
fn row(
    table: &mut Table,
    log: &PartitionedLog,
    step: &str,
    group: (&mut ConsumerGroup, &str),
    member: &str,
) {
    let (group, name) = group;
    let parts = group.assignment(member).expect("a member");
    let read = group.poll(log, member, 100).expect("a member");
    table.push([step, name, member, &format!("{parts:?}"), &names(&read)]);
}

fn log_groups() -> Table {
    let mut table = Table::new(["step", "group", "member", "partitions", "read"]);
    // ANCHOR: groups
    let mut log = PartitionedLog::new(3);
    for i in 1..=9 {
        log.append(&format!("user-{}", i % 4), &format!("o{i}"));
    }
    let mut billing = ConsumerGroup::new(log.partitions());
    billing.join("a").expect("new member");
    billing.join("b").expect("new member");
    let mut analytics = ConsumerGroup::new(log.partitions());
    analytics.join("x").expect("new member");
    // ANCHOR_END: groups
    row(&mut table, &log, "1", (&mut billing, "billing"), "a");
    billing.commit("a").expect("a member");
    row(&mut table, &log, "1", (&mut billing, "billing"), "b");
    // b crashes before committing: the group notices (no heartbeat) and rebalances.
    billing.leave("b").expect("b was a member");
    row(
        &mut table,
        &log,
        "2: b crashed",
        (&mut billing, "billing"),
        "a",
    );
    billing.commit("a").expect("a member");
    row(&mut table, &log, "1", (&mut analytics, "analytics"), "x");
    analytics.commit("x").expect("a member");
    let mut audit = ConsumerGroup::new(log.partitions());
    audit.join("z").expect("new member");
    row(
        &mut table,
        &log,
        "3: joins late",
        (&mut audit, "audit"),
        "z",
    );
    show::value("billing_lag", billing.lag(&log));
    table.caption("9 records keyed by user over 3 partitions; each cell: record@partition:offset")
}

fn main() {
    show::table(&pubsub());
    show::table(&log_groups());
}
