//! The proxy headers as strings (with property tests), then the reverse proxy and the gateway
//! over loopback: each test starts its own servers on ephemeral ports of 127.0.0.1.

use proptest::prelude::*;
use std::net::IpAddr;
use sysdesign::proxies::{ForwardedElement, Node, RouteTable, append_to_list, parse_forwarded};

#[test]
fn ipv6_and_ports_are_quoted_and_bracketed_ipv4_alone_is_a_token() {
    let v4 = ForwardedElement {
        for_: Some(Node::Ip("192.0.2.60".parse().unwrap(), None)),
        ..Default::default()
    };
    assert_eq!(v4.to_string(), "for=192.0.2.60");
    let v6 = ForwardedElement {
        for_: Some(Node::Ip("2001:db8:cafe::17".parse().unwrap(), None)),
        ..Default::default()
    };
    assert_eq!(v6.to_string(), r#"for="[2001:db8:cafe::17]""#);
    let port = ForwardedElement {
        for_: Some(Node::Ip("192.0.2.43".parse().unwrap(), Some(47011))),
        ..Default::default()
    };
    assert_eq!(port.to_string(), r#"for="192.0.2.43:47011""#);
}

#[test]
fn parses_the_examples_of_rfc_7239() {
    // Section 4's examples: case-insensitive keys, several pairs, several elements.
    let e = parse_forwarded(r#"For="[2001:db8:cafe::17]:4711""#).unwrap();
    assert_eq!(
        e[0].for_,
        Some(Node::Ip("2001:db8:cafe::17".parse().unwrap(), Some(4711)))
    );
    let e = parse_forwarded("for=192.0.2.60;proto=http;by=203.0.113.43").unwrap();
    assert_eq!(e[0].proto.as_deref(), Some("http"));
    assert_eq!(
        e[0].by,
        Some(Node::Ip("203.0.113.43".parse().unwrap(), None))
    );
    let e = parse_forwarded("for=192.0.2.43, for=198.51.100.17").unwrap();
    assert_eq!(e.len(), 2);
    assert_eq!(
        parse_forwarded(r#"for="_mdn""#).unwrap()[0].for_,
        Some(Node::Obfuscated("_mdn".into()))
    );
}

#[test]
fn route_table_prefers_the_longest_prefix_on_a_segment_boundary() {
    let routes = RouteTable::new([("/", "web"), ("/users", "users"), ("/users/admin", "admin")]);
    assert_eq!(routes.service("/users/admin/7"), Some("admin"));
    assert_eq!(routes.service("/users/7"), Some("users"));
    assert_eq!(routes.service("/users?id=7"), Some("users"));
    assert_eq!(routes.service("/usersx"), Some("web"));
}

fn node() -> impl Strategy<Value = Node> {
    prop_oneof![
        (any::<IpAddr>(), proptest::option::of(any::<u16>()))
            .prop_map(|(ip, port)| Node::Ip(ip, port)),
        "_[A-Za-z0-9._-]{1,12}".prop_map(Node::Obfuscated),
        Just(Node::Unknown),
    ]
}

fn element() -> impl Strategy<Value = ForwardedElement> {
    (
        proptest::option::of(node()),
        proptest::option::of(node()),
        proptest::option::of("[ -~]{1,20}"),
        proptest::option::of(prop_oneof![
            Just("http".to_string()),
            Just("https".to_string())
        ]),
    )
        .prop_filter("an element has at least one pair", |(f, b, h, p)| {
            f.is_some() || b.is_some() || h.is_some() || p.is_some()
        })
        .prop_map(|(for_, by, host, proto)| ForwardedElement {
            for_,
            by,
            host,
            proto,
        })
}

proptest! {
    // ANCHOR: roundtrip
    /// Whatever chain of proxies wrote the header, reading it gives back each element in order.
    #[test]
    fn forwarded_chain_written_then_read_is_unchanged(chain in proptest::collection::vec(element(), 1..5)) {
        let mut header: Option<String> = None;
        for e in &chain {
            header = Some(append_to_list(header.as_deref(), &e.to_string()));
        }
        prop_assert_eq!(parse_forwarded(&header.unwrap()).unwrap(), chain);
    }
    // ANCHOR_END: roundtrip

    /// The route table agrees with a plain search over every prefix.
    #[test]
    fn route_table_matches_a_brute_force_search(
        prefixes in proptest::collection::btree_set("(/[ab]{1,2}){1,3}", 1..6),
        path in "(/[ab]{1,2}){0,4}",
    ) {
        let routes = RouteTable::new(prefixes.iter().map(|p| (p.clone(), p.clone())));
        let expected = prefixes
            .iter()
            .filter(|p| path == **p || path.starts_with(&format!("{p}/")))
            .max_by_key(|p| p.len())
            .map(String::as_str);
        prop_assert_eq!(routes.service(&path), expected);
    }
}

#[cfg(feature = "http")]
mod loopback {
    use std::time::Duration;
    use sysdesign::load_balancing::Strategy;
    use sysdesign::proxies::{Lab, Node, parse_forwarded};
    use sysdesign::rate_limiting::Quota;

    #[test]
    fn proxy_forwards_the_request_and_returns_the_backends_answer() {
        let lab = Lab::reverse_proxy("edge1", &["a", "b"], Strategy::RoundRobin, 0).unwrap();
        let reply = lab.get("/items/7?color=red", &[]).unwrap();
        assert_eq!(reply.status, 200);
        let seen = reply.seen().expect("an echo record");
        assert_eq!(seen.path, "/items/7?color=red");
        assert_eq!(seen.backend, lab.backends()[reply.backend.unwrap()].0);
    }

    #[test]
    fn proxy_adds_forwarded_x_forwarded_for_and_via_after_what_the_client_sent() {
        let lab = Lab::reverse_proxy("edge1", &["a"], Strategy::RoundRobin, 0).unwrap();
        let reply = lab
            .get(
                "/",
                &[
                    ("host", "shop.example"),
                    ("x-forwarded-for", "203.0.113.9"),
                    ("via", "1.1 corp-proxy"),
                ],
            )
            .unwrap();
        let seen = reply.seen().unwrap();
        assert_eq!(
            seen.x_forwarded_for.as_deref(),
            Some("203.0.113.9, 127.0.0.1")
        );
        assert_eq!(seen.via.as_deref(), Some("1.1 corp-proxy, 1.1 edge1"));
        let forwarded = parse_forwarded(seen.forwarded.as_deref().unwrap()).unwrap();
        assert_eq!(forwarded.len(), 1);
        assert_eq!(
            forwarded[0].for_,
            Some(Node::Ip("127.0.0.1".parse().unwrap(), None))
        );
        assert_eq!(forwarded[0].by, Some(Node::Obfuscated("_edge1".into())));
        assert_eq!(forwarded[0].host.as_deref(), Some("shop.example"));
    }

    #[test]
    fn round_robin_spreads_requests_evenly_over_two_backends() {
        let lab = Lab::reverse_proxy("edge1", &["a", "b"], Strategy::RoundRobin, 0).unwrap();
        let served: Vec<usize> = (0..10)
            .map(|_| lab.get("/", &[]).unwrap().backend.unwrap())
            .collect();
        assert_eq!(served, [0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    }

    #[test]
    fn random_strategy_uses_both_backends() {
        let lab = Lab::reverse_proxy("edge1", &["a", "b"], Strategy::Random, 3).unwrap();
        let to_a = (0..40)
            .filter(|_| lab.get("/", &[]).unwrap().backend == Some(0))
            .count();
        assert!((5..=35).contains(&to_a), "{to_a} of 40 went to backend 0");
    }

    #[test]
    fn a_proxy_name_that_is_not_a_token_is_refused() {
        assert!(Lab::reverse_proxy("edge 1", &["a"], Strategy::RoundRobin, 0).is_err());
        assert!(Lab::reverse_proxy("edge1", &[], Strategy::RoundRobin, 0).is_err());
    }

    #[test]
    fn gateway_authenticates_then_routes_by_prefix_then_limits_the_rate() {
        let quota = Quota::new(4, Duration::from_secs(60)).unwrap();
        let lab = Lab::gateway(quota).unwrap();
        let key = [("x-api-key", "demo-key")];
        assert_eq!(lab.get("/users/ada", &[]).unwrap().status, 401);
        assert_eq!(
            lab.get("/users/ada", &[("x-api-key", "guess")])
                .unwrap()
                .status,
            401
        );
        let user = lab.get("/users/ada", &key).unwrap();
        assert!(user.seen().unwrap().backend.starts_with("users-"));
        assert_eq!(
            lab.get("/orders?user=ada", &key)
                .unwrap()
                .seen()
                .unwrap()
                .backend,
            "orders-a"
        );
        assert_eq!(lab.get("/payments/1", &key).unwrap().status, 404);
        let summary = lab.get("/summary/ada", &key).unwrap();
        assert!(
            summary.body.contains("\"orders-a\"") && summary.body.contains("users-"),
            "{}",
            summary.body
        );
        // Four tokens spent (two routed, one 404, one summary): the next call is refused.
        assert_eq!(lab.get("/users/ada", &key).unwrap().status, 429);
    }
}
