//! Webhooks: the server calls the client's URL when something happens. Each delivery is signed
//! with HMAC-SHA-256 over a timestamp and the body, so the receiver can check who sent it and
//! refuse replays; a failed delivery is retried with capped exponential backoff.

use crate::checksums::{hmac_sha256, verify_hmac_sha256};
use crate::overload::Backoff;
use rand::Rng;
use std::fmt;

// ANCHOR: sign
/// The signature header for `body` sent at `timestamp_s` (Unix seconds): `t=<ts>,v1=<hex>`,
/// where the hex is HMAC-SHA-256 under `secret` of `"<ts>.<body>"`.
///
/// ```
/// use sysdesign::polling_streaming::{sign, verify};
/// let header = sign(b"whsec", 1_700_000_000, b"{\"id\":1}");
/// assert!(verify(b"whsec", &header, b"{\"id\":1}", 1_700_000_030, 300).is_ok());
/// assert!(verify(b"whsec", &header, b"{\"id\":2}", 1_700_000_030, 300).is_err());
/// ```
pub fn sign(secret: &[u8], timestamp_s: u64, body: &[u8]) -> String {
    let tag = hmac_sha256(secret, &signed_payload(timestamp_s, body));
    let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp_s},v1={hex}")
}

/// Checks a signature header against the body, and that it was made within `tolerance_s`
/// seconds of `now_s`, so a captured request cannot be replayed later.
pub fn verify(
    secret: &[u8],
    header: &str,
    body: &[u8],
    now_s: u64,
    tolerance_s: u64,
) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut tag = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<u64>().ok(),
            Some(("v1", hex)) => tag = from_hex(hex),
            _ => {}
        }
    }
    let (Some(timestamp), Some(tag)) = (timestamp, tag) else {
        return Err(SignatureError::Malformed(header.to_string()));
    };
    if now_s.abs_diff(timestamp) > tolerance_s {
        return Err(SignatureError::Stale { timestamp, now_s });
    }
    if !verify_hmac_sha256(secret, &signed_payload(timestamp, body), &tag) {
        return Err(SignatureError::Mismatch);
    }
    Ok(())
}
// ANCHOR_END: sign

fn signed_payload(timestamp_s: u64, body: &[u8]) -> Vec<u8> {
    let mut payload = format!("{timestamp_s}.").into_bytes();
    payload.extend_from_slice(body);
    payload
}

fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Why a webhook signature was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// The header is not `t=<seconds>,v1=<hex>`.
    Malformed(String),
    /// Signed too long ago (or in the future): a replay, or a clock far off.
    Stale {
        /// The signed timestamp.
        timestamp: u64,
        /// The receiver's clock.
        now_s: u64,
    },
    /// The HMAC does not match: wrong secret, or the body was changed.
    Mismatch,
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::Malformed(h) => write!(f, "signature header {h:?} is not t=..,v1=.."),
            SignatureError::Stale { timestamp, now_s } => {
                write!(
                    f,
                    "signed at {timestamp}, now {now_s}: outside the tolerance"
                )
            }
            SignatureError::Mismatch => f.write_str("signature does not match the body"),
        }
    }
}

impl std::error::Error for SignatureError {}

/// One delivery attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// 1 for the first try.
    pub number: u32,
    /// When it was sent, ms after the event.
    pub at_ms: u64,
    /// The receiver's HTTP status (0 for no answer).
    pub status: u16,
}

// ANCHOR: deliver
/// Delivers one event: tries at once, and after each failure (any status but 2xx) waits the
/// backoff's delay and tries again, up to `max_attempts`. `receiver` answers attempt `n` sent at
/// `at_ms`. Returns every attempt; the last one is a success, or the event is given up on (a
/// real sender parks it in a dead-letter queue and shows it to the subscriber).
pub fn deliver<R: Rng + ?Sized>(
    backoff: &Backoff,
    max_attempts: u32,
    rng: &mut R,
    mut receiver: impl FnMut(u32, u64) -> u16,
) -> Vec<Attempt> {
    let mut attempts = vec![];
    let mut at_ms = 0;
    for number in 1..=max_attempts {
        let status = receiver(number, at_ms);
        attempts.push(Attempt {
            number,
            at_ms,
            status,
        });
        if (200..300).contains(&status) {
            break;
        }
        at_ms += backoff.delay(number - 1, rng);
    }
    attempts
}
// ANCHOR_END: deliver
