//! A reverse proxy called `edge1` on 127.0.0.1 in front of two echo backends, round robin.
//! Six requests go through it; each backend answers with the headers it saw. The third request
//! arrives with an `X-Forwarded-For` the client wrote itself. Ports are ephemeral and not shown.

use sysdesign::load_balancing::Strategy;
use sysdesign::proxies::Lab;
use sysdesign::show::{self, Table};

fn main() {
    // ANCHOR: requests
    let lab = Lab::reverse_proxy(
        "edge1",
        &["backend-a", "backend-b"],
        Strategy::RoundRobin,
        0,
    )
    .expect("loopback servers start");
    let mut table = Table::new([
        "#",
        "path",
        "served by",
        "X-Forwarded-For",
        "Via",
        "Forwarded",
    ]);
    for i in 1..=6 {
        let path = format!("/items/{i}");
        let mut headers = vec![("host", "shop.example")];
        if i == 3 {
            headers.push(("x-forwarded-for", "203.0.113.9")); // a claim by the client
        }
        let reply = lab.get(&path, &headers).expect("the proxy answers");
        let seen = reply.seen().expect("the backend's echo");
        table.push([
            i.to_string(),
            seen.path,
            seen.backend,
            seen.x_forwarded_for.unwrap_or_default(),
            seen.via.unwrap_or_default(),
            seen.forwarded.unwrap_or_default(),
        ]);
    }
    // ANCHOR_END: requests
    show::table(&table.caption("what each backend saw; the client talked only to the proxy"));
}
