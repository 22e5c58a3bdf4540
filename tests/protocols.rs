//! HTTP/1.1 building and parsing (malformed input never panics, valid messages round-trip,
//! every prefix is partial), the loopback server and its two clients, batching and gzip.

use proptest::prelude::*;
use sysdesign::protocols::{
    BuildError, HttpServer, KeepAlive, ParseError, Parsed, Request, Response, events, limits,
    one_batch, one_request_each, parse_request, parse_response, send_on_new_connection, wire_bytes,
};

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]{0,15}"
}

fn request() -> impl Strategy<Value = Request> {
    (
        prop_oneof![
            Just("GET"),
            Just("POST"),
            Just("PUT"),
            Just("DELETE"),
            Just("PATCH")
        ],
        "/[a-z0-9/?=&._~-]{0,40}",
        proptest::collection::vec((token(), "[ -~]{0,30}"), 0..8),
        proptest::collection::vec(any::<u8>(), 0..200),
    )
        .prop_map(|(method, target, headers, body)| Request {
            method: method.to_string(),
            target,
            headers: headers
                .into_iter()
                .filter(|(n, _)| !n.eq_ignore_ascii_case("content-length"))
                .filter(|(n, _)| !n.eq_ignore_ascii_case("transfer-encoding"))
                // Leading and trailing spaces are not part of a field value (RFC 9110 §5.5).
                .map(|(n, v)| (n, v.trim_matches(' ').to_string()))
                .collect(),
            body,
        })
}

/// What a parse may return: anything but a panic, and a complete message never claims more
/// bytes than it was given.
fn well_behaved<T>(outcome: Result<Parsed<T>, ParseError>, len: usize) -> bool {
    match outcome {
        Ok(Parsed::Complete(_, used)) => used > 0 && used <= len,
        Ok(Parsed::Partial) | Err(_) => true,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn arbitrary_bytes_never_panic_the_request_parser(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        prop_assert!(well_behaved(parse_request(&bytes), bytes.len()));
        prop_assert!(well_behaved(parse_response(&bytes), bytes.len()));
    }

    #[test]
    fn mutated_requests_never_panic_the_parser(
        req in request(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = req.to_bytes().unwrap();
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        bytes.truncate(cut.index(bytes.len() + 1));
        prop_assert!(well_behaved(parse_request(&bytes), bytes.len()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn a_built_request_parses_back_to_itself(req in request()) {
        let bytes = req.to_bytes().unwrap();
        prop_assert_eq!(parse_request(&bytes), Ok(Parsed::Complete(req, bytes.len())));
    }

    #[test]
    fn every_strict_prefix_of_a_request_is_partial(req in request(), cut in any::<prop::sample::Index>()) {
        let bytes = req.to_bytes().unwrap();
        let at = cut.index(bytes.len());
        prop_assert_eq!(parse_request(&bytes[..at]), Ok(Parsed::Partial));
    }

    #[test]
    fn pipelined_requests_parse_one_after_the_other(a in request(), b in request()) {
        let mut bytes = a.to_bytes().unwrap();
        let first = bytes.len();
        bytes.extend(b.to_bytes().unwrap());
        prop_assert_eq!(parse_request(&bytes), Ok(Parsed::Complete(a, first)));
        prop_assert_eq!(parse_request(&bytes[first..]), Ok(Parsed::Complete(b, bytes.len() - first)));
    }

    #[test]
    fn a_built_response_parses_back_to_itself(status in 100u16..600, body in proptest::collection::vec(any::<u8>(), 0..100)) {
        let res = Response::new(status).header("Server", "test").body(body);
        let bytes = res.to_bytes().unwrap();
        prop_assert_eq!(parse_response(&bytes), Ok(Parsed::Complete(res, bytes.len())));
    }
}

#[test]
fn header_values_with_line_breaks_are_refused_when_building() {
    let r = Request::new("GET", "/").header("X-Note", "ok\r\nX-Admin: yes");
    assert!(matches!(r.to_bytes(), Err(BuildError::ControlCharacter(_))));
    let r = Request::new("GET", "/").header("Bad Name", "x");
    assert!(matches!(r.to_bytes(), Err(BuildError::NotAToken(_))));
    let r = Request::new("GET", "/a b");
    assert!(r.to_bytes().is_err());
}

#[test]
fn conflicting_content_lengths_are_an_error_not_a_guess() {
    let bytes = b"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd";
    assert!(matches!(
        parse_request(bytes),
        Err(ParseError::BadContentLength(_))
    ));
    let bytes = b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n";
    assert!(matches!(
        parse_request(bytes),
        Err(ParseError::BadContentLength(_))
    ));
    let bytes = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    assert!(matches!(
        parse_request(bytes),
        Err(ParseError::TransferEncoding(_))
    ));
}

#[test]
fn a_huge_content_length_waits_for_more_bytes_without_overflowing() {
    let bytes = format!("POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n", usize::MAX);
    assert_eq!(parse_request(bytes.as_bytes()), Ok(Parsed::Partial));
}

#[test]
fn the_server_answers_on_new_and_on_kept_connections() {
    let server = HttpServer::start().unwrap();
    let req = Request::new("POST", "/e")
        .header("Host", "localhost")
        .body("abc");
    for _ in 0..5 {
        let res = send_on_new_connection(server.addr(), &req).unwrap();
        assert_eq!(res.header_value("connection"), Some("close"));
        assert_eq!(res.body, b"{\"received\":3}");
    }
    let mut client = KeepAlive::connect(server.addr()).unwrap();
    for _ in 0..20 {
        let res = client.send(&req).unwrap();
        assert_eq!((res.status, res.header_value("connection")), (200, None));
    }
    drop(client);
    assert_eq!(server.served(), 25);
    server.stop();
}

#[test]
fn one_batch_costs_fewer_bytes_than_one_request_per_event() {
    let ev = events(100, 1);
    let each = wire_bytes(&one_request_each(&ev)).unwrap();
    let batch = wire_bytes(&[one_batch(&ev)]).unwrap();
    assert_eq!(each.requests, 100);
    assert!(batch.total() * 2 < each.total());
    assert!(batch.head < each.head / 50);
}

#[cfg(feature = "compression")]
#[test]
fn gzip_shrinks_the_batch_and_gunzip_restores_it() {
    use sysdesign::protocols::{gunzip, gzip, one_gzipped_batch};
    let ev = events(500, 2);
    let plain = one_batch(&ev);
    let packed = one_gzipped_batch(&ev, 6);
    assert!(packed.body.len() * 3 < plain.body.len());
    assert_eq!(gunzip(&packed.body).unwrap(), plain.body);
    assert!(gunzip(b"not gzip at all").is_err());
    assert_eq!(gunzip(&gzip(b"", 9)).unwrap(), b"");
}

#[test]
fn limits_follow_from_the_field_widths() {
    let get = |what: &str| limits().into_iter().find(|l| l.what == what).unwrap().bytes;
    assert_eq!(get("IPv4 header"), 60);
    assert_eq!(get("IPv4 packet, header included"), 65_535);
    assert_eq!(get("TCP header"), 60);
    assert_eq!(get("UDP payload, IPv4"), 65_507);
    assert_eq!(get("TCP payload per segment on Ethernet, IPv4"), 1_460);
}
