//! A producer with a burst (8 messages a tick on average, 14 during ticks 100 to 199) against
//! one consumer that makes 10 delivery attempts a tick, with 1% poison messages that always
//! fail. First the queue's capacity varies, then how many attempts a message gets before the
//! dead-letter queue takes it. Seeded, so the same on every run.

use sysdesign::messaging::{BacklogConfig, BacklogReport, run_backlog};
use sysdesign::show::{self, Table};

const SEED: u64 = 7;

fn capacity_name(capacity: usize) -> String {
    if capacity == usize::MAX {
        "unbounded".to_string()
    } else {
        capacity.to_string()
    }
}

fn attempts_name(attempts: u32) -> String {
    if attempts == u32::MAX {
        "never (no DLQ)".to_string()
    } else {
        attempts.to_string()
    }
}

fn capacities() -> Table {
    let mut table = Table::new([
        "capacity",
        "offered",
        "refused",
        "deepest queue",
        "median wait (ticks)",
        "p99 wait (ticks)",
    ]);
    // ANCHOR: sweep
    for capacity in [20, 50, 100, 400, usize::MAX] {
        let config = BacklogConfig {
            capacity,
            ..BacklogConfig::default()
        };
        let r = run_backlog(&config, SEED);
        // ANCHOR_END: sweep
        if capacity == 50 {
            show::value("refused_at_50", r.rejected);
            show::value("p99_at_50", r.wait_p99);
        }
        if capacity == usize::MAX {
            show::value("p99_unbounded", r.wait_p99);
            show::value("deepest_unbounded", r.max_depth);
        }
        table.push([
            capacity_name(capacity),
            r.offered.to_string(),
            format!(
                "{} ({:.1}%)",
                r.rejected,
                100.0 * r.rejected as f64 / r.offered as f64
            ),
            r.max_depth.to_string(),
            r.wait_p50.to_string(),
            r.wait_p99.to_string(),
        ]);
    }
    table.caption("400 ticks of traffic, 10 attempts per tick, 3 attempts per message")
}

fn dead_letters() -> Table {
    let mut table = Table::new([
        "attempts before DLQ",
        "processed",
        "dead-lettered",
        "attempts spent on poison",
        "refused",
        "still queued at the end",
    ]);
    for max_attempts in [1, 3, 10, u32::MAX] {
        let config = BacklogConfig {
            max_attempts,
            capacity: 400,
            ..BacklogConfig::default()
        };
        let r: BacklogReport = run_backlog(&config, SEED);
        if max_attempts == u32::MAX {
            show::value("poison_attempts_no_dlq", r.poison_attempts);
        }
        table.push([
            attempts_name(max_attempts),
            r.processed.to_string(),
            r.dead_lettered.to_string(),
            r.poison_attempts.to_string(),
            r.rejected.to_string(),
            r.left_over.to_string(),
        ]);
    }
    table.caption(
        "capacity 400; the consumer keeps going for 400 more ticks after the producer stops",
    )
}

fn main() {
    show::table(&capacities());
    show::table(&dead_letters());
}
