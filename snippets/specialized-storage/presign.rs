//! A pre-signed URL for one object, and what the store answers to the URL as issued and to
//! six altered or late requests. Time is passed in (seconds since the epoch).

use sysdesign::show::{self, Table};
use sysdesign::specialized_storage::UrlSigner;

fn main() {
    // ANCHOR: sign
    let signer = UrlSigner::new(b"a key only the storage service holds", 7 * 24 * 3600);
    let now = 1_700_000_000;
    let url = signer
        .sign("GET", "/photos/2024/cat.jpg", now, 15 * 60)
        .expect("15 minutes is within the limit");
    // ANCHOR_END: sign
    println!("{url}");
    let tampered_sig = {
        let mut u = url.clone();
        let last = u.pop().expect("the url ends with the signature");
        u.push(if last == 'f' { 'e' } else { 'f' });
        u
    };
    let cases = [
        ("as issued, 10 minutes later", "GET", url.clone(), now + 600),
        ("as issued, 16 minutes later", "GET", url.clone(), now + 960),
        (
            "another object",
            "GET",
            url.replace("cat.jpg", "dog.jpg"),
            now + 600,
        ),
        (
            "expiry pushed a year later",
            "GET",
            url.replace(
                &(now + 900).to_string(),
                &(now + 900 + 365 * 86_400).to_string(),
            ),
            now + 600,
        ),
        ("PUT with a GET url", "PUT", url.clone(), now + 600),
        (
            "one hex digit of the signature changed",
            "GET",
            tampered_sig,
            now + 600,
        ),
    ];
    let mut table = Table::new(["request", "method", "answer"]);
    for (what, method, u, at) in cases {
        let answer = match signer.verify(method, &u, at) {
            Ok(()) => "200 OK".to_string(),
            Err(e) => format!("403: {e}"),
        };
        table.push([what.to_string(), method.to_string(), answer]);
    }
    show::table(&table.caption("the store checks each request with its key and its clock"));
    let too_long = signer.sign("GET", "/photos/2024/cat.jpg", now, 30 * 86_400);
    println!(
        "a 30-day URL: {}",
        too_long.expect_err("30 days is over the limit")
    );
}
