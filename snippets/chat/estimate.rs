//! Estimates for a chat service. Our inputs, stated: 50 million daily users, each sending 40
//! messages a day of 200 bytes, each message delivered to 20 members on average, a fifth of
//! the daily users connected at the peak hour, which brings 3 times the average rate.

use sysdesign::delivery_framework::{Bytes, Count, Seconds, requests_per_second};
use sysdesign::show::{self, Table};

fn main() {
    // ANCHOR: estimate
    let users = Count::new(50e6);
    let sends = requests_per_second(users, Count::new(40.0));
    let deliveries = sends * 20.0; // one push down each recipient's connection
    let peak_deliveries = deliveries * 3.0;
    let storage_per_year = sends * Seconds::YEAR * Bytes::new(200.0);
    let connections = users * 0.2;
    // ANCHOR_END: estimate
    let mut table = Table::new(["quantity", "how", "value"]);
    table.push([
        "messages sent per second".to_string(),
        "50 M × 40 ÷ 86,400 s".to_string(),
        sends.to_string(),
    ]);
    table.push([
        "deliveries per second".to_string(),
        "sent × 20 recipients".to_string(),
        deliveries.to_string(),
    ]);
    table.push([
        "deliveries per second, peak".to_string(),
        "average × 3".to_string(),
        peak_deliveries.to_string(),
    ]);
    table.push([
        "open connections, peak".to_string(),
        "50 M × 20 %".to_string(),
        connections.to_string(),
    ]);
    table.push([
        "message storage a year".to_string(),
        "sent × 365 days × 200 B".to_string(),
        storage_per_year.to_string(),
    ]);
    show::table(&table.caption("A chat service, estimated with units in the types"));
    show::value("sends_per_second", sends);
    show::value("deliveries_per_second", deliveries);
    show::value("connections", connections);
    show::value("storage_per_year", storage_per_year);
    let notes = requests_per_second(Count::new(10e3), Count::new(1.0));
    show::value("notes_rate", notes);
}
