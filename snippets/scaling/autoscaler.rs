//! The target-tracking autoscaler on 90 minutes of simulated traffic: 200 req/s, a ramp to
//! 1,000 req/s, a five-minute spike to 2,000 req/s at minute 50, and a fall to 300 req/s.
//! Instances serve 100 req/s each; the target is 60 % utilisation; a decision every minute;
//! two minutes to provision. Three scale-in cooldowns compared.

use sysdesign::chart::LineChart;
use sysdesign::scaling::{AutoscalerConfig, Run, needed, simulate, traffic};
use sysdesign::show::{self, Table};

// ANCHOR: config
const SECONDS: usize = 5_400;
const SPIKE: (usize, usize) = (50 * 60, 55 * 60);

/// The library's defaults (shown above), with the scale-in cooldown under test.
fn config(scale_in_cooldown: u64) -> AutoscalerConfig {
    AutoscalerConfig {
        scale_in_cooldown,
        ..AutoscalerConfig::default()
    }
}
// ANCHOR_END: config

/// Instances in service above what the load needs, at most, after the spike ends.
fn overshoot(config: &AutoscalerConfig, run: &Run) -> u32 {
    run.timeline[SPIKE.1..]
        .iter()
        .map(|s| s.in_service.saturating_sub(needed(config, s.load)))
        .max()
        .unwrap_or(0)
}

/// Seconds from the spike's start until the fleet in service first reaches what it needs.
fn lag(config: &AutoscalerConfig, run: &Run) -> String {
    run.timeline[SPIKE.0..SPIKE.1]
        .iter()
        .position(|s| s.in_service >= needed(config, s.load))
        .map_or("never, within the spike".to_string(), |s| format!("{s} s"))
}

/// The most instances in service while the spike lasts.
fn peak_in_spike(run: &Run) -> u32 {
    run.timeline[SPIKE.0..SPIKE.1]
        .iter()
        .map(|s| s.in_service)
        .max()
        .unwrap_or(0)
}

fn minutes(points: impl Iterator<Item = (usize, f64)>) -> Vec<(f64, f64)> {
    points
        .step_by(10)
        .map(|(t, y)| (t as f64 / 60.0, y))
        .collect()
}

fn main() {
    let load = traffic(SECONDS, 7);
    let mut table = Table::new([
        "scale-in cooldown",
        "dropped",
        "seconds overloaded",
        "spike caught up after",
        "most in service in the spike",
        "overshoot after spike",
        "instance-hours",
        "scaling actions",
    ]);
    let offered: f64 = load.iter().sum();
    let mut chart = LineChart::new("Instances against time")
        .x_label("minute")
        .y_label("instances");
    let base = config(300);
    chart = chart.series(
        "needed at 60 % (load / 60 req/s)",
        minutes(
            load.iter()
                .map(|&l| f64::from(needed(&base, l)))
                .enumerate(),
        ),
    );
    for cooldown in [0, 300, 900] {
        let config = config(cooldown);
        let run = simulate(&config, &load).expect("the configuration is valid");
        let dropped = 100.0 * run.dropped / offered;
        table.push([
            format!("{cooldown} s"),
            format!("{dropped:.2}%"),
            run.overloaded_seconds.to_string(),
            lag(&config, &run),
            peak_in_spike(&run).to_string(),
            overshoot(&config, &run).to_string(),
            format!("{:.1}", run.instance_seconds as f64 / 3_600.0),
            run.actions.to_string(),
        ]);
        if cooldown == 300 {
            show::value("dropped_300", format!("{dropped:.2}%"));
            show::value("lag_300", lag(&config, &run));
            show::value("spike_peak_300", peak_in_spike(&run));
            show::value("spike_needed", needed(&config, 2_000.0));
            show::value("overshoot_300", overshoot(&config, &run));
            let capacity = LineChart::new("Offered load and fleet capacity, 300 s cooldown")
                .x_label("minute")
                .y_label("requests per second")
                .series("offered load", minutes(load.iter().copied().enumerate()))
                .series(
                    "capacity in service",
                    minutes(
                        run.timeline
                            .iter()
                            .map(|s| f64::from(s.in_service) * 100.0)
                            .enumerate(),
                    ),
                );
            show::svg(
                "scaling-autoscaler-capacity",
                "Capacity follows the ramp a few minutes late and misses most of the spike",
                capacity.to_svg().expect("every point is finite"),
            );
        }
        if cooldown == 0 {
            show::value("overshoot_0", overshoot(&config, &run));
            show::value("actions_0", run.actions);
        }
        if cooldown == 900 {
            show::value("overshoot_900", overshoot(&config, &run));
        }
        chart = chart.series(
            format!("in service, cooldown {cooldown} s"),
            minutes(
                run.timeline
                    .iter()
                    .map(|s| f64::from(s.in_service))
                    .enumerate(),
            ),
        );
    }
    show::table(&table.caption("the same traffic, three scale-in cooldowns"));
    show::svg(
        "scaling-autoscaler-instances",
        "Instances in service against what the load needs: lag on the way up, overshoot on the way down",
        chart.to_svg().expect("every point is finite"),
    );
}
