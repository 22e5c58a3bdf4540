//! A client posts an order, the response is lost, and the client retries after its timeout:
//! without an idempotency key the server creates the order twice; with one, once.

use sysdesign::api_design::{Attempt, OrderRequest, OrderService, post_with_retries};
use sysdesign::show::{self, Table};

fn describe(attempts: &[Attempt]) -> String {
    attempts
        .iter()
        .map(|a| match a {
            Attempt::Lost => "lost".to_string(),
            Attempt::Answered(r) => format!(
                "{} order {}{}",
                r.status,
                r.order_id.map_or("-".to_string(), |id| id.to_string()),
                if r.replayed { " (replayed)" } else { "" }
            ),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn main() {
    // ANCHOR: run
    let request = OrderRequest {
        item: "book".into(),
        quantity: 1,
    };
    let mut table = Table::new(["client sends", "attempts", "orders created"]);
    let runs = [("no key", None), ("Idempotency-Key", Some("7f3c9b2e"))];
    for (name, key) in runs {
        let mut service = OrderService::new();
        // The first response is lost; the client retries, up to 3 attempts.
        let attempts = post_with_retries(&mut service, &request, key, &[0], 3);
        table.push([
            name.to_string(),
            describe(&attempts),
            service.orders().len().to_string(),
        ]);
        show::value(
            &format!(
                "orders_{}",
                if key.is_some() {
                    "with_key"
                } else {
                    "without_key"
                }
            ),
            service.orders().len(),
        );
    }
    // ANCHOR_END: run
    show::table(&table.caption("POST /orders with the first response lost"));

    // A different body under a key already used is a client bug, not a retry.
    let mut service = OrderService::new();
    service.create_order(&request, Some("k1"));
    let other = OrderRequest {
        item: "lamp".into(),
        quantity: 2,
    };
    show::value(
        "reused_key_status",
        service.create_order(&other, Some("k1")).status,
    );
}
