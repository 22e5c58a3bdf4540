//! A TTL cache with time passed in: lazy expiry on read, an expired entry that keeps its slot
//! and pushes out a live one, and the purge that frees it.

use std::time::{Duration, Instant};
use sysdesign::caching::TtlCache;
use sysdesign::show::{self, Table};

enum Op {
    Put(&'static str),
    Get(&'static str),
    Purge,
}

fn main() {
    let t0 = Instant::now(); // only differences from t0 are ever printed
    let ttl = Duration::from_secs(30);
    let mut cache = TtlCache::new(3, ttl).expect("capacity 3 is not zero");
    let script = [
        (0, Op::Put("a")),
        (5, Op::Put("b")),
        (10, Op::Put("c")),
        (20, Op::Get("a")),
        (30, Op::Get("a")),
        (31, Op::Put("a")),
        (38, Op::Get("c")),
        (45, Op::Put("d")),
        (46, Op::Put("e")),
        (47, Op::Purge),
        (47, Op::Get("c")),
    ];
    println!(
        "Capacity {}, TTL {} s, LRU eviction. An entry put at t expires at t + {} s, \
         and at that very instant it is already expired.",
        cache.capacity(),
        ttl.as_secs(),
        ttl.as_secs()
    );
    let mut table = Table::new([
        "t (s)",
        "operation",
        "result",
        "holds (LRU first)",
        "held",
        "live",
    ]);
    let mut wasted = None;
    for (seconds, op) in script {
        let now = t0 + Duration::from_secs(seconds);
        let (operation, result) = match op {
            Op::Put(key) => {
                let expired: Vec<&str> = cache
                    .keys()
                    .into_iter()
                    .filter(|&k| cache.peek(k, now).is_none())
                    .copied()
                    .collect();
                let result = match cache.put(key, seconds, now) {
                    Some((victim, put_at)) => {
                        let victim_was_live = now < t0 + Duration::from_secs(put_at) + ttl;
                        if victim_was_live && wasted.is_none() && !expired.is_empty() {
                            wasted = Some((seconds, victim, expired));
                        }
                        format!("evicts {victim}")
                    }
                    None => "stored".to_string(),
                };
                (format!("put {key}"), result)
            }
            Op::Get(key) => {
                let had = cache.expires_at(&key).is_some();
                let result = match cache.get(&key, now) {
                    Some(put_at) => format!("hit (put at {put_at} s)"),
                    None if had => "miss: expired, removed".to_string(),
                    None => "miss".to_string(),
                };
                (format!("get {key}"), result)
            }
            Op::Purge => {
                let purged: Vec<&str> = cache
                    .purge_expired(now)
                    .into_iter()
                    .map(|(k, _)| k)
                    .collect();
                (
                    "purge".to_string(),
                    format!("removed {}", purged.join(", ")),
                )
            }
        };
        let holds: Vec<String> = cache
            .keys()
            .into_iter()
            .map(|k| match cache.peek(k, now) {
                Some(_) => k.to_string(),
                None => format!("{k} (expired)"),
            })
            .collect();
        table.push([
            seconds.to_string(),
            operation,
            result,
            holds.join(", "),
            cache.len().to_string(),
            cache.live_len(now).to_string(),
        ]);
    }
    show::table(&table.caption("a TTL cache, step by step"));
    if let Some((seconds, victim, expired)) = wasted {
        println!(
            "At t = {seconds} the cache evicted {victim}, which was live, while {} kept a slot \
             although expired: LRU looks at the last use, not at the deadline.",
            expired.join(", ")
        );
    }
    println!("Expired entries take capacity until a read or a purge removes them.");
}
