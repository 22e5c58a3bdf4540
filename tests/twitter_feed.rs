//! Tests of `sysdesign::twitter_feed`: every strategy returns the timeline a brute-force
//! reference computes from all tweets, and each pays the work the chapter says it pays.

use proptest::prelude::*;
use sysdesign::twitter_feed::{Event, Feed, FollowGraph, GraphError, Strategy, run, workload};

/// The reference: the newest `len` tweets, among all ever posted, whose author `user` follows.
fn reference(graph: &FollowGraph, posts: &[(u64, u32)], user: u32, len: usize) -> Vec<u64> {
    let mut ids: Vec<u64> = posts
        .iter()
        .filter(|(_, author)| graph.following(user).contains(author))
        .map(|&(id, _)| id)
        .collect();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    ids.truncate(len);
    ids
}

// ANCHOR: same_timeline
proptest! {
    #[test]
    fn every_strategy_returns_the_timeline_of_the_reference(
        users in 2u32..12,
        edges in prop::collection::vec((0u32..12, 0u32..12), 0..60),
        events in prop::collection::vec((any::<bool>(), 0u32..12), 0..120),
        threshold in 0usize..6,
        len in 1usize..6,
    ) {
        let edges: Vec<(u32, u32)> = edges
            .into_iter()
            .map(|(a, b)| (a % users, b % users))
            .filter(|(a, b)| a != b)
            .collect();
        let graph = FollowGraph::from_edges(users, &edges).unwrap();
        let strategies = [Strategy::Push, Strategy::Pull, Strategy::Hybrid { threshold }];
        let mut feeds: Vec<Feed> = strategies.iter().map(|&s| Feed::new(&graph, s, len)).collect();
        let mut posts = Vec::new();
        for (is_post, user) in events {
            let user = user % users;
            if is_post {
                let ids: Vec<u64> = feeds.iter_mut().map(|f| f.post(user)).collect();
                prop_assert!(ids.iter().all(|&id| id == ids[0]));
                posts.push((ids[0], user));
            } else {
                let want = reference(&graph, &posts, user, len);
                for feed in &mut feeds {
                    prop_assert_eq!(feed.read(user), want.clone());
                }
            }
        }
    }
}
// ANCHOR_END: same_timeline

fn star() -> FollowGraph {
    // User 0 has four followers; user 1 has one (user 2).
    FollowGraph::from_edges(5, &[(1, 0), (2, 0), (3, 0), (4, 0), (2, 1)]).unwrap()
}

#[test]
fn push_writes_one_entry_per_follower_of_each_tweet() {
    let g = star();
    let mut feed = Feed::new(&g, Strategy::Push, 10);
    feed.post(0);
    feed.post(1);
    feed.post(3); // no followers
    let work = feed.work();
    assert_eq!(work.timeline_writes, 5);
    assert_eq!(work.max_writes_one_tweet, 4);
    assert_eq!(feed.stored_entries(), 5);
}

#[test]
fn push_reads_fetch_exactly_one_list() {
    let g = star();
    let mut feed = Feed::new(&g, Strategy::Push, 10);
    feed.post(0);
    feed.read(2);
    feed.read(4);
    assert_eq!(feed.work().lists_fetched, 2);
}

#[test]
fn pull_stores_nothing_and_fetches_one_list_per_followee() {
    let g = star();
    let mut feed = Feed::new(&g, Strategy::Pull, 10);
    feed.post(0);
    feed.post(1);
    assert_eq!(feed.stored_entries(), 0);
    assert_eq!(feed.work().timeline_writes, 0);
    assert_eq!(feed.read(2), vec![1, 0]);
    assert_eq!(feed.work().lists_fetched, 2);
}

#[test]
fn hybrid_pulls_only_authors_above_the_threshold() {
    let g = star();
    let mut feed = Feed::new(&g, Strategy::Hybrid { threshold: 3 }, 10);
    feed.post(0); // 4 followers: pulled
    feed.post(1); // 1 follower: pushed
    assert_eq!(feed.work().timeline_writes, 1);
    assert_eq!(feed.read(2), vec![1, 0]);
    // User 2's stored timeline, plus user 0's tweets.
    assert_eq!(feed.work().lists_fetched, 2);
    feed.read(3);
    assert_eq!(feed.work().lists_fetched, 4);
}

#[test]
fn stored_timelines_are_trimmed_to_the_timeline_length() {
    let g = star();
    let mut feed = Feed::new(&g, Strategy::Push, 3);
    for _ in 0..10 {
        feed.post(0);
    }
    assert_eq!(feed.stored_entries(), 4 * 3);
    assert_eq!(feed.read(1), vec![9, 8, 7]);
}

#[test]
fn generated_graphs_repeat_with_the_seed_and_differ_without() {
    let a = FollowGraph::generate(300, 10, 1.0, 5).unwrap();
    assert_eq!(a, FollowGraph::generate(300, 10, 1.0, 5).unwrap());
    assert_ne!(a, FollowGraph::generate(300, 10, 1.0, 6).unwrap());
}

#[test]
fn zipf_follower_counts_are_heavy_tailed_and_uniform_ones_are_not() {
    let skewed = FollowGraph::generate(2_000, 20, 1.0, 1).unwrap();
    let flat = FollowGraph::generate(2_000, 20, 0.0, 1).unwrap();
    let max = |g: &FollowGraph| *g.follower_counts().iter().max().unwrap();
    // The mean is 20 in both.
    assert!(max(&skewed) > 1_000, "{}", max(&skewed));
    assert!(max(&flat) < 60, "{}", max(&flat));
}

#[test]
fn bad_edges_and_parameters_are_refused_with_the_offending_value() {
    assert_eq!(
        FollowGraph::from_edges(2, &[(0, 5)]),
        Err(GraphError::UnknownUser {
            follower: 0,
            followee: 5,
            users: 2
        })
    );
    let err = FollowGraph::generate(1, 3, 1.0, 0).unwrap_err();
    assert!(err.to_string().contains("users = 1"), "{err}");
    assert!(FollowGraph::generate(10, 3, f64::NAN, 0).is_err());
}

#[test]
fn run_counts_the_workload_it_was_given() {
    let g = FollowGraph::generate(200, 10, 1.0, 2).unwrap();
    let events = workload(200, 100, 5, 9);
    let reads = events
        .iter()
        .filter(|e| matches!(e, Event::Read(_)))
        .count();
    let out = run(&g, Strategy::Pull, 20, &events);
    assert_eq!(out.work.tweets, 100);
    assert_eq!(out.work.reads as usize, reads);
    // Pull fetches one list per followee: ten for every reader.
    assert_eq!(out.work.lists_fetched, 10 * reads as u64);
}
