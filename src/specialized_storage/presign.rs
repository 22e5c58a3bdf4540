//! Pre-signed URLs: an HMAC-SHA256 over method, path and expiry, checked by the store.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::blob::hex;

type HmacSha256 = Hmac<Sha256>;

/// Why a URL could not be signed or was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PresignError {
    /// The lifetime asked for is longer than the signer allows.
    LifetimeTooLong {
        /// Seconds asked for.
        requested_s: u64,
        /// The most the signer allows.
        max_s: u64,
    },
    /// The path holds a character the signed string cannot carry (`?`, `&`, a newline).
    BadPath(String),
    /// The URL lacks `expires` or `signature`, or one of them does not parse.
    Malformed(String),
    /// The URL is past its expiry.
    Expired {
        /// When it expired (seconds since the epoch).
        expires_s: u64,
        /// The time of the request.
        now_s: u64,
    },
    /// The signature does not match method, path and expiry.
    BadSignature,
}

impl fmt::Display for PresignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PresignError::LifetimeTooLong { requested_s, max_s } => {
                write!(f, "lifetime {requested_s} s exceeds the maximum {max_s} s")
            }
            PresignError::BadPath(path) => write!(f, "path {path:?} cannot be signed"),
            PresignError::Malformed(url) => write!(f, "url {url:?} is not a pre-signed url"),
            PresignError::Expired { expires_s, now_s } => {
                write!(f, "expired at {expires_s}, now {now_s}")
            }
            PresignError::BadSignature => write!(f, "signature does not match"),
        }
    }
}

impl std::error::Error for PresignError {}

// ANCHOR: presign
/// Signs and verifies pre-signed URLs with a secret key only the storage service holds.
///
/// The signed string is `METHOD\nPATH\nEXPIRES`: the newline cannot occur in any part (paths
/// with one are refused), so no two requests share a signed string.
///
/// ```
/// use sysdesign::specialized_storage::{PresignError, UrlSigner};
/// let signer = UrlSigner::new(b"secret", 7 * 24 * 3600);
/// let url = signer.sign("GET", "/photos/cat.jpg", 1_000, 300).unwrap();
/// assert_eq!(signer.verify("GET", &url, 1_200), Ok(()));
/// assert_eq!(signer.verify("PUT", &url, 1_200), Err(PresignError::BadSignature));
/// assert!(matches!(signer.verify("GET", &url, 1_301), Err(PresignError::Expired { .. })));
/// ```
#[derive(Clone)]
pub struct UrlSigner {
    key: Vec<u8>,
    max_lifetime_s: u64,
}

impl fmt::Debug for UrlSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the key.
        f.debug_struct("UrlSigner")
            .field("max_lifetime_s", &self.max_lifetime_s)
            .finish_non_exhaustive()
    }
}

impl UrlSigner {
    /// A signer with `key`, refusing lifetimes over `max_lifetime_s`.
    pub fn new(key: &[u8], max_lifetime_s: u64) -> UrlSigner {
        UrlSigner {
            key: key.to_vec(),
            max_lifetime_s,
        }
    }

    fn mac(&self, method: &str, path: &str, expires_s: u64) -> HmacSha256 {
        let mut mac =
            HmacSha256::new_from_slice(&self.key).expect("HMAC takes a key of any length");
        mac.update(format!("{method}\n{path}\n{expires_s}").as_bytes());
        mac
    }

    /// A URL for `method` on `path`, valid from `now_s` for `lifetime_s` seconds:
    /// `PATH?expires=EXPIRES&signature=HEX`.
    pub fn sign(
        &self,
        method: &str,
        path: &str,
        now_s: u64,
        lifetime_s: u64,
    ) -> Result<String, PresignError> {
        if lifetime_s > self.max_lifetime_s {
            return Err(PresignError::LifetimeTooLong {
                requested_s: lifetime_s,
                max_s: self.max_lifetime_s,
            });
        }
        if path.contains(['?', '&', '\n']) || method.contains('\n') {
            return Err(PresignError::BadPath(path.to_string()));
        }
        let expires_s = now_s.saturating_add(lifetime_s);
        let tag = self.mac(method, path, expires_s).finalize().into_bytes();
        Ok(format!(
            "{path}?expires={expires_s}&signature={}",
            hex(&tag)
        ))
    }

    /// Checks a request for `method` on `url` arriving at `now_s`: the signature first (in
    /// constant time), then the expiry, so a forged URL learns nothing from the error.
    pub fn verify(&self, method: &str, url: &str, now_s: u64) -> Result<(), PresignError> {
        let malformed = || PresignError::Malformed(url.to_string());
        let (path, query) = url.split_once('?').ok_or_else(malformed)?;
        let mut expires = None;
        let mut signature = None;
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some(("expires", v)) => expires = v.parse::<u64>().ok(),
                Some(("signature", v)) => signature = unhex(v),
                _ => return Err(malformed()),
            }
        }
        let (expires_s, signature) = expires.zip(signature).ok_or_else(malformed)?;
        self.mac(method, path, expires_s)
            .verify_slice(&signature)
            .map_err(|_| PresignError::BadSignature)?;
        if now_s > expires_s {
            return Err(PresignError::Expired { expires_s, now_s });
        }
        Ok(())
    }
}
// ANCHOR_END: presign

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}
