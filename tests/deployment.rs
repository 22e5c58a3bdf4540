//! Deployment: hash buckets are stable and fill their share; flags obey the kill switch; the
//! simulated releases roll back a bad version and complete a good one.

use proptest::prelude::*;
use sysdesign::deployment::*;

const RULE: RollbackRule = RollbackRule::EXAMPLE;
const FLEET: Fleet = Fleet::EXAMPLE;
const BAD: Release = Release {
    v1_error_rate: 0.001,
    v2_error_rate: 0.05,
};
const GOOD: Release = Release {
    v1_error_rate: 0.001,
    v2_error_rate: 0.001,
};

fn canary() -> DeployStrategy {
    DeployStrategy::Canary {
        steps_bp: vec![100, 500, 2_500, 5_000, 10_000],
        step_minutes: 10,
    }
}

#[test]
fn a_bad_canary_is_rolled_back_before_it_reaches_everyone() {
    let o = simulate(&canary(), BAD, RULE, FLEET, 90, 7);
    assert!(o.rolled_back_at.is_some(), "{o:?}");
    assert_eq!(o.completed_at, None);
    assert!(o.minutes.last().is_some_and(|m| m.v2_share_bp == 0));
}

#[test]
fn a_good_release_completes_under_every_strategy() {
    for s in [
        canary(),
        DeployStrategy::BlueGreen {
            warmup_minutes: 5,
            keep_blue_minutes: 30,
        },
        DeployStrategy::Rolling {
            batch: 2,
            step_minutes: 5,
        },
    ] {
        let o = simulate(&s, GOOD, RULE, FLEET, 90, 7);
        assert_eq!(o.rolled_back_at, None, "{s:?}");
        assert!(o.completed_at.is_some(), "{s:?}");
    }
}

#[test]
fn blue_green_doubles_the_fleet_and_rolling_dips_below_it() {
    let bg = simulate(
        &DeployStrategy::BlueGreen {
            warmup_minutes: 5,
            keep_blue_minutes: 30,
        },
        GOOD,
        RULE,
        FLEET,
        60,
        1,
    );
    let rolling = simulate(
        &DeployStrategy::Rolling {
            batch: 2,
            step_minutes: 5,
        },
        GOOD,
        RULE,
        FLEET,
        60,
        1,
    );
    assert_eq!(bg.peak_running, 20);
    assert_eq!((rolling.peak_running, rolling.min_serving), (10, 8));
}

#[test]
fn a_canary_hurts_fewer_users_than_blue_green() {
    let c = simulate(&canary(), BAD, RULE, FLEET, 90, 7);
    let bg = simulate(
        &DeployStrategy::BlueGreen {
            warmup_minutes: 5,
            keep_blue_minutes: 30,
        },
        BAD,
        RULE,
        FLEET,
        90,
        7,
    );
    assert!(
        c.users_hurt < bg.users_hurt,
        "{} vs {}",
        c.users_hurt,
        bg.users_hurt
    );
}

#[test]
fn the_kill_switch_turns_a_flag_off_even_for_the_allow_list() {
    let mut flag = FeatureFlag::new("f");
    flag.share_bp = BUCKETS;
    flag.allow.push("alice".into());
    assert!(flag.is_on("alice") && flag.is_on("bob"));
    flag.killed = true;
    assert!(!flag.is_on("alice") && !flag.is_on("bob"));
}

// ANCHOR: share_law
proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    /// For any rollout name and share, the share of 10,000 users inside is within 2 percentage
    /// points of the target (4 standard deviations at 50%), and raising the share never
    /// drops a user.
    #[test]
    fn canary_share_is_within_bounds_and_grows_monotonically(
        name in "[a-z-]{1,12}",
        bp in 0u32..=BUCKETS,
        extra in 0u32..=BUCKETS,
    ) {
        let users: Vec<String> = (0..10_000).map(|i| format!("u{i}")).collect();
        let inside = users.iter().filter(|u| in_rollout(&name, u, bp)).count();
        let share = inside as f64 / users.len() as f64;
        prop_assert!((share - f64::from(bp) / f64::from(BUCKETS)).abs() < 0.02, "{share} for {bp}");
        let wider = (bp + extra).min(BUCKETS);
        for u in users.iter().filter(|u| in_rollout(&name, u, bp)) {
            prop_assert!(in_rollout(&name, u, wider));
        }
    }

    /// A user's bucket depends on the rollout and the user only.
    #[test]
    fn a_users_bucket_is_stable(name in ".{0,20}", user in ".{0,20}") {
        prop_assert_eq!(bucket(&name, &user), bucket(&name, &user));
        prop_assert!(bucket(&name, &user) < BUCKETS);
    }
}
// ANCHOR_END: share_law

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    /// Whatever the seed, a release whose v2 fails 20 times the rule's threshold is rolled back
    /// and never completes, under every strategy.
    #[test]
    fn a_very_bad_release_is_always_rolled_back(seed in any::<u64>()) {
        let awful = Release { v1_error_rate: 0.0, v2_error_rate: 0.2 };
        let fleet = Fleet { instances: 10, requests_per_minute: 500, users: 1_000 };
        for s in [canary(), DeployStrategy::BlueGreen { warmup_minutes: 2, keep_blue_minutes: 20 }, DeployStrategy::Rolling { batch: 2, step_minutes: 3 }] {
            let o = simulate(&s, awful, RULE, fleet, 60, seed);
            prop_assert!(o.rolled_back_at.is_some() && o.completed_at.is_none(), "{s:?}");
        }
    }
}
