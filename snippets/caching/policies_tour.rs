//! LRU, FIFO, MRU and LFU side by side on three short traces with the same capacity:
//! recently used keys coming back (LRU's bet, where LRU and FIFO part ways; MRU's worst case), a popular key among a stream of
//! newcomers (LFU's bet), and a loop one key larger than the cache (the one pattern MRU wins).

use sysdesign::caching::{Cache, Fifo, Lfu, Lru, Mru, replay, replay_opt};
use sysdesign::show::{self, Table};

const CAPACITY: usize = 3;

fn policies() -> Vec<Box<dyn Cache<char, ()>>> {
    vec![
        Box::new(Lru::new(CAPACITY).expect("capacity is not zero")),
        Box::new(Fifo::new(CAPACITY).expect("capacity is not zero")),
        Box::new(Mru::new(CAPACITY).expect("capacity is not zero")),
        Box::new(Lfu::new(CAPACITY).expect("capacity is not zero")),
    ]
}

/// Runs `trace` through every policy and shows each request's outcome per policy; returns the
/// hits per policy and the first request (1-based) on which LRU and FIFO answered differently.
fn tour(title: &str, trace: &str) -> (Vec<u64>, Option<usize>) {
    let keys: Vec<char> = trace.chars().collect();
    let mut caches = policies();
    let mut headers = vec!["#".to_string(), "request".to_string()];
    headers.extend(caches.iter().map(|c| c.name().to_string()));
    let mut table = Table::new(headers);
    let mut hits = vec![0; caches.len()];
    let mut lru_fifo_differ = None;
    for (i, &key) in keys.iter().enumerate() {
        let mut row = vec![(i + 1).to_string(), key.to_string()];
        for (cache, hits) in caches.iter_mut().zip(&mut hits) {
            row.push(if cache.get(&key).is_some() {
                *hits += 1;
                "hit".to_string()
            } else {
                match cache.put(key, ()) {
                    Some((victim, ())) => format!("miss, evicts {victim}"),
                    None => "miss".to_string(),
                }
            });
        }
        // Columns 2 and 3 are LRU and FIFO.
        if lru_fifo_differ.is_none() && row[2] != row[3] {
            lru_fifo_differ = Some(i + 1);
        }
        table.push(row);
    }
    let mut total = vec!["".to_string(), "hits".to_string()];
    total.extend(hits.iter().map(|h| h.to_string()));
    table.push(total);
    show::table(&table.caption(format!("{title}: trace {trace}, capacity {CAPACITY}")));
    (hits, lru_fifo_differ)
}

fn main() {
    let traces = [
        ("recent keys come back", "ABCDBCEBCE"),
        ("a popular key among newcomers", "AAABCDEA"),
        ("a loop over one key more than fits", "ABCDABCDABCD"),
    ];
    let mut summary = Table::new([
        "trace",
        "LRU",
        "FIFO",
        "MRU",
        "LFU",
        "OPT (offline)",
        "LRU and FIFO first differ at",
    ]);
    for (title, trace) in traces {
        let (hits, differ) = tour(title, trace);
        let keys: Vec<char> = trace.chars().collect();
        let opt = replay_opt(&keys, CAPACITY).expect("capacity is not zero");
        // Cross-check the table against the library's own replay.
        let mut lru: Lru<char, ()> = Lru::new(CAPACITY).expect("capacity is not zero");
        let lru = replay(&mut lru, &keys);
        assert_eq!(lru.hits, hits[0], "the tour and replay agree on LRU");
        let mut row = vec![trace.to_string()];
        row.extend(hits.iter().map(|h| h.to_string()));
        row.push(opt.hits.to_string());
        row.push(differ.map_or("never".to_string(), |i| format!("request {i}")));
        summary.push(row);
    }
    show::table(
        &summary.caption("hits per policy; OPT is Bélády's optimum, which needs the future"),
    );
}
