//! LRU and FIFO on the same short trace: they agree until a key that was read again becomes
//! the oldest insertion. FIFO evicts it anyway; LRU keeps it, because the read made it recent.

use sysdesign::caching::{Cache, Fifo, Lru};
use sysdesign::show::{self, Table};

/// One request against one cache: "hit", "miss", or "miss, evicts X"; and the keys it then holds.
fn step(cache: &mut dyn Cache<char, ()>, key: char) -> (String, String) {
    let outcome = if cache.get(&key).is_some() {
        "hit".to_string()
    } else {
        match cache.put(key, ()) {
            Some((victim, ())) => format!("miss, evicts {victim}"),
            None => "miss".to_string(),
        }
    };
    let holds: Vec<String> = cache
        .eviction_order()
        .into_iter()
        .map(|k| k.to_string())
        .collect();
    (outcome, holds.join(" "))
}

fn main() {
    // ANCHOR: trace
    let capacity = 3;
    let trace = ['A', 'B', 'C', 'A', 'D', 'A', 'B'];
    // ANCHOR_END: trace
    let mut lru = Lru::new(capacity).expect("capacity 3 is not zero");
    let mut fifo = Fifo::new(capacity).expect("capacity 3 is not zero");

    println!(
        "Capacity {capacity}, trace {}.",
        trace.iter().collect::<String>()
    );
    println!("\"holds\" lists the cached keys with the next victim first.");
    let mut table = Table::new(["#", "request", "LRU", "LRU holds", "FIFO", "FIFO holds"]);
    let (mut lru_hits, mut fifo_hits) = (0, 0);
    let mut first_disagreement = None;
    for (i, &key) in trace.iter().enumerate() {
        // FIFO's oldest insertion, before this request changes anything.
        let oldest = fifo.eviction_order().first().map(|k| **k);
        let (lru_outcome, lru_holds) = step(&mut lru, key);
        let (fifo_outcome, fifo_holds) = step(&mut fifo, key);
        lru_hits += usize::from(lru_outcome == "hit");
        fifo_hits += usize::from(fifo_outcome == "hit");
        if first_disagreement.is_none() && lru_outcome != fifo_outcome {
            first_disagreement = Some((
                i + 1,
                key,
                oldest,
                lru_outcome.clone(),
                fifo_outcome.clone(),
            ));
        }
        table.push([
            (i + 1).to_string(),
            key.to_string(),
            lru_outcome,
            lru_holds,
            fifo_outcome,
            fifo_holds,
        ]);
    }
    show::table(&table.caption("LRU and FIFO, capacity 3"));
    println!(
        "Hits: LRU {lru_hits} of {n}, FIFO {fifo_hits} of {n}.",
        n = trace.len()
    );
    if let Some((n, key, Some(oldest), lru_outcome, fifo_outcome)) = first_disagreement {
        println!(
            "They first disagree at request {n} ({key}). LRU: {lru_outcome}. FIFO: {fifo_outcome}."
        );
        println!(
            "{oldest} was the oldest insertion there. Evicting \"the oldest data\" is FIFO's rule; \
             LRU evicts the key whose last use is oldest."
        );
    }
}
