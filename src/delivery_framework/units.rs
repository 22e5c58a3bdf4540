//! Quantities with their unit in the type: a count, bytes, seconds, and the two rates made of
//! them (things per second, bytes per second).
//!
//! Each is a newtype over `f64`, because estimates are rough and span twenty orders of
//! magnitude. Only the arithmetic that means something is implemented: bytes add to bytes,
//! bytes divided by seconds are a bandwidth, a rate times a time is a count. Adding bytes to
//! seconds is not a wrong answer at run time; it does not compile.
//!
//! ```compile_fail
//! use sysdesign::delivery_framework::{Bytes, Seconds};
//!
//! let nonsense = Bytes::new(1.0) + Seconds::new(1.0); // error[E0308]: mismatched types
//! ```
//!
//! What does compile is the physics:
//!
//! ```
//! use sysdesign::delivery_framework::{Bytes, Seconds};
//!
//! let link = Bytes::giga(1.0).per(Seconds::new(8.0)); // 1 GB in 8 s
//! assert_eq!(link.bits_per_second(), 1e9);            // is one gigabit per second
//! assert_eq!((Bytes::mega(1.0) / link).get(), 0.008);  // 1 MB takes 8 ms
//! ```

use std::fmt;
use std::ops::{Add, Div, Mul};

// ANCHOR: newtypes
/// A number of things: users, requests, items. Dimensionless, so counts multiply.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Default)]
pub struct Count(f64);

/// An amount of data, in bytes (decimal prefixes: 1 kB = 1,000 B).
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Default)]
pub struct Bytes(f64);

/// A span of time, in seconds.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Default)]
pub struct Seconds(f64);

/// Things per second: requests per second, arrivals per second.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Default)]
pub struct PerSecond(f64);

/// Bytes per second: bandwidth or throughput of data.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Default)]
pub struct BytesPerSecond(f64);
// ANCHOR_END: newtypes

macro_rules! quantity {
    ($t:ident, $doc_new:literal) => {
        impl $t {
            #[doc = $doc_new]
            pub const fn new(value: f64) -> Self {
                $t(value)
            }

            /// The value in the type's base unit, as a bare number (for printing or charts).
            pub const fn get(self) -> f64 {
                self.0
            }
        }

        impl Add for $t {
            type Output = $t;
            fn add(self, other: $t) -> $t {
                $t(self.0 + other.0)
            }
        }

        /// Scaling by a bare factor keeps the unit.
        impl Mul<f64> for $t {
            type Output = $t;
            fn mul(self, factor: f64) -> $t {
                $t(self.0 * factor)
            }
        }

        /// Scaling by a bare factor keeps the unit.
        impl Mul<$t> for f64 {
            type Output = $t;
            fn mul(self, quantity: $t) -> $t {
                $t(self * quantity.0)
            }
        }

        /// The ratio of two quantities of the same unit is a bare number.
        impl Div for $t {
            type Output = f64;
            fn div(self, other: $t) -> f64 {
                self.0 / other.0
            }
        }
    };
}

quantity!(Count, "This many things.");
quantity!(Bytes, "This many bytes.");
quantity!(Seconds, "This many seconds.");
quantity!(PerSecond, "This many per second.");
quantity!(BytesPerSecond, "This many bytes per second.");

impl Bytes {
    /// `n` kilobytes, 10³ bytes.
    pub const fn kilo(n: f64) -> Self {
        Bytes(n * 1e3)
    }
    /// `n` megabytes, 10⁶ bytes.
    pub const fn mega(n: f64) -> Self {
        Bytes(n * 1e6)
    }
    /// `n` gigabytes, 10⁹ bytes.
    pub const fn giga(n: f64) -> Self {
        Bytes(n * 1e9)
    }
    /// `n` terabytes, 10¹² bytes.
    pub const fn tera(n: f64) -> Self {
        Bytes(n * 1e12)
    }
    /// `n` mebibytes, 2²⁰ bytes (what `ls -h` and memory sizes mean by "M").
    pub const fn mebi(n: f64) -> Self {
        Bytes(n * 1_048_576.0)
    }
    /// The number of bits, eight per byte.
    pub const fn bits(self) -> f64 {
        self.0 * 8.0
    }
    /// This much data arriving or leaving in `time`: a bandwidth.
    pub fn per(self, time: Seconds) -> BytesPerSecond {
        self / time
    }
}

impl Seconds {
    /// One minute.
    pub const MINUTE: Seconds = Seconds(60.0);
    /// One hour.
    pub const HOUR: Seconds = Seconds(3_600.0);
    /// One day, 24 × 60 × 60 = 86,400 s.
    pub const DAY: Seconds = Seconds(86_400.0);
    /// A calendar year of 365 days (a Julian year of 365.25 days is 21,600 s longer).
    pub const YEAR: Seconds = Seconds(365.0 * 86_400.0);

    /// `n` milliseconds.
    pub const fn millis(n: f64) -> Self {
        Seconds(n * 1e-3)
    }
    /// `n` microseconds.
    pub const fn micros(n: f64) -> Self {
        Seconds(n * 1e-6)
    }
    /// `n` nanoseconds.
    pub const fn nanos(n: f64) -> Self {
        Seconds(n * 1e-9)
    }
    /// `n` days.
    pub const fn days(n: f64) -> Self {
        Seconds(n * 86_400.0)
    }
    /// The time in nanoseconds, as a bare number.
    pub const fn as_nanos(self) -> f64 {
        self.0 * 1e9
    }
    /// A [`std::time::Duration`] measured by a clock, as seconds.
    pub fn from_duration(d: std::time::Duration) -> Self {
        Seconds(d.as_secs_f64())
    }
}

