//! API design: cursor pagination never skips or repeats, offsets do; idempotency keys make a
//! retried POST safe; JSON Merge Patch follows RFC 7396 and agrees with the `json-patch` crate.

use proptest::prelude::*;
use serde_json::{Value, json};
use sysdesign::api_design::*;

#[test]
fn offset_pagination_repeats_an_item_when_one_is_inserted_ahead() {
    let s = scan(
        Listing::new(1..=10),
        Paging::Offset,
        3,
        &[vec![Change::Insert(0)]],
    );
    assert_eq!(s.repeated, vec![3]);
}

#[test]
fn offset_pagination_skips_an_item_when_one_behind_is_deleted() {
    let s = scan(
        Listing::new(1..=10),
        Paging::Offset,
        3,
        &[vec![Change::Delete(1)]],
    );
    assert_eq!(s.skipped, vec![4]);
}

#[test]
fn a_cursor_from_another_server_is_refused_naming_it() {
    let err = Cursor::decode("b2Zmc2V0OjM").unwrap_err();
    assert!(err.to_string().contains("b2Zmc2V0OjM"), "{err}");
}

#[test]
fn cursor_page_says_when_it_is_the_last() {
    let l = Listing::new([1, 2, 3, 4]);
    let p = l.page_after(None, 2);
    assert_eq!(p.items, vec![1, 2]);
    let p = l.page_after(p.next, 2);
    assert_eq!((p.items, p.next), (vec![3, 4], None));
}

fn changes() -> impl Strategy<Value = Vec<Vec<Change>>> {
    let change = prop_oneof![
        (0u64..60).prop_map(Change::Insert),
        (0u64..60).prop_map(Change::Delete),
    ];
    prop::collection::vec(prop::collection::vec(change, 0..4), 0..30)
}

// ANCHOR: cursor_law
proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]
    /// Under any interleaving of inserts and deletes between page reads, a cursor scan returns
    /// keys in strictly increasing order (so none twice) and every key present throughout.
    #[test]
    fn cursor_pagination_never_skips_or_repeats(
        start in prop::collection::btree_set(0u64..60, 0..40),
        limit in 1usize..8,
        changes in changes(),
    ) {
        let s = scan(Listing::new(start), Paging::Cursor, limit, &changes);
        let all: Vec<u64> = s.pages.concat();
        prop_assert!(all.windows(2).all(|w| w[0] < w[1]), "{all:?}");
        prop_assert!(s.repeated.is_empty() && s.skipped.is_empty(), "{s:?}");
    }
}
// ANCHOR_END: cursor_law

proptest! {
    /// With nothing changing, both kinds of paging return the listing exactly once, in order.
    #[test]
    fn both_pagings_agree_on_a_listing_that_does_not_change(
        start in prop::collection::btree_set(0u64..1_000, 0..100),
        limit in 1usize..20,
    ) {
        let want: Vec<u64> = start.iter().copied().collect();
        for paging in [Paging::Offset, Paging::Cursor] {
            let s = scan(Listing::new(start.clone()), paging, limit, &[]);
            prop_assert_eq!(s.pages.concat(), want.clone());
        }
    }
}

#[test]
fn without_a_key_a_retried_post_creates_the_order_twice() {
    let mut service = OrderService::new();
    let request = OrderRequest {
        item: "book".into(),
        quantity: 1,
    };
    let attempts = post_with_retries(&mut service, &request, None, &[0], 3);
    assert_eq!(attempts.len(), 2);
    assert_eq!(service.orders().len(), 2);
}

#[test]
fn with_a_key_a_retried_post_creates_the_order_once_and_replays_the_answer() {
    let mut service = OrderService::new();
    let request = OrderRequest {
        item: "book".into(),
        quantity: 1,
    };
    let attempts = post_with_retries(&mut service, &request, Some("k"), &[0, 1], 5);
    assert_eq!(service.orders().len(), 1);
    let Some(Attempt::Answered(last)) = attempts.last() else {
        panic!("{attempts:?}")
    };
    assert_eq!(
        (last.status, last.order_id, last.replayed),
        (201, Some(1), true)
    );
}

#[test]
fn a_reused_key_with_another_body_is_refused_with_422() {
    let mut service = OrderService::new();
    service.create_order(
        &OrderRequest {
            item: "a".into(),
            quantity: 1,
        },
        Some("k"),
    );
    let r = service.create_order(
        &OrderRequest {
            item: "b".into(),
            quantity: 1,
        },
        Some("k"),
    );
    assert_eq!(r.status, 422);
    assert_eq!(service.orders().len(), 1);
}

proptest! {
    /// However many responses are lost, a keyed request creates exactly one order.
    #[test]
    fn a_keyed_post_creates_one_order_whatever_is_lost(lost in prop::collection::vec(0usize..6, 0..6)) {
        let mut service = OrderService::new();
        let request = OrderRequest { item: "x".into(), quantity: 2 };
        post_with_retries(&mut service, &request, Some("key"), &lost, 6);
        prop_assert_eq!(service.orders().len(), 1);
    }
}

