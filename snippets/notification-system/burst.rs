//! Per-user rate limits under a burst: 1,000 users receive a steady trickle of events, and
//! 50 of them are caught in a burst (a thread going viral) of one event every 10 seconds for
//! an hour. Each user may get 10 push notifications an hour (a token bucket); some users have
//! turned push off.

use rand::{RngExt, SeedableRng, rngs::StdRng};
use std::time::Duration;
use sysdesign::notification_system::{Channel, Dispatcher, Dropped};
use sysdesign::rate_limiting::Quota;
use sysdesign::show::{self, Table};

const USERS: u32 = 1_000;
const BURSTED: u32 = 50;

/// Sent, opted out and rate-limited counts, for ordinary and bursted users.
fn simulate() -> [[u64; 3]; 2] {
    let quota = Quota::new(10, Duration::from_secs(3_600)).expect("a valid quota");
    let mut dispatcher = Dispatcher::new(quota);
    let mut rng = StdRng::seed_from_u64(8);
    for user in 0..USERS {
        if rng.random_bool(0.1) {
            dispatcher.opt_out(user, Channel::Push);
        }
    }
    // Events: every user about 3 an hour, the bursted ones also one every 10 s.
    let mut events: Vec<(u64, u32)> = Vec::new();
    for user in 0..USERS {
        for _ in 0..3 {
            events.push((rng.random_range(0..3_600_000), user));
        }
        if user < BURSTED {
            events.extend((0..360).map(|i| (i * 10_000, user)));
        }
    }
    events.sort_unstable();
    // ANCHOR: dispatch
    let mut counts = [[0u64; 3]; 2];
    for (at_ms, user) in events {
        let group = usize::from(user < BURSTED);
        let outcome = dispatcher.admit(user, Channel::Push, Duration::from_millis(at_ms));
        let column = match outcome {
            Ok(()) => 0,
            Err(Dropped::OptedOut) => 1,
            Err(Dropped::RateLimited) => 2,
        };
        counts[group][column] += 1;
    }
    // ANCHOR_END: dispatch
    counts
}

fn main() {
    let counts = simulate();
    let mut table = Table::new(["users", "events", "sent", "opted out", "rate-limited"]);
    for (name, c) in ["ordinary (950)", "in the burst (50)"].iter().zip(counts) {
        table.push([
            name.to_string(),
            (c[0] + c[1] + c[2]).to_string(),
            c[0].to_string(),
            c[1].to_string(),
            c[2].to_string(),
        ]);
    }
    show::table(&table.caption("One hour of push notifications, 10 an hour per user"));
    show::value("ordinary_limited", counts[0][2]);
    show::value("burst_sent", counts[1][0]);
    show::value("burst_limited", counts[1][2]);
}
