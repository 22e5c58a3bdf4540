//! Throughput against latency: one server that completes 1,000 requests a second on average,
//! offered more and more load. Seeded M/M/1 (exponential service) and M/D/1 (fixed service)
//! queues, 200,000 requests per point, checked against the closed forms and Little's law.

use sysdesign::chart::LineChart;
use sysdesign::delivery_framework::{PerSecond, Seconds};
use sysdesign::latency_throughput::{Queue, Service, md1_mean_wait, mm1_mean_wait};
use sysdesign::show::{self, Table};

const SERVICE_RATE: f64 = 1_000.0;
const UTILISATIONS: [f64; 9] = [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99];
const CUSTOMERS: usize = 200_000;
const SEED: u64 = 18;

/// A closed form for the mean wait, from the arrival and service rates.
type Formula = fn(PerSecond, PerSecond) -> Option<Seconds>;

fn main() {
    let mu = PerSecond::new(SERVICE_RATE);
    let mut table = Table::new([
        "queue",
        "load ρ",
        "throughput",
        "mean wait (sim)",
        "mean wait (formula)",
        "p99 in system",
        "L (sim)",
        "λ·W",
    ]);
    let mut chart = LineChart::new("Mean wait against throughput, one server of 1,000/s")
        .x_label("throughput (requests per second)")
        .y_label("mean wait in queue (ms)");
    let mut worst_little = 0.0_f64;
    let mut worst_formula = 0.0_f64;
    let queues: [(&str, Service, Formula); 2] = [
        ("M/M/1", Service::Exponential, mm1_mean_wait),
        ("M/D/1", Service::Deterministic, md1_mean_wait),
    ];
    for (name, service, formula) in queues {
        let (mut simulated, mut closed) = (Vec::new(), Vec::new());
        for rho in UTILISATIONS {
            // ANCHOR: run
            let lambda = mu * rho;
            let run = Queue {
                arrival_rate: lambda,
                service_rate: mu,
                service,
                customers: CUSTOMERS,
                seed: SEED,
            }
            .run()
            .expect("positive rates and customers");
            let theory = formula(lambda, mu).expect("ρ < 1");
            let little = run.arrivals * run.mean_in_system; // λ·W, a count
            // ANCHOR_END: run
            if rho <= 0.9 {
                worst_formula = worst_formula.max((run.mean_wait / theory - 1.0).abs());
            }
            worst_little = worst_little.max((run.mean_number / little - 1.0).abs());
            table.push([
                name.to_string(),
                format!("{rho:.2}"),
                run.throughput.to_string(),
                run.mean_wait.to_string(),
                theory.to_string(),
                run.p99_in_system.to_string(),
                format!("{:.3}", run.mean_number.get()),
                format!("{:.3}", little.get()),
            ]);
            simulated.push((run.throughput.get(), run.mean_wait.get() * 1e3));
            closed.push((lambda.get(), theory.get() * 1e3));
            if name == "M/M/1" && (rho == 0.5 || rho == 0.9 || rho == 0.99) {
                let key = format!("mm1_{:.0}", rho * 100.0);
                show::value(&format!("{key}_wait"), run.mean_wait);
                show::value(&format!("{key}_p99"), run.p99_in_system);
                show::value(&format!("{key}_formula"), theory);
            }
        }
        chart = chart
            .series(format!("{name}, simulated"), simulated)
            .series(format!("{name}, formula"), closed);
    }
    show::table(&table.caption(format!(
        "{CUSTOMERS} requests per row, seed {SEED}; service takes 1 ms on average"
    )));
    let svg = chart.to_svg().expect("every point is finite");
    show::svg(
        "queue-wait-against-throughput",
        "The wait stays small until the server is busy most of the time, then climbs without bound",
        svg,
    );
    println!(
        "Up to ρ = 0.9 the simulated mean wait is within {:.1}% of the formula; \
         L and λ·W differ by at most {:.2}% in every row.",
        worst_formula * 100.0,
        worst_little * 100.0
    );
    show::value(
        "worst_formula_percent",
        format!("{:.1}", worst_formula * 100.0),
    );
    show::value(
        "worst_little_percent",
        format!("{:.2}", worst_little * 100.0),
    );
}
