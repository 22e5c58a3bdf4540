//! The history checker against a reference that tries every order, and the CAP scenario's
//! histories.

use proptest::prelude::*;
use sysdesign::cap_pacelc::history::{
    Action, HistoryError, MAX_OPS, Model, Op, check, check_by_permutations,
};
use sysdesign::cap_pacelc::history_of;
use sysdesign::replicated::script::{Step, play};
use sysdesign::replicated::{Config, Sim};

fn op() -> impl Strategy<Value = Op> {
    (
        0usize..3,
        prop_oneof![
            (1i64..4).prop_map(Action::Write),
            prop::option::of(1i64..4).prop_map(Action::Read),
        ],
        0u64..20,
        prop::option::of(0u64..10),
    )
        .prop_map(|(client, action, invoke, length)| {
            // Only writes may lack a response.
            let length = match action {
                Action::Read(_) => Some(length.unwrap_or(3)),
                Action::Write(_) => length,
            };
            Op::new(client, action, invoke, length.map(|l| invoke + l))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    /// The memoized search and the brute force over every order agree.
    #[test]
    fn the_search_agrees_with_trying_every_order(
        history in prop::collection::vec(op(), 0..6),
    ) {
        for model in [Model::Linearizable, Model::Sequential] {
            let fast = check(&history, model).unwrap().allowed;
            prop_assert_eq!(fast, check_by_permutations(&history, model), "{}", model);
        }
    }
}

fn w(client: usize, v: i64, from: u64, to: u64) -> Op {
    Op::new(client, Action::Write(v), from, Some(to))
}

fn r(client: usize, got: Option<i64>, from: u64, to: u64) -> Op {
    Op::new(client, Action::Read(got), from, Some(to))
}

#[test]
fn a_read_overlapping_a_write_may_see_either_value() {
    for got in [None, Some(1)] {
        let history = [w(0, 1, 0, 10), r(1, got, 5, 15)];
        assert!(check(&history, Model::Linearizable).unwrap().allowed);
    }
}

#[test]
fn once_a_read_sees_the_new_value_a_later_read_may_not_see_the_old() {
    let history = [w(0, 1, 0, 10), r(1, Some(1), 2, 4), r(2, None, 5, 6)];
    assert!(!check(&history, Model::Linearizable).unwrap().allowed);
    assert!(check(&history, Model::Sequential).unwrap().allowed);
}

#[test]
fn a_write_with_no_answer_may_or_may_not_have_happened() {
    let pending = Op::new(0, Action::Write(1), 0, None);
    assert!(
        check(&[pending, r(1, None, 50, 55)], Model::Linearizable)
            .unwrap()
            .allowed
    );
    assert!(
        check(&[pending, r(1, Some(1), 50, 55)], Model::Linearizable)
            .unwrap()
            .allowed
    );
}

#[test]
fn eventual_consistency_wants_written_values_and_agreement_once_settled() {
    let diverged = [
        w(0, 1, 0, 5),
        w(1, 2, 0, 5),
        r(0, Some(1), 50, 55),
        r(1, Some(2), 60, 65),
    ];
    assert!(
        !check(&diverged, Model::Eventual { settled: 40 })
            .unwrap()
            .allowed
    );
    assert!(
        check(&diverged, Model::Eventual { settled: 70 })
            .unwrap()
            .allowed
    );
    let thin_air = [r(0, Some(9), 0, 1)];
    assert!(
        !check(&thin_air, Model::Eventual { settled: 10 })
            .unwrap()
            .allowed
    );
}

#[test]
fn long_or_malformed_histories_are_refused() {
    let long: Vec<Op> = (0..=MAX_OPS as u64).map(|i| w(0, 1, i, i)).collect();
    assert_eq!(
        check(&long, Model::Linearizable),
        Err(HistoryError::TooLong { ops: MAX_OPS + 1 })
    );
    let backwards = [w(0, 1, 10, 5)];
    assert_eq!(
        check(&backwards, Model::Sequential)
            .unwrap_err()
            .to_string(),
        "operation 0 returns before it is invoked"
    );
}

#[test]
fn in_a_partition_majority_quorums_stay_linearizable_and_single_replicas_do_not() {
    let script = [
        (0, Step::Write(0, 1)),
        (20, Step::Partition(&[&[0, 1], &[2]])),
        (30, Step::Write(0, 2)),
        (50, Step::Read(2)),
        (70, Step::Write(2, 3)),
        (110, Step::Heal),
        (170, Step::Read(0)),
        (180, Step::Read(2)),
    ];
    let cp = Config::new(3, 3, 2, 2).unwrap().delay(1, 3);
    let ap = Config::new(3, 3, 1, 1)
        .unwrap()
        .delay(1, 3)
        .anti_entropy(50);
    let mut sims = [Sim::new(cp, 1).unwrap(), Sim::new(ap, 1).unwrap()];
    play(&mut sims, &script, 200, 3);
    let [cp, ap] = &sims;
    let cp = history_of(cp.ops(), "x");
    let ap = history_of(ap.ops(), "x");
    assert!(check(&cp, Model::Linearizable).unwrap().allowed);
    assert!(!check(&ap, Model::Linearizable).unwrap().allowed);
    assert!(
        check(&ap, Model::Eventual { settled: 170 })
            .unwrap()
            .allowed
    );
    // The refused operations never reach the history.
    assert_eq!(cp.len(), 4);
    assert_eq!(ap.len(), 6);
}
