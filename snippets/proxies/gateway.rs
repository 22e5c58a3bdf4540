//! An API gateway on 127.0.0.1: services `users` (two backends) and `orders` (one), the API key
//! `demo-key`, and a token bucket of 5 requests per minute whose clock stands still. Each call
//! below is made in turn; the table shows what the gateway answered.

use std::time::Duration;
use sysdesign::proxies::Lab;
use sysdesign::rate_limiting::Quota;
use sysdesign::show::{self, Table};

fn main() {
    let quota = Quota::new(5, Duration::from_secs(60)).expect("a positive quota");
    let lab = Lab::gateway(quota).expect("loopback servers start");
    // ANCHOR: calls
    let key = ("x-api-key", "demo-key");
    let calls: [(&str, Vec<(&str, &str)>); 8] = [
        ("/users/ada", vec![]),
        ("/users/ada", vec![("x-api-key", "guess")]),
        ("/users/ada", vec![key]),
        ("/users/bob", vec![key]),
        ("/orders?user=ada", vec![key]),
        ("/payments/7", vec![key]),
        ("/summary/ada", vec![key]),
        ("/users/ada", vec![key]),
    ];
    // ANCHOR_END: calls
    let mut table = Table::new(["call", "API key", "status", "answered by"]);
    for (path, headers) in calls {
        let reply = lab.get(path, &headers).expect("the gateway answers");
        let key = headers.first().map_or("none", |&(_, k)| k);
        let by = match (reply.status, reply.seen()) {
            (200, Some(seen)) => seen.backend,
            (200, None) => aggregated(&reply.body),
            _ => reply.body.trim().to_string(),
        };
        table.push([path, key, reply.status.to_string().as_str(), by.as_str()]);
    }
    show::table(
        &table.caption("calls in order; the fifth authenticated call spends the last token"),
    );
}

/// The backends named in an aggregated answer, in the order they appear.
fn aggregated(body: &str) -> String {
    let names: Vec<&str> = ["users-a", "users-b", "orders-a"]
        .into_iter()
        .filter(|name| body.contains(name))
        .collect();
    format!("gateway, from {}", names.join(" and "))
}
