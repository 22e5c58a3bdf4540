//! Tests of the specialized stores, each against its brute-force answer.

use proptest::prelude::*;
use sysdesign::specialized_storage::{
    Aggregate, ChunkStore, Chunking, ChunkingError, Edit, GraphError, HOUR_MS, InvertedIndex,
    MINUTE_MS, Point, PresignError, QuadTree, Query, Resolution, Retention, SocialGraph,
    Suggestion, TimeSeries, UrlSigner, VectorIndex, clustered_vectors, dedup, edited_versions,
    fingerprint, nearest_by_scan, recall_at_k, roll_up, scan,
};

// ---------- blob chunking ----------

#[test]
fn sha256_fingerprint_matches_the_fips_test_vector() {
    // FIPS 180-2, appendix B.1: SHA-256("abc").
    let hex: String = fingerprint(b"abc")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        hex,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn bad_chunk_sizes_are_refused_with_the_values() {
    assert_eq!(
        Chunking::content_defined(4096, 4096, 8192),
        Err(ChunkingError::BadSizes {
            min: 4096,
            avg: 4096,
            max: 8192
        })
    );
    assert_eq!(
        Chunking::content_defined(1000, 3000, 9000),
        Err(ChunkingError::AvgNotPowerOfTwo(3000))
    );
    assert!(Chunking::fixed(0).is_err());
}

#[test]
fn an_insertion_changes_only_the_content_defined_chunks_around_it() {
    let versions = edited_versions(512 * 1024, 2, 1, Edit::Insert, 9);
    let cdc = Chunking::content_defined(1024, 4096, 16384).unwrap();
    let before: std::collections::HashSet<_> = cdc
        .chunks(&versions[0])
        .into_iter()
        .map(fingerprint)
        .collect();
    let after = cdc.chunks(&versions[1]);
    let new = after
        .iter()
        .filter(|c| !before.contains(&fingerprint(c)))
        .count();
    assert!(new <= 3, "{new} of {} chunks changed", after.len());
    let fixed = Chunking::fixed(4096).unwrap();
    let before: std::collections::HashSet<_> = fixed
        .chunks(&versions[0])
        .into_iter()
        .map(fingerprint)
        .collect();
    let after = fixed.chunks(&versions[1]);
    let new = after
        .iter()
        .filter(|c| !before.contains(&fingerprint(c)))
        .count();
    assert!(new > 3, "fixed-size chunking kept all but {new} chunks");
}

#[test]
fn content_defined_chunks_average_near_the_target() {
    let data = &edited_versions(4 << 20, 1, 0, Edit::Overwrite, 3)[0];
    let lengths = Chunking::content_defined(2048, 8192, 65536)
        .unwrap()
        .lengths(data);
    let mean = data.len() as f64 / lengths.len() as f64;
    assert!((6_000.0..12_000.0).contains(&mean), "mean chunk {mean}");
}

#[test]
fn overwrites_dedup_as_well_with_fixed_chunks() {
    let versions = edited_versions(256 * 1024, 5, 2, Edit::Overwrite, 4);
    let fixed = dedup(&versions, Chunking::fixed(4096).unwrap());
    // Five versions, each with at most 2 new chunks per edit (an edit can straddle two).
    assert!(fixed.stored_bytes <= 256 * 1024 + 4 * 2 * 2 * 4096);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn chunks_tile_the_blob_and_respect_the_bounds(
        data in proptest::collection::vec(any::<u8>(), 0..20_000),
        min in 16usize..200, shift in 8u32..11, extra in 1usize..4,
    ) {
        let avg = 1usize << shift;
        let max = avg * (extra + 1);
        let chunking = Chunking::content_defined(min, avg, max).unwrap();
        let lengths = chunking.lengths(&data);
        prop_assert_eq!(lengths.iter().sum::<usize>(), data.len());
        if let Some((_, body)) = lengths.split_last() {
            prop_assert!(body.iter().all(|&n| n >= min && n <= max));
        }
        prop_assert!(lengths.iter().all(|&n| n > 0 && n <= max));
    }

    #[test]
    fn the_store_gives_back_every_version(seed in 0u64..1_000, kind in 0u8..3) {
        let kind = [Edit::Overwrite, Edit::Insert, Edit::Delete][kind as usize];
        let versions = edited_versions(20_000, 4, 3, kind, seed);
        for chunking in [Chunking::fixed(1024).unwrap(), Chunking::content_defined(256, 1024, 4096).unwrap()] {
            let mut store = ChunkStore::new(chunking);
            let manifests: Vec<_> = versions.iter().map(|v| store.put(v)).collect();
            for (v, m) in versions.iter().zip(&manifests) {
                prop_assert_eq!(&store.get(m).unwrap(), v);
            }
            prop_assert!(store.stored_bytes() <= store.logical_bytes());
        }
    }
}

// ---------- pre-signed URLs ----------

fn signer() -> UrlSigner {
    UrlSigner::new(b"a key only the store holds", 7 * 24 * 3600)
}

#[test]
fn a_signed_url_is_accepted_until_it_expires() {
    let url = signer().sign("GET", "/b/report.pdf", 1_000, 60).unwrap();
    assert_eq!(signer().verify("GET", &url, 1_000), Ok(()));
    assert_eq!(signer().verify("GET", &url, 1_060), Ok(()));
    assert_eq!(
        signer().verify("GET", &url, 1_061),
        Err(PresignError::Expired {
            expires_s: 1_060,
            now_s: 1_061
        })
    );
}

#[test]
fn a_tampered_path_expiry_method_or_signature_is_rejected() {
    let url = signer().sign("GET", "/b/report.pdf", 1_000, 60).unwrap();
    let other_path = url.replace("report", "salary");
    let later = url.replace("expires=1060", "expires=99999");
    let mut bad_sig = url.clone();
    let last = bad_sig.pop().unwrap();
    bad_sig.push(if last == '0' { '1' } else { '0' });
    for (method, u) in [
        ("GET", &other_path),
        ("GET", &later),
        ("PUT", &url),
        ("GET", &bad_sig),
    ] {
        assert_eq!(
            signer().verify(method, u, 1_010),
            Err(PresignError::BadSignature),
            "{u}"
        );
    }
    let other_key = UrlSigner::new(b"another key", 3600);
    assert_eq!(
        other_key.verify("GET", &url, 1_010),
        Err(PresignError::BadSignature)
    );
}

#[test]
fn the_signature_is_hmac_sha256_of_method_path_and_expiry() {
    use hmac::{Hmac, KeyInit, Mac};
    let url = signer().sign("PUT", "/b/upload.bin", 100, 20).unwrap();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"a key only the store holds").unwrap();
    mac.update(b"PUT\n/b/upload.bin\n120");
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(url, format!("/b/upload.bin?expires=120&signature={hex}"));
}

