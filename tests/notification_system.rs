//! Tests of `sysdesign::notification_system`: what each retry policy does to deliveries, and
//! the dispatcher's preferences and per-user limits.

use proptest::prelude::*;
use std::time::Duration;
use sysdesign::notification_system::{
    Channel, Dispatcher, Dropped, Faults, MAX_ATTEMPTS, Policy, Provider, Reply, deliver_all,
};
use sysdesign::rate_limiting::Quota;

proptest! {
    #[test]
    fn a_keyed_retry_never_delivers_twice(
        fail in 0.0f64..0.5, timeout in 0.0f64..0.5, seed in any::<u64>()
    ) {
        let t = deliver_all(300, Faults { fail_before: fail, timeout_after: timeout }, Policy::RetryWithKey, seed);
        prop_assert_eq!(t.duplicates, 0);
    }

    #[test]
    fn a_single_attempt_never_delivers_twice_and_retries_stay_within_their_budget(
        fail in 0.0f64..0.5, timeout in 0.0f64..0.5, seed in any::<u64>()
    ) {
        let f = Faults { fail_before: fail, timeout_after: timeout };
        let once = deliver_all(300, f, Policy::NoRetry, seed);
        prop_assert_eq!(once.duplicates, 0);
        prop_assert_eq!(once.calls, 300);
        let keyed = deliver_all(300, f, Policy::RetryWithKey, seed);
        prop_assert!(keyed.calls >= 300 && keyed.calls <= 300 * u64::from(MAX_ATTEMPTS));
    }
}

#[test]
fn without_a_key_every_timeout_after_delivery_is_a_duplicate() {
    let always_times_out = Faults {
        fail_before: 0.0,
        timeout_after: 1.0,
    };
    let t = deliver_all(10, always_times_out, Policy::RetryWithoutKey, 1);
    assert_eq!(t.lost, 0);
    assert_eq!(t.duplicates, 10 * u64::from(MAX_ATTEMPTS - 1));
    let k = deliver_all(10, always_times_out, Policy::RetryWithKey, 1);
    assert_eq!((k.lost, k.duplicates), (0, 0));
}

#[test]
fn a_provider_that_always_fails_before_delivering_loses_everything() {
    let down = Faults {
        fail_before: 1.0,
        timeout_after: 0.0,
    };
    for policy in [
        Policy::NoRetry,
        Policy::RetryWithoutKey,
        Policy::RetryWithKey,
    ] {
        assert_eq!(deliver_all(20, down, policy, 3).lost, 20, "{policy:?}");
    }
}

#[test]
fn a_repeated_key_is_answered_ok_without_a_second_delivery() {
    let mut p = Provider::new(
        Faults {
            fail_before: 0.0,
            timeout_after: 0.0,
        },
        0,
    );
    assert_eq!(p.call(7, true), Reply::Ok);
    assert_eq!(p.call(7, true), Reply::Ok);
    assert_eq!(p.deliveries(7), 1);
    assert_eq!(p.call(8, false), Reply::Ok);
    assert_eq!(p.call(8, false), Reply::Ok);
    assert_eq!(p.deliveries(8), 2);
}

#[test]
fn an_opted_out_channel_is_dropped_and_others_are_not() {
    let mut d = Dispatcher::new(Quota::new(5, Duration::from_secs(60)).unwrap());
    d.opt_out(1, Channel::Sms);
    assert_eq!(
        d.admit(1, Channel::Sms, Duration::ZERO),
        Err(Dropped::OptedOut)
    );
    assert_eq!(d.admit(1, Channel::Email, Duration::ZERO), Ok(()));
    assert_eq!(d.admit(2, Channel::Sms, Duration::ZERO), Ok(()));
}

#[test]
fn each_user_and_channel_has_its_own_limit() {
    let mut d = Dispatcher::new(Quota::new(3, Duration::from_secs(60)).unwrap());
    let sent = (0..10)
        .filter(|_| d.admit(1, Channel::Push, Duration::ZERO).is_ok())
        .count();
    assert_eq!(sent, 3);
    assert_eq!(
        d.admit(1, Channel::Push, Duration::ZERO),
        Err(Dropped::RateLimited)
    );
    // Another user, or another channel, is unaffected.
    assert_eq!(d.admit(2, Channel::Push, Duration::ZERO), Ok(()));
    assert_eq!(d.admit(1, Channel::Email, Duration::ZERO), Ok(()));
    // A token comes back after a third of the window.
    assert_eq!(d.admit(1, Channel::Push, Duration::from_secs(20)), Ok(()));
}
