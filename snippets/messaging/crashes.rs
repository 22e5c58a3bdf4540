//! A consumer crashed at each point of handling message 2 of 5, under each delivery
//! guarantee; then 10,000 messages with a crash chance at every point, for three batch sizes.
//! Seeded, so the same on every run.

use sysdesign::messaging::{CrashPoint, Delivery, crash_once, random_crashes};
use sysdesign::show::{self, Table};

fn point_name(delivery: Delivery, point: CrashPoint) -> &'static str {
    match (delivery, point) {
        (_, CrashPoint::Received) => "received",
        (Delivery::AtMostOnce, CrashPoint::AfterFirstStep) => "committed",
        (Delivery::AtMostOnce, CrashPoint::AfterSecondStep) => "committed, applied",
        (Delivery::AtLeastOnce, CrashPoint::AfterFirstStep) => "applied",
        (Delivery::AtLeastOnce, CrashPoint::AfterSecondStep) => "applied, committed",
        (Delivery::EffectivelyOnce, CrashPoint::AfterFirstStep) => "mid-transaction",
        (Delivery::EffectivelyOnce, CrashPoint::AfterSecondStep) => "transaction committed",
    }
}

fn each_point() -> Table {
    let mut table = Table::new(["guarantee", "crash after", "times each message took effect"]);
    for delivery in Delivery::ALL {
        for point in CrashPoint::ALL {
            // ANCHOR: each_point
            let run = crash_once(delivery, 5, 1, 2, point);
            // ANCHOR_END: each_point
            let effects: Vec<String> = run.effects.iter().map(u32::to_string).collect();
            table.push([
                delivery.to_string(),
                point_name(delivery, point).to_string(),
                effects.join(" "),
            ]);
        }
    }
    table.caption("messages 0 to 4, batch 1, one crash while handling message 2")
}

fn random() -> Table {
    let mut table = Table::new([
        "guarantee",
        "batch",
        "crashes",
        "lost",
        "duplicated",
        "extra effects",
    ]);
    for delivery in Delivery::ALL {
        for batch in [1, 10, 100] {
            let run = random_crashes(delivery, 10_000, batch, 0.001, 42);
            if delivery == Delivery::AtLeastOnce && batch == 100 {
                show::value("alo_extra_batch_100", run.extra_effects());
            }
            if delivery == Delivery::AtMostOnce && batch == 100 {
                show::value("amo_lost_batch_100", run.lost());
            }
            table.push([
                delivery.to_string(),
                batch.to_string(),
                run.crashes.to_string(),
                run.lost().to_string(),
                run.duplicated().to_string(),
                run.extra_effects().to_string(),
            ]);
        }
    }
    table.caption("10,000 messages, a 0.1% chance of a crash at each crash point")
}

fn main() {
    show::table(&each_point());
    show::table(&random());
}
