//! Every crash point: 50 seeded random transactions committed to our log and half of one more
//! (a torn tail), then the log cut at every byte offset, and separately one byte flipped at every
//! offset; each copy is opened, and repaired when opening refuses.

use sysdesign::relational_acid::crash::{Fault, sweep, workload};
use sysdesign::show::{self, Table};

fn main() {
    let transactions = workload(2024, 50);
    let mut table = Table::new([
        "damage",
        "offsets",
        "opened, exact",
        "opened, wrong",
        "refused, repaired exactly",
        "refused, repair lost data",
        "where replay stopped",
    ]);
    for fault in [Fault::Truncate, Fault::FlipByte] {
        let report = sweep(&transactions, fault);
        let stops: Vec<String> = report
            .stops
            .iter()
            .map(|(kind, count)| format!("{kind}: {count}"))
            .collect();
        table.push([
            format!("{fault:?}"),
            report.points.to_string(),
            report.opened_exact.to_string(),
            report.opened_wrong.to_string(),
            report.refused_then_repaired.to_string(),
            report.refused_repair_lost.to_string(),
            stops.join(", "),
        ]);
        if fault == Fault::Truncate {
            println!(
                "log: {} bytes: an 8-byte header, {} committed transactions, a torn tail of {} bytes",
                report.log_len, report.transactions, report.tail_len
            );
        }
    }
    show::table(&table.caption("Recovery after damage at every byte offset of the log"));
}
