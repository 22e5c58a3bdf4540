//! Staleness: a reader behind a cache-aside cache keeps seeing an old price after another
//! service changed it in the database, until the TTL ends; then the same with an invalidation.

use std::time::{Duration, Instant};
use sysdesign::caching::{CachedStore, Store, WritePolicy};
use sysdesign::show::{self, Table};

enum Step {
    /// The reader reads through the cache.
    Read,
    /// Another service writes the database directly; the cache is not told.
    WriteBehindTheCache(u32),
    /// Another service writes the database and deletes the cached copy.
    WriteAndInvalidate(u32),
}

fn main() {
    let key = "price:42";
    let ttl = Duration::from_secs(60);
    let db: Store<&str, u32> = [(key, 100)].into_iter().collect();
    let mut app = CachedStore::new(WritePolicy::CacheAside, 100)
        .expect("capacity is not zero")
        .with_store(db)
        .with_ttl(ttl);
    let t0 = Instant::now(); // only differences from t0 are printed
    // ANCHOR: script
    let script = [
        (0, Step::Read),
        (5, Step::WriteBehindTheCache(120)),
        (10, Step::Read),
        (59, Step::Read),
        (60, Step::Read),
        (70, Step::WriteAndInvalidate(130)),
        (71, Step::Read),
    ];
    // ANCHOR_END: script
    println!(
        "Cache-aside with a TTL of {} s; {key} is 100 in the database.",
        ttl.as_secs()
    );
    let mut table = Table::new([
        "t (s)",
        "who",
        "action",
        "reader gets",
        "database holds",
        "fresh?",
    ]);
    let mut diagram = vec![
        "sequenceDiagram".to_string(),
        "  participant R as Reader".to_string(),
        "  participant C as Cache".to_string(),
        "  participant DB as Database".to_string(),
        "  participant W as Other service".to_string(),
    ];
    let mut stale_window = Vec::new();
    for (seconds, step) in script {
        let now = t0 + Duration::from_secs(seconds);
        let (who, action, got) = match step {
            Step::Read => {
                let before = app.counters();
                let got = app.read(&key, now).expect("the key is in the database");
                let hit = app.counters().hits > before.hits;
                let source = if hit { "C" } else { "DB" };
                diagram.push(format!("  R->>{source}: t={seconds} s read, gets {got}"));
                let action = if hit {
                    "read (cache hit)"
                } else {
                    "read (miss, refill)"
                };
                ("reader", action.to_string(), Some(got))
            }
            Step::WriteBehindTheCache(value) => {
                app.store_mut().write(key, value);
                diagram.push(format!("  W->>DB: t={seconds} s write {value}"));
                (
                    "other service",
                    format!("writes {value} to the database only"),
                    None,
                )
            }
            Step::WriteAndInvalidate(value) => {
                app.store_mut().write(key, value);
                app.invalidate(&key);
                diagram.push(format!("  W->>DB: t={seconds} s write {value}"));
                diagram.push(format!("  W->>C: t={seconds} s delete {key}"));
                (
                    "other service",
                    format!("writes {value}, deletes the cached copy"),
                    None,
                )
            }
        };
        let truth = *app.store().peek(&key).expect("the key is in the database");
        let fresh = match got {
            Some(v) if v == truth => "yes",
            Some(_) => {
                stale_window.push(seconds);
                "STALE"
            }
            None => "",
        };
        table.push([
            seconds.to_string(),
            who.to_string(),
            action,
            got.map_or(String::new(), |v| v.to_string()),
            truth.to_string(),
            fresh.to_string(),
        ]);
    }
    show::table(&table.caption("one reader, one other writer, one cached key"));
    show::mermaid(&diagram.join("\n"));
    let c = app.counters();
    println!(
        "{} reads: {} hits, of which {} stale (at t = {:?} s), {} misses.",
        c.reads, c.hits, c.stale_hits, stale_window, c.misses
    );
    println!(
        "The stale reads came from a cache working as designed: nobody had told it the database changed."
    );
}
