//! The published latency figures with their source and year, beside what Colin Scott's trend
//! model gives for 2020, and how many times faster that is.

use sysdesign::delivery_framework::three_figures;
use sysdesign::latency_throughput::{PUBLISHED, scott};
use sysdesign::show::{self, Table};

const YEAR: i32 = 2020;

fn main() {
    let model = scott::for_published(YEAR);
    let mut table = Table::new([
        "operation",
        "published",
        "source",
        "Scott's model, 2020",
        "published ÷ model",
    ]);
    for (figure, modelled) in PUBLISHED.iter().zip(&model) {
        table.push([
            figure.operation.to_string(),
            figure.latency.to_string(),
            figure.source.cite().to_string(),
            modelled.to_string(),
            format!("{}×", three_figures(figure.latency / *modelled)),
        ]);
    }
    show::table(&table.caption(
        "Latency figures: as published, and as Colin Scott's trend model puts them in 2020",
    ));
    let names = [
        "memory_reference",
        "memory_1mb",
        "ssd_random",
        "ssd_1mb",
        "datacenter_round_trip",
        "disk_seek",
        "disk_1mb",
        "send_2kb",
        "wan_round_trip",
    ];
    for (name, modelled) in names.iter().zip(&model) {
        show::value(&format!("scott_{name}"), modelled);
    }
    // A 1 MB read in 825 µs is a disk streaming 1.2 GB/s: the extrapolation, not a disk.
    let disk_rate = sysdesign::delivery_framework::Bytes::mega(1.0) / model[6];
    show::value("scott_disk_rate", disk_rate);
    show::value(
        "memory_1mb_ratio",
        three_figures(PUBLISHED[1].latency / model[1]),
    );
}
