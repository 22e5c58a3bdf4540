//! Series and parallel: the availability of five designs built from the same kind of server,
//! by formula and by a seeded simulation of 10,000 years in which every server fails and is
//! repaired at random.

use sysdesign::availability::{Block, Unit, human};
use sysdesign::delivery_framework::{Seconds, three_figures};
use sysdesign::show::{self, Table};

const YEARS: f64 = 10_000.0;
const SEED: u64 = 7;

fn server() -> Block {
    // Fails once every 41 days or so on average and takes 10 hours to repair: 99 % available.
    Block::Unit(Unit {
        mtbf: Seconds::HOUR * 990.0,
        mttr: Seconds::HOUR * 10.0,
    })
}

fn main() {
    // ANCHOR: designs
    let designs = [
        ("one server", server()),
        (
            "load balancer, app, database in series",
            Block::series(vec![server(), server(), server()]),
        ),
        (
            "two servers in parallel",
            Block::parallel(vec![server(), server()]),
        ),
        (
            "three servers in parallel",
            Block::parallel(vec![server(), server(), server()]),
        ),
        (
            "each of the three tiers doubled",
            Block::series(vec![
                Block::parallel(vec![server(), server()]),
                Block::parallel(vec![server(), server()]),
                Block::parallel(vec![server(), server()]),
            ]),
        ),
    ];
    // ANCHOR_END: designs
    let mut table = Table::new([
        "design",
        "formula",
        "simulated",
        "nines",
        "down per year (formula)",
        "outages per year (simulated)",
    ]);
    let horizon = Seconds::YEAR * YEARS;
    let mut worst = 0.0_f64;
    for (name, design) in &designs {
        let formula = design.availability();
        let run = design.simulate(horizon, SEED);
        worst =
            worst.max((run.availability.unavailability() / formula.unavailability() - 1.0).abs());
        table.push([
            name.to_string(),
            format!("{:.7}", formula.get()),
            format!("{:.7}", run.availability.get()),
            format!("{:.2}", formula.nines()),
            human(formula.downtime(Seconds::YEAR)),
            three_figures(run.outages as f64 / YEARS),
        ]);
    }
    show::table(&table.caption(format!(
        "Each server 99 % available (MTBF 990 h, MTTR 10 h); {YEARS} simulated years, seed {SEED}"
    )));
    println!(
        "The simulated unavailability is within {:.1} % of the formula's in every row.",
        worst * 100.0
    );
    show::value("worst_percent", format!("{:.1}", worst * 100.0));
    show::value(
        "series_three",
        format!("{:.4} %", designs[1].1.availability().get() * 100.0),
    );
    show::value(
        "parallel_two",
        format!("{:.4} %", designs[2].1.availability().get() * 100.0),
    );
    show::value(
        "tiers_doubled",
        format!("{:.4} %", designs[4].1.availability().get() * 100.0),
    );
}
