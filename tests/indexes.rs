//! Tests of `sysdesign::indexes`: the three structures against a plain reference, the counts,
//! and SQLite's answers and plans before and after an index.

use proptest::prelude::*;
use sysdesign::indexes::sqlite::NumbersTable;
use sysdesign::indexes::{
    BTreeIndex, DuplicateKey, FullScan, HashIndex, KeyIndex, comparisons, distinct_keys,
};

fn all(keys: &[u64]) -> Vec<Box<dyn KeyIndex>> {
    vec![
        Box::new(FullScan::new(keys).expect("distinct")),
        Box::new(BTreeIndex::new(keys).expect("distinct")),
        Box::new(HashIndex::new(keys).expect("distinct")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, rng_seed: proptest::test_runner::RngSeed::Fixed(3), ..ProptestConfig::default() })]

    /// Every structure answers point and range queries exactly as a linear search of the rows does.
    #[test]
    fn every_index_answers_like_a_linear_search(
        keys in proptest::collection::hash_set(0u64..500, 0..80),
        probes in proptest::collection::vec(0u64..520, 1..20),
        low in 0u64..520,
        width in 0u64..200,
    ) {
        let keys: Vec<u64> = keys.into_iter().collect();
        let high = low + width;
        let mut expected_range: Vec<(u64, usize)> = keys.iter().enumerate()
            .filter(|(_, k)| (low..=high).contains(*k)).map(|(r, &k)| (k, r)).collect();
        expected_range.sort_unstable();
        let expected_range: Vec<usize> = expected_range.into_iter().map(|(_, r)| r).collect();
        for index in all(&keys) {
            for &probe in &probes {
                prop_assert_eq!(index.get(probe), keys.iter().position(|&k| k == probe), "{}", index.name());
            }
            prop_assert_eq!(index.range(low, high), expected_range.clone(), "{}", index.name());
            prop_assert!(index.range(high + 1, low).is_empty());
        }
    }
}

#[test]
fn a_full_scan_compares_every_row_for_a_missing_key() {
    let keys = distinct_keys(1_000, 1);
    let scan = FullScan::new(&keys).expect("distinct");
    let (row, n) = comparisons(|| scan.get(u64::MAX));
    assert_eq!((row, n), (None, 1_000));
}

#[test]
fn a_btree_lookup_costs_far_fewer_comparisons_than_a_scan_and_a_hash_about_one() {
    let keys = distinct_keys(100_000, 2);
    let btree = BTreeIndex::new(&keys).expect("distinct");
    let hash = HashIndex::new(&keys).expect("distinct");
    let (_, tree) = comparisons(|| btree.get(keys[777]));
    let (_, hashed) = comparisons(|| hash.get(keys[777]));
    // Eleven keys per node at most, searched linearly, about log_6(n) levels.
    assert!(tree <= 11 * 8, "B-tree made {tree} comparisons");
    assert!(hashed <= 2, "hash made {hashed} comparisons");
}

#[test]
fn a_hash_range_query_reads_every_entry_but_a_btree_does_not() {
    let keys = distinct_keys(10_000, 3);
    let (btree, hash) = (
        BTreeIndex::new(&keys).expect("distinct"),
        HashIndex::new(&keys).expect("distinct"),
    );
    let (from_tree, tree) = comparisons(|| btree.range(1_000, 2_000));
    let (from_hash, hashed) = comparisons(|| hash.range(1_000, 2_000));
    assert_eq!(from_tree, from_hash);
    assert!(hashed >= 10_000);
    assert!(tree < 100);
}

#[test]
fn duplicate_keys_are_refused_with_the_key_and_row() {
    let err = BTreeIndex::new(&[5, 6, 5]).expect_err("5 twice");
    assert_eq!(err, DuplicateKey { key: 5, row: 2 });
    assert_eq!(err.to_string(), "key 5 appears again at row 2");
    assert!(HashIndex::new(&[1, 1]).is_err());
}

#[test]
fn sqlite_gives_the_same_answers_with_and_without_the_index() {
    let table = NumbersTable::create(5_000, 9).expect("in-memory database");
    let queries = [
        "SELECT id FROM numbers WHERE value BETWEEN 100000 AND 400000 ORDER BY id",
        "SELECT value FROM numbers ORDER BY value DESC LIMIT 10",
        "SELECT count(*) FROM numbers WHERE value < 2000000",
    ];
    let before: Vec<_> = queries
        .iter()
        .map(|q| table.run(q).expect("valid").rows)
        .collect();
    table.create_index().expect("new index");
    let after: Vec<_> = queries
        .iter()
        .map(|q| table.run(q).expect("valid").rows)
        .collect();
    assert_eq!(before, after);
}

#[test]
fn sqlite_scans_the_table_without_the_index_and_searches_it_with() {
    let table = NumbersTable::create(2_000, 4).expect("in-memory database");
    let sql = "SELECT id FROM numbers WHERE value BETWEEN 10 AND 20000";
    assert_eq!(table.plan(sql).expect("valid"), ["SCAN numbers"]);
    assert_eq!(table.run(sql).expect("valid").fullscan_steps, 1_999);
    table.create_index().expect("new index");
    let plan = table.plan(sql).expect("valid");
    assert!(plan[0].starts_with("SEARCH numbers USING COVERING INDEX numbers_value"));
    assert_eq!(table.run(sql).expect("valid").fullscan_steps, 0);
}

#[test]
fn a_bad_query_reports_its_sql() {
    let table = NumbersTable::create(1, 1).expect("in-memory database");
    let err = table
        .run("SELECT nope FROM numbers")
        .expect_err("no such column");
    assert!(err.to_string().starts_with("SELECT nope FROM numbers:"));
}
