//! Tests of `sysdesign::availability`: nines and downtime, series and parallel blocks against a
//! seeded simulation, fail-over runs, SLOs and error budgets.

use proptest::prelude::*;
use sysdesign::availability::{
    Availability, Block, BudgetLedger, Failover, Interval, MONTH_30_DAYS, Mode, Slo, Unit, WEEK,
    YEAR,
};
use sysdesign::delivery_framework::Seconds;

fn unit(mtbf_hours: f64, mttr_hours: f64) -> Block {
    Block::Unit(Unit {
        mtbf: Seconds::HOUR * mtbf_hours,
        mttr: Seconds::HOUR * mttr_hours,
    })
}

#[test]
fn each_nine_divides_the_downtime_by_ten() {
    for n in 1..9 {
        let a = Availability::from_nines(n).downtime(YEAR).get();
        let b = Availability::from_nines(n + 1).downtime(YEAR).get();
        assert!((a / b - 10.0).abs() < 1e-6, "{n} nines: {a} / {b}");
    }
}

#[test]
fn five_nines_allow_about_five_minutes_a_year_and_six_seconds_a_week() {
    let five = Availability::from_nines(5);
    assert!((five.downtime(YEAR).get() / 60.0 - 5.2596).abs() < 1e-3);
    assert!((five.downtime(WEEK).get() - 6.048).abs() < 1e-9);
}

#[test]
fn nines_of_a_fraction_round_trip() {
    for n in 1..=6 {
        assert!((Availability::from_nines(n).nines() - f64::from(n)).abs() < 1e-9);
    }
}

#[test]
fn series_is_never_better_than_its_worst_part_and_parallel_never_worse_than_its_best() {
    let parts = vec![unit(100.0, 1.0), unit(50.0, 5.0), unit(1000.0, 2.0)];
    let worst = parts
        .iter()
        .map(|p| p.availability().get())
        .fold(1.0, f64::min);
    let best = parts
        .iter()
        .map(|p| p.availability().get())
        .fold(0.0, f64::max);
    assert!(Block::series(parts.clone()).availability().get() <= worst);
    assert!(Block::parallel(parts).availability().get() >= best);
}

