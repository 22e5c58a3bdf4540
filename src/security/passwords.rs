//! Password storage: Argon2id, a salt per password, and a cost chosen to slow down guessing.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Argon2's three cost parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasswordCost {
    /// Memory per hash, in KiB (`m`).
    pub memory_kib: u32,
    /// Passes over that memory (`t`).
    pub iterations: u32,
    /// Lanes computed in parallel (`p`).
    pub parallelism: u32,
}

impl PasswordCost {
    /// The first configuration the OWASP Password Storage Cheat Sheet lists for Argon2id:
    /// 19 MiB of memory, 2 iterations, 1 lane (also the `argon2` crate's default).
    pub const OWASP: PasswordCost = PasswordCost {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };

    fn hasher(&self) -> Argon2<'static> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .unwrap_or_else(|e| panic!("invalid Argon2 cost {self:?}: {e}"));
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }
}

// ANCHOR: hash
/// Hashes `password` with Argon2id under a salt made from `salt` (16 random bytes in real use,
/// a fresh one per password, from the operating system's generator) and returns the PHC string,
/// which records the algorithm, version, cost and salt beside the hash, so that verification
/// and a later change of cost need nothing else.
///
/// ```
/// use sysdesign::security::{PasswordCost, hash_password, verify_password};
/// let cheap = PasswordCost { memory_kib: 64, iterations: 1, parallelism: 1 }; // tests only
/// let stored = hash_password("correct horse", &[7; 16], cheap);
/// assert!(stored.starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
/// assert!(verify_password("correct horse", &stored));
/// assert!(!verify_password("Correct horse", &stored));
/// ```
pub fn hash_password(password: &str, salt: &[u8; 16], cost: PasswordCost) -> String {
    let salt = SaltString::encode_b64(salt).expect("16 bytes is a valid salt length");
    cost.hasher()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2 hashes any password with valid parameters")
        .to_string()
}

/// Whether `password` matches the PHC string `stored`, with the cost and salt `stored` records.
/// A malformed `stored` never matches.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}
// ANCHOR_END: hash
