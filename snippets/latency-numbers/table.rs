//! Every published latency figure the library holds, fastest first, with its source and year,
//! in nanoseconds and as a multiple of a main memory reference.

use sysdesign::delivery_framework::three_figures;
use sysdesign::latency_throughput::all_published;
use sysdesign::show::{self, Table};

fn main() {
    // ANCHOR: table
    let all = all_published();
    let memory = all
        .iter()
        .find(|p| p.operation == "Main memory reference")
        .expect("Dean's table has a main memory reference")
        .latency;
    let mut table = Table::new([
        "operation",
        "latency",
        "nanoseconds",
        "× main memory reference",
        "source",
    ]);
    for p in &all {
        table.push([
            p.operation.to_string(),
            p.latency.to_string(),
            three_figures(p.latency.as_nanos()),
            three_figures(p.latency / memory),
            p.source.cite().to_string(),
        ]);
    }
    // ANCHOR_END: table
    show::table(&table.caption("Published latency figures, fastest first"));
    show::value("rows", all.len());
}
