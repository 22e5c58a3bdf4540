//! A lease lock on a simulated clock: a holder that renews keeps it, one that stops renewing loses
//! it, and a holder paused past its lease writes late; the storage refuses that write only when
//! it checks fencing tokens.

use sysdesign::leader_election::FencingGate;
use sysdesign::locking::LeaseLock;
use sysdesign::show::{self, Table};

/// The story, step by step, as a table; then whose write each storage kept last.
fn story() {
    let mut table = Table::new(["time (ms)", "event", "result"]);
    let mut log = |t: u64, event: &str, result: String| {
        table.push([t.to_string(), event.to_string(), result]);
    };
    // ANCHOR: timeline
    let mut lock = LeaseLock::new(1_000);
    let a = lock.acquire("A", 0).expect("free at the start");
    log(
        0,
        "A acquires",
        format!("token {}, until {}", a.token, a.expires_at),
    );
    let a = lock.renew(&a, 800).expect("A still holds it");
    log(800, "A renews", format!("until {}", a.expires_at));
    log(
        1_200,
        "B tries",
        format!("{:?}", lock.acquire("B", 1_200).err()),
    );
    // A is paused (a long garbage collection) from 1,300 ms to 2,500 ms: no renewals.
    let b = lock
        .acquire("B", 1_800)
        .expect("A's lease ran out at 1,800");
    log(
        1_800,
        "B acquires",
        format!("token {}, until {}", b.token, b.expires_at),
    );
    // ANCHOR_END: timeline

    // ANCHOR: fencing
    let mut unfenced = Vec::new(); // storage that takes every write
    let mut fenced = FencingGate::default(); // storage that checks tokens
    let mut fenced_log = Vec::new();
    for (t, who, token) in [(1_900, "B", b.token), (2_500, "A", a.token)] {
        unfenced.push(who);
        let accepted = fenced.admit(token);
        if accepted {
            fenced_log.push(who);
        }
        log(
            t,
            &format!("{who} writes with token {token}"),
            format!(
                "fenced storage: {}",
                if accepted { "accepted" } else { "refused" }
            ),
        );
    }
    let renewed = lock.renew(&a, 2_500).map(|_| ()).map_err(|e| e.to_string());
    log(2_500, "A wakes, renews", format!("{renewed:?}"));
    // ANCHOR_END: fencing
    show::table(&table);
    show::value(
        "last_write_unfenced",
        unfenced.last().copied().unwrap_or("none"),
    );
    show::value(
        "last_write_fenced",
        fenced_log.last().copied().unwrap_or("none"),
    );
}

fn main() {
    story();
}
