//! timing: measured on the machine that builds the book
//!
//! What fsync costs: 4 KiB records appended to a file in the temporary directory, kept in a Vec,
//! written with no fsync, or with an fsync (File::sync_data) after every k records.
//! Grouping k records per fsync is how databases amortise it ("group commit").

use std::time::Instant;
use sysdesign::chart::LineChart;
use sysdesign::show::{self, Table};
use sysdesign::storage_basics::write_records;

const RECORD: usize = 4096;
const SYNCS_PER_RUN: usize = 32;
const GROUPS: [usize; 9] = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/// A table row: how, records, fsyncs, records per second, µs per record.
fn row(how: &str, records: usize, syncs: usize, seconds: f64) -> [String; 5] {
    [
        how.to_string(),
        records.to_string(),
        syncs.to_string(),
        format!("{:.0}", records as f64 / seconds),
        format!("{:.1}", seconds * 1e6 / records as f64),
    ]
}

fn main() {
    let dir = std::env::temp_dir().join(format!("sysdesign-fsync-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the temporary directory is writable");
    let path = dir.join("log");
    let mut table = Table::new([
        "how",
        "records",
        "fsyncs",
        "records per second",
        "µs per record",
    ]);

    let records = 16_384;
    let start = Instant::now();
    let mut memory: Vec<u8> = Vec::new();
    for _ in 0..records {
        memory.extend_from_slice(&[b'.'; RECORD]);
    }
    std::hint::black_box(&memory);
    table.push(row(
        "Vec<u8> in memory",
        records,
        0,
        start.elapsed().as_secs_f64(),
    ));
    drop(memory);

    let start = Instant::now();
    let stats = write_records(&path, records, RECORD, None).expect("the file is writable");
    table.push(row(
        "file, no fsync",
        records,
        stats.syncs,
        start.elapsed().as_secs_f64(),
    ));

    let mut curve = Vec::new();
    for k in GROUPS {
        let records = SYNCS_PER_RUN * k;
        // A fresh file each time, so that no run pays for truncating the one before.
        std::fs::remove_file(&path).expect("the previous run wrote this file");
        let start = Instant::now();
        let stats = write_records(&path, records, RECORD, Some(k)).expect("the file is writable");
        let seconds = start.elapsed().as_secs_f64();
        curve.push((k as f64, records as f64 / seconds));
        table.push(row(
            &format!("file, fsync every {k}"),
            records,
            stats.syncs,
            seconds,
        ));
    }
    std::fs::remove_dir_all(&dir).expect("the temporary directory can be removed");
    show::table(&table.caption("4 KiB records, measured on the machine that built this page"));

    let svg = LineChart::new("Records written per second against records per fsync")
        .x_label("records per fsync (log scale)")
        .y_label("records per second")
        .series("fsync every k records", curve)
        .log_x()
        .to_svg()
        .expect("every point is finite and positive");
    show::svg(
        "fsync-group-commit",
        "Throughput rises with the records shared by one fsync (measured on the build machine)",
        svg,
    );
}
