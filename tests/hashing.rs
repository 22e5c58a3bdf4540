//! Tests of `sysdesign::hashing`: behaviour of each placement scheme, the remap bounds the
//! chapter quotes, property tests of stability under unrelated changes, and a differential test
//! of the ring against the `hashring` crate.

use proptest::prelude::*;
use std::hash::{Hash, Hasher};
use sysdesign::hashing::{
    HashRing, HashingError, MAX_VIRTUAL_NODES, ModuloPlacement, Placement, Rendezvous, load_spread,
    remapped_fraction, sample_keys, stable_hash,
};
use xxhash_rust::xxh3::Xxh3Builder;

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("node-{i}")).collect()
}

fn with_nodes<P: Placement>(mut placement: P, nodes: &[String]) -> P {
    for node in nodes {
        placement.add_node(node);
    }
    placement
}

fn schemes() -> Vec<(&'static str, Box<dyn Placement>)> {
    vec![
        ("modulo", Box::new(ModuloPlacement::new())),
        ("ring", Box::new(HashRing::new(100))),
        ("rendezvous", Box::new(Rendezvous::new())),
    ]
}

#[test]
fn every_scheme_returns_none_without_nodes_and_the_only_node_with_one() {
    for (name, mut placement) in schemes() {
        assert_eq!(placement.node_for(b"k"), None, "{name}");
        placement.add_node("only");
        assert_eq!(placement.node_for(b"k"), Some("only"), "{name}");
        assert!(placement.remove_node("only"), "{name}");
        assert!(!placement.remove_node("only"), "{name}");
        assert_eq!(placement.node_for(b"k"), None, "{name}");
    }
}

#[test]
fn adding_a_node_twice_changes_nothing() {
    let mut ring = with_nodes(HashRing::new(10), &names(3));
    ring.add_node("node-1");
    assert_eq!(ring.virtual_nodes().len(), 30);
    assert_eq!(ring.nodes(), ["node-0", "node-1", "node-2"]);
}

#[test]
fn a_ring_with_zero_virtual_nodes_is_an_error_naming_the_count() {
    let error = HashRing::try_new(0).unwrap_err();
    assert_eq!(error, HashingError::ZeroVirtualNodes(0));
    assert!(error.to_string().contains("not 0"));
}

#[test]
fn the_stable_hash_is_xxh3_and_fixed_across_runs() {
    // Reference value of XXH3-64 for "a" (the algorithm's own test vectors agree).
    assert_eq!(stable_hash(b""), 0x2d06_8005_38d3_94c2);
    assert_eq!(stable_hash(b"a"), xxh3_reference(b"a"));
}

fn xxh3_reference(bytes: &[u8]) -> u64 {
    // The crate's streaming API, a second path to the same function.
    let mut state = xxhash_rust::xxh3::Xxh3::new();
    state.update(bytes);
    state.digest()
}

#[test]
fn a_removed_nodes_keys_go_to_the_next_node_clockwise_not_the_previous() {
    let nodes = names(5);
    let before = with_nodes(HashRing::new(100), &nodes);
    let mut after = before.clone();
    after.remove_node("node-2");
    let mut checked = 0;
    for key in sample_keys(20_000) {
        let preference = before.nodes_for(&key, 2);
        if preference[0] == "node-2" {
            assert_eq!(after.node_for(&key), Some(preference[1]));
            checked += 1;
        } else {
            assert_eq!(after.node_for(&key), Some(preference[0]));
        }
    }
    assert!(checked > 3_000, "node-2 owned {checked} keys");
}

