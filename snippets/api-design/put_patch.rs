//! The same user resource written with PUT and with PATCH (a JSON Merge Patch, RFC 7396), the
//! status code of each request, and the patch a client computes from an edited copy.

use sysdesign::api_design::{Resources, Value, json, merge_diff};
use sysdesign::show::{self, Table};

// ANCHOR: requests
fn requests() -> Vec<(&'static str, &'static str, Value)> {
    let full = json!({"name": "Ada", "age": 36, "address": {"city": "London", "zip": "W1"}});
    let partial = json!({"age": 37, "address": {"zip": null}});
    vec![
        ("PUT", "/users/123", full.clone()),
        ("PUT", "/users/123", partial.clone()),
        ("PUT", "/users/123", full),
        ("PATCH", "/users/123", partial.clone()),
        ("PATCH", "/users/9", partial),
    ]
}

fn send(users: &mut Resources, method: &str, path: &str, body: &Value) -> u16 {
    match method {
        "PUT" => users.put(path, body),
        _ => users.patch(path, body),
    }
}
// ANCHOR_END: requests

fn main() {
    let mut users = Resources::default();
    let mut table = Table::new(["request", "body", "status", "/users/123 afterwards"]);
    for (method, path, body) in requests() {
        let status = send(&mut users, method, path, &body);
        let now = users
            .get("/users/123")
            .map_or("-".to_string(), Value::to_string);
        table.push([
            format!("{method} {path}"),
            body.to_string(),
            status.to_string(),
            now,
        ]);
    }
    show::table(&table.caption("PUT replaces the whole resource; PATCH merges the body into it"));

    // A client that edited a copy sends only the difference.
    let edited = json!({"name": "Ada Lovelace", "age": 37, "address": {"city": "London"}});
    let stored = users.get("/users/123").cloned().unwrap_or(Value::Null);
    let patch = merge_diff(&stored, &edited);
    show::value("diff_patch", &patch);
    show::value("diff_bytes", patch.to_string().len());
    show::value("full_bytes", edited.to_string().len());
}