#[test]
fn malformed_urls_and_long_lifetimes_are_refused() {
    assert!(matches!(
        signer().verify("GET", "/b/x", 0),
        Err(PresignError::Malformed(_))
    ));
    assert!(matches!(
        signer().verify("GET", "/b/x?expires=1", 0),
        Err(PresignError::Malformed(_))
    ));
    assert!(matches!(
        signer().verify("GET", "/b/x?expires=1&signature=zz", 0),
        Err(PresignError::Malformed(_))
    ));
    assert_eq!(
        signer().sign("GET", "/b/x", 0, 8 * 24 * 3600),
        Err(PresignError::LifetimeTooLong {
            requested_s: 691_200,
            max_s: 604_800
        })
    );
    assert!(matches!(
        signer().sign("GET", "/b/x?y=1", 0, 1),
        Err(PresignError::BadPath(_))
    ));
}

proptest! {
    #[test]
    fn any_change_to_a_signed_url_is_caught(
        path in "/[a-z]{1,8}/[a-z0-9.]{1,12}", now in 0u64..1_000_000, life in 1u64..604_800,
        flip in 0usize..200,
    ) {
        let url = signer().sign("GET", &path, now, life).unwrap();
        prop_assert_eq!(signer().verify("GET", &url, now + life), Ok(()));
        let mut bytes = url.clone().into_bytes();
        let at = flip % bytes.len();
        bytes[at] = if bytes[at] == b'a' { b'b' } else { b'a' };
        let tampered = String::from_utf8(bytes).unwrap();
        if tampered != url {
            prop_assert!(signer().verify("GET", &tampered, now).is_err());
        }
    }
}

// ---------- time series ----------

#[test]
fn retention_drops_old_raw_points_and_keeps_their_roll_ups() {
    let mut s = TimeSeries::new(Retention {
        raw_ms: 10 * MINUTE_MS,
        minute_ms: HOUR_MS,
        hour_ms: u64::MAX,
    });
    for t in 0..(2 * HOUR_MS / 10_000) {
        s.insert(t * 10_000, 1.0);
    }
    s.apply_retention(2 * HOUR_MS);
    assert_eq!(s.sizes(), (60, 60, 2));
    assert_eq!(s.query(0, 2 * HOUR_MS, Resolution::Hour)[0].count, 360);
    assert!(s.query(0, HOUR_MS, Resolution::Raw).is_empty());
}

