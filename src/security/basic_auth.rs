//! HTTP Basic authentication (RFC 7617): `user:password` in Base64, which is an encoding.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::FieldError;

// ANCHOR: decode
/// Decodes an `Authorization: Basic ...` header value into user and password. No key is needed:
/// anyone who sees the header sees the password, which is why Basic authentication is only ever
/// sent over TLS.
///
/// ```
/// use sysdesign::security::decode_basic_auth;
/// let (user, password) = decode_basic_auth("Basic Qm9iOnRoZWZhcm1lcg==").unwrap();
/// assert_eq!((user.as_str(), password.as_str()), ("Bob", "thefarmer"));
/// ```
pub fn decode_basic_auth(header: &str) -> Result<(String, String), FieldError> {
    let bad = |reason: &str| FieldError::new("Authorization", header, reason);
    let encoded = header
        .strip_prefix("Basic ")
        .ok_or_else(|| bad("does not start with \"Basic \""))?;
    let bytes = STANDARD
        .decode(encoded.trim())
        .map_err(|_| bad("is not Base64"))?;
    let text = String::from_utf8(bytes).map_err(|_| bad("is not UTF-8"))?;
    let (user, password) = text
        .split_once(':')
        .ok_or_else(|| bad("has no ':' between user and password"))?;
    Ok((user.to_string(), password.to_string()))
}
// ANCHOR_END: decode

/// The header value a client sends for `user` and `password`.
///
/// ```
/// use sysdesign::security::basic_auth_header;
/// assert_eq!(basic_auth_header("Bob", "thefarmer"), "Basic Qm9iOnRoZWZhcm1lcg==");
/// ```
pub fn basic_auth_header(user: &str, password: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{password}")))
}
