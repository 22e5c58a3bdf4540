//! An HTTP/1.1 request and response built as bytes, parsed back with httparse, and a few
//! malformed inputs with what the parser says about each.

use sysdesign::protocols::{Parsed, Request, Response, parse_request, parse_response};
use sysdesign::show::{self, Table};

/// The bytes with CR and LF shown, one line per HTTP line.
fn visible(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .replace('\r', "\\r")
        .replace('\n', "\\n\n")
}

fn outcome(bytes: &[u8]) -> String {
    match parse_request(bytes) {
        Ok(Parsed::Complete(r, used)) => {
            format!("complete: {} {} ({used} bytes)", r.method, r.target)
        }
        Ok(Parsed::Partial) => "partial: read more".to_string(),
        Err(e) => format!("error: {e}"),
    }
}

fn main() {
    // ANCHOR: build
    let request = Request::new("POST", "/payments")
        .header("Host", "api.example.com")
        .header("Content-Type", "application/json")
        .body(r#"{"amount":1250,"currency":"EUR"}"#);
    let bytes = request.to_bytes().expect("every field is valid");
    // ANCHOR_END: build
    println!(
        "--- request, {} bytes ---\n{}",
        bytes.len(),
        visible(&bytes)
    );
    let Ok(Parsed::Complete(back, used)) = parse_request(&bytes) else {
        panic!("a built request parses")
    };
    println!(
        "\nparsed back: {} {} with {} headers and a {}-byte body, {used} bytes used; equal to the original: {}",
        back.method,
        back.target,
        back.headers.len(),
        back.body.len(),
        back == request
    );

    let response = Response::new(201)
        .header("Content-Type", "application/json")
        .header("Location", "/payments/7")
        .body(r#"{"id":7}"#);
    let bytes = response.to_bytes().expect("every field is valid");
    println!(
        "\n--- response, {} bytes ---\n{}",
        bytes.len(),
        visible(&bytes)
    );
    if let Ok(Parsed::Complete(back, _)) = parse_response(&bytes) {
        println!(
            "\nparsed back: status {} {:?}, Location {:?}",
            back.status,
            back.reason,
            back.header_value("location")
        );
    }

    // ANCHOR: malformed
    let inputs: [(&str, &[u8]); 8] = [
        ("a whole request", b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
        ("the head cut short", b"GET / HTTP/1.1\r\nHo"),
        (
            "the body cut short",
            b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc",
        ),
        (
            "a space in a header name",
            b"GET / HTTP/1.1\r\nHost name: a\r\n\r\n",
        ),
        ("HTTP/2.0 on the request line", b"GET / HTTP/2.0\r\n\r\n"),
        (
            "two different Content-Lengths",
            b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        ),
        (
            "chunked transfer coding",
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
        ),
        ("binary noise", &[0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0xfc]),
    ];
    // ANCHOR_END: malformed
    let mut table = Table::new(["input", "what parse_request says"]);
    for (what, bytes) in inputs {
        table.push([what.to_string(), outcome(bytes)]);
    }
    show::table(&table.caption("The parser's three answers: complete, partial, or an error"));

    let smuggle = Request::new("GET", "/")
        .header("X-Note", "hi\r\nX-Admin: true")
        .to_bytes();
    println!(
        "a header value with a line break in it: {}",
        smuggle.map_or_else(|e| format!("refused, {e}"), |_| "built".to_string())
    );
}
