//! A worked estimate for the notes' Twitter feed: 200 million daily active users, each reading
//! 100 tweets a day of 1 MB on average (the notes' figures), one write per user a day (our
//! assumption: the notes' 100:1 read-to-write ratio), and a peak of twice the average (our
//! assumption). Every figure is computed with its unit in its type.

use sysdesign::delivery_framework::{
    Bytes, Count, Seconds, Workload, rule_of_thumb_per_second, three_figures,
};
use sysdesign::show::{self, Table};

fn main() {
    // ANCHOR: inputs
    let feed = Workload {
        daily_active_users: Count::new(200e6),
        reads_per_user_per_day: Count::new(100.0),
        writes_per_user_per_day: Count::new(1.0),
        bytes_per_read: Bytes::mega(1.0),
        bytes_per_write: Bytes::mega(1.0),
        peak_to_average: 2.0,
    };
    // ANCHOR_END: inputs

    let reads_per_day = feed.reads() * Seconds::DAY;
    let rough = rule_of_thumb_per_second(reads_per_day);
    let mut table = Table::new(["quantity", "how", "value"]);
    table.push([
        "seconds in a day".to_string(),
        "24 × 60 × 60".to_string(),
        format!("{}", Seconds::DAY.get()),
    ]);
    table.push([
        "reads a day".to_string(),
        "users × reads per user".to_string(),
        reads_per_day.to_string(),
    ]);
    table.push([
        "reads per second, average".to_string(),
        "reads a day ÷ 86,400 s".to_string(),
        feed.reads().to_string(),
    ]);
    table.push([
        "reads per second, 10⁵ shortcut".to_string(),
        "reads a day ÷ 10⁵".to_string(),
        rough.to_string(),
    ]);
    table.push([
        "reads per second, peak".to_string(),
        "average × 2".to_string(),
        feed.peak_reads().to_string(),
    ]);
    table.push([
        "writes per second".to_string(),
        "users × 1 ÷ 86,400 s".to_string(),
        feed.writes().to_string(),
    ]);
    table.push([
        "data read a day".to_string(),
        "reads a day × 1 MB".to_string(),
        feed.reads_per_day_bytes().to_string(),
    ]);
    table.push([
        "read bandwidth, average".to_string(),
        "reads per second × 1 MB".to_string(),
        format!(
            "{} = {}",
            feed.read_bandwidth(),
            feed.read_bandwidth().in_bits()
        ),
    ]);
    table.push([
        "new storage a day".to_string(),
        "writes per second × 86,400 s × 1 MB".to_string(),
        feed.storage_per_day().to_string(),
    ]);
    table.push([
        "new storage a year".to_string(),
        "writes per second × 365 days × 1 MB".to_string(),
        feed.storage_per_year().to_string(),
    ]);
    show::table(&table.caption("The notes' Twitter feed, estimated with units in the types"));

    let shortfall = 1.0 - rough / feed.reads();
    println!(
        "The 10⁵ shortcut is {}% low: a day has 86,400 seconds, not 100,000.",
        three_figures(shortfall * 100.0)
    );
    show::value("reads_per_day", reads_per_day);
    show::value("reads_per_second", feed.reads());
    show::value("reads_per_second_rough", rough);
    show::value("shortcut_low_percent", three_figures(shortfall * 100.0));
    show::value("peak_reads_per_second", feed.peak_reads());
    show::value("read_bytes_per_day", feed.reads_per_day_bytes());
    show::value("read_bandwidth", feed.read_bandwidth());
    show::value("read_bandwidth_bits", feed.read_bandwidth().in_bits());
    show::value("storage_per_day", feed.storage_per_day());
    show::value("storage_per_year", feed.storage_per_year());
}
