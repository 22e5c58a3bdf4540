//! Video analytics: counting the distinct viewers of every video, exactly or in a sketch.
//!
//! A video platform counts views per video, and the harder question, distinct viewers per
//! video, per day, per country. An exact count must remember every viewer it has seen, so its
//! memory grows with the audience; across millions of videos and many windows that memory is
//! the cost of the feature. A [`HyperLogLog`] remembers only a few thousand small registers
//! per count, whatever the audience, at a known relative error, and two sketches merge into
//! the sketch of the union, so per-hour sketches add up to a day without seeing a viewer
//! twice.
//!
//! The design decision is to implement the algorithm as published (Flajolet et al., 2007,
//! with the linear-counting correction for small counts) on the book's stable hash (XXH3),
//! so the error measured by [`error_at`] on seeded audiences can be set against the
//! theoretical 1.04 / √m.
//!
//! ```
//! use sysdesign::video_analytics::error_at;
//!
//! // 2^10 registers over an audience of 50,000, ten seeded audiences.
//! let (mean_error, _) = error_at(10, 50_000, 10);
//! assert!(mean_error < 0.06); // about 1.04 / 32 = 3.25 % standard error
//! ```

mod hll;

pub use hll::{HyperLogLog, SketchError};

use crate::hashing::stable_hash;

// ANCHOR: error_at
/// The mean relative error (and the worst) of a sketch of `2^precision` registers counting
/// an audience of `viewers` distinct ids, over `trials` audiences (trial `t` hashes the ids
/// with `t` mixed in, so every trial is a different, reproducible audience).
///
/// # Panics
/// If `precision` is outside 4..=16.
pub fn error_at(precision: u8, viewers: u64, trials: u64) -> (f64, f64) {
    let mut sum = 0.0;
    let mut worst: f64 = 0.0;
    for trial in 0..trials.max(1) {
        let mut sketch = HyperLogLog::new(precision).expect("a precision from 4 to 16");
        for id in 0..viewers {
            let mut key = [0u8; 16];
            key[..8].copy_from_slice(&trial.to_le_bytes());
            key[8..].copy_from_slice(&id.to_le_bytes());
            sketch.insert_hash(stable_hash(&key));
        }
        let error = (sketch.estimate() - viewers as f64).abs() / viewers.max(1) as f64;
        sum += error;
        worst = worst.max(error);
    }
    (sum / trials.max(1) as f64, worst)
}
// ANCHOR_END: error_at
