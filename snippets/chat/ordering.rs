//! One seeded conversation, ordered three ways: by the sender's wall clock, by Lamport clock,
//! and by the server's sequence number; then the clocks' skew swept.

use sysdesign::chart::LineChart;
use sysdesign::chat::{Conversation, Order, simulate};
use sysdesign::show::{self, Table};

const ORDERS: [(Order, &str); 3] = [
    (Order::SenderClock, "sender's wall clock"),
    (Order::Lamport, "Lamport clock"),
    (Order::ServerSequence, "server sequence number"),
];

fn main() {
    // ANCHOR: one
    let base = Conversation {
        members: 8,
        messages: 2_000,
        mean_gap_ms: 500,
        max_delay_ms: 50,
        max_skew_ms: 1_000,
        seed: 5,
    };
    let run = simulate(&base);
    // ANCHOR_END: one
    let mut table = Table::new(["order", "replies shown above what they answer"]);
    for (order, name) in ORDERS {
        table.push([name.to_string(), run.violations(order).to_string()]);
    }
    show::table(&table.caption(
        "2,000 messages among 8 members, one every 500 ms on average, clocks within ±1 s",
    ));
    show::value("clock_violations", run.violations(Order::SenderClock));
    show::value("lamport_violations", run.violations(Order::Lamport));
    show::value("sequence_violations", run.violations(Order::ServerSequence));

    // ANCHOR: sweep
    let mut sweep = Table::new(["clocks within", "sender's clock", "Lamport", "sequence"]);
    let mut points = Vec::new();
    for skew in [0, 10, 30, 100, 300, 1_000, 3_000, 10_000] {
        let run = simulate(&Conversation {
            max_skew_ms: skew,
            ..base
        });
        let bad = run.violations(Order::SenderClock);
        sweep.push([
            format!("±{skew} ms"),
            bad.to_string(),
            run.violations(Order::Lamport).to_string(),
            run.violations(Order::ServerSequence).to_string(),
        ]);
        points.push((
            (skew.max(1)) as f64,
            100.0 * bad as f64 / base.messages as f64,
        ));
    }
    // ANCHOR_END: sweep
    show::table(&sweep.caption("Replies shown above what they answer, as the clocks drift apart"));
    let chart = LineChart::new("Ordering by the sender's clock: misplaced replies against skew")
        .x_label("clock skew bound (ms, log scale; 0 drawn at 1)")
        .y_label("messages shown above their causes (%)")
        .log_x()
        .series("sender's wall clock", points);
    show::svg(
        "chat-ordering-skew",
        "Misplaced replies under the sender's clock; Lamport clocks and sequence numbers stay at zero",
        chart.to_svg().expect("finite points"),
    );
}
