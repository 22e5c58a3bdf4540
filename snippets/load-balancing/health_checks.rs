//! A server fails and comes back; the balancer learns it from active health checks (or never).
//! The biggest server (400 requests a second) is down from second 20 to second 50; the load,
//! 405 requests a second, is 45 % of the cluster's capacity and fits on the other three.

use sysdesign::delivery_framework::Seconds;
use sysdesign::load_balancing::{Cluster, HealthCheck, Outage, Strategy};
use sysdesign::show::{self, Table};

fn cluster(health_check: Option<HealthCheck>) -> Cluster {
    Cluster {
        // ANCHOR: outage
        outages: vec![Outage {
            server: 0,
            from: 20.0,
            to: 50.0,
        }],
        // ANCHOR_END: outage
        health_check,
        // 45 % of 900: 405 requests a second, 32,400 of them (about 80 seconds).
        ..Cluster::unequal(0.45, 32_400, 1_000, 20)
    }
}

fn main() {
    let checks = [
        ("none", None),
        (
            "every 1 s, fall 3, rise 2",
            Some(HealthCheck {
                interval: 1.0,
                fall: 3,
                rise: 2,
            }),
        ),
        (
            "every 5 s, fall 3, rise 2",
            Some(HealthCheck {
                interval: 5.0,
                fall: 3,
                rise: 2,
            }),
        ),
    ];
    let mut table = Table::new([
        "health check",
        "strategy",
        "failed requests",
        "server 0's share while down",
        "taken out at",
        "put back at",
        "p99 of the rest",
    ]);
    for (name, check) in checks {
        for strategy in [Strategy::WeightedRoundRobin, Strategy::LeastConnections] {
            let run = cluster(check).simulate(strategy);
            let when = |healthy: bool| {
                run.health_events
                    .iter()
                    .find(|e| e.server == 0 && e.healthy == healthy)
                    .map_or("never".to_string(), |e| format!("{:.0} s", e.at))
            };
            let during: Vec<_> = run
                .requests
                .iter()
                .filter(|r| (20.0..50.0).contains(&r.arrival))
                .collect();
            let to_dead = during.iter().filter(|r| r.server == Some(0)).count();
            let share = format!("{:.0} %", 100.0 * to_dead as f64 / during.len() as f64);
            table.push([
                name.to_string(),
                strategy.to_string(),
                run.failed().to_string(),
                share.clone(),
                when(false),
                when(true),
                Seconds::new(run.percentile(0.99).expect("some succeeded")).to_string(),
            ]);
            let key = format!(
                "{}_{}",
                name.split(',').next().unwrap_or(name).replace(' ', "_"),
                strategy.to_string().replace(' ', "_")
            );
            show::value(&format!("failed_{key}"), run.failed());
            show::value(&format!("share_{key}"), share);
        }
    }
    show::table(
        &table.caption("Server 0 (400/s) down from 20 s to 50 s; 405 requests a second; seed 20"),
    );
}
