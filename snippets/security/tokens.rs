//! A signed token issued at t = 0 for 15 minutes, then presented as it is, late, changed, with
//! another key, and with its algorithm set to "none".

use sysdesign::security::{
    bytes_compared_naive, decode_segment, encode_segment, sign_token, verify_token,
};
use sysdesign::show::{self, Table};

fn main() {
    // ANCHOR: issue
    let key = b"k8s-secret: 32 random bytes, not this";
    let now = 1_700_000_000; // seconds; a simulated clock
    let token = sign_token(key, "alice", now + 15 * 60);
    // ANCHOR_END: issue
    show::value("token", &token);

    show::table(&attempts(key, &token, now).caption("verify_token with the server's key"));
    let signature = token.rsplit('.').next().unwrap_or_default().to_string();
    // ANCHOR: timing
    // An early-exit comparison leaks how much of a guessed signature is right.
    let expected = decode_segment(&signature).expect("our own signature");
    let mut table = Table::new([
        "guess's correct leading bytes",
        "bytes an early-exit == examines",
    ]);
    for right in [0, 1, 2, 8, 31] {
        let mut guess = expected.clone();
        for b in &mut guess[right..] {
            *b ^= 0xff;
        }
        table.push([
            right.to_string(),
            bytes_compared_naive(&expected, &guess).to_string(),
        ]);
    }
    // ANCHOR_END: timing
    show::table(&table.caption("work done by == grows with the matching prefix"));
}

fn attempts(key: &[u8], token: &str, now: u64) -> Table {
    let parts: Vec<&str> = token.split('.').collect();
    let forged_payload = encode_segment(br#"{"sub":"admin","exp":1700000900}"#);
    let tampered = format!("{}.{}.{}", parts[0], forged_payload, parts[2]);
    let alg_none = format!(
        "{}.{}.",
        encode_segment(br#"{"alg":"none","typ":"JWT"}"#),
        forged_payload
    );
    let other_key = sign_token(b"another service's key", "alice", now + 15 * 60);

    let cases = [
        ("as issued, 1 minute later", token, now + 60),
        ("as issued, 15 minutes later", token, now + 15 * 60),
        ("payload changed to sub=admin", tampered.as_str(), now + 60),
        ("signed with another key", other_key.as_str(), now + 60),
        ("alg set to none, no signature", alg_none.as_str(), now + 60),
    ];
    let mut table = Table::new(["token presented", "result"]);
    for (name, t, at) in cases {
        let result = match verify_token(key, t, at) {
            Ok(claims) => format!("accepted: sub={}", claims.sub),
            Err(e) => format!("refused: {e}"),
        };
        table.push([name.to_string(), result]);
    }
    table
}