#[test]
fn simulated_series_and_parallel_match_the_formulas() {
    let designs = [
        Block::series(vec![unit(200.0, 2.0), unit(100.0, 1.0), unit(300.0, 6.0)]),
        Block::parallel(vec![unit(20.0, 2.0), unit(20.0, 2.0)]),
        Block::series(vec![
            Block::parallel(vec![unit(50.0, 5.0), unit(50.0, 5.0)]),
            unit(400.0, 1.0),
        ]),
    ];
    for (seed, design) in designs.iter().enumerate() {
        let run = design.simulate(Seconds::YEAR * 300.0, seed as u64);
        let (sim, formula) = (
            run.availability.unavailability(),
            design.availability().unavailability(),
        );
        assert!(
            (sim / formula - 1.0).abs() < 0.1,
            "{design:?}: simulated {sim}, formula {formula}"
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_simulation() {
    let b = Block::parallel(vec![unit(10.0, 1.0), unit(10.0, 1.0)]);
    assert_eq!(b.simulate(Seconds::YEAR, 4), b.simulate(Seconds::YEAR, 4));
}

/// The chapter's cluster over 50 years from another seed, with the given switch time.
fn failover(mode: Mode, demand: f64, switch: f64) -> Failover {
    Failover {
        switch: Seconds::new(switch),
        horizon: Seconds::YEAR * 50.0,
        seed: 11,
        ..Failover::two_nodes(mode, demand)
    }
}

#[test]
fn active_passive_loses_detection_plus_switch_per_failure() {
    // Repairs so quick that the standby is almost never down when it is needed.
    let mut config = failover(Mode::ActivePassive, 0.8, 30.0);
    config.mttr = Seconds::new(60.0);
    let run = config.run();
    let lost = run.availability.unavailability() * config.horizon.get();
    let per_failure = lost / run.failures as f64;
    // Detection (2 to 3 s, 2.5 on average) plus the 30 s switch.
    assert!(
        (32.2..32.8).contains(&per_failure),
        "{per_failure} s per failure"
    );
}

#[test]
fn active_active_with_headroom_beats_active_passive() {
    let ap = failover(Mode::ActivePassive, 0.8, 30.0).run();
    let aa = failover(Mode::ActiveActive, 0.8, 30.0).run();
    assert!(aa.availability > ap.availability, "{aa:?} vs {ap:?}");
}

#[test]
fn active_active_without_headroom_loses_capacity_for_the_whole_repair() {
    let aa = failover(Mode::ActiveActive, 1.5, 30.0).run();
    let ap = failover(Mode::ActivePassive, 0.8, 30.0).run();
    // A survivor serves 1 of 1.5: a third of the demand lost for every repair.
    assert!(aa.availability < ap.availability);
    assert!(aa.availability.unavailability() > 0.002);
}

#[test]
fn the_error_budget_of_three_nines_over_thirty_days_is_forty_three_minutes() {
    let slo = Slo::new(0.999, MONTH_30_DAYS).unwrap();
    assert!((slo.budget_time().get() - 2_592.0).abs() < 1e-6);
    assert!((slo.burn_rate_spending(0.02, Seconds::HOUR) - 14.4).abs() < 1e-9);
    // 30 days / 14.4 = 2 days and 2 hours.
    assert!((slo.exhausted_after(14.4).get() - 2.0 * 86_400.0 - 7_200.0).abs() < 1e-6);
}

#[test]
fn an_slo_target_outside_zero_to_one_is_refused() {
    assert!(Slo::new(99.9, MONTH_30_DAYS).is_err());
}

#[test]
fn the_ledger_counts_bad_events_against_the_budget() {
    let mut ledger = BudgetLedger::new(Slo::new(0.99, MONTH_30_DAYS).unwrap());
    assert_eq!(ledger.budget_left(), 1.0);
    ledger.record(Interval {
        total: 1_000,
        bad: 5,
    });
    assert!((ledger.budget_left() - 0.5).abs() < 1e-12);
    ledger.record(Interval {
        total: 1_000,
        bad: 30,
    });
    assert!(ledger.budget_left() < 0.0);
    assert!((ledger.burn_rate(1) - 3.0).abs() < 1e-12);
    // Against a window of 10,000 events, the 35 bad ones spent 35 % of the budget of 100.
    assert!((ledger.budget_left_of(10_000.0) - 0.65).abs() < 1e-12);
}

proptest! {
    #[test]
    fn parallel_of_two_matches_one_minus_the_product(a in 1.0f64..1000.0, r in 0.1f64..50.0,
                                                      b in 1.0f64..1000.0, s in 0.1f64..50.0) {
        let (x, y) = (unit(a, r), unit(b, s));
        let p = Block::parallel(vec![x.clone(), y.clone()]).availability().get();
        let expected = 1.0 - (r / (a + r)) * (s / (b + s));
        prop_assert!((p - expected).abs() < 1e-12);
        let q = Block::series(vec![x, y]).availability().get();
        prop_assert!((q - (a / (a + r)) * (b / (b + s))).abs() < 1e-12);
    }

    #[test]
    fn downtime_scales_with_the_period(n in 1u32..8, days in 1.0f64..400.0) {
        let a = Availability::from_nines(n);
        let ratio = a.downtime(Seconds::days(days)) / a.downtime(Seconds::DAY);
        prop_assert!((ratio - days).abs() < 1e-6 * days);
    }

    #[test]
    fn a_steady_burn_rate_spends_the_budget_in_window_over_rate(target in 0.9f64..0.99999,
                                                                  burn in 0.1f64..100.0) {
        let slo = Slo::new(target, MONTH_30_DAYS).unwrap();
        let error_ratio = burn * slo.budget();
        prop_assert!((slo.burn_rate(error_ratio) - burn).abs() < 1e-9 * burn);
        let spent = slo.exhausted_after(burn) / MONTH_30_DAYS * burn;
        prop_assert!((spent - 1.0).abs() < 1e-9);
    }

    #[test]
    fn detection_is_bounded_by_the_heartbeats(hb in 0.1f64..10.0, missed in 1u32..6, seed in 0u64..1000) {
        let mut config = failover(Mode::ActiveActive, 0.8, 0.0);
        config.heartbeat = Seconds::new(hb);
        config.missed = missed;
        config.horizon = Seconds::YEAR;
        config.seed = seed;
        let run = config.run();
        prop_assume!(run.failures > 0);
        let d = run.mean_detection.get();
        prop_assert!(d >= (f64::from(missed) - 1.0) * hb - 1e-9 && d <= f64::from(missed) * hb + 1e-9);
    }
}