/// The test cases of RFC 7396, Appendix A: (target, patch, result).
const RFC_7396_APPENDIX_A: &[(&str, &str, &str)] = &[
    (r#"{"a":"b"}"#, r#"{"a":"c"}"#, r#"{"a":"c"}"#),
    (r#"{"a":"b"}"#, r#"{"b":"c"}"#, r#"{"a":"b","b":"c"}"#),
    (r#"{"a":"b"}"#, r#"{"a":null}"#, r#"{}"#),
    (r#"{"a":"b","b":"c"}"#, r#"{"a":null}"#, r#"{"b":"c"}"#),
    (r#"{"a":["b"]}"#, r#"{"a":"c"}"#, r#"{"a":"c"}"#),
    (r#"{"a":"c"}"#, r#"{"a":["b"]}"#, r#"{"a":["b"]}"#),
    (
        r#"{"a":{"b":"c"}}"#,
        r#"{"a":{"b":"d","c":null}}"#,
        r#"{"a":{"b":"d"}}"#,
    ),
    (r#"{"a":[{"b":"c"}]}"#, r#"{"a":[1]}"#, r#"{"a":[1]}"#),
    (r#"["a","b"]"#, r#"["c","d"]"#, r#"["c","d"]"#),
    (r#"{"a":"b"}"#, r#"["c"]"#, r#"["c"]"#),
    (r#"{"a":"foo"}"#, r#"null"#, r#"null"#),
    (r#"{"a":"foo"}"#, r#""bar""#, r#""bar""#),
    (r#"{"e":null}"#, r#"{"a":1}"#, r#"{"e":null,"a":1}"#),
    (r#"[1,2]"#, r#"{"a":"b","c":null}"#, r#"{"a":"b"}"#),
    (
        r#"{}"#,
        r#"{"a":{"bb":{"ccc":null}}}"#,
        r#"{"a":{"bb":{}}}"#,
    ),
];

fn parse(s: &str) -> Value {
    serde_json::from_str(s).expect("the RFC's examples are JSON")
}

#[test]
fn merge_patch_gives_every_result_of_rfc_7396_appendix_a() {
    for (target, patch, want) in RFC_7396_APPENDIX_A {
        let mut doc = parse(target);
        merge_patch(&mut doc, &parse(patch));
        assert_eq!(doc, parse(want), "{target} + {patch}");
    }
}

#[test]
fn merge_patch_gives_the_rfc_7396_section_3_example() {
    let mut doc = json!({
        "title": "Goodbye!",
        "author": {"givenName": "John", "familyName": "Doe"},
        "tags": ["example", "sample"],
        "content": "This will be unchanged"
    });
    let patch = json!({
        "title": "Hello!",
        "phoneNumber": "+01-123-456-7890",
        "author": {"familyName": null},
        "tags": ["example"]
    });
    merge_patch(&mut doc, &patch);
    assert_eq!(
        doc,
        json!({
            "title": "Hello!",
            "author": {"givenName": "John"},
            "tags": ["example"],
            "content": "This will be unchanged",
            "phoneNumber": "+01-123-456-7890"
        })
    );
}

#[test]
fn put_drops_the_fields_the_body_leaves_out_and_patch_keeps_them() {
    let stored = json!({"name": "Ada", "age": 36});
    let (mut put, mut patch) = (stored.clone(), stored);
    put_replace(&mut put, &json!({"age": 37}));
    merge_patch(&mut patch, &json!({"age": 37}));
    assert_eq!(put, json!({"age": 37}));
    assert_eq!(patch, json!({"name": "Ada", "age": 37}));
}

fn json_value(nulls: bool) -> impl Strategy<Value = Value> {
    let leaf = if nulls {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            (0i64..5).prop_map(Value::from),
            "[a-c]".prop_map(Value::from)
        ]
        .boxed()
    } else {
        prop_oneof![
            any::<bool>().prop_map(Value::from),
            (0i64..5).prop_map(Value::from),
            "[a-c]".prop_map(Value::from)
        ]
        .boxed()
    };
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map("[a-d]", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

// ANCHOR: patch_laws
proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]
    /// Our merge patch and the `json-patch` crate's agree on every document and patch.
    #[test]
    fn merge_patch_agrees_with_the_json_patch_crate(target in json_value(true), patch in json_value(true)) {
        let (mut ours, mut theirs) = (target.clone(), target);
        merge_patch(&mut ours, &patch);
        json_patch::merge(&mut theirs, &patch);
        prop_assert_eq!(ours, theirs);
    }

    /// Applying the same merge patch twice changes nothing the second time: PATCH with a merge
    /// patch is idempotent, though RFC 5789 does not require a PATCH to be.
    #[test]
    fn merge_patch_is_idempotent(target in json_value(true), patch in json_value(true)) {
        let mut once = target;
        merge_patch(&mut once, &patch);
        let mut twice = once.clone();
        merge_patch(&mut twice, &patch);
        prop_assert_eq!(once, twice);
    }

    /// The diff of two documents without nulls, applied to the first, gives the second.
    #[test]
    fn merge_diff_then_merge_patch_round_trips(from in json_value(false), to in json_value(false)) {
        let patch = merge_diff(&from, &to);
        let mut doc = from;
        merge_patch(&mut doc, &patch);
        prop_assert_eq!(doc, to);
    }
}
// ANCHOR_END: patch_laws

#[test]
fn every_status_code_in_the_table_is_in_its_class_and_sorted() {
    assert!(STATUS_CODES.windows(2).all(|w| w[0].code < w[1].code));
    for s in STATUS_CODES {
        assert!(status_class(s.code).is_some(), "{}", s.code);
        assert!(s.source.starts_with("RFC "), "{}", s.code);
    }
}

/// Differential: our reason phrases are the `http` crate's (re-exported by hyper), except 422, which RFC 9110 renamed
/// from WebDAV's "Unprocessable Entity" (RFC 4918) to "Unprocessable Content".
#[cfg(feature = "http")]
#[test]
fn reason_phrases_match_the_http_crate_but_for_the_422_rename() {
    for s in STATUS_CODES {
        let theirs = hyper::StatusCode::from_u16(s.code)
            .expect("a valid code")
            .canonical_reason();
        if s.code == 422 {
            assert_eq!(theirs, Some("Unprocessable Entity"));
        } else {
            assert_eq!(theirs, Some(s.reason), "{}", s.code);
        }
    }
}