#[test]
fn ring_remaps_about_one_over_n_plus_one_on_a_join_and_modulo_almost_all() {
    let keys = sample_keys(100_000);
    for n in [4, 9, 19] {
        let nodes = names(n + 1);
        let ideal = 1.0 / (n + 1) as f64;
        for vnodes in [100, 200] {
            let before = with_nodes(HashRing::new(vnodes), &nodes[..n]);
            let mut after = before.clone();
            after.add_node(&nodes[n]);
            let moved = remapped_fraction(&before, &after, &keys);
            assert!(
                moved <= 1.2 * ideal && moved >= ideal / 1.2,
                "ring n={n} v={vnodes}: moved {moved}, ideal {ideal}"
            );
        }
        let before = with_nodes(Rendezvous::new(), &nodes[..n]);
        let mut after = before.clone();
        after.add_node(&nodes[n]);
        let moved = remapped_fraction(&before, &after, &keys);
        assert!(
            (moved - ideal).abs() < 0.1 * ideal,
            "rendezvous n={n}: {moved}"
        );

        let before = with_nodes(ModuloPlacement::new(), &nodes[..n]);
        let mut after = before.clone();
        after.add_node(&nodes[n]);
        let moved = remapped_fraction(&before, &after, &keys);
        let expected = 1.0 - ideal;
        assert!(
            (moved - expected).abs() < 0.02,
            "modulo n={n}: {moved} vs {expected}"
        );
    }
}

#[test]
fn more_virtual_nodes_spread_keys_more_evenly() {
    let nodes = names(10);
    let refs: Vec<&str> = nodes.iter().map(String::as_str).collect();
    let keys = sample_keys(100_000);
    let spread = |v| load_spread(&with_nodes(HashRing::new(v), &nodes), &refs, &keys).max_over_mean;
    let (one, hundred, thousand) = (spread(1), spread(100), spread(1_000));
    assert!(one > 1.5, "one point per node is lopsided: {one}");
    assert!(hundred < 1.3, "{hundred}");
    assert!(thousand < 1.1, "{thousand}");
}

#[test]
fn nodes_for_lists_distinct_nodes_starting_with_the_owner() {
    let ring = with_nodes(HashRing::new(20), &names(6));
    for key in sample_keys(500) {
        let list = ring.nodes_for(&key, 3);
        assert_eq!(list.len(), 3);
        assert_eq!(Some(list[0]), ring.node_for(&key));
        assert!(list[0] != list[1] && list[1] != list[2] && list[0] != list[2]);
        assert_eq!(ring.nodes_for(&key, 0), Vec::<&str>::new());
        assert_eq!(ring.nodes_for(&key, 99).len(), 6);
    }
}

// Differential test: the `hashring` crate, given the same hash (XXH3 of the same bytes) and the
// same virtual-node labels, must pick the same node for every key.

/// A virtual node whose `Hash` writes exactly the label our ring hashes, `"{node}#{replica}"`.
#[derive(Clone, Debug)]
struct Label(String, String);

impl Hash for Label {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.1.as_bytes());
    }
}

/// A key whose `Hash` writes its raw bytes (no length prefix), as our ring hashes it.
struct RawKey<'a>(&'a [u8]);

impl Hash for RawKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.0);
    }
}

#[test]
fn the_ring_agrees_with_the_hashring_crate_on_every_key() {
    let nodes = names(8);
    let vnodes = 64;
    let ours = with_nodes(HashRing::new(vnodes), &nodes);
    let mut theirs: hashring::HashRing<Label, Xxh3Builder> =
        hashring::HashRing::with_hasher(Xxh3Builder::new());
    for node in &nodes {
        for replica in 0..vnodes {
            theirs.add(Label(node.clone(), format!("{node}#{replica}")));
        }
    }
    for key in sample_keys(20_000) {
        let expected = theirs.get(&RawKey(&key)).map(|label| label.0.as_str());
        assert_eq!(
            ours.node_for(&key),
            expected,
            "key {:?}",
            String::from_utf8_lossy(&key)
        );
    }
}

#[derive(Clone, Debug)]
enum Op {
    Add(u8),
    Remove(u8),
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(
        prop_oneof![(0u8..12).prop_map(Op::Add), (0u8..12).prop_map(Op::Remove)],
        1..30,
    )
}

