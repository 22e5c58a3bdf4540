//! The estimate for the notes' Google Drive: 50 million active users with 15 GB each and a
//! read-to-write ratio of 2:1 (the notes' figures); two saved files per user a day, a mean file
//! of 500 KB, three copies of every byte and a peak of twice the average (our assumptions).

use sysdesign::delivery_framework::{Bytes, Count, Workload};
use sysdesign::show::{self, Table};

fn main() {
    // ANCHOR: inputs
    let drive = Workload {
        daily_active_users: Count::new(50e6),
        reads_per_user_per_day: Count::new(4.0),
        writes_per_user_per_day: Count::new(2.0),
        bytes_per_read: Bytes::kilo(500.0),
        bytes_per_write: Bytes::kilo(500.0),
        peak_to_average: 2.0,
    };
    let quota_per_user = Bytes::giga(15.0);
    let copies = 3.0;
    // ANCHOR_END: inputs

    let quota = drive.daily_active_users * quota_per_user;
    let stored_per_year = drive.storage_per_year() * copies;
    let mut table = Table::new(["quantity", "how", "value"]);
    let rows = [
        ("quota promised", "50 M users × 15 GB", quota.to_string()),
        (
            "saves per second, average",
            "50 M × 2 ÷ 86,400 s",
            drive.writes().to_string(),
        ),
        (
            "saves per second, peak",
            "average × 2",
            (drive.writes() * drive.peak_to_average).to_string(),
        ),
        (
            "downloads per second, average",
            "50 M × 4 ÷ 86,400 s",
            drive.reads().to_string(),
        ),
        (
            "upload bandwidth, average",
            "saves per second × 500 KB",
            format!(
                "{} = {}",
                drive.write_bandwidth(),
                drive.write_bandwidth().in_bits()
            ),
        ),
        (
            "download bandwidth, average",
            "downloads per second × 500 KB",
            format!(
                "{} = {}",
                drive.read_bandwidth(),
                drive.read_bandwidth().in_bits()
            ),
        ),
        (
            "new data a day",
            "saves a day × 500 KB",
            drive.storage_per_day().to_string(),
        ),
        (
            "new data a year, 3 copies",
            "new data a day × 365 × 3",
            stored_per_year.to_string(),
        ),
        (
            "years to fill the quota",
            "quota ÷ new data a year (1 copy)",
            format!("{:.0}", quota / drive.storage_per_year()),
        ),
    ];
    for (quantity, how, value) in rows {
        table.push([quantity.to_string(), how.to_string(), value]);
    }
    show::table(&table.caption("Google Drive, estimated with units in the types"));

    show::value("quota", quota);
    show::value("saves_per_second", drive.writes());
    show::value(
        "peak_saves_per_second",
        drive.writes() * drive.peak_to_average,
    );
    show::value("upload_bandwidth", drive.write_bandwidth());
    show::value("upload_bits", drive.write_bandwidth().in_bits());
    show::value("new_per_day", drive.storage_per_day());
    show::value("stored_per_year", stored_per_year);
    show::value(
        "years_to_quota",
        format!("{:.0}", quota / drive.storage_per_year()),
    );
}
