//! Every crash point: 50 seeded random transactions committed to our log, then the log cut at
//! every byte offset, and separately one byte flipped at every offset, each copy recovered.

use sysdesign::relational_acid::crash::{Fault, sweep, workload};
use sysdesign::show::{self, Table};

fn main() {
    let transactions = workload(2024, 50);
    let mut table = Table::new([
        "damage",
        "crash points",
        "exact prefix recovered",
        "committed lost",
        "partial or phantom",
        "where recovery stopped",
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
            report.exact.to_string(),
            report.lost_committed.to_string(),
            report.partial_or_phantom.to_string(),
            stops.join(", "),
        ]);
        if fault == Fault::Truncate {
            println!(
                "log: {} bytes, {} transactions",
                report.log_len, report.transactions
            );
        }
    }
    show::table(&table.caption("Recovery after damage at every byte offset of the log"));
}
