//! 3,000 users on 4 servers, one request each per tick; 1 % of users leave each tick and new
//! ones arrive. At tick 50 two servers are added; at tick 250 server 0 is stopped. Sessions in
//! the servers (sticky) against sessions in a shared store (stateless servers).

use sysdesign::chart::LineChart;
use sysdesign::scaling::{FleetChange, SessionReport, SessionStore, simulate_sessions};
use sysdesign::show::{self, Table};

// ANCHOR: run
const CHANGES: [(u64, FleetChange); 2] = [(50, FleetChange::Add(2)), (250, FleetChange::Remove(0))];

fn run(store: SessionStore) -> SessionReport {
    simulate_sessions(store, 3_000, 4, &CHANGES, 400, 0.01, 17)
}
// ANCHOR_END: run

fn series(report: &SessionReport) -> Vec<(f64, f64)> {
    report
        .imbalance
        .iter()
        .enumerate()
        .map(|(t, &x)| (t as f64, x))
        .collect()
}

fn main() {
    let sticky = run(SessionStore::InServer);
    let shared = run(SessionStore::Shared);
    let mut table = Table::new([
        "sessions",
        "imbalance, ticks 51-70",
        "imbalance, ticks 231-250",
        "sessions lost at tick 250",
        "session store reads",
    ]);
    for (name, report) in [
        ("in the server (sticky)", &sticky),
        ("shared store", &shared),
    ] {
        table.push([
            name.to_string(),
            format!("{:.2}", report.mean_imbalance(51, 71)),
            format!("{:.2}", report.mean_imbalance(231, 251)),
            report.sessions_lost.to_string(),
            report.store_reads.to_string(),
        ]);
    }
    show::table(
        &table.caption("imbalance: the busiest server's requests over the mean per server"),
    );
    show::value(
        "sticky_imbalance_after_add",
        format!("{:.2}", sticky.mean_imbalance(51, 71)),
    );
    show::value(
        "sticky_imbalance_late",
        format!("{:.2}", sticky.mean_imbalance(231, 251)),
    );
    show::value("sticky_lost", sticky.sessions_lost);

    let chart = LineChart::new("Busiest server over the mean")
        .x_label("tick")
        .y_label("imbalance")
        .series("sessions in the server (sticky)", series(&sticky))
        .series("sessions in a shared store", series(&shared));
    show::svg(
        "scaling-sessions",
        "After the scale-out at tick 50, pinned users keep the old servers busy; churn spreads them slowly",
        chart.to_svg().expect("every point is finite"),
    );
}
