//! Encoding, hashing and a keyed hash on the same credentials: the notes' Basic authentication
//! header decoded with no key at all, and what each operation lets a reader of its output do.

use sysdesign::checksums::{Algorithm, hmac_sha256};
use sysdesign::security::{basic_auth_header, decode_basic_auth};
use sysdesign::show::{self, Table};

fn short(s: &str) -> String {
    format!("{}...", &s[..16])
}

fn main() {
    // ANCHOR: decode
    // The header from the notes (002, "Security"): anyone on the path can do this.
    let (user, password) =
        decode_basic_auth("Basic Qm9iOnRoZWZhcm1lcg==").expect("a valid Basic header");
    show::value("basic_user", &user);
    show::value("basic_password", &password);
    // ANCHOR_END: decode

    show::table(&operations(&user, &password).caption("four operations on the same credentials"));
}

fn operations(user: &str, password: &str) -> Table {
    let secret = format!("{user}:{password}");
    let header = basic_auth_header(user, password);
    let base64 = header.trim_start_matches("Basic ");
    let sha256 = Algorithm::Sha256.sum(secret.as_bytes()).to_string();
    let mac: String = hmac_sha256(b"server key", secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let (b64, sha, tag) = (short(base64), short(&sha256), short(&mac));
    let mut table = Table::new([
        "operation",
        "output for Bob:thefarmer",
        "who can undo it",
        "key",
    ]);
    let rows = [
        ["Base64 (encoding)", b64.as_str(), "anyone", "none"],
        [
            "SHA-256 (hash)",
            sha.as_str(),
            "no one; a guess can be checked",
            "none",
        ],
        [
            "HMAC-SHA-256 (MAC)",
            tag.as_str(),
            "no one; only a key holder can make or check it",
            "secret",
        ],
        [
            "AES-GCM (encryption, in TLS)",
            "(not computed here)",
            "a key holder",
            "secret",
        ],
    ];
    for row in rows {
        table.push(row.map(str::to_string));
    }
    table
}
