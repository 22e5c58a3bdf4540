//! Adaptive bitrate on a simulated link: 60 segments of 4 s, an HLS-style ladder of seven
//! bitrates, a link whose bandwidth drifts every 20 s (seeded), and the throughput rule: the
//! highest bitrate at most 80% of the harmonic mean of the last three downloads.

use sysdesign::chart::LineChart;
use sysdesign::polling_streaming::{ThroughputRule, bandwidth_trace, play};
use sysdesign::show::{self, Table};

fn main() {
    // ANCHOR: rule
    let rule = ThroughputRule {
        ladder: vec![145, 365, 730, 1_100, 2_000, 3_000, 4_500],
        window: 3,
        safety: 0.8,
    };
    let trace = bandwidth_trace(5, 300, 20);
    let segments = play(&rule, &trace, 60, 4.0, 24.0);
    // ANCHOR_END: rule

    let mut table = Table::new([
        "segment",
        "starts (s)",
        "link (kbit/s)",
        "estimate (kbit/s)",
        "bitrate (kbit/s)",
        "buffer (s)",
        "stall (s)",
    ]);
    for s in segments.iter().filter(|s| s.index % 5 == 0) {
        table.push([
            s.index.to_string(),
            format!("{:.1}", s.started),
            format!("{:.0}", s.bandwidth_kbps),
            s.estimate_kbps.map_or("-".into(), |e| format!("{e:.0}")),
            s.bitrate_kbps.to_string(),
            format!("{:.1}", s.buffer_s),
            format!("{:.2}", s.stall_s),
        ]);
    }
    show::table(&table.caption("every fifth segment"));

    let link: Vec<(f64, f64)> = segments
        .iter()
        .map(|s| (s.started, s.bandwidth_kbps))
        .collect();
    let chosen: Vec<(f64, f64)> = segments
        .iter()
        .map(|s| (s.started, f64::from(s.bitrate_kbps)))
        .collect();
    let chart = LineChart::new("bitrate chosen against the link's bandwidth")
        .x_label("seconds since play")
        .y_label("kbit/s")
        .series("link bandwidth", link)
        .series("bitrate chosen", chosen);
    show::svg(
        "abr",
        "The player steps down within a few segments of a drop and back up after a rise.",
        chart.to_svg().expect("chart renders"),
    );
    let stalls: f64 = segments.iter().skip(1).map(|s| s.stall_s).sum();
    let mean: f64 = segments
        .iter()
        .map(|s| f64::from(s.bitrate_kbps))
        .sum::<f64>()
        / segments.len() as f64;
    show::value("startup_s", format!("{:.2}", segments[0].stall_s));
    show::value("stall_s", format!("{stalls:.2}"));
    show::value("mean_bitrate", format!("{mean:.0}"));
    let switches = segments
        .windows(2)
        .filter(|w| w[0].bitrate_kbps != w[1].bitrate_kbps)
        .count();
    show::value("switches", switches);
}