#[test]
fn the_mean_of_an_hour_is_not_the_mean_of_its_minutes() {
    let mut s = TimeSeries::new(Retention {
        raw_ms: u64::MAX,
        minute_ms: u64::MAX,
        hour_ms: u64::MAX,
    });
    for i in 0..59 {
        s.insert(i * 1_000, 0.0); // a busy first minute: 59 points of 0
    }
    s.insert(MINUTE_MS, 100.0); // a quiet second minute: one point of 100
    let hour = s.query(0, HOUR_MS, Resolution::Hour)[0];
    let minutes = s.query(0, HOUR_MS, Resolution::Minute);
    let mean_of_means = minutes.iter().map(Aggregate::mean).sum::<f64>() / minutes.len() as f64;
    assert_eq!(hour.mean(), 100.0 / 60.0);
    assert_eq!(mean_of_means, 50.0);
}

proptest! {
    #[test]
    fn streaming_roll_ups_equal_batch_roll_ups_of_the_raw_points(
        points in proptest::collection::vec((0u64..3 * HOUR_MS, -1_000i32..1_000), 1..300),
    ) {
        let mut s = TimeSeries::new(Retention { raw_ms: u64::MAX, minute_ms: u64::MAX, hour_ms: u64::MAX });
        for &(t, v) in &points {
            s.insert(t, f64::from(v));
        }
        let raw = s.query(0, u64::MAX, Resolution::Raw);
        prop_assert_eq!(raw.len(), points.len());
        let minutes = roll_up(&raw, MINUTE_MS);
        prop_assert_eq!(&s.query(0, u64::MAX, Resolution::Minute), &minutes);
        // Hours from minutes equal hours from raw points (integer values, so sums are exact).
        prop_assert_eq!(roll_up(&minutes, HOUR_MS), roll_up(&raw, HOUR_MS));
        prop_assert_eq!(s.query(0, u64::MAX, Resolution::Hour), roll_up(&raw, HOUR_MS));
    }
}

// ---------- inverted index ----------

fn query_strategy() -> impl Strategy<Value = Query> {
    let leaf = (0usize..12).prop_map(|i| Query::term(&format!("w{i}")));
    leaf.prop_recursive(4, 16, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a.and(b)),
            (inner.clone(), inner).prop_map(|(a, b)| a.or(b)),
        ]
    })
}

proptest! {
    #[test]
    fn index_answers_equal_a_scan_of_every_document(
        docs in proptest::collection::vec(proptest::collection::vec(0usize..12, 0..8), 0..60),
        query in query_strategy(),
    ) {
        let texts: Vec<String> = docs
            .iter()
            .map(|d| d.iter().map(|i| format!("W{i}")).collect::<Vec<_>>().join(" "))
            .collect();
        let mut index = InvertedIndex::default();
        for t in &texts {
            index.add(t);
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        prop_assert_eq!(index.search(&query).ids, scan(&refs, &query));
    }
}

#[test]
fn an_and_query_reads_postings_not_documents() {
    let mut index = InvertedIndex::default();
    for i in 0..1_000 {
        index.add(if i % 100 == 0 {
            "rare common"
        } else {
            "common"
        });
    }
    let hits = index.search(&Query::term("rare").and(Query::term("common")));
    assert_eq!(hits.ids.len(), 10);
    assert_eq!(hits.postings_read, 10 + 1_000);
}

// ---------- quadtree ----------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]
    #[test]
    fn quadtree_nearest_equals_brute_force(
        points in proptest::collection::vec((0.0f64..100.0, 0.0f64..100.0), 0..120),
        clustered in any::<bool>(),
        q in (-20.0f64..120.0, -20.0f64..120.0),
        k in 0usize..15, capacity in 1usize..6,
    ) {
        // Half the cases squeeze the points into a 0.01-wide corner, to force deep trees.
        let points: Vec<Point> = points
            .into_iter()
            .map(|(x, y)| if clustered { Point { x: x / 10_000.0, y: y / 10_000.0 } } else { Point { x, y } })
            .collect();
        let mut tree = QuadTree::new(100.0, capacity, 30);
        for (i, p) in points.iter().enumerate() {
            tree.insert(*p, i as u32).unwrap();
        }
        let q = Point { x: q.0, y: q.1 };
        let got = tree.nearest(q, k);
        let want = nearest_by_scan(&points, q, k);
        let got_d: Vec<f64> = got.neighbours.iter().map(|n| n.distance).collect();
        let want_d: Vec<f64> = want.iter().map(|n| n.distance).collect();
        prop_assert_eq!(got_d, want_d);
        for n in &got.neighbours {
            prop_assert_eq!(n.distance, points[n.id as usize].distance(&q));
        }
    }
}

