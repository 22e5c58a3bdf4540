//! Measuring a placement: how many keys move when nodes change, and how evenly keys spread.

use super::Placement;
use std::collections::BTreeMap;

/// `count` distinct keys, `b"key-0"`, `b"key-1"`, ...: deterministic, so every run agrees.
///
/// ```
/// use sysdesign::hashing::sample_keys;
///
/// assert_eq!(sample_keys(2), [b"key-0".to_vec(), b"key-1".to_vec()]);
/// ```
pub fn sample_keys(count: usize) -> Vec<Vec<u8>> {
    (0..count)
        .map(|i| format!("key-{i}").into_bytes())
        .collect()
}

// ANCHOR: remapped
/// The fraction of `keys` whose owner differs between `before` and `after` (0 when `keys` is empty).
///
/// ```
/// use sysdesign::hashing::{ModuloPlacement, Placement, remapped_fraction, sample_keys};
///
/// let mut before = ModuloPlacement::new();
/// before.add_node("a");
/// let mut after = before.clone();
/// after.add_node("b");
/// let moved = remapped_fraction(&before, &after, &sample_keys(10_000));
/// assert!((moved - 0.5).abs() < 0.05, "half the keys move to b: {moved}");
/// ```
pub fn remapped_fraction<A, B>(before: &A, after: &B, keys: &[Vec<u8>]) -> f64
where
    A: Placement + ?Sized,
    B: Placement + ?Sized,
{
    if keys.is_empty() {
        return 0.0;
    }
    let moved = keys
        .iter()
        .filter(|key| before.node_for(key) != after.node_for(key))
        .count();
    moved as f64 / keys.len() as f64
}
// ANCHOR_END: remapped

/// How evenly keys spread over nodes.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadSpread {
    /// Keys on the busiest node divided by the mean keys per node (1.0 is perfect).
    pub max_over_mean: f64,
    /// Keys on the idlest node divided by the mean (1.0 is perfect).
    pub min_over_mean: f64,
    /// Keys per node, by node name.
    pub counts: BTreeMap<String, usize>,
}

/// Counts the keys each of `nodes` owns and compares the busiest and idlest with the mean.
///
/// ```
/// use sysdesign::hashing::{Placement, Rendezvous, load_spread, sample_keys};
///
/// let mut nodes = Rendezvous::new();
/// for node in ["a", "b", "c", "d"] {
///     nodes.add_node(node);
/// }
/// let spread = load_spread(&nodes, &["a", "b", "c", "d"], &sample_keys(40_000));
/// assert!(spread.max_over_mean < 1.05, "{spread:?}");
/// assert_eq!(spread.counts.values().sum::<usize>(), 40_000);
/// ```
pub fn load_spread<P: Placement + ?Sized>(
    placement: &P,
    nodes: &[&str],
    keys: &[Vec<u8>],
) -> LoadSpread {
    let mut counts: BTreeMap<String, usize> = nodes.iter().map(|n| (n.to_string(), 0)).collect();
    for key in keys {
        if let Some(node) = placement.node_for(key) {
            *counts.entry(node.to_owned()).or_insert(0) += 1;
        }
    }
    let mean = keys.len() as f64 / counts.len().max(1) as f64;
    let max = counts.values().copied().max().unwrap_or(0) as f64;
    let min = counts.values().copied().min().unwrap_or(0) as f64;
    let ratio = |x: f64| if mean > 0.0 { x / mean } else { 0.0 };
    LoadSpread {
        max_over_mean: ratio(max),
        min_over_mean: ratio(min),
        counts,
    }
}
