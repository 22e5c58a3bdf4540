//! Gorilla's compression of a time series: delta-of-delta timestamps and XOR'd values, packed
//! bit by bit (Pelkonen et al., VLDB 2015, section 4.1).

use std::fmt;

/// Bits appended one field at a time, most significant bit first.
#[derive(Clone, Debug, Default)]
struct BitWriter {
    bytes: Vec<u8>,
    bits: u64,
}

impl BitWriter {
    fn push(&mut self, value: u64, width: u32) {
        for i in (0..width).rev() {
            if self.bits.is_multiple_of(8) {
                self.bytes.push(0);
            }
            if (value >> i) & 1 == 1 {
                let last = self.bytes.last_mut().expect("pushed above");
                *last |= 0x80 >> (self.bits % 8);
            }
            self.bits += 1;
        }
    }
}

/// Reads back what a [`BitWriter`] wrote.
struct BitReader<'a> {
    bytes: &'a [u8],
    at: u64,
    end: u64,
}

impl BitReader<'_> {
    fn take(&mut self, width: u32) -> Result<u64, DecodeError> {
        if self.at + u64::from(width) > self.end {
            return Err(DecodeError::Truncated { bit: self.at });
        }
        let mut value = 0u64;
        for _ in 0..width {
            let byte = self.bytes[(self.at / 8) as usize];
            let bit = (byte >> (7 - self.at % 8)) & 1;
            value = (value << 1) | u64::from(bit);
            self.at += 1;
        }
        Ok(value)
    }
}

/// Why a block could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The bits ran out in the middle of a point, at this bit.
    Truncated {
        /// The bit offset where reading stopped.
        bit: u64,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated { bit } => write!(f, "block truncated at bit {bit}"),
        }
    }
}

impl std::error::Error for DecodeError {}

// ANCHOR: timestamps
/// The delta-of-delta code of the paper: `0` when a point comes exactly one interval after the
/// last, then a prefix that says how many bits the difference needs.
fn write_delta_of_delta(w: &mut BitWriter, d: i64) {
    match d {
        0 => w.push(0b0, 1),
        -63..=64 => {
            w.push(0b10, 2);
            w.push((d + 63) as u64, 7);
        }
        -255..=256 => {
            w.push(0b110, 3);
            w.push((d + 255) as u64, 9);
        }
        -2047..=2048 => {
            w.push(0b1110, 4);
            w.push((d + 2047) as u64, 12);
        }
        _ => {
            // The paper writes 32 bits here; 64 keeps any gap exact.
            w.push(0b1111, 4);
            w.push(d as u64, 64);
        }
    }
}
// ANCHOR_END: timestamps

fn read_delta_of_delta(r: &mut BitReader<'_>) -> Result<i64, DecodeError> {
    let mut ones = 0;
    while ones < 4 && r.take(1)? == 1 {
        ones += 1;
    }
    Ok(match ones {
        0 => 0,
        1 => r.take(7)? as i64 - 63,
        2 => r.take(9)? as i64 - 255,
        3 => r.take(12)? as i64 - 2047,
        _ => r.take(64)? as i64,
    })
}

// ANCHOR: values
/// The XOR code of the paper: `0` when the value repeats; otherwise `1`, then `0` and the
/// meaningful bits if they fit in the previous value's window of leading and trailing zeros,
/// or `1`, the leading zeros (5 bits), the length (6 bits) and the meaningful bits.
fn write_value(w: &mut BitWriter, xor: u64, window: &mut Option<(u32, u32)>) {
    if xor == 0 {
        w.push(0, 1);
        return;
    }
    w.push(1, 1);
    let leading = xor.leading_zeros().min(31);
    let trailing = xor.trailing_zeros();
    match *window {
        Some((lead, trail)) if leading >= lead && trailing >= trail => {
            w.push(0, 1);
            w.push(xor >> trail, 64 - lead - trail);
        }
        _ => {
            let length = 64 - leading - trailing;
            w.push(1, 1);
            w.push(u64::from(leading), 5);
            w.push(u64::from(length % 64), 6); // 64 meaningful bits are written as 0
            w.push(xor >> trailing, length);
            *window = Some((leading, trailing));
        }
    }
}
// ANCHOR_END: values

