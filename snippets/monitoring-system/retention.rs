//! What a year of one series costs, kept four ways: raw points (16 bytes each), Gorilla
//! blocks (the counter's measured size), and tiered, Gorilla points for 2 days then per-minute
//! aggregates for 30 days and per-hour aggregates for a year (count, min, max, sum and a
//! start time: 40 bytes each), counted by running a year through the specialized-storage
//! chapter's `TimeSeries`. Then the same for the 100 million series of the estimate.

use sysdesign::delivery_framework::Bytes;
use sysdesign::monitoring_system::{Block, SeriesKind, entries_after_a_year, series};
use sysdesign::show::{self, Table};
use sysdesign::specialized_storage::{HOUR_MS, Retention};

fn main() {
    let day = 24 * HOUR_MS;
    let counter = series(SeriesKind::Counter, 720, 1_700_000_000, 10, 0, 1);
    let gorilla = Block::encode(&counter).bytes_per_point();
    // ANCHOR: tiers
    let tiered = Retention {
        raw_ms: 2 * day,
        minute_ms: 30 * day,
        hour_ms: 365 * day,
    };
    let (raw, minutes, hours) = entries_after_a_year(10, tiered);
    let aggregate = 40.0; // start, count, min, max, sum: 8 bytes each
    // ANCHOR_END: tiers
    let points_a_year = 365.0 * 8_640.0;
    let ways = [
        ("raw points, 1 year", points_a_year * 16.0),
        ("Gorilla points, 1 year", points_a_year * gorilla),
        (
            "tiered: Gorilla 2 days, minutes 30 days, hours 1 year",
            raw as f64 * gorilla + (minutes + hours) as f64 * aggregate,
        ),
    ];
    let mut table = Table::new(["kept as", "per series", "100 M series", "vs raw"]);
    for (name, bytes) in ways {
        table.push([
            name.to_string(),
            Bytes::new(bytes).to_string(),
            Bytes::new(bytes * 100e6).to_string(),
            format!("{:.1}%", 100.0 * bytes / ways[0].1),
        ]);
    }
    show::table(&table.caption("A year of one series scraped every 10 s"));
    println!("tiered entries held after a year: {raw} points, {minutes} minutes, {hours} hours");
    show::value("raw_year", Bytes::new(ways[0].1));
    show::value("gorilla_year", Bytes::new(ways[1].1));
    show::value("tiered_year", Bytes::new(ways[2].1));
    show::value("tiered_fleet", Bytes::new(ways[2].1 * 100e6));
    show::value(
        "tiered_percent",
        format!("{:.1}", 100.0 * ways[2].1 / ways[0].1),
    );
}
