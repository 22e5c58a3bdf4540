//! A node sends a heartbeat every 100 ms to a monitor. Each takes 1 ms plus an exponential extra
//! delay of mean 5 ms, 1% are lost, and the node pauses about once a minute for 200 ms on
//! average (exponential). The monitor suspects the node after `timeout` ms of silence. One
//! simulated day of a node that never crashes counts false suspicions; 2,000 crash times spread
//! over it give the detection time. Seeded.

use sysdesign::chart::LineChart;
use sysdesign::leader_election::{HeartbeatLink, detector_run, heartbeat_arrivals};
use sysdesign::show::{self, Table};

// ANCHOR: link
const LINK: HeartbeatLink = HeartbeatLink {
    interval: 100.0,
    delay_min: 1.0,
    delay_extra_mean: 5.0,
    loss: 0.01,
    pause_every: 60_000.0,
    pause_mean: 200.0,
};
const DAY: f64 = 24.0 * 3_600_000.0;
const TIMEOUTS: [f64; 9] = [
    110.0, 150.0, 200.0, 300.0, 500.0, 800.0, 1_200.0, 2_000.0, 3_000.0,
];
// ANCHOR_END: link

fn main() {
    let trace = heartbeat_arrivals(&LINK, DAY, 3);
    let mut table = Table::new([
        "timeout (ms)",
        "timeout / interval",
        "false suspicions per hour",
        "time wrongly suspected",
        "mean detection (ms)",
        "worst detection (ms)",
    ]);
    let (mut false_curve, mut detect_curve) = (Vec::new(), Vec::new());
    for timeout in TIMEOUTS {
        let run = detector_run(&trace, DAY, timeout, 2_000);
        table.push([
            format!("{timeout:.0}"),
            format!("{:.1}", timeout / LINK.interval),
            format!("{:.2}", run.false_suspicions_per_hour),
            format!("{:.4}%", 100.0 * run.suspected_share),
            format!("{:.0}", run.mean_detection),
            format!("{:.0}", run.max_detection),
        ]);
        false_curve.push((timeout, run.false_suspicions_per_hour));
        detect_curve.push((timeout, run.mean_detection / 1_000.0));
        if timeout == 200.0 {
            show::value(
                "false_per_hour_at_200",
                format!("{:.1}", run.false_suspicions_per_hour),
            );
        }
        if timeout == 1_200.0 {
            show::value(
                "false_per_hour_at_1200",
                format!("{:.2}", run.false_suspicions_per_hour),
            );
            show::value("detection_at_1200", format!("{:.0} ms", run.mean_detection));
        }
    }
    show::table(&table.caption("one simulated day of a live node, and 2,000 crashes"));
    let suspicions = LineChart::new("False suspicions of a live node")
        .x_label("timeout (ms)")
        .y_label("false suspicions per hour")
        .log_x()
        .series("false suspicions per hour", false_curve);
    show::svg(
        "heartbeat-false-suspicions",
        "A live node is suspected thousands of times an hour at a timeout near the interval, and almost never past the longest pauses",
        suspicions.to_svg().expect("every point is finite"),
    );
    let detection = LineChart::new("Time to detect a crash")
        .x_label("timeout (ms)")
        .y_label("mean detection time (s)")
        .log_x()
        .series("mean detection time (s)", detect_curve);
    show::svg(
        "heartbeat-detection",
        "Detection time grows with the timeout, about one for one",
        detection.to_svg().expect("every point is finite"),
    );
}
