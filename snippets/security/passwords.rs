//! A password stored as an Argon2id hash with a salt, verified, a wrong one rejected, and the
//! same password under another salt. The salts come from a seeded generator so the output is
//! the same on every run; a real service draws them from the operating system.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sysdesign::security::{PasswordCost, hash_password, verify_password};
use sysdesign::show::{self, Table};

fn main() {
    let mut rng = StdRng::seed_from_u64(24);
    // ANCHOR: store
    let cost = PasswordCost::OWASP;
    let alice: String = hash_password("correct horse battery staple", &rng.random(), cost);
    let bob: String = hash_password("correct horse battery staple", &rng.random(), cost);
    // ANCHOR_END: store
    let mut table = Table::new(["attempt", "matches alice's stored hash"]);
    for attempt in [
        "correct horse battery staple",
        "correct horse battery stapl",
        "Correct horse battery staple",
    ] {
        table.push([
            attempt.to_string(),
            verify_password(attempt, &alice).to_string(),
        ]);
    }
    show::table(&table.caption("verifying against the stored hash"));

    show::table(
        &fields(&alice, &bob)
            .caption("the PHC strings stored for two users with the same password"),
    );
    show::value("same_password_same_hash", alice == bob);
}

fn fields(alice: &str, bob: &str) -> Table {
    let parts: Vec<&str> = alice.split('$').collect();
    let other: Vec<&str> = bob.split('$').collect();
    let mut table = Table::new(["field", "alice", "bob (same password)"]);
    let names = [
        "algorithm",
        "version",
        "cost (m KiB, t, p)",
        "salt (Base64)",
        "hash (Base64)",
    ];
    for (i, name) in names.iter().enumerate() {
        table.push([
            name.to_string(),
            parts[i + 1].to_string(),
            other[i + 1].to_string(),
        ]);
    }
    table
}
