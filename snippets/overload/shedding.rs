//! Goodput against offered load for a server of fixed capacity whose clients time out:
//! an unbounded FIFO queue against a bounded queue that sheds, with Little's law checked on each run.

use sysdesign::chart::LineChart;
use sysdesign::overload::{Admission, ServerConfig, simulate_server};
use sysdesign::show::{self, Table};

const CAPACITY: u32 = 100;
const TIMEOUT_TICKS: u64 = 5;
const LIMIT: usize = 500; // capacity x timeout: a request at the back is served just in time
const LOADS: [f64; 9] = [0.5, 0.8, 0.9, 0.95, 1.0, 1.05, 1.2, 1.5, 2.0];

fn main() {
    let config = ServerConfig {
        capacity_per_tick: CAPACITY,
        timeout_ticks: TIMEOUT_TICKS,
        ticks: 2_000,
        seed: 2015,
    };
    println!(
        "Server: {CAPACITY} requests per tick; clients give up after {TIMEOUT_TICKS} ticks; \
         {} ticks of Poisson arrivals per load, seed {}.",
        config.ticks, config.seed
    );
    let policies = [
        ("unbounded", Admission::Unbounded),
        ("bounded", Admission::Bounded { limit: LIMIT }),
    ];
    let mut table = Table::new([
        "load / capacity",
        "queue",
        "goodput",
        "wasted %",
        "shed %",
        "mean wait",
        "mean queue L",
        "λ·W",
    ]);
    let mut curves: Vec<Vec<(f64, f64)>> = vec![Vec::new(); policies.len()];
    let mut quoted = Vec::new();
    for load in LOADS {
        for ((name, admission), curve) in policies.iter().zip(curves.iter_mut()) {
            let report = simulate_server(load * f64::from(CAPACITY), *admission, &config)
                .expect("load and capacity are positive");
            let percent = |part: u64| 100.0 * part as f64 / report.offered as f64;
            // Little's law: L = λ W, with λ the rate of requests that entered and left the queue.
            let little = report.throughput * report.mean_wait;
            table.push([
                format!("{load:.2}"),
                name.to_string(),
                format!("{:.1}", report.goodput),
                format!("{:.1}", percent(report.wasted)),
                format!("{:.1}", percent(report.shed)),
                format!("{:.1}", report.mean_wait),
                format!("{:.0}", report.mean_queue),
                format!("{little:.0}"),
            ]);
            curve.push((load, report.goodput / f64::from(CAPACITY)));
            // The figures the chapter's prose quotes, by name.
            let at = format!("{load:.2}").replace('.', "_");
            if matches!(at.as_str(), "1_05" | "1_20") && *name == "unbounded"
                || at == "1_20" && *name == "bounded"
            {
                quoted.push((
                    format!("goodput_{name}_{at}"),
                    format!("{:.1}", report.goodput),
                ));
            }
            if matches!(at.as_str(), "1_05" | "2_00") && *name == "bounded" {
                quoted.push((
                    format!("shed_{name}_{at}"),
                    format!("{:.1}", percent(report.shed)),
                ));
            }
        }
    }
    show::table(&table.caption(
        "goodput is answers within the timeout per tick; wait in ticks; λ·W should match L",
    ));
    for (name, value) in quoted {
        show::value(&name, value);
    }
    let mut chart = LineChart::new("Goodput against offered load (capacity 100 per tick)")
        .x_label("offered load / capacity")
        .y_label("goodput / capacity")
        .y_range(0.0..1.1);
    for ((name, _), curve) in policies.iter().zip(curves) {
        let label = if *name == "bounded" {
            "bounded queue (500), sheds the rest"
        } else {
            "unbounded queue"
        };
        chart = chart.series(label, curve);
    }
    let svg = chart.to_svg().expect("every point is finite");
    show::svg(
        "goodput_shedding",
        "Goodput with and without load shedding",
        svg,
    );
}
