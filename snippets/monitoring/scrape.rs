//! A registry with a counter, a gauge and a latency histogram, served as `GET /metrics` on
//! 127.0.0.1 and scraped twice, as Prometheus would scrape it: before and after the first ten
//! minutes of the seeded workload are recorded.

use std::sync::Arc;
use std::time::Duration;
use sysdesign::monitoring::{MetricsEndpoint, Registry, Workload, parse};
use sysdesign::show::{self, Table};

fn main() {
    // ANCHOR: register
    let registry = Arc::new(Registry::default());
    let requests = registry
        .counter("http_requests_total", "Requests served.")
        .expect("a valid, new name");
    let errors = registry
        .counter("http_request_errors_total", "Requests that failed.")
        .expect("a valid, new name");
    let in_flight = registry
        .gauge("http_requests_in_flight", "Requests being served now.")
        .expect("a valid, new name");
    let buckets = [25, 50, 100, 250].map(Duration::from_millis);
    let latency = registry
        .histogram(
            "http_request_duration_seconds",
            "Time to serve a request.",
            &buckets,
        )
        .expect("increasing bounds");
    let endpoint = MetricsEndpoint::start(Arc::clone(&registry)).expect("binds 127.0.0.1");
    // ANCHOR_END: register

    let before = endpoint.scrape().expect("the endpoint answers");
    let workload = Workload {
        minutes: 10,
        ..Workload::default()
    };
    for obs in workload.generate() {
        requests.inc();
        if !obs.ok {
            errors.inc();
        }
        latency.record(obs.latency);
    }
    in_flight.set(3.0);
    let after = endpoint.scrape().expect("the endpoint answers");

    println!("GET /metrics -> {} {}", after.status, after.content_type);
    print!("{}", after.body);

    let mut table = Table::new(["series", "first scrape", "second scrape"]);
    let (first, second) = (
        parse(&before.body).expect("our own format parses"),
        parse(&after.body).expect("our own format parses"),
    );
    for (a, b) in first.iter().zip(&second) {
        let labels: Vec<String> = b
            .labels
            .iter()
            .map(|(k, v)| format!("{k}=\"{v}\""))
            .collect();
        let series = if labels.is_empty() {
            b.name.clone()
        } else {
            format!("{}{{{}}}", b.name, labels.join(","))
        };
        table.push([series, a.value.to_string(), b.value.to_string()]);
    }
    show::table(&table.caption("every sample, parsed back from the two scrapes"));
}
