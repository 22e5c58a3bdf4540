//! One user's clicks through tumbling, sliding and session windows; then an hour of clicks
//! from 20 users, with some arriving late, counted in one-minute tumbling windows under
//! growing allowed lateness. Seeded, so the same on every run.

use sysdesign::event_streams::{
    TimedEvent, WindowSpec, WindowedCounter, batch_counts, click_stream,
};
use sysdesign::show::{self, Table};

fn run(spec: WindowSpec, lateness: u64, events: &[TimedEvent]) -> WindowedCounter {
    let mut counter = WindowedCounter::new(spec, lateness);
    for e in events {
        counter.process(e);
    }
    counter.finish(events.iter().map(|e| e.arrival).max().unwrap_or(0) + 1);
    counter
}

fn kinds() -> Table {
    // Clicks at these seconds, all on time.
    let times = [1, 3, 4, 12, 14, 31, 33, 58];
    let events: Vec<TimedEvent> = times
        .iter()
        .map(|&time| TimedEvent {
            key: "ada".into(),
            time,
            arrival: time,
        })
        .collect();
    let mut table = Table::new(["window", "windows and counts"]);
    for (name, spec) in [
        ("tumbling 20 s", WindowSpec::Tumbling { size: 20 }),
        (
            "sliding 20 s every 10 s",
            WindowSpec::Sliding {
                size: 20,
                slide: 10,
            },
        ),
        ("session, gap 10 s", WindowSpec::Session { gap: 10 }),
    ] {
        let counter = run(spec, 0, &events);
        let cells: Vec<String> = counter
            .results()
            .iter()
            .map(|r| format!("[{},{}):{}", r.window.start, r.window.end, r.count))
            .collect();
        table.push([name.to_string(), cells.join(" ")]);
    }
    table.caption("clicks at 1, 3, 4, 12, 14, 31, 33 and 58 s")
}

fn lateness() -> Table {
    // ANCHOR: late
    let events = click_stream(20, 3_600, 9);
    let spec = WindowSpec::Tumbling { size: 60 };
    let truth = batch_counts(spec, &events);
    // ANCHOR_END: late
    let mut table = Table::new([
        "allowed lateness (s)",
        "late events",
        "windows with a wrong count",
        "mean wait after window end (s)",
    ]);
    for allowed in [0, 2, 5, 10, 40] {
        let counter = run(spec, allowed, &events);
        let wrong = counter
            .results()
            .iter()
            .filter(|r| truth.get(&(r.key.clone(), r.window)) != Some(&r.count))
            .count();
        let waits: Vec<u64> = counter
            .results()
            .iter()
            .map(|r| r.emitted_at.saturating_sub(r.window.end))
            .collect();
        let mean_wait = waits.iter().sum::<u64>() as f64 / waits.len().max(1) as f64;
        if allowed == 0 {
            show::value("late_at_0", counter.late());
        }
        if allowed == 40 {
            show::value("late_at_40", counter.late());
        }
        table.push([
            allowed.to_string(),
            format!(
                "{} of {} ({:.1}%)",
                counter.late(),
                events.len(),
                100.0 * counter.late() as f64 / events.len() as f64
            ),
            format!("{wrong} of {}", truth.len()),
            format!("{mean_wait:.1}"),
        ]);
    }
    table.caption(
        "an hour of clicks, 20 users, one-minute windows; 1 in 20 clicks delayed 5 to 40 s",
    )
}

fn main() {
    show::table(&kinds());
    show::table(&lateness());
}