fn check_only_the_changed_node_moves_keys<P: Placement + Clone>(
    mut placement: P,
    ops: &[Op],
    keys: &[Vec<u8>],
) -> Result<(), TestCaseError> {
    for op in ops {
        let before = placement.clone();
        match op {
            Op::Add(i) => {
                let node = format!("n{i}");
                placement.add_node(&node);
                for key in keys {
                    let (old, new) = (before.node_for(key), placement.node_for(key));
                    // A key moves only onto the node that joined.
                    prop_assert!(old == new || new == Some(node.as_str()));
                }
            }
            Op::Remove(i) => {
                let node = format!("n{i}");
                placement.remove_node(&node);
                for key in keys {
                    let (old, new) = (before.node_for(key), placement.node_for(key));
                    // Only the keys of the node that left move.
                    prop_assert!(old == new || old == Some(node.as_str()));
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, rng_seed: proptest::test_runner::RngSeed::Fixed(6), ..ProptestConfig::default() })]

    #[test]
    fn ring_lookups_are_stable_under_unrelated_joins_and_leaves(ops in ops()) {
        check_only_the_changed_node_moves_keys(HashRing::new(16), &ops, &sample_keys(300))?;
    }

    #[test]
    fn rendezvous_lookups_are_stable_under_unrelated_joins_and_leaves(ops in ops()) {
        check_only_the_changed_node_moves_keys(Rendezvous::new(), &ops, &sample_keys(300))?;
    }

    #[test]
    fn the_ring_depends_only_on_the_set_of_nodes_not_the_history(ops in ops()) {
        // Model: a ring built from scratch from the surviving set of nodes, in sorted order.
        let mut ring = HashRing::new(8);
        let mut model = std::collections::BTreeSet::new();
        for op in &ops {
            match op {
                Op::Add(i) => { ring.add_node(&format!("n{i}")); model.insert(format!("n{i}")); }
                Op::Remove(i) => {
                    let removed = ring.remove_node(&format!("n{i}"));
                    prop_assert_eq!(removed, model.remove(&format!("n{i}")));
                }
            }
        }
        let fresh = with_nodes(HashRing::new(8), &model.iter().cloned().collect::<Vec<_>>());
        for key in sample_keys(200) {
            prop_assert_eq!(ring.node_for(&key), fresh.node_for(&key));
            prop_assert_eq!(ring.nodes_for(&key, 3), fresh.nodes_for(&key, 3));
        }
    }

    #[test]
    fn a_ring_join_remaps_a_fraction_near_the_new_nodes_share(n in 3usize..15) {
        let nodes = names(n + 1);
        let before = with_nodes(HashRing::new(150), &nodes[..n]);
        let mut after = before.clone();
        after.add_node(&nodes[n]);
        let moved = remapped_fraction(&before, &after, &sample_keys(20_000));
        let ideal = 1.0 / (n + 1) as f64;
        prop_assert!(moved < 1.3 * ideal && moved > ideal / 1.3, "n={} moved={} ideal={}", n, moved, ideal);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, rng_seed: proptest::test_runner::RngSeed::Fixed(16), ..ProptestConfig::default() })]

    /// Any count of virtual nodes is refused with the limit named, or gives a ring that places
    /// exactly that many points per node: never a silent cast.
    #[test]
    fn extreme_virtual_node_counts_are_refused_or_honoured(
        asked in prop_oneof![
            Just(0usize), Just(1), Just(MAX_VIRTUAL_NODES), Just(MAX_VIRTUAL_NODES + 1),
            Just(1usize << 32), Just((1usize << 32) + 3), Just(usize::MAX), 0usize..300, any::<usize>(),
        ],
    ) {
        match HashRing::try_new(asked) {
            Ok(mut ring) => {
                prop_assert!((1..=MAX_VIRTUAL_NODES).contains(&asked));
                ring.add_node("a");
                prop_assert_eq!(ring.virtual_nodes().len(), asked);
                prop_assert_eq!(ring.node_for(b"key"), Some("a"));
            }
            Err(HashingError::ZeroVirtualNodes(0)) => prop_assert_eq!(asked, 0),
            Err(HashingError::TooManyVirtualNodes { asked: got, limit }) => {
                prop_assert_eq!(got, asked);
                prop_assert_eq!(limit, MAX_VIRTUAL_NODES);
                prop_assert!(asked > limit);
            }
            Err(other) => prop_assert!(false, "unexpected {other}"),
        }
    }
}