fn read_value(r: &mut BitReader<'_>, window: &mut Option<(u32, u32)>) -> Result<u64, DecodeError> {
    if r.take(1)? == 0 {
        return Ok(0);
    }
    let (lead, trail) = match (r.take(1)?, *window) {
        (0, Some(w)) => w,
        _ => {
            let lead = r.take(5)? as u32;
            let length = match r.take(6)? as u32 {
                0 => 64,
                n => n,
            };
            let w = (lead, 64u32.saturating_sub(lead + length));
            *window = Some(w);
            w
        }
    };
    Ok(r.take(64 - lead - trail)? << trail)
}

/// A compressed block of one series: the points' count, bit length and bits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    points: usize,
    bits: u64,
    bytes: Vec<u8>,
}

impl Block {
    /// Compresses `points` (timestamp in seconds, value), in time order. The first point is
    /// stored whole (64 + 64 bits), the second timestamp as a delta, and every later one as
    /// a delta of deltas; every value after the first as its XOR with the previous one.
    ///
    /// ```
    /// use sysdesign::monitoring_system::Block;
    ///
    /// // A scrape every 10 s of a value that never changes: 2 bits a point after the first.
    /// let points: Vec<(i64, f64)> = (0..120).map(|i| (1_700_000_000 + 10 * i, 42.0)).collect();
    /// let block = Block::encode(&points);
    /// assert_eq!(block.decode()?, points);
    /// assert_eq!(block.len_bytes(), (128 + 10 + 2 * 118usize).div_ceil(8));
    /// # Ok::<(), sysdesign::monitoring_system::DecodeError>(())
    /// ```
    pub fn encode(points: &[(i64, f64)]) -> Block {
        let mut w = BitWriter::default();
        let mut window = None;
        let (mut prev_t, mut prev_delta, mut prev_v) = (0i64, 0i64, 0u64);
        for (i, &(t, v)) in points.iter().enumerate() {
            let bits = v.to_bits();
            match i {
                0 => {
                    w.push(t as u64, 64);
                    w.push(bits, 64);
                }
                _ => {
                    let delta = t.wrapping_sub(prev_t);
                    if i == 1 {
                        write_delta_of_delta(&mut w, delta);
                    } else {
                        write_delta_of_delta(&mut w, delta.wrapping_sub(prev_delta));
                    }
                    write_value(&mut w, bits ^ prev_v, &mut window);
                    prev_delta = delta;
                }
            }
            prev_t = t;
            prev_v = bits;
        }
        Block {
            points: points.len(),
            bits: w.bits,
            bytes: w.bytes,
        }
    }

    /// The points back, exactly (the values bit for bit).
    ///
    /// # Errors
    /// [`DecodeError::Truncated`] when the bits end before the last point.
    pub fn decode(&self) -> Result<Vec<(i64, f64)>, DecodeError> {
        let mut r = BitReader {
            bytes: &self.bytes,
            at: 0,
            end: self.bits,
        };
        let mut out = Vec::with_capacity(self.points);
        let mut window = None;
        let (mut t, mut delta, mut v) = (0i64, 0i64, 0u64);
        for i in 0..self.points {
            if i == 0 {
                t = r.take(64)? as i64;
                v = r.take(64)?;
            } else {
                let d = read_delta_of_delta(&mut r)?;
                delta = if i == 1 { d } else { delta.wrapping_add(d) };
                t = t.wrapping_add(delta);
                v ^= read_value(&mut r, &mut window)?;
            }
            out.push((t, f64::from_bits(v)));
        }
        Ok(out)
    }

    /// How many points the block holds.
    pub fn points(&self) -> usize {
        self.points
    }

    /// The block's size in bytes.
    pub fn len_bytes(&self) -> usize {
        self.bytes.len()
    }

    /// Bytes per point (16 uncompressed: an 8-byte timestamp and an 8-byte float).
    pub fn bytes_per_point(&self) -> f64 {
        if self.points == 0 {
            0.0
        } else {
            self.bits as f64 / 8.0 / self.points as f64
        }
    }
}
