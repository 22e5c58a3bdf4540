//! Partitioning, resharding, asynchronous replication and change data capture.

use proptest::prelude::*;
use std::collections::BTreeMap;
use sysdesign::relational_acid::{SimulatedLog, WalStore};
use sysdesign::replication_sharding::{
    LogTail, Popularity, RangePartitioner, ReadFrom, Scheme, SearchIndex, follower_reads,
    hottest_over_mean, key_name, moved_fraction, shard_load, skewed_requests,
};

fn keys(count: u64) -> Vec<Vec<u8>> {
    (0..count).map(key_name).collect()
}

fn requests(popularity: Popularity) -> Vec<Vec<u8>> {
    skewed_requests(20_000, 1.0, 50_000, popularity, 9)
        .expect("a valid Zipf workload")
        .into_iter()
        .map(key_name)
        .collect()
}

#[test]
fn range_partitioning_puts_clustered_popular_keys_on_one_shard() {
    let all = keys(20_000);
    let range = Scheme::range(&all, 8).expect("8 ranges of 20,000 keys");
    let hash = Scheme::hash_modulo(8);
    let clustered = requests(Popularity::Clustered);
    let range_hot = hottest_over_mean(&shard_load(&range, &clustered));
    let hash_hot = hottest_over_mean(&shard_load(&hash, &clustered));
    assert!(
        range_hot > 5.0,
        "the newest range takes most requests: {range_hot}"
    );
    assert!(hash_hot < 2.0, "hashing scatters neighbours: {hash_hot}");
}

#[test]
fn hashing_does_not_cool_a_single_hot_key() {
    // One key takes a tenth of the requests: no placement of keys can split it.
    let mut trace: Vec<Vec<u8>> = keys(9_000);
    trace.extend(std::iter::repeat_n(key_name(7), 1_000));
    let hash = Scheme::hash_modulo(8);
    let hot = hottest_over_mean(&shard_load(&hash, &trace));
    assert!(hot > 1.6, "{hot}");
}

#[test]
fn splitting_a_range_moves_half_of_one_range_and_modulo_moves_most_keys() {
    let all = keys(10_000);
    let range = Scheme::range(&all, 4).expect("4 ranges");
    let split = moved_fraction(&range, &range.grow(&all), &all);
    assert!((split - 0.125).abs() < 0.001, "{split}");
    let modulo = Scheme::hash_modulo(4);
    let moved = moved_fraction(&modulo, &modulo.grow(&all), &all);
    assert!((moved - 0.8).abs() < 0.02, "{moved}");
    let ring = Scheme::hash_ring(4, 200);
    let moved = moved_fraction(&ring, &ring.grow(&all), &all);
    assert!((moved - 0.2).abs() < 0.05, "{moved}");
}

#[test]
fn cutting_ranges_refuses_more_shards_than_keys_and_unsorted_keys() {
    assert!(RangePartitioner::from_sorted_keys(&keys(3), 4).is_err());
    assert!(RangePartitioner::from_sorted_keys(&keys(3), 0).is_err());
    let unsorted = vec![key_name(2), key_name(1)];
    assert!(RangePartitioner::from_sorted_keys(&unsorted, 1).is_err());
}

#[test]
fn follower_reads_grow_staler_with_lag_and_leader_reads_never_are() {
    let mut last = -1.0;
    for lag in [0, 10, 50, 200] {
        let run = follower_reads(lag, 3_000, 10.0, 0.2, ReadFrom::Followers, 4).expect("valid");
        assert!(run.stale_share() >= last, "lag {lag}: {run:?}");
        assert!(
            (run.stale_share() - run.predicted).abs() < 0.06,
            "lag {lag}: {run:?}"
        );
        last = run.stale_share();
        let leader = follower_reads(lag, 3_000, 10.0, 0.2, ReadFrom::Leader, 4).expect("valid");
        assert_eq!(leader.stale, 0);
    }
}