#[test]
fn points_outside_the_tree_are_refused() {
    let mut tree = QuadTree::new(10.0, 4, 10);
    assert!(tree.insert(Point { x: 10.0, y: 1.0 }, 0).is_err());
    assert!(tree.insert(Point { x: -0.1, y: 1.0 }, 0).is_err());
    assert!(tree.is_empty());
}

#[test]
fn many_points_at_one_spot_stop_at_the_depth_limit() {
    let mut tree = QuadTree::new(10.0, 2, 8);
    for i in 0..100 {
        tree.insert(Point { x: 3.0, y: 3.0 }, i).unwrap();
    }
    assert_eq!(tree.depth(), 8);
    assert_eq!(
        tree.nearest(Point { x: 3.0, y: 3.0 }, 100).neighbours.len(),
        100
    );
}

// ---------- graph ----------

fn fof_by_matrix(g: &SocialGraph, u: u32) -> Vec<Suggestion> {
    let n = g.len() as u32;
    let adj = |a: u32, b: u32| g.friends(a).unwrap().contains(&b);
    let mut out: Vec<Suggestion> = (0..n)
        .filter(|&v| v != u && !adj(u, v))
        .map(|v| Suggestion {
            user: v,
            mutual: (0..n).filter(|&w| adj(u, w) && adj(w, v)).count() as u32,
        })
        .filter(|s| s.mutual > 0)
        .collect();
    out.sort_by(|a, b| b.mutual.cmp(&a.mutual).then(a.user.cmp(&b.user)));
    out
}

proptest! {
    #[test]
    fn friends_of_friends_equals_counting_common_neighbours(
        edges in proptest::collection::vec((0u32..25, 0u32..25), 0..80), u in 0u32..25,
    ) {
        let mut g = SocialGraph::new(25);
        for (a, b) in edges {
            if a != b {
                g.befriend(a, b).unwrap();
            }
        }
        prop_assert_eq!(g.friends_of_friends(u).unwrap(), fof_by_matrix(&g, u));
        let reach = g.reach(u, 2).unwrap();
        prop_assert_eq!(reach[1], g.friends(u).unwrap().len());
        prop_assert_eq!(reach[2], fof_by_matrix(&g, u).len());
    }
}

#[test]
fn bad_friendships_name_the_user() {
    let mut g = SocialGraph::new(3);
    assert_eq!(g.befriend(1, 1), Err(GraphError::SelfLoop(1)));
    assert_eq!(g.befriend(0, 7), Err(GraphError::NoSuchUser(7)));
    assert_eq!(g.friends_of_friends(9), Err(GraphError::NoSuchUser(9)));
}

// ---------- vectors ----------

#[test]
fn more_candidates_never_lower_the_best_score_found() {
    let data = clustered_vectors(3_000, 32, 30, 0.4, 5);
    let index = VectorIndex::new(data.clone(), 8);
    let query = &clustered_vectors(1, 32, 30, 0.4, 99)[0];
    let exact = index.exact(query, 10);
    let mut last = -1.0;
    for c in [10, 50, 200, 1_000, 3_000] {
        let found = index.search(query, 10, c);
        assert!(found[0].score >= last);
        last = found[0].score;
    }
    assert_eq!(index.search(query, 10, 3_000), exact);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn two_stage_results_are_exact_scores_of_a_subset(
        seed in 0u64..500, candidates in 1usize..400, k in 1usize..20,
    ) {
        let data = clustered_vectors(300, 16, 5, 0.5, seed);
        let index = VectorIndex::new(data.clone(), seed + 1);
        let query = &data[(seed % 300) as usize];
        let found = index.search(query, k, candidates);
        let exact = index.exact(query, index.len());
        prop_assert_eq!(found.len(), k.min(candidates).min(300));
        for f in &found {
            let e = exact.iter().find(|e| e.id == f.id).unwrap();
            prop_assert_eq!(f.score, e.score);
        }
        prop_assert!(found.windows(2).all(|w| w[0].score >= w[1].score));
        let r = recall_at_k(&found, &exact[..k]);
        prop_assert!((0.0..=1.0).contains(&r));
        if candidates >= 300 {
            prop_assert_eq!(r, 1.0);
        }
    }
}
