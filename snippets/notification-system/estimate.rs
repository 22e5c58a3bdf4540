//! Estimates for a notification system. Our inputs, stated: 100 million daily users, each sent
//! 10 notifications a day, one channel each on average, a peak of 10 times the average (a
//! breaking-news event), idempotency keys of 16 bytes kept 24 hours, and a delivery log
//! entry of 200 bytes per notification kept 30 days.

use sysdesign::delivery_framework::{Bytes, Count, Seconds, requests_per_second};
use sysdesign::show::{self, Table};

fn main() {
    // ANCHOR: estimate
    let users = Count::new(100e6);
    let sends = requests_per_second(users, Count::new(10.0));
    let peak = sends * 10.0;
    let key_store = sends * Seconds::DAY * Bytes::new(16.0);
    let log = sends * Seconds::days(30.0) * Bytes::new(200.0);
    // ANCHOR_END: estimate
    let mut table = Table::new(["quantity", "how", "value"]);
    table.push([
        "notifications per second".to_string(),
        "100 M × 10 ÷ 86,400 s".to_string(),
        sends.to_string(),
    ]);
    table.push([
        "at the peak".to_string(),
        "average × 10".to_string(),
        peak.to_string(),
    ]);
    table.push([
        "idempotency keys held".to_string(),
        "rate × 24 h × 16 B".to_string(),
        key_store.to_string(),
    ]);
    table.push([
        "delivery log".to_string(),
        "rate × 30 days × 200 B".to_string(),
        log.to_string(),
    ]);
    show::table(&table.caption("A notification system, estimated with units in the types"));
    show::value("sends_per_second", sends);
    show::value("peak_per_second", peak);
    show::value("key_store", key_store);
    show::value("delivery_log", log);
}