#[test]
fn the_log_tail_never_hands_out_an_uncommitted_transaction() {
    let mut source = WalStore::with_log(SimulatedLog::new()).expect("a new log");
    source.begin().put("a", "1").commit().expect("commit");
    let whole = source.log().disk().len();
    source
        .begin()
        .put("b", "2")
        .put("c", "3")
        .commit()
        .expect("commit");
    let disk = source.log().disk().to_vec();
    let mut tail = LogTail::new();
    // Every prefix of the second transaction's bytes: only the first transaction comes out.
    for cut in whole..disk.len() {
        let mut tail = LogTail::new();
        assert_eq!(tail.poll(&disk[..cut], usize::MAX).len(), 1, "cut at {cut}");
    }
    assert_eq!(tail.poll(&disk, usize::MAX).len(), 3);
    assert_eq!(tail.last_tx(), 2);
}

#[derive(Clone, Debug)]
enum Step {
    Commit(Vec<(u8, Option<u8>)>), // (key, Some(word) for a put, None for a delete)
    Poll(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => prop::collection::vec((0u8..8, prop::option::of(0u8..5)), 1..4).prop_map(Step::Commit),
        1 => (1usize..6).prop_map(Step::Poll),
    ]
}

const WORDS: [&str; 5] = ["red apple", "green apple", "red car", "blue sky", "green"];

// ANCHOR: cdc_property
proptest! {
    /// Whatever the writes, deletes and polling pattern, once the tail has read the whole log
    /// the derived index holds exactly the source's documents and the index a rebuild gives.
    #[test]
    fn cdc_converges_to_the_source(steps in prop::collection::vec(step(), 0..40)) {
        let mut source = WalStore::with_log(SimulatedLog::new()).expect("a new log");
        let (mut tail, mut index) = (LogTail::new(), SearchIndex::default());
        for step in &steps {
            match step {
                Step::Commit(ops) => {
                    let mut tx = source.begin();
                    for (key, word) in ops {
                        let key = format!("doc{key}");
                        match word {
                            Some(w) => tx.put(&key, WORDS[*w as usize]),
                            None => tx.delete(&key),
                        };
                    }
                    tx.commit().expect("an in-memory log does not fail");
                }
                Step::Poll(records) => {
                    for change in tail.poll(source.log().disk(), *records) {
                        index.apply(&change);
                    }
                }
            }
        }
        for change in tail.poll(source.log().disk(), usize::MAX) {
            index.apply(&change);
        }
        let expected: BTreeMap<Vec<u8>, Vec<u8>> =
            source.iter().map(|(k, v)| (k.to_vec(), v.to_vec())).collect();
        prop_assert_eq!(index.documents(), &expected);
        prop_assert_eq!(&index, &SearchIndex::rebuild(source.iter()));
    }
}
// ANCHOR_END: cdc_property

proptest! {
    /// Range lookup agrees with a linear scan of the bounds, and a split moves only keys of
    /// the split range.
    #[test]
    fn range_lookup_matches_a_scan_and_splits_move_one_range(
        mut ids in prop::collection::btree_set(0u64..10_000, 2..200),
        shards in 1usize..8,
        probe in 0u64..10_000,
    ) {
        let sorted: Vec<Vec<u8>> = std::mem::take(&mut ids).into_iter().map(key_name).collect();
        prop_assume!(shards <= sorted.len());
        let ranges = RangePartitioner::from_sorted_keys(&sorted, shards).expect("valid");
        let probe = key_name(probe);
        let bounds: Vec<&Vec<u8>> =
            (1..shards).map(|i| &sorted[i * sorted.len() / shards]).collect();
        let by_scan = bounds.iter().filter(|b| b.as_slice() <= probe.as_slice()).count();
        prop_assert_eq!(ranges.shard_number(&probe), by_scan);
        let mut split = ranges.clone();
        split.split_busiest(&sorted);
        for key in &sorted {
            let (old, new) = (ranges.shard_number(key), split.shard_number(key));
            prop_assert!(old == new || new == shards, "{} moved from {} to {}", String::from_utf8_lossy(key), old, new);
        }
    }
}
