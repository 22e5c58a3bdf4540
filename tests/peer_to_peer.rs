//! The distribution bounds, the chunked swarm against them, and push gossip: unit tests for the
//! notes' numbers, property tests over random sizes and seeds.

use proptest::prelude::*;
use sysdesign::delivery_framework::{Bytes, BytesPerSecond};
use sysdesign::peer_to_peer::{
    Bottleneck, Distribution, SwarmConfig, push_gossip, rounds_past_pittel,
};

fn notes_case(peer_rate: f64) -> Distribution {
    Distribution {
        file: Bytes::giga(5.0),
        peers: 1_000,
        server_upload: BytesPerSecond::new(5e9),
        peer_upload: BytesPerSecond::new(peer_rate),
        peer_download: BytesPerSecond::new(peer_rate),
    }
}

#[test]
fn one_server_sending_5_gb_to_1000_machines_at_5_gb_per_s_takes_1000_s() {
    let cs = notes_case(5e9).client_server();
    assert_eq!(cs.time.get(), 1_000.0);
    assert_eq!(cs.bottleneck, Bottleneck::ServerUpload);
}

#[test]
fn slower_peers_make_their_own_links_the_bottleneck() {
    // 10 Gbit/s peers: each needs 4 s just to receive 5 GB.
    let p2p = notes_case(1.25e9).peer_to_peer();
    assert_eq!(p2p.time.get(), 4.0);
    assert_eq!(p2p.bottleneck, Bottleneck::SlowestDownload);
}

#[test]
fn with_peers_that_cannot_upload_the_swarm_bound_is_the_server_bound() {
    let mut d = notes_case(5e9);
    d.peer_upload = BytesPerSecond::new(0.0);
    assert_eq!(d.peer_to_peer().time, d.client_server().time);
}

#[test]
fn the_server_alone_needs_n_times_c_over_s_rounds() {
    let alone = SwarmConfig {
        peers: 20,
        chunks: 10,
        server_slots: 2,
        peer_upload_slots: 0,
        peer_download_slots: 1,
    };
    let run = alone.simulate(5).unwrap();
    assert_eq!(run.rounds, 100);
    assert_eq!(run.from_peers, 0);
}

#[test]
fn a_zero_size_is_refused_with_its_name() {
    let bad = SwarmConfig {
        peers: 3,
        chunks: 0,
        server_slots: 1,
        peer_upload_slots: 1,
        peer_download_slots: 1,
    };
    assert_eq!(
        bad.simulate(0).unwrap_err().to_string(),
        "chunks must be at least 1, got 0"
    );
}

#[test]
fn gossip_is_reproducible_for_a_seed() {
    assert_eq!(push_gossip(500, 1, 9, 100), push_gossip(500, 1, 9, 100));
}

proptest! {
    // A fixed seed: the gossip bound holds with high probability, not always (push gossip's
    // rounds have a tail), so "every seed tried" must be the same 64 seeds on every run. A
    // random seed found a run of 2,913 nodes that took longer than log2 N + ln N + 8.
    #![proptest_config(ProptestConfig {
        cases: 64,
        rng_seed: proptest::test_runner::RngSeed::Fixed(2026),
        ..ProptestConfig::default()
    })]

    // ANCHOR: swarm_props
    /// Every peer ends with every chunk, each delivered once, never faster than the bound allows
    /// and, with peers uploading, never slower than the server alone.
    #[test]
    fn swarm_delivers_everything_within_the_bounds(
        peers in 1usize..40, chunks in 1usize..30, s in 1usize..4, u in 0usize..3, d in 1usize..4, seed: u64,
    ) {
        let swarm = SwarmConfig { peers, chunks, server_slots: s, peer_upload_slots: u, peer_download_slots: d };
        let run = swarm.simulate(seed).unwrap();
        prop_assert_eq!(run.from_server + run.from_peers, (peers * chunks) as u64);
        prop_assert_eq!(run.complete_after.last().copied(), Some(peers));
        prop_assert!(run.rounds >= swarm.lower_bound());
        let alone = SwarmConfig { peer_upload_slots: 0, ..swarm };
        prop_assert!(run.rounds <= alone.simulate(seed).unwrap().rounds);
    }
    // ANCHOR_END: swarm_props

    // ANCHOR: gossip_props
    /// For any seed: the rumour reaches every node, and the informed at most
    /// double in a round, so no spread takes fewer than log2 N rounds. How many
    /// more it takes is a distribution, tested below over fixed seeds.
    #[test]
    fn gossip_informs_every_node_and_never_in_fewer_than_log2_n_rounds(
        nodes in 1usize..3_000,
        seed: u64,
    ) {
        let spread = push_gossip(nodes, 1, seed, 1_000).expect("finishes");
        prop_assert_eq!(spread.informed.last().copied(), Some(nodes));
        let doubling = |w: &[usize]| w[0] <= w[1] && w[1] <= 2 * w[0];
        prop_assert!(spread.informed.windows(2).all(doubling));
        prop_assert!(f64::from(spread.rounds) >= (nodes as f64).log2().ceil());
    }
    // ANCHOR_END: gossip_props
}

// ANCHOR: gossip_tail
/// Pittel's log2 N + ln N is where spreads centre, not a ceiling: over 500
/// seeded spreads at each of three sizes, the median ends within 3 rounds of
/// it and fewer than 1 in 100 spreads need more than 8 rounds beyond it. (An
/// earlier test asserted +8 for every seed; another seed found a spread that
/// needed more.)
#[test]
fn gossip_rounds_centre_on_log2_n_plus_ln_n_with_a_thin_tail() {
    for nodes in [100usize, 1_000, 3_000] {
        let beyond = rounds_past_pittel(nodes, 500);
        let median = beyond[beyond.len() / 2];
        assert!(
            (-1.0..=3.0).contains(&median),
            "N = {nodes}: median {median:+.2}"
        );
        let past_8 = beyond.iter().filter(|&&b| b > 8.0).count();
        assert!(
            past_8 < 5,
            "N = {nodes}: {past_8} of 500 spreads went past +8"
        );
    }
}
// ANCHOR_END: gossip_tail
