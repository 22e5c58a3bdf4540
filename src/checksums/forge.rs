//! A CRC32 collision, constructed: any message can be given any CRC32 by choosing four of its
//! bytes.
//!
//! CRC is linear over GF(2): for messages of one length, `crc(a ^ b) = crc(a) ^ crc(b) ^ crc(0)`,
//! so the change in the CRC caused by flipping a set of bits is the XOR of the changes each bit
//! causes alone, whatever the rest of the message holds. Flipping bit `i` of a 4-byte window
//! changes the CRC by a 32-bit vector `e_i`; the 32 vectors are linearly independent (if some
//! subset cancelled out, that subset would be an undetected burst of at most 32 bits, which a
//! degree-32 CRC rules out), so every 32-bit change is the XOR of exactly one subset of them, and
//! Gaussian elimination finds it. This is why a CRC protects against noise and not against an
//! adversary.
//!
//! ```
//! use sysdesign::checksums::{crc32, forge::forge_crc32};
//!
//! let original = b"pay alice $100;";
//! let forged = forge_crc32(b"pay mallory $9999;\0\0\0\0", 18, crc32(original))?;
//! assert_ne!(&forged[..], &original[..]);
//! assert_eq!(crc32(&forged), crc32(original));
//! # Ok::<(), sysdesign::checksums::forge::ForgeError>(())
//! ```

use super::crc32;
use std::fmt;

/// Why a forgery could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ForgeError {
    /// The 4-byte window to rewrite does not fit in the message.
    WindowOutOfRange {
        /// Where the window starts.
        at: usize,
        /// The message's length in bytes.
        len: usize,
    },
}

impl fmt::Display for ForgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ForgeError::WindowOutOfRange { at, len } => write!(
                f,
                "window at byte {at} needs 4 bytes, but the message has {len} bytes"
            ),
        }
    }
}

impl std::error::Error for ForgeError {}

// ANCHOR: forge
/// `message` with bytes `at..at + 4` rewritten so that its CRC32 is `target`.
///
/// ```
/// use sysdesign::checksums::{crc32, forge::forge_crc32};
/// let forged = forge_crc32(&[0; 10], 3, 0xdead_beef)?;
/// assert_eq!(crc32(&forged), 0xdead_beef);
/// assert!(forge_crc32(&[0; 3], 0, 1).is_err());
/// # Ok::<(), sysdesign::checksums::forge::ForgeError>(())
/// ```
pub fn forge_crc32(message: &[u8], at: usize, target: u32) -> Result<Vec<u8>, ForgeError> {
    let len = message.len();
    if at.checked_add(4).is_none_or(|end| end > len) {
        return Err(ForgeError::WindowOutOfRange { at, len });
    }
    let mut forged = message.to_vec();
    let base = crc32(&forged);
    // e[i]: how the CRC changes when bit i of the window flips, measured, not derived.
    let effects: Vec<u32> = (0..32)
        .map(|bit| {
            forged[at + bit / 8] ^= 1 << (bit % 8);
            let changed = crc32(&forged);
            forged[at + bit / 8] ^= 1 << (bit % 8);
            changed ^ base
        })
        .collect();
    let flips = solve(&effects, base ^ target)
        .expect("the 32 effects of a window are independent for a degree-32 CRC");
    for bit in (0..32).filter(|bit| flips >> bit & 1 == 1) {
        forged[at + bit / 8] ^= 1 << (bit % 8);
    }
    Ok(forged)
}

/// The set of columns (as a bit mask) whose XOR is `goal`, by Gaussian elimination over GF(2),
/// or `None` when the columns do not span it.
fn solve(columns: &[u32], goal: u32) -> Option<u32> {
    // pivots[b] = (vector whose highest set bit is b, which columns XOR to it).
    let mut pivots: [Option<(u32, u32)>; 32] = [None; 32];
    for (index, &column) in columns.iter().enumerate() {
        let (mut vector, mut combo) = (column, 1u32 << index);
        while vector != 0 {
            let top = 31 - vector.leading_zeros() as usize;
            match pivots[top] {
                Some((v, c)) => (vector, combo) = (vector ^ v, combo ^ c),
                None => {
                    pivots[top] = Some((vector, combo));
                    break;
                }
            }
        }
    }
    let (mut rest, mut combo) = (goal, 0u32);
    while rest != 0 {
        let top = 31 - rest.leading_zeros() as usize;
        let (v, c) = pivots[top]?;
        (rest, combo) = (rest ^ v, combo ^ c);
    }
    Some(combo)
}
// ANCHOR_END: forge

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solve_finds_the_combination_that_makes_the_goal() {
        let columns = [0b001, 0b011, 0b110];
        let combo = solve(&columns, 0b101).expect("spanned");
        let made = (0..3)
            .filter(|i| combo >> i & 1 == 1)
            .fold(0, |acc, i| acc ^ columns[i]);
        assert_eq!(made, 0b101);
        assert_eq!(solve(&[0b01, 0b01], 0b10), None);
    }
}
