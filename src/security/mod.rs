//! Security: encoding, hashing and encryption told apart; passwords stored as slow salted hashes;
//! signed tokens that expire; inputs validated with errors that name the field.
//!
//! Three operations are often confused. **Encoding** (Base64) changes the form of data and anyone
//! can reverse it; **hashing** (SHA-256, Argon2) maps data to a fixed-size digest that cannot be
//! reversed; **encryption** (AES, ChaCha20, TLS) hides data from everyone without the key. A
//! **MAC** such as HMAC is a keyed hash: it proves who made a message, and hides nothing.
//!
//! | piece | the idea |
//! | --- | --- |
//! | [`basic_auth`] | HTTP Basic authentication is Base64, an encoding: decoding it needs no key |
//! | [`passwords`] | Argon2id with a salt per user and a cost that makes each guess expensive |
//! | [`tokens`] | a JWT signed with HMAC-SHA-256 (`HS256`): claims with an expiry, verified with a constant-time comparison, `alg` pinned |
//! | [`validation`] | a sign-up form checked against allow-lists, every error naming the field and the value |
//!
//! The design decision: reuse, do not invent. The HMAC is [`crate::checksums::hmac_sha256`]
//! (RFC 2104 over the `hmac` and `sha2` crates) and its constant-time check; password hashing is
//! the `argon2` crate; nothing here implements a cipher.
//!
//! ```
//! use sysdesign::security::{TokenError, sign_token, verify_token};
//! let key = b"a 32-byte key from a secret store";
//! let token = sign_token(key, "alice", 1_000);
//! assert_eq!(verify_token(key, &token, 999).unwrap().sub, "alice");
//! assert_eq!(verify_token(key, &token, 1_000), Err(TokenError::Expired { exp: 1_000, now: 1_000 }));
//! ```

pub mod basic_auth;
pub mod passwords;
pub mod tokens;
pub mod validation;

pub use basic_auth::{basic_auth_header, decode_basic_auth};
pub use passwords::{PasswordCost, hash_password, verify_password};
pub use tokens::{
    Claims, TokenError, bytes_compared_naive, decode_segment, encode_segment, sign_token,
    verify_token,
};
pub use validation::{FieldError, Signup, validate_signup};
