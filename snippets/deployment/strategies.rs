//! The same bad release (v2 fails 5% of requests, v1 0.1%) shipped three ways to a fleet of 10
//! instances serving 2,000 requests a minute from 20,000 users, with the same rollback rule;
//! then a good release. Seeded, minute by minute on a simulated clock.

use sysdesign::deployment::{DeployStrategy, Fleet, Outcome, Release, RollbackRule, simulate};
use sysdesign::show::{self, Table};

// ANCHOR: setup
fn strategies() -> [(&'static str, DeployStrategy); 3] {
    [
        (
            "blue-green",
            DeployStrategy::BlueGreen {
                warmup_minutes: 5,
                keep_blue_minutes: 30,
            },
        ),
        (
            "canary 1-5-25-50-100%",
            DeployStrategy::Canary {
                steps_bp: vec![100, 500, 2_500, 5_000, 10_000],
                step_minutes: 10,
            },
        ),
        (
            "rolling, 2 at a time",
            DeployStrategy::Rolling {
                batch: 2,
                step_minutes: 5,
            },
        ),
    ]
}

/// The chapter's fleet and rollback rule, from the library.
const FLEET: Fleet = Fleet::EXAMPLE;
const RULE: RollbackRule = RollbackRule::EXAMPLE;
// ANCHOR_END: setup

fn row(table: &mut Table, name: &str, o: &Outcome) {
    let minute = |m: Option<u64>| m.map_or("-".to_string(), |m| m.to_string());
    table.push([
        name.to_string(),
        minute(o.rolled_back_at),
        minute(o.completed_at),
        o.v2_failures.to_string(),
        o.users_hurt.to_string(),
        o.users_on_v2.to_string(),
        o.peak_running.to_string(),
        o.min_serving.to_string(),
    ]);
}

fn headers() -> Table {
    Table::new([
        "strategy",
        "rolled back at (min)",
        "done at (min)",
        "v2 failures",
        "users hurt",
        "users on v2",
        "peak instances",
        "min serving",
    ])
}

fn main() {
    let bad = Release {
        v1_error_rate: 0.001,
        v2_error_rate: 0.05,
    };
    let good = Release {
        v1_error_rate: 0.001,
        v2_error_rate: 0.001,
    };
    for (label, release) in [("bad", bad), ("good", good)] {
        let mut table = headers();
        for (name, strategy) in strategies() {
            let o = simulate(&strategy, release, RULE, FLEET, 90, 7);
            row(&mut table, name, &o);
            let key = name
                .split([' ', ','])
                .next()
                .unwrap_or(name)
                .replace('-', "_");
            show::value(&format!("{label}_{key}_users_hurt"), o.users_hurt);
            show::value(&format!("{label}_{key}_v2_failures"), o.v2_failures);
        }
        show::table(&table.caption(format!("a {label} release, 90 simulated minutes")));
    }
}
