//! One webhook delivery to a receiver that is down for its first four attempts, retried with
//! capped exponential backoff (1 s base, 60 s cap, equal jitter, seeded); then the receiver's
//! checks on the signature: the genuine request, a changed body, a wrong secret, a replay.

use rand::SeedableRng;
use rand::rngs::StdRng;
use sysdesign::overload::{Backoff, Jitter};
use sysdesign::polling_streaming::{deliver, sign, verify};
use sysdesign::show::{self, Table};

fn main() {
    // ANCHOR: deliver
    let backoff = Backoff::new(1_000, 60_000, Jitter::Equal).expect("cap above base");
    let mut rng = StdRng::seed_from_u64(9);
    let attempts = deliver(
        &backoff,
        8,
        &mut rng,
        |n, _at_ms| if n <= 4 { 503 } else { 200 },
    );
    // ANCHOR_END: deliver
    let mut table = Table::new(["attempt", "sent at (s)", "status"]);
    for a in &attempts {
        table.push([
            a.number.to_string(),
            format!("{:.1}", a.at_ms as f64 / 1e3),
            a.status.to_string(),
        ]);
    }
    show::table(&table.caption("attempts, in seconds after the event"));

    // ANCHOR: verify
    let secret = b"whsec_demo";
    let body = br#"{"event":"payment.succeeded","id":"evt_1"}"#;
    let sent_at = 1_700_000_000;
    let header = sign(secret, sent_at, body);
    let checks: [(&str, &[u8], &[u8], u64); 4] = [
        ("as sent, 2 s later", secret, body, sent_at + 2),
        (
            "body changed",
            secret,
            br#"{"event":"payment.succeeded","id":"evt_2"}"#,
            sent_at + 2,
        ),
        ("wrong secret", b"guess", body, sent_at + 2),
        ("replayed an hour later", secret, body, sent_at + 3_600),
    ];
    // ANCHOR_END: verify
    println!("Signature: {header}");
    let mut table = Table::new(["request", "receiver says"]);
    for (case, key, body, now) in checks {
        let verdict = match verify(key, &header, body, now, 300) {
            Ok(()) => "accepted".to_string(),
            Err(e) => format!("refused: {e}"),
        };
        table.push([case.to_string(), verdict]);
    }
    show::table(&table.caption("the receiver allows 300 s of clock difference"));
}
