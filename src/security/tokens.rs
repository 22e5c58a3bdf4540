//! Signed tokens: a JWT (RFC 7519) with an HMAC-SHA-256 signature (`HS256`, RFC 7515), claims
//! with an expiry, checked in constant time, with the algorithm pinned by the server.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::checksums::{hmac_sha256, verify_hmac_sha256};

/// The claims this service puts in a token: who (`sub`) and until when (`exp`, seconds since
/// the Unix epoch), as RFC 7519 section 4.1 names them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The subject: the user the token speaks for.
    #[serde(default)]
    pub sub: String,
    /// The expiry: the token is refused at and after this second.
    pub exp: u64,
}

/// Why a token was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// Not three Base64url parts, or a part is not the JSON expected.
    Malformed(String),
    /// The header names an algorithm other than `HS256` (such as `none`).
    Algorithm(String),
    /// The signature does not match: the token was changed, or signed with another key.
    BadSignature,
    /// The token has expired.
    Expired {
        /// Its expiry.
        exp: u64,
        /// The time it was presented.
        now: u64,
    },
}

impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenError::Malformed(why) => write!(f, "malformed token: {why}"),
            TokenError::Algorithm(alg) => write!(f, "algorithm {alg:?} is not accepted"),
            TokenError::BadSignature => write!(f, "signature does not match"),
            TokenError::Expired { exp, now } => write!(f, "expired at {exp}, presented at {now}"),
        }
    }
}

impl std::error::Error for TokenError {}

const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// One part of a token: Base64url without padding (RFC 7515, section 2).
///
/// ```
/// use sysdesign::security::{decode_segment, encode_segment};
/// assert_eq!(encode_segment(br#"{"alg":"none"}"#), "eyJhbGciOiJub25lIn0");
/// assert_eq!(decode_segment("eyJhbGciOiJub25lIn0").unwrap(), br#"{"alg":"none"}"#);
/// ```
pub fn encode_segment(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Reads one part of a token; the error names the part.
pub fn decode_segment(part: &str) -> Result<Vec<u8>, TokenError> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| TokenError::Malformed(format!("{part:?} is not Base64url")))
}

// ANCHOR: sign
/// A token for `sub` valid until `exp`: `header.payload.signature`, each Base64url, the signature
/// an HMAC-SHA-256 of `header.payload` under `key`.
pub fn sign_token(key: &[u8], sub: &str, exp: u64) -> String {
    let claims = Claims {
        sub: sub.to_string(),
        exp,
    };
    let payload = serde_json::to_vec(&claims).expect("claims serialize");
    let signing_input = format!(
        "{}.{}",
        encode_segment(HEADER.as_bytes()),
        encode_segment(&payload)
    );
    let signature = hmac_sha256(key, signing_input.as_bytes());
    format!("{signing_input}.{}", encode_segment(&signature))
}
// ANCHOR_END: sign

#[derive(Deserialize)]
struct Header {
    alg: String,
}

// ANCHOR: verify
/// Checks a token at time `now` (seconds): the algorithm must be `HS256` whatever the token says,
/// the signature must match (compared in constant time), and `now` must be before `exp`.
pub fn verify_token(key: &[u8], token: &str, now: u64) -> Result<Claims, TokenError> {
    let malformed = |why: &str| TokenError::Malformed(why.to_string());
    let (signing_input, signature) = token.rsplit_once('.').ok_or_else(|| malformed("no '.'"))?;
    let (header, payload) = signing_input
        .split_once('.')
        .ok_or_else(|| malformed("not three parts"))?;
    let header: Header = serde_json::from_slice(&decode_segment(header)?)
        .map_err(|e| malformed(&format!("header: {e}")))?;
    if header.alg != "HS256" {
        return Err(TokenError::Algorithm(header.alg));
    }
    if !verify_hmac_sha256(key, signing_input.as_bytes(), &decode_segment(signature)?) {
        return Err(TokenError::BadSignature);
    }
    // Only a payload the key holder signed is parsed.
    let claims: Claims = serde_json::from_slice(&decode_segment(payload)?)
        .map_err(|e| malformed(&format!("claims: {e}")))?;
    if now >= claims.exp {
        return Err(TokenError::Expired {
            exp: claims.exp,
            now,
        });
    }
    Ok(claims)
}
// ANCHOR_END: verify

// ANCHOR: naive
/// How many bytes an early-exit comparison (`==` on slices stops at the first difference)
/// examines before it answers: the longer the matching prefix, the longer it takes, which is
/// what lets an attacker who can time responses guess a signature byte by byte. The constant-time
/// check in [`verify_hmac_sha256`] examines every byte whatever the input.
///
/// ```
/// use sysdesign::security::bytes_compared_naive;
/// assert_eq!(bytes_compared_naive(b"abcd", b"abXX"), 3);
/// assert_eq!(bytes_compared_naive(b"abcd", b"Xbcd"), 1);
/// ```
pub fn bytes_compared_naive(expected: &[u8], given: &[u8]) -> usize {
    let mut examined = 0;
    for (a, b) in expected.iter().zip(given) {
        examined += 1;
        if a != b {
            break;
        }
    }
    examined
}
// ANCHOR_END: naive
