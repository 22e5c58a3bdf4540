//! HyperLogLog: how many distinct viewers, in a few kilobytes whatever their number.

use std::fmt;

use crate::hashing::stable_hash;

/// Why a sketch could not be built or merged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SketchError {
    /// The precision must be from 4 to 16 (16 to 65,536 registers).
    Precision(u8),
    /// Two sketches of different precisions cannot be merged.
    Mismatch {
        /// The precision of the sketch merged into.
        ours: u8,
        /// The precision of the other.
        theirs: u8,
    },
}

impl fmt::Display for SketchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SketchError::Precision(p) => write!(f, "precision {p} is outside 4..=16"),
            SketchError::Mismatch { ours, theirs } => {
                write!(
                    f,
                    "cannot merge a precision-{theirs} sketch into a precision-{ours} one"
                )
            }
        }
    }
}

impl std::error::Error for SketchError {}

// ANCHOR: hll
/// A HyperLogLog sketch (Flajolet, Fusy, Gandouet and Meunier, 2007): each item's 64-bit hash
/// picks one of `m = 2^precision` registers with its first bits, and the register keeps the
/// longest run of leading zeros (plus one) seen in the rest. Long runs are rare, so the
/// registers' harmonic mean estimates how many distinct hashes went in; an item seen twice
/// changes nothing. The standard error is about 1.04 / √m.
///
/// ```
/// use sysdesign::video_analytics::HyperLogLog;
///
/// let mut viewers = HyperLogLog::new(14)?;
/// for id in 0..100_000u64 {
///     viewers.insert(&id.to_le_bytes());
///     viewers.insert(&id.to_le_bytes()); // a second view by the same viewer
/// }
/// let error = (viewers.estimate() - 100_000.0).abs() / 100_000.0;
/// assert!(error < 3.0 * viewers.standard_error());
/// # Ok::<(), sysdesign::video_analytics::SketchError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HyperLogLog {
    precision: u8,
    registers: Vec<u8>,
}

impl HyperLogLog {
    /// An empty sketch with `2^precision` registers.
    ///
    /// # Errors
    /// [`SketchError::Precision`] unless `4 <= precision <= 16`.
    pub fn new(precision: u8) -> Result<Self, SketchError> {
        if !(4..=16).contains(&precision) {
            return Err(SketchError::Precision(precision));
        }
        Ok(HyperLogLog {
            precision,
            registers: vec![0; 1 << precision],
        })
    }

    /// Adds an item (its XXH3 hash).
    pub fn insert(&mut self, item: &[u8]) {
        self.insert_hash(stable_hash(item));
    }

    /// Adds an item by its 64-bit hash.
    pub fn insert_hash(&mut self, hash: u64) {
        let p = u32::from(self.precision);
        let index = (hash >> (64 - p)) as usize;
        let rest = hash << p;
        let rank = if rest == 0 {
            64 - p + 1
        } else {
            rest.leading_zeros() + 1
        };
        let register = &mut self.registers[index];
        *register = (*register).max(rank as u8);
    }

    /// The estimated number of distinct items, with the small-range correction (linear
    /// counting while registers are still empty).
    pub fn estimate(&self) -> f64 {
        let m = self.registers.len() as f64;
        let alpha = match self.registers.len() {
            16 => 0.673,
            32 => 0.697,
            64 => 0.709,
            _ => 0.7213 / (1.0 + 1.079 / m),
        };
        let sum: f64 = self
            .registers
            .iter()
            .map(|&r| 2f64.powi(-i32::from(r)))
            .sum();
        let raw = alpha * m * m / sum;
        let empty = self.registers.iter().filter(|&&r| r == 0).count();
        if raw <= 2.5 * m && empty > 0 {
            m * (m / empty as f64).ln()
        } else {
            raw
        }
    }

    /// Folds `other` in: the result is the sketch of the union of both inputs.
    ///
    /// # Errors
    /// [`SketchError::Mismatch`] when the precisions differ.
    pub fn merge(&mut self, other: &HyperLogLog) -> Result<(), SketchError> {
        if other.precision != self.precision {
            return Err(SketchError::Mismatch {
                ours: self.precision,
                theirs: other.precision,
            });
        }
        for (a, &b) in self.registers.iter_mut().zip(&other.registers) {
            *a = (*a).max(b);
        }
        Ok(())
    }
    // ANCHOR_END: hll

    /// The expected relative standard error, 1.04 / √m.
    pub fn standard_error(&self) -> f64 {
        1.04 / (self.registers.len() as f64).sqrt()
    }

    /// Bytes the registers need packed six bits each, as Redis stores them (a register never
    /// exceeds 65 here, which fits six bits); this struct spends a byte on each for speed.
    pub fn packed_bytes(&self) -> usize {
        (self.registers.len() * 6).div_ceil(8)
    }
}
