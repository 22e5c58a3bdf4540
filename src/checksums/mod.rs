//! Checksums: a short value computed from a block of bytes and stored beside it, so that a reader
//! can tell whether the bytes it got back are the bytes that were written.
//!
//! Two algorithms, for two different threats. **CRC32** (the IEEE 802.3 polynomial, computed by
//! `crc32fast`) is a cyclic redundancy check: polynomial division over GF(2), cheap enough to run
//! at memory speed, and guaranteed to catch every error burst of up to 32 bits. It is linear, so
//! anyone can construct two messages with the same CRC ([`forge`]). **SHA-256** (FIPS 180-4) is a
//! cryptographic hash: no one knows how to find two messages with the same digest, at several
//! times the cost. Neither stops a writer who changes the data *and* recomputes the checksum: that
//! needs a key, which [`hmac_sha256`] adds (RFC 2104).
//!
//! The design decision: the checksum type is a value ([`Sum`]) that remembers its algorithm, so a
//! stored CRC is never compared with a SHA-256 digest, and a [`block_store::BlockStore`] verifies
//! every copy it reads and serves the read from another replica when one is damaged.
//!
//! ```
//! use sysdesign::checksums::Algorithm;
//!
//! let sum = Algorithm::Crc32.sum(b"123456789");
//! assert_eq!(sum.to_string(), "cbf43926"); // the standard CRC-32 check value
//! assert!(sum.verify(b"123456789"));
//! assert!(!sum.verify(b"123456788"));
//! ```

pub mod block_store;
pub mod forge;

use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};
use std::fmt;

/// Which checksum to compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// CRC-32 with the IEEE 802.3 polynomial 0x04C11DB7 (reflected), as in zip, gzip and PNG.
    Crc32,
    /// SHA-256 from FIPS 180-4.
    Sha256,
}

// ANCHOR: sum
/// A checksum value, tagged with the algorithm that made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sum {
    /// A CRC-32 value.
    Crc32(u32),
    /// A SHA-256 digest.
    Sha256([u8; 32]),
}

impl Algorithm {
    /// The checksum of `data`.
    ///
    /// ```
    /// use sysdesign::checksums::{Algorithm, Sum};
    /// assert_eq!(Algorithm::Crc32.sum(b""), Sum::Crc32(0));
    /// assert_eq!(Algorithm::Sha256.sum(b"abc").to_string()[..8], *"ba7816bf");
    /// ```
    pub fn sum(self, data: &[u8]) -> Sum {
        match self {
            Algorithm::Crc32 => Sum::Crc32(crc32fast::hash(data)),
            Algorithm::Sha256 => Sum::Sha256(Sha256::digest(data).into()),
        }
    }

    /// The algorithm's name, as the book's tables print it.
    ///
    /// ```
    /// assert_eq!(sysdesign::checksums::Algorithm::Sha256.name(), "SHA-256");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "CRC32",
            Algorithm::Sha256 => "SHA-256",
        }
    }
}

impl Sum {
    /// Whether `data` has this checksum: the algorithm runs again over `data` and the results
    /// are compared.
    ///
    /// ```
    /// use sysdesign::checksums::Algorithm;
    /// let sum = Algorithm::Sha256.sum(b"block 7");
    /// assert!(sum.verify(b"block 7") && !sum.verify(b"block 8"));
    /// ```
    pub fn verify(&self, data: &[u8]) -> bool {
        *self == self.algorithm().sum(data)
    }

    /// The algorithm that made this value.
    ///
    /// ```
    /// use sysdesign::checksums::{Algorithm, Sum};
    /// assert_eq!(Sum::Crc32(7).algorithm(), Algorithm::Crc32);
    /// ```
    pub fn algorithm(&self) -> Algorithm {
        match self {
            Sum::Crc32(_) => Algorithm::Crc32,
            Sum::Sha256(_) => Algorithm::Sha256,
        }
    }
}
// ANCHOR_END: sum

impl fmt::Display for Sum {
    /// Lower-case hexadecimal: 8 digits for CRC32 (big-endian, as `crc32` tools print it), 64 for
    /// SHA-256.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Sum::Crc32(value) => write!(f, "{value:08x}"),
            Sum::Sha256(digest) => digest.iter().try_for_each(|byte| write!(f, "{byte:02x}")),
        }
    }
}

/// The CRC32 of `data` as a number, for code that works on the value itself (such as [`forge`]).
///
/// ```
/// assert_eq!(sysdesign::checksums::crc32(b"123456789"), 0xCBF4_3926);
/// ```
pub fn crc32(data: &[u8]) -> u32 {
    crc32fast::hash(data)
}

// ANCHOR: hmac
/// HMAC-SHA-256 of `data` under `key` (RFC 2104 with SHA-256): a checksum that only a holder of
/// the key can compute, so a writer without the key cannot make altered data verify.
///
/// ```
/// use sysdesign::checksums::{hmac_sha256, verify_hmac_sha256};
/// let tag = hmac_sha256(b"secret", b"block 7");
/// assert!(verify_hmac_sha256(b"secret", b"block 7", &tag));
/// assert!(!verify_hmac_sha256(b"other key", b"block 7", &tag));
/// ```
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac =
        hmac::Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Whether `tag` is the HMAC-SHA-256 of `data` under `key`, compared in constant time (so the
/// time taken does not reveal how many leading bytes of a guess were right).
///
/// ```
/// use sysdesign::checksums::verify_hmac_sha256;
/// assert!(!verify_hmac_sha256(b"k", b"data", &[0; 32]));
/// ```
pub fn verify_hmac_sha256(key: &[u8], data: &[u8], tag: &[u8]) -> bool {
    let mut mac =
        hmac::Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    mac.verify_slice(tag).is_ok()
}
// ANCHOR_END: hmac
