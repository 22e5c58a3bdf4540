//! Hot reload on a simulated clock: the file changes five times, the reloader is told each new
//! text with the time it was seen and ticks every 100 ms; it judges a text once it has been stable
//! for 300 ms.

use sysdesign::configuration::reload::{Outcome, Reloader};
use sysdesign::configuration::{EXAMPLE_TOML, Format};
use sysdesign::show::{self, Table};

// ANCHOR: edits
fn edits() -> Vec<(u64, &'static str, String)> {
    let v2 = EXAMPLE_TOML.replace("capacity = 10000", "capacity = 20000");
    vec![
        (
            1_000,
            "half of the new file is written",
            v2[..150].to_string(),
        ),
        (1_040, "the rest is written", v2.clone()),
        (4_000, "cache.capacity set to 0", v2.replace("20000", "0")),
        (
            7_000,
            "server.listen moved to 9090",
            v2.replace("8080", "9090"),
        ),
        (
            10_000,
            "ttl 60 s and new_checkout on",
            v2.replace("300", "60").replace("false", "true"),
        ),
    ]
}
// ANCHOR_END: edits

fn main() {
    let mut reloader = Reloader::new("service.toml", Format::Toml, EXAMPLE_TOML, 300)
        .expect("the example is valid");
    let edits = edits();
    let mut table = Table::new(["t (ms)", "event", "outcome", "running", "cache.capacity"]);
    let mut rejected = 0;
    for now in (0..=12_000).step_by(20) {
        let mut row = |event: &str, outcome: &Outcome, reloader: &Reloader| {
            let running = format!("v{}", reloader.version());
            let capacity = reloader.current().cache.capacity.to_string();
            table.push([
                now.to_string(),
                event.to_string(),
                outcome.to_string(),
                running,
                capacity,
            ]);
        };
        if let Some((_, what, text)) = edits.iter().find(|(at, _, _)| *at == now) {
            let outcome = reloader.observe(text, now);
            row(what, &outcome, &reloader);
        }
        if now % 100 == 0 {
            let outcome = reloader.tick(now);
            if matches!(outcome, Outcome::Applied { .. } | Outcome::Rejected(_)) {
                rejected += usize::from(matches!(outcome, Outcome::Rejected(_)));
                row("tick", &outcome, &reloader);
            }
        }
    }
    show::table(
        &table.caption("each edit and each decision; ticks that decided nothing are left out"),
    );
    show::value("rejected", rejected);
    show::value("final_version", reloader.version());
}
