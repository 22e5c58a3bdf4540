//! Active-passive against active-active: two nodes, each failing every 30 days on average and
//! repaired in 4 hours, a heartbeat every second, declared dead after 3 missed; a standby takes
//! 30 s to promote. 1,000 simulated years per row, seeded.

use sysdesign::availability::{Failover, Mode, human};
use sysdesign::delivery_framework::Seconds;
use sysdesign::show::{self, Table};

fn main() {
    let mut table = Table::new([
        "mode",
        "demand (nodes' worth)",
        "serving-node failures per year",
        "mean detection",
        "demand served",
        "lost per year",
        "undetected",
        "switching",
        "no node up",
        "overloaded",
    ]);
    // ANCHOR: rows
    let rows = [
        (Mode::ActivePassive, 0.8),
        (Mode::ActiveActive, 0.8),
        (Mode::ActiveActive, 1.5),
    ];
    for (mode, demand) in rows {
        let run = Failover::two_nodes(mode, demand).run();
        // ANCHOR_END: rows
        let name = match mode {
            Mode::ActivePassive => "active-passive",
            Mode::ActiveActive => "active-active",
        };
        table.push([
            name.to_string(),
            format!("{demand}"),
            format!("{:.1}", run.failures as f64 / 1_000.0),
            human(run.mean_detection),
            format!("{:.5} %", run.availability.get() * 100.0),
            human(run.lost_per_year),
            human(run.lost.undetected),
            human(run.lost.switching),
            human(run.lost.no_node),
            human(run.lost.overload),
        ]);
        let key = format!(
            "{}_{}",
            if mode == Mode::ActivePassive {
                "ap"
            } else {
                "aa"
            },
            (demand * 10.0) as u32
        );
        show::value(&format!("{key}_lost"), human(run.lost_per_year));
        show::value(&format!("{key}_detection"), human(run.mean_detection));
        show::value(&format!("{key}_undetected"), human(run.lost.undetected));
        show::value(&format!("{key}_switching"), human(run.lost.switching));
        show::value(&format!("{key}_no_node"), human(run.lost.no_node));
        show::value(&format!("{key}_overload"), human(run.lost.overload));
    }
    show::table(&table.caption("1,000 simulated years per row, seed 5; demand in units of one node's capacity; losses as the time of total outage that would lose as much"));

    // How the detector's settings move the active-passive loss.
    let mut sweep = Table::new([
        "heartbeat",
        "missed before dead",
        "mean detection",
        "lost per year",
    ]);
    for (hb, missed) in [(0.1, 3), (1.0, 3), (5.0, 3), (10.0, 5)] {
        let mut c = Failover::two_nodes(Mode::ActivePassive, 0.8);
        c.heartbeat = Seconds::new(hb);
        c.missed = missed;
        let run = c.run();
        sweep.push([
            human(Seconds::new(hb)),
            missed.to_string(),
            human(run.mean_detection),
            human(run.lost_per_year),
        ]);
    }
    show::table(
        &sweep.caption("Active-passive, demand 0.8, 30 s switch: the detector's share of the loss"),
    );
}
