//! Workloads: seeded key traces shaped like real traffic, and the replay that measures a hit ratio.
//!
//! Real request streams are skewed: a few keys (the celebrity's profile, today's top video) get
//! most of the requests, and a long tail gets a few each. The Zipf distribution models this: the
//! key of rank `r` is requested with probability proportional to `1 / r^s`. With `s` near 1, a
//! cache holding a small fraction of the keys serves a large fraction of the requests, which is
//! why caching works at all.

use super::Cache;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Zipf};
use std::fmt;

/// A Zipf workload that cannot be built: no keys, or an exponent that is negative or not a number.
///
/// ```
/// use sysdesign::caching::{ZipfError, zipf_trace};
/// let err = zipf_trace(0, 1.0, 10, 7).unwrap_err();
/// assert_eq!(err, ZipfError { n_keys: 0, exponent: 1.0 });
/// assert_eq!(
///     err.to_string(),
///     "a Zipf workload needs at least one key and an exponent >= 0, got n_keys = 0, exponent = 1"
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ZipfError {
    /// The number of distinct keys asked for.
    pub n_keys: u64,
    /// The exponent asked for.
    pub exponent: f64,
}

impl fmt::Display for ZipfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a Zipf workload needs at least one key and an exponent >= 0, got n_keys = {}, exponent = {}",
            self.n_keys, self.exponent
        )
    }
}

impl std::error::Error for ZipfError {}

/// `len` keys drawn from `0..n_keys` with Zipf(`exponent`) popularity; key 0 is the most popular.
///
/// The same arguments give the same trace, byte for byte, on every machine
/// (for a given version of `rand`, which `Cargo.lock` pins).
///
/// ```
/// use sysdesign::caching::zipf_trace;
///
/// let trace = zipf_trace(1000, 1.0, 10_000, 42).unwrap();
/// assert_eq!(trace, zipf_trace(1000, 1.0, 10_000, 42).unwrap());
/// assert!(trace.iter().all(|&k| k < 1000));
/// // Skew: the top key alone is far more common than 1 in 1000.
/// let top = trace.iter().filter(|&&k| k == 0).count();
/// assert!(top > 800, "{top}");
/// ```
pub fn zipf_trace(
    n_keys: u64,
    exponent: f64,
    len: usize,
    seed: u64,
) -> Result<Vec<u64>, ZipfError> {
    // rand_distr refuses n < 1 and a negative or NaN exponent.
    let zipf = Zipf::new(n_keys as f64, exponent).map_err(|_| ZipfError { n_keys, exponent })?;
    let mut rng = StdRng::seed_from_u64(seed);
    Ok((0..len)
        .map(|_| {
            // Samples are ranks 1..=n as floats; rank 1 becomes key 0.
            let rank: f64 = zipf.sample(&mut rng);
            (rank as u64).clamp(1, n_keys) - 1
        })
        .collect())
}

/// Hits and misses of a replayed trace.
///
/// ```
/// use sysdesign::caching::HitStats;
/// let stats = HitStats { hits: 3, misses: 1 };
/// assert_eq!(stats.requests(), 4);
/// assert_eq!(stats.hit_ratio(), 0.75);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HitStats {
    /// Requests the cache answered.
    pub hits: u64,
    /// Requests that went to the backing store.
    pub misses: u64,
}

impl HitStats {
    /// Hits plus misses.
    ///
    /// ```
    /// assert_eq!(sysdesign::caching::HitStats { hits: 2, misses: 5 }.requests(), 7);
    /// ```
    pub fn requests(&self) -> u64 {
        self.hits + self.misses
    }

    /// The fraction of requests that hit, 0 for no requests.
    ///
    /// ```
    /// assert_eq!(sysdesign::caching::HitStats::default().hit_ratio(), 0.0);
    /// ```
    pub fn hit_ratio(&self) -> f64 {
        match self.requests() {
            0 => 0.0,
            n => self.hits as f64 / n as f64,
        }
    }
}

/// Replays `trace` as a read-through cache would see it: `get` each key, and on a miss fetch it
/// (here: `V::default()`) and `put` it.
///
/// ```
/// use sysdesign::caching::{Lru, replay};
///
/// let mut cache: Lru<char, ()> = Lru::new(2).unwrap();
/// let stats = replay(&mut cache, &['A', 'B', 'A', 'C', 'B']);
/// assert_eq!((stats.hits, stats.misses), (1, 4));
/// ```
// ANCHOR: replay
pub fn replay<K, V, C>(cache: &mut C, trace: &[K]) -> HitStats
where
    K: Clone,
    V: Default,
    C: Cache<K, V> + ?Sized,
{
    let mut stats = HitStats::default();
    for key in trace {
        if cache.get(key).is_some() {
            stats.hits += 1;
        } else {
            stats.misses += 1;
            cache.put(key.clone(), V::default());
        }
    }
    stats
}
// ANCHOR_END: replay

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caching::{Fifo, Lfu, Lru, Mru};

    #[test]
    fn negative_or_nan_exponent_is_refused() {
        assert!(zipf_trace(10, -0.5, 1, 0).is_err());
        assert!(zipf_trace(10, f64::NAN, 1, 0).is_err());
        assert!(zipf_trace(1, 0.0, 3, 0).is_ok());
    }

    #[test]
    fn different_seeds_give_different_traces() {
        assert_ne!(
            zipf_trace(100, 1.0, 100, 1).unwrap(),
            zipf_trace(100, 1.0, 100, 2).unwrap()
        );
    }

    #[test]
    fn exponent_zero_is_roughly_uniform() {
        let trace = zipf_trace(4, 0.0, 40_000, 3).unwrap();
        for key in 0..4 {
            let n = trace.iter().filter(|&&k| k == key).count();
            assert!((9_000..11_000).contains(&n), "key {key}: {n}");
        }
    }

    #[test]
    fn every_request_is_a_hit_or_a_miss() {
        let trace = zipf_trace(500, 0.9, 5_000, 11).unwrap();
        let caches: Vec<Box<dyn Cache<u64, ()>>> = vec![
            Box::new(Lru::new(50).unwrap()),
            Box::new(Fifo::new(50).unwrap()),
            Box::new(Mru::new(50).unwrap()),
            Box::new(Lfu::new(50).unwrap()),
        ];
        for mut cache in caches {
            let stats = replay(cache.as_mut(), &trace);
            assert_eq!(stats.requests(), 5_000, "{}", cache.name());
            assert!(cache.len() <= 50);
        }
    }
}