impl BytesPerSecond {
    /// `n` gigabits per second, the way network links are sold (10⁹ bits, not bytes).
    pub const fn gigabits(n: f64) -> Self {
        BytesPerSecond(n * 1e9 / 8.0)
    }
    /// The same bandwidth in bits per second.
    pub const fn bits_per_second(self) -> f64 {
        self.0 * 8.0
    }
    /// The bandwidth in bits per second with an SI prefix, as links are quoted: `1.85 Tbit/s`.
    ///
    /// ```
    /// use sysdesign::delivery_framework::BytesPerSecond;
    /// assert_eq!(BytesPerSecond::new(125e6).in_bits(), "1 Gbit/s");
    /// ```
    pub fn in_bits(self) -> String {
        struct Bits(f64);
        impl fmt::Display for Bits {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                si(f, self.0, "bit/s")
            }
        }
        Bits(self.bits_per_second()).to_string()
    }
}

// ANCHOR: arithmetic
/// Data over time is a bandwidth.
impl Div<Seconds> for Bytes {
    type Output = BytesPerSecond;
    fn div(self, time: Seconds) -> BytesPerSecond {
        BytesPerSecond(self.0 / time.0)
    }
}

/// Data over a bandwidth is the time it takes.
impl Div<BytesPerSecond> for Bytes {
    type Output = Seconds;
    fn div(self, rate: BytesPerSecond) -> Seconds {
        Seconds(self.0 / rate.0)
    }
}

/// A bandwidth sustained for a time moves this much data.
impl Mul<Seconds> for BytesPerSecond {
    type Output = Bytes;
    fn mul(self, time: Seconds) -> Bytes {
        Bytes(self.0 * time.0)
    }
}

/// Things over time is a rate.
impl Div<Seconds> for Count {
    type Output = PerSecond;
    fn div(self, time: Seconds) -> PerSecond {
        PerSecond(self.0 / time.0)
    }
}

/// A rate sustained for a time is a count (and, with the time spent inside, Little's law).
impl Mul<Seconds> for PerSecond {
    type Output = Count;
    fn mul(self, time: Seconds) -> Count {
        Count(self.0 * time.0)
    }
}

/// Things at a rate take this long to arrive or to be served.
impl Div<PerSecond> for Count {
    type Output = Seconds;
    fn div(self, rate: PerSecond) -> Seconds {
        Seconds(self.0 / rate.0)
    }
}

/// Counts multiply: users × requests per user.
impl Mul for Count {
    type Output = Count;
    fn mul(self, other: Count) -> Count {
        Count(self.0 * other.0)
    }
}

/// So many things of so many bytes each.
impl Mul<Bytes> for Count {
    type Output = Bytes;
    fn mul(self, each: Bytes) -> Bytes {
        Bytes(self.0 * each.0)
    }
}

/// So many things a second, of so many bytes each: a bandwidth.
impl Mul<Bytes> for PerSecond {
    type Output = BytesPerSecond;
    fn mul(self, each: Bytes) -> BytesPerSecond {
        BytesPerSecond(self.0 * each.0)
    }
}
// ANCHOR_END: arithmetic

/// Formats `value` with the largest SI prefix that keeps it at or above 1 (up to exa), to
/// three significant figures: `231 k`, `1.85 T`.
fn si(f: &mut fmt::Formatter<'_>, value: f64, unit: &str) -> fmt::Result {
    const PREFIXES: [(f64, &str); 7] = [
        (1e18, "E"),
        (1e15, "P"),
        (1e12, "T"),
        (1e9, "G"),
        (1e6, "M"),
        (1e3, "k"),
        (1.0, ""),
    ];
    let (scale, prefix) = PREFIXES
        .iter()
        .copied()
        .find(|&(scale, _)| value.abs() >= scale)
        .unwrap_or((1.0, ""));
    let text = format!("{} {prefix}{unit}", three_figures(value / scale));
    f.write_str(text.trim_end())
}

/// A number to three significant figures, without trailing zeros after the point.
pub fn three_figures(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let digits = (2 - v.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        si(f, self.0, "")
    }
}

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        si(f, self.0, "B")
    }
}

impl fmt::Display for PerSecond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        si(f, self.0, "/s")
    }
}

impl fmt::Display for BytesPerSecond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        si(f, self.0, "B/s")
    }
}

/// Seconds read best in the unit that keeps the number between 1 and 1,000 (ns to s), and
/// in days or years beyond a day.
impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        let (value, unit) = match s.abs() {
            a if a >= Seconds::YEAR.0 => (s / Seconds::YEAR.0, "years"),
            a if a >= Seconds::DAY.0 => (s / Seconds::DAY.0, "days"),
            a if a >= 1.0 || a == 0.0 => (s, "s"),
            a if a >= 1e-3 => (s * 1e3, "ms"),
            a if a >= 1e-6 => (s * 1e6, "µs"),
            _ => (s * 1e9, "ns"),
        };
        write!(f, "{} {unit}", three_figures(value))
    }
}
