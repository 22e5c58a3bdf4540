//! Tests of `sysdesign::choosing_a_database`: the key-value model answers every query exactly as
//! SQLite does (a differential test against a well-known engine), and the reads each takes.

use proptest::prelude::*;
use sysdesign::choosing_a_database::{Answer, Dataset, KvModel, Query, SqlModel};
use sysdesign::key_value_stores::MemoryStore;

fn both(data: &Dataset) -> (SqlModel, KvModel<MemoryStore>) {
    (
        SqlModel::load(data).expect("loads"),
        KvModel::load(data, MemoryStore::new()).expect("loads"),
    )
}

#[test]
fn a_point_lookup_is_one_request_on_both() {
    let data = Dataset::generate(100, 3, 5, 1);
    let (sql, kv) = both(&data);
    for query in [Query::UserById(42), Query::UserById(1_000)] {
        let (a, sql_work) = sql.answer(&query).expect("runs");
        let (b, kv_work) = kv.answer(&query).expect("runs");
        assert_eq!(a, b);
        assert_eq!((sql_work.requests, kv_work.requests), (1, 1));
    }
    assert_eq!(
        kv.answer(&Query::UserById(1_000)).expect("runs").0,
        Answer::Name(None)
    );
}

#[test]
fn the_client_side_join_reads_the_follow_list_each_index_key_and_each_post() {
    let data = Dataset::generate(200, 5, 8, 3);
    let (_, kv) = both(&data);
    let user = 17;
    let followees: Vec<u32> = data
        .follows
        .iter()
        .filter(|f| f.follower == user)
        .map(|f| f.followee)
        .collect();
    let posts = data
        .posts
        .iter()
        .filter(|p| followees.contains(&p.author))
        .count() as u64;
    let (_, work) = kv
        .answer(&Query::FolloweesTopByLikes { user, limit: 3 })
        .expect("runs");
    assert_eq!(work.requests, 1 + followees.len() as u64 + posts);
}

#[test]
fn the_range_query_reads_the_index_key_then_each_post_in_the_window() {
    let data = Dataset::generate(50, 10, 2, 4);
    let (_, kv) = both(&data);
    let query = Query::PostsByAuthorBetween {
        author: 9,
        from: 1_000,
        to: 6_000,
    };
    let (answer, work) = kv.answer(&query).expect("runs");
    let Answer::Posts(posts) = answer else {
        panic!("posts expected")
    };
    assert_eq!(work.requests, 1 + posts.len() as u64);
}

#[test]
fn every_post_costs_the_key_value_side_a_record_and_an_index_update() {
    let data = Dataset::generate(30, 4, 3, 5);
    let (_, kv) = both(&data);
    let (gets, puts) = kv.operations();
    let (users, posts, follows) = (data.users.len(), data.posts.len(), data.follows.len());
    assert_eq!(puts as usize, users + 2 * posts + follows);
    assert_eq!(gets as usize, posts + follows);
}

#[test]
fn sqlite_uses_the_composite_index_for_the_range_query() {
    let data = Dataset::generate(10, 2, 2, 6);
    let (sql, _) = both(&data);
    let plan = sql
        .plan(sysdesign::choosing_a_database::sql::POSTS_BY_AUTHOR_BETWEEN)
        .expect("plans");
    assert!(plan[0].contains("posts_author_at"), "{plan:?}");
}

fn query() -> impl Strategy<Value = Query> {
    prop_oneof![
        (0u32..70).prop_map(Query::UserById),
        (0u32..70, 0u32..11_000, 0u32..11_000).prop_map(|(author, a, b)| {
            Query::PostsByAuthorBetween {
                author,
                from: a.min(b),
                to: a.max(b),
            }
        }),
        (0u32..70, 0usize..6).prop_map(|(user, limit)| Query::FolloweesTopByLikes { user, limit }),
    ]
}

// ANCHOR: differential
proptest! {
    #![proptest_config(ProptestConfig { cases: 64, rng_seed: proptest::test_runner::RngSeed::Fixed(11), ..ProptestConfig::default() })]

    /// On any generated data set, the key-value model's hand-made indexes and client-side joins
    /// give exactly SQLite's answers.
    #[test]
    fn key_value_answers_match_sqlite(
        users in 1u32..60,
        posts in 0u32..6,
        follows in 0u32..8,
        seed in any::<u64>(),
        queries in proptest::collection::vec(query(), 1..10),
    ) {
        let data = Dataset::generate(users, posts, follows, seed);
        let (sql, kv) = both(&data);
        for query in &queries {
            let (expected, _) = sql.answer(query).expect("runs");
            let (got, _) = kv.answer(query).expect("runs");
            prop_assert_eq!(got, expected, "{:?}", query);
        }
    }
}
// ANCHOR_END: differential
