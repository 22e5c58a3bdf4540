//! Amdahl's law and the Universal Scalability Law: how much capacity N nodes really give.
//!
//! Both laws give the **relative capacity** `C(N)`: the throughput of N nodes over that of one.
//! Amdahl's law charges a serial fraction `σ` that no node can share [Amdahl 1967]; Gunther's
//! Universal Scalability Law adds a coherency cost `κ`, paid for every pair of nodes that must
//! agree, which makes capacity peak and then fall [Gunther 1993]:
//!
//! ```text
//! C(N) = N / (1 + σ (N - 1) + κ N (N - 1))        (κ = 0 is Amdahl's law)
//! ```

use std::fmt;

/// The two costs of the Universal Scalability Law, each a fraction of one node's time.
///
/// ```
/// use sysdesign::scaling::Usl;
///
/// let usl = Usl::new(0.05, 0.0).unwrap(); // Amdahl: 5 % serial
/// assert!((usl.capacity(1) - 1.0).abs() < 1e-12);
/// // Amdahl's ceiling is 1 / σ = 20, whatever N.
/// assert!(usl.capacity(1_000_000) < 20.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Usl {
    /// Contention, σ: the share of the work that queues for one shared resource.
    pub sigma: f64,
    /// Coherency, κ: the cost per pair of nodes of keeping shared state in agreement.
    pub kappa: f64,
}

/// A [`Usl`] with a cost outside `0 <= σ < 1`, `κ >= 0`, or not a number.
///
/// ```
/// use sysdesign::scaling::{Usl, UslError};
/// let err = Usl::new(1.5, 0.0).unwrap_err();
/// assert_eq!(err, UslError { sigma: 1.5, kappa: 0.0 });
/// assert_eq!(err.to_string(), "the USL needs 0 <= sigma < 1 and kappa >= 0, got sigma = 1.5, kappa = 0");
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UslError {
    /// The contention asked for.
    pub sigma: f64,
    /// The coherency asked for.
    pub kappa: f64,
}

impl fmt::Display for UslError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the USL needs 0 <= sigma < 1 and kappa >= 0, got sigma = {}, kappa = {}",
            self.sigma, self.kappa
        )
    }
}

impl std::error::Error for UslError {}

impl Usl {
    /// A model with contention `sigma` and coherency `kappa`.
    ///
    /// ```
    /// use sysdesign::scaling::Usl;
    /// assert!(Usl::new(0.0, 0.0).is_ok());
    /// assert!(Usl::new(0.1, -0.01).is_err());
    /// assert!(Usl::new(f64::NAN, 0.0).is_err());
    /// ```
    pub fn new(sigma: f64, kappa: f64) -> Result<Usl, UslError> {
        if (0.0..1.0).contains(&sigma) && kappa >= 0.0 && kappa.is_finite() {
            Ok(Usl { sigma, kappa })
        } else {
            Err(UslError { sigma, kappa })
        }
    }

    // ANCHOR: capacity
    /// The throughput of `n` nodes in units of one node's: `C(n)`; 0 for no node.
    ///
    /// ```
    /// use sysdesign::scaling::Usl;
    /// let linear = Usl::new(0.0, 0.0).unwrap();
    /// assert_eq!(linear.capacity(8), 8.0);
    /// let usl = Usl::new(0.03, 0.0005).unwrap();
    /// assert!(usl.capacity(8) < 8.0);
    /// ```
    pub fn capacity(&self, n: u32) -> f64 {
        let n = f64::from(n);
        if n == 0.0 {
            return 0.0;
        }
        n / (1.0 + self.sigma * (n - 1.0) + self.kappa * n * (n - 1.0))
    }
    // ANCHOR_END: capacity

    /// The node count that gives the most capacity, `sqrt((1 - σ) / κ)` rounded to the better
    /// neighbour [Gunther 2007]; `None` when κ = 0, where capacity grows for ever toward `1 / σ`.
    ///
    /// ```
    /// use sysdesign::scaling::Usl;
    /// let usl = Usl::new(0.03, 0.0005).unwrap();
    /// let peak = usl.peak().unwrap();
    /// assert!(usl.capacity(peak) >= usl.capacity(peak + 1));
    /// assert!(usl.capacity(peak) >= usl.capacity(peak - 1));
    /// assert_eq!(Usl::new(0.03, 0.0).unwrap().peak(), None);
    /// ```
    pub fn peak(&self) -> Option<u32> {
        if self.kappa == 0.0 {
            return None;
        }
        let x = ((1.0 - self.sigma) / self.kappa).sqrt();
        let (lo, hi) = (x.floor().max(1.0) as u32, x.ceil().max(1.0) as u32);
        Some(if self.capacity(hi) > self.capacity(lo) {
            hi
        } else {
            lo
        })
    }

    /// The fewest nodes whose capacity reaches `target` (in units of one node), or `None` if
    /// no number of nodes does (the target is above the peak, or above Amdahl's `1 / σ`).
    ///
    /// ```
    /// use sysdesign::scaling::Usl;
    /// let usl = Usl::new(0.03, 0.0005).unwrap();
    /// let n = usl.nodes_for(10.0).unwrap();
    /// assert!(usl.capacity(n) >= 10.0 && usl.capacity(n - 1) < 10.0);
    /// assert_eq!(usl.nodes_for(100.0), None);
    /// assert_eq!(Usl::new(0.0, 0.0).unwrap().nodes_for(10.0), Some(10));
    /// ```
    pub fn nodes_for(&self, target: f64) -> Option<u32> {
        if target <= 0.0 {
            return Some(0);
        }
        // Capacity rises up to the peak (or for ever when κ = 0), so a linear search up to the
        // peak, bounded, finds the first n; past the peak it only falls.
        let limit = self.peak().unwrap_or(1_000_000);
        (1..=limit).find(|&n| self.capacity(n) >= target)
    }
}
