//! timing: measured on the machine that builds the book
//! How long one Argon2id hash takes at a few costs, against one SHA-256: the time a defender pays
//! once per login is the time an attacker pays per guess.

use std::time::Instant;

use sysdesign::checksums::Algorithm;
use sysdesign::security::{PasswordCost, hash_password};
use sysdesign::show::{self, Table};

fn per_hash_ms(cost: PasswordCost, rounds: u32) -> f64 {
    let start = Instant::now();
    for i in 0..rounds {
        std::hint::black_box(hash_password("correct horse", &[i as u8; 16], cost));
    }
    start.elapsed().as_secs_f64() * 1e3 / f64::from(rounds)
}

fn main() {
    let sha_rounds = 100_000u32;
    let start = Instant::now();
    for i in 0..sha_rounds {
        std::hint::black_box(Algorithm::Sha256.sum(&i.to_le_bytes()));
    }
    let sha_ms = start.elapsed().as_secs_f64() * 1e3 / f64::from(sha_rounds);

    let mut table = Table::new([
        "hash",
        "m (KiB)",
        "t",
        "p",
        "ms per hash",
        "guesses per second per core",
    ]);
    table.push([
        "SHA-256".to_string(),
        "-".into(),
        "-".into(),
        "-".into(),
        format!("{sha_ms:.5}"),
        format!("{:.0}", 1e3 / sha_ms),
    ]);
    let costs = [
        PasswordCost {
            memory_kib: 4 * 1024,
            iterations: 1,
            parallelism: 1,
        },
        PasswordCost::OWASP,
        PasswordCost {
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 1,
        },
    ];
    for cost in costs {
        let ms = per_hash_ms(cost, 5);
        table.push([
            "Argon2id".to_string(),
            cost.memory_kib.to_string(),
            cost.iterations.to_string(),
            cost.parallelism.to_string(),
            format!("{ms:.1}"),
            format!("{:.0}", 1e3 / ms),
        ]);
    }
    show::table(&table.caption("one hash, timed on the build machine"));
}
