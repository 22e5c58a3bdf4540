//! Tests of `sysdesign::chat`: Lamport clocks and server sequence numbers never show a reply
//! above what it answers; the sender's clock does once clocks disagree.

use proptest::prelude::*;
use sysdesign::chat::{Conversation, Order, simulate};

fn conversation(skew: i64, seed: u64) -> Conversation {
    Conversation {
        members: 4,
        messages: 300,
        mean_gap_ms: 100,
        max_delay_ms: 40,
        max_skew_ms: skew,
        seed,
    }
}

proptest! {
    #[test]
    fn lamport_and_sequence_orders_respect_causality(
        members in 1u32..8,
        messages in 0usize..150,
        gap in 0u64..300,
        delay in 1u64..100,
        skew in 0i64..5_000,
        seed in any::<u64>(),
    ) {
        let run = simulate(&Conversation {
            members, messages, mean_gap_ms: gap, max_delay_ms: delay, max_skew_ms: skew, seed,
        });
        prop_assert_eq!(run.violations(Order::Lamport), 0);
        prop_assert_eq!(run.violations(Order::ServerSequence), 0);
    }

    #[test]
    fn a_reply_always_has_a_larger_lamport_clock_and_sequence(seed in any::<u64>()) {
        let run = simulate(&conversation(2_000, seed));
        for m in &run.messages {
            for &p in &m.causal_past {
                prop_assert!(run.messages[p].lamport < m.lamport);
                prop_assert!(run.messages[p].sequence < m.sequence);
            }
        }
    }
}

#[test]
fn with_clocks_in_step_the_sender_clock_is_as_good_as_the_sequence() {
    let run = simulate(&conversation(0, 9));
    assert_eq!(run.violations(Order::SenderClock), 0);
}

#[test]
fn with_skew_larger_than_a_reply_gap_the_sender_clock_misplaces_replies() {
    let run = simulate(&conversation(2_000, 9));
    assert!(run.violations(Order::SenderClock) > 10);
}

#[test]
fn sequence_numbers_are_a_permutation_in_server_arrival_order() {
    let run = simulate(&conversation(500, 4));
    let mut seqs: Vec<u64> = run.messages.iter().map(|m| m.sequence).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (0..300).collect::<Vec<u64>>());
    let shown = run.display(Order::ServerSequence);
    assert!(
        shown
            .windows(2)
            .all(|w| run.messages[w[0]].at_server_ms <= run.messages[w[1]].at_server_ms)
    );
}

#[test]
fn a_members_own_messages_reach_the_server_in_the_order_sent() {
    let run = simulate(&conversation(0, 11));
    for sender in 0..4 {
        let mine: Vec<i64> = run
            .messages
            .iter()
            .filter(|m| m.sender == sender)
            .map(|m| m.at_server_ms)
            .collect();
        assert!(mine.windows(2).all(|w| w[0] <= w[1]));
    }
}

#[test]
fn the_same_seed_gives_the_same_conversation() {
    assert_eq!(
        simulate(&conversation(300, 1)),
        simulate(&conversation(300, 1))
    );
    assert_ne!(
        simulate(&conversation(300, 1)),
        simulate(&conversation(300, 2))
    );
}
