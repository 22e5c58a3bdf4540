//! Sizing the notes' YouTube: 1 billion daily users watching 5 videos each, a read-to-write
//! ratio of 100:1 (so 50 million uploads a day), as the notes give them; an average upload of
//! 50 MB, a peak twice the average, and a view event of 200 bytes are our assumptions.

use sysdesign::delivery_framework::{Bytes, Count, Seconds, Workload};
use sysdesign::show::{self, Table};

fn row(table: &mut Table, quantity: &str, how: &str, value: String) {
    table.push([quantity.to_string(), how.to_string(), value]);
}

fn main() {
    // ANCHOR: inputs
    let video = Workload {
        daily_active_users: Count::new(1e9),
        reads_per_user_per_day: Count::new(5.0),   // views
        writes_per_user_per_day: Count::new(0.05), // uploads: 100 views per upload
        bytes_per_read: Bytes::new(200.0),         // one view event to the analytics pipeline
        bytes_per_write: Bytes::mega(50.0),        // one upload, before transcoding
        peak_to_average: 2.0,
    };
    // ANCHOR_END: inputs
    let mut table = Table::new(["quantity", "how", "value"]);
    row(
        &mut table,
        "views per second, average",
        "1 B users × 5 ÷ 86,400 s",
        video.reads().to_string(),
    );
    row(
        &mut table,
        "views per second, peak",
        "average × 2",
        video.peak_reads().to_string(),
    );
    row(
        &mut table,
        "view events in, peak",
        "peak views × 200 B",
        (video.peak_reads() * video.bytes_per_read).to_string(),
    );
    row(
        &mut table,
        "uploads a day",
        "views a day ÷ 100",
        (video.writes() * Seconds::DAY).to_string(),
    );
    row(
        &mut table,
        "uploads per second",
        "uploads a day ÷ 86,400 s",
        video.writes().to_string(),
    );
    row(
        &mut table,
        "upload bandwidth, average",
        "uploads per second × 50 MB",
        format!(
            "{} = {}",
            video.write_bandwidth(),
            video.write_bandwidth().in_bits()
        ),
    );
    row(
        &mut table,
        "new originals a day",
        "uploads a day × 50 MB",
        video.storage_per_day().to_string(),
    );
    show::table(&table.caption("The notes' YouTube, estimated with units in the types"));
    show::value("views_per_second", video.reads());
    show::value("peak_views_per_second", video.peak_reads());
    show::value("uploads_per_second", video.writes());
    show::value("originals_per_day", video.storage_per_day());
    show::value("upload_bandwidth", video.write_bandwidth().in_bits());
}
