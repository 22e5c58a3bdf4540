//! Security: Basic authentication decodes without a key; Argon2 verifies only the right
//! password; signed tokens refuse tampering, other keys, `alg: none` and expiry; validation
//! names the field and the value.

use proptest::prelude::*;
use sysdesign::security::*;

const CHEAP: PasswordCost = PasswordCost {
    memory_kib: 64,
    iterations: 1,
    parallelism: 1,
};

#[test]
fn basic_auth_is_decoded_without_any_key() {
    let header = basic_auth_header("Bob", "the:farmer");
    assert_eq!(
        decode_basic_auth(&header).unwrap(),
        ("Bob".to_string(), "the:farmer".to_string())
    );
}

#[test]
fn a_malformed_basic_header_is_refused_naming_the_value() {
    let err = decode_basic_auth("Basic !!!").unwrap_err();
    assert_eq!(err.field, "Authorization");
    assert!(err.to_string().contains("!!!"), "{err}");
}

#[test]
fn a_salted_hash_verifies_the_password_and_rejects_another() {
    let stored = hash_password("hunter2", &[1; 16], CHEAP);
    assert!(verify_password("hunter2", &stored));
    assert!(!verify_password("hunter3", &stored));
    assert!(!verify_password("hunter2", "not a PHC string"));
}

#[test]
fn the_same_password_under_two_salts_gives_two_hashes() {
    assert_ne!(
        hash_password("hunter2", &[1; 16], CHEAP),
        hash_password("hunter2", &[2; 16], CHEAP)
    );
}

#[test]
fn our_hash_matches_the_argon2_crate_verifying_it_independently() {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    let stored = hash_password("pw", &[9; 16], CHEAP);
    let parsed = PasswordHash::new(&stored).unwrap();
    assert!(
        argon2::Argon2::default()
            .verify_password(b"pw", &parsed)
            .is_ok()
    );
}

/// RFC 7515, Appendix A.1: an HS256 JWS with a published key and signature.
#[test]
fn verify_token_accepts_the_rfc_7515_appendix_a1_example() {
    let key = decode_segment(
        "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
    )
    .unwrap();
    let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9\
                 .eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ\
                 .dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let claims = verify_token(&key, token, 1_300_819_379).unwrap();
    assert_eq!(claims.exp, 1_300_819_380);
    assert_eq!(
        verify_token(&key, token, 1_300_819_380),
        Err(TokenError::Expired {
            exp: 1_300_819_380,
            now: 1_300_819_380
        })
    );
}

#[test]
fn a_token_claiming_alg_none_is_refused() {
    let token = format!(
        "{}.{}.",
        encode_segment(br#"{"alg":"none"}"#),
        encode_segment(br#"{"sub":"admin","exp":99}"#)
    );
    assert_eq!(
        verify_token(b"k", &token, 0),
        Err(TokenError::Algorithm("none".into()))
    );
}

#[test]
fn a_token_signed_with_another_key_is_refused() {
    let token = sign_token(b"theirs", "alice", 100);
    assert_eq!(
        verify_token(b"ours", &token, 0),
        Err(TokenError::BadSignature)
    );
}

// ANCHOR: tamper
proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]
    /// Changing any one character of a valid token, to any other character, makes it fail.
    #[test]
    fn a_tampered_token_never_verifies(
        sub in "[a-z]{1,12}",
        exp in 1u64..u64::MAX / 2,
        position in any::<prop::sample::Index>(),
        replacement in any::<char>(),
    ) {
        let key = b"server key";
        let token = sign_token(key, &sub, exp);
        prop_assert!(verify_token(key, &token, 0).is_ok());
        let mut chars: Vec<char> = token.chars().collect();
        let i = position.index(chars.len());
        prop_assume!(chars[i] != replacement);
        chars[i] = replacement;
        let tampered: String = chars.into_iter().collect();
        prop_assert!(verify_token(key, &tampered, 0).is_err(), "{tampered} verified");
    }
}
// ANCHOR_END: tamper

#[test]
fn validation_reports_every_bad_field_with_its_value() {
    let form = Signup {
        username: "Robert'); DROP TABLE users;--".into(),
        email: "bobby".into(),
        age: "12".into(),
        password: "short".into(),
    };
    let errors = validate_signup(&form).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["username", "email", "age", "password"]);
    assert!(errors[1].to_string().contains("\"bobby\""));
    assert!(errors.iter().all(|e| !e.to_string().contains("short")));
}

#[test]
fn a_password_containing_the_username_is_refused() {
    let form = Signup {
        username: "ada".into(),
        email: "ada@example.org".into(),
        age: "36".into(),
        password: "ADA-is-great".into(),
    };
    assert_eq!(
        validate_signup(&form).unwrap_err()[0].reason,
        "contains the username"
    );
}
