//! timing: measured on the machine that builds the book
//!
//! What a connection costs: the same small request sent 500 times to a server on 127.0.0.1,
//! on a new TCP connection each time and on one kept-alive connection; then 1,000 events sent
//! one request each and as one batch on the kept-alive connection.

use std::time::Instant;
use sysdesign::protocols::{
    HttpServer, KeepAlive, Request, events, one_batch, one_request_each, send_on_new_connection,
};
use sysdesign::show::{self, Table};

const REQUESTS: usize = 500;

fn median_micros(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let server = HttpServer::start().expect("a loopback port is free");
    let request = Request::new("GET", "/health").header("Host", "localhost");

    // ANCHOR: compare
    let new_each: Vec<f64> = (0..REQUESTS)
        .map(|_| {
            let start = Instant::now();
            send_on_new_connection(server.addr(), &request).expect("the server answers");
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    let mut client = KeepAlive::connect(server.addr()).expect("the server listens");
    let kept: Vec<f64> = (0..REQUESTS)
        .map(|_| {
            let start = Instant::now();
            client.send(&request).expect("the server answers");
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    // ANCHOR_END: compare

    let ev = events(1_000, 42);
    let each = one_request_each(&ev);
    let start = Instant::now();
    for r in &each {
        client.send(r).expect("the server answers");
    }
    let each_total = start.elapsed().as_secs_f64() * 1e3;
    let batch = one_batch(&ev);
    let start = Instant::now();
    client.send(&batch).expect("the server answers");
    let batch_total = start.elapsed().as_secs_f64() * 1e3;
    drop(client);
    server.stop();

    let (new_median, kept_median) = (median_micros(new_each), median_micros(kept));
    let mut table = Table::new(["how", "requests", "median per request"]);
    table.push([
        "new TCP connection per request".to_string(),
        REQUESTS.to_string(),
        format!("{new_median:.0} µs"),
    ]);
    table.push([
        "one kept-alive connection".to_string(),
        REQUESTS.to_string(),
        format!("{kept_median:.0} µs"),
    ]);
    show::table(&table.caption("The same GET, on loopback"));
    let mut table = Table::new(["1,000 events sent", "requests", "total time"]);
    table.push([
        "one request per event (kept-alive)".to_string(),
        "1000".to_string(),
        format!("{each_total:.1} ms"),
    ]);
    table.push([
        "one batched request".to_string(),
        "1".to_string(),
        format!("{batch_total:.2} ms"),
    ]);
    show::table(&table.caption("Batching on one connection"));

    show::value("new_conn_us", format!("{new_median:.0} µs"));
    show::value("keep_alive_us", format!("{kept_median:.0} µs"));
    show::value("reuse_speedup", format!("{:.1}", new_median / kept_median));
    show::value("batch_speedup", format!("{:.0}", each_total / batch_total));
}
