//! Sizing the monitoring system of a company with 2,000 services of 50 instances each, every
//! instance exposing 1,000 series scraped every 10 seconds (our assumptions, stated in the
//! inputs). Raw, a point is 16 bytes; compressed, it is what `Block` measured on a counter.

use sysdesign::delivery_framework::{Bytes, Count, Seconds, Workload};
use sysdesign::monitoring_system::{Block, SeriesKind, series};
use sysdesign::show::{self, Table};

fn row(table: &mut Table, quantity: &str, how: &str, value: String) {
    table.push([quantity.to_string(), how.to_string(), value]);
}

fn main() {
    // ANCHOR: inputs
    let series_count = Count::new(2_000.0 * 50.0 * 1_000.0);
    let fleet = Workload {
        daily_active_users: series_count,             // here: active series
        writes_per_user_per_day: Count::new(8_640.0), // a point every 10 s
        reads_per_user_per_day: Count::new(0.0),
        bytes_per_write: Bytes::new(16.0), // 8-byte timestamp + 8-byte float
        bytes_per_read: Bytes::new(0.0),
        peak_to_average: 1.0, // scrapes are steady
    };
    let counter = series(SeriesKind::Counter, 720, 1_700_000_000, 10, 0, 1);
    let compressed = Bytes::new(Block::encode(&counter).bytes_per_point());
    // ANCHOR_END: inputs

    let points_a_day = fleet.writes() * Seconds::DAY;
    let gorilla_a_day = points_a_day * compressed;
    let mut table = Table::new(["quantity", "how", "value"]);
    row(
        &mut table,
        "active series",
        "2,000 services × 50 instances × 1,000",
        series_count.to_string(),
    );
    row(
        &mut table,
        "points per second",
        "series ÷ 10 s",
        fleet.writes().to_string(),
    );
    row(
        &mut table,
        "ingest, raw",
        "points per second × 16 B",
        format!(
            "{} = {}",
            fleet.write_bandwidth(),
            fleet.write_bandwidth().in_bits()
        ),
    );
    row(
        &mut table,
        "raw points a day",
        "ingest × 86,400 s",
        fleet.storage_per_day().to_string(),
    );
    row(
        &mut table,
        "Gorilla bytes per point (a counter)",
        "measured on 720 points",
        format!("{:.2} B", compressed.get()),
    );
    row(
        &mut table,
        "Gorilla points a day",
        "points a day × measured size",
        gorilla_a_day.to_string(),
    );
    show::table(&table.caption("A company's monitoring, estimated with units in the types"));
    show::value("points_per_second", fleet.writes());
    show::value("raw_per_day", fleet.storage_per_day());
    show::value("gorilla_per_day", gorilla_a_day);
    show::value(
        "counter_bytes_per_point",
        format!("{:.2}", compressed.get()),
    );
}
