//! Sizing a distributed queue: 100 million daily users whose actions send 20 messages each a
//! day, every message read by 3 consumer groups, 1 KB per message, a peak of 3 times the
//! average (all our assumptions, stated in the inputs), kept 7 days on 3 replicas. Every
//! figure is computed with its unit in its type.

use sysdesign::delivery_framework::{Bytes, Count, Seconds, Workload, three_figures};
use sysdesign::show::{self, Table};

fn row(table: &mut Table, quantity: &str, how: &str, value: String) {
    table.push([quantity.to_string(), how.to_string(), value]);
}

fn main() {
    // ANCHOR: inputs
    let queue = Workload {
        daily_active_users: Count::new(100e6),
        writes_per_user_per_day: Count::new(20.0), // messages sent
        reads_per_user_per_day: Count::new(60.0),  // each read by 3 consumer groups
        bytes_per_write: Bytes::kilo(1.0),
        bytes_per_read: Bytes::kilo(1.0),
        peak_to_average: 3.0,
    };
    let retention = Seconds::days(7.0);
    let replicas = 3.0;
    let work_per_message = Seconds::millis(10.0); // one consumer's time per message
    // ANCHOR_END: inputs

    // ANCHOR: derived
    let peak_sends = queue.writes() * queue.peak_to_average;
    let peak_in = peak_sends * queue.bytes_per_write;
    let peak_out = queue.peak_reads() * queue.bytes_per_read;
    let stored = queue.write_bandwidth() * retention * replicas;
    // Little's law: messages being worked on = arrival rate × time each takes.
    let in_flight = peak_sends * work_per_message;
    // ANCHOR_END: derived

    let mut table = Table::new(["quantity", "how", "value"]);
    row(
        &mut table,
        "messages sent per second, average",
        "100 M users × 20 ÷ 86,400 s",
        queue.writes().to_string(),
    );
    row(
        &mut table,
        "messages sent per second, peak",
        "average × 3",
        peak_sends.to_string(),
    );
    row(
        &mut table,
        "ingress at peak",
        "peak sends × 1 KB",
        format!("{} = {}", peak_in, peak_in.in_bits()),
    );
    row(
        &mut table,
        "egress at peak",
        "peak sends × 3 groups × 1 KB",
        format!("{} = {}", peak_out, peak_out.in_bits()),
    );
    row(
        &mut table,
        "new data a day",
        "sends a day × 1 KB",
        queue.storage_per_day().to_string(),
    );
    row(
        &mut table,
        "stored, 7 days on 3 replicas",
        "average ingress × 7 days × 3",
        stored.to_string(),
    );
    row(
        &mut table,
        "messages in flight per group, peak",
        "peak sends × 10 ms (Little's law)",
        in_flight.to_string(),
    );
    show::table(&table.caption("A distributed queue, estimated with units in the types"));

    show::value("sends_per_second", queue.writes());
    show::value("peak_sends_per_second", peak_sends);
    show::value("peak_ingress", peak_in);
    show::value("peak_egress", peak_out);
    show::value("stored_bytes", stored);
    show::value("in_flight_per_group", three_figures(in_flight.get()));
}
