//! Two hours of a seeded error ratio, evaluated every 15 s: 300 requests per evaluation, 1% of
//! them failing, except during an incident from minute 40 to 70, when 4% fail. Two rules watch
//! it: one threshold with no `for`, and hysteresis (fire above 2.5% held for 1 minute, resolve
//! below 1.5% held for 1 minute).

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::time::Duration;
use sysdesign::chart::LineChart;
use sysdesign::monitoring::{Alert, AlertRule, Transition};
use sysdesign::show::{self, Table};

/// The error ratio at each evaluation, seeded.
fn signal(seed: u64) -> Vec<(Duration, f64)> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..480u32)
        .map(|i| {
            let at = Duration::from_secs(15) * i;
            let incident = (40 * 60..70 * 60).contains(&at.as_secs());
            let p = if incident { 0.04 } else { 0.01 };
            let failed = (0..300).filter(|_| rng.random_bool(p)).count();
            (at, failed as f64 / 300.0)
        })
        .collect()
}

/// A horizontal line across the two hours.
fn line(y: f64) -> Vec<(f64, f64)> {
    vec![(0.0, y), (120.0, y)]
}

fn main() {
    let signal = signal(3);
    // ANCHOR: rules
    let rules = [
        (
            "one threshold, 2.5%, no hold",
            AlertRule::single_threshold(0.025),
        ),
        (
            "fire > 2.5%, resolve < 1.5%, hold 1 min",
            AlertRule::new(0.025, 0.015, Duration::from_secs(60)),
        ),
    ];
    // ANCHOR_END: rules
    let mut table = Table::new([
        "rule",
        "fired",
        "resolved",
        "first fired at",
        "last resolved at",
    ]);
    for (name, rule) in rules {
        let mut alert = Alert::new(rule.expect("resolve is below fire"));
        let mut events = vec![];
        for &(at, ratio) in &signal {
            if let Some(t) = alert.evaluate(at, ratio) {
                events.push((t, at));
            }
        }
        let count = |kind| events.iter().filter(|(t, _)| *t == kind).count();
        let when = |kind: Transition, first: bool| {
            let mut it = events.iter().filter(|(t, _)| *t == kind).map(|(_, at)| *at);
            let at = if first { it.next() } else { it.next_back() };
            at.map_or("-".to_string(), |at| {
                format!("{:.2} min", at.as_secs_f64() / 60.0)
            })
        };
        let (fired, resolved) = (count(Transition::Fired), count(Transition::Resolved));
        table.push([
            name.to_string(),
            fired.to_string(),
            resolved.to_string(),
            when(Transition::Fired, true),
            when(Transition::Resolved, false),
        ]);
        let key = if name.starts_with("one") {
            "naive"
        } else {
            "hysteresis"
        };
        show::value(&format!("{key}_notifications"), fired + resolved);
    }
    show::table(&table.caption("notifications sent over the two hours"));

    let points: Vec<(f64, f64)> = signal
        .iter()
        .map(|(at, r)| (at.as_secs_f64() / 60.0, 100.0 * r))
        .collect();
    let chart = LineChart::new("error ratio per 15 s evaluation")
        .x_label("minute")
        .y_label("errors (%)")
        .series("error ratio", points)
        .series("fire above 2.5%", line(2.5))
        .series("resolve below 1.5%", line(1.5));
    show::svg(
        "error-ratio",
        "The seeded error ratio and the two thresholds; the incident runs from minute 40 to 70.",
        chart.to_svg().expect("chart renders"),
    );
}
