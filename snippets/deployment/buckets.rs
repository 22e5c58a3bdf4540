//! Canary buckets: the share of 100,000 users in each rollout percentage, the users kept when the
//! share grows, and a feature flag's kill switch.

use sysdesign::deployment::{FeatureFlag, in_rollout};
use sysdesign::show::{self, Table};

fn count_on(flag: &FeatureFlag, users: &[String]) -> usize {
    users.iter().filter(|u| flag.is_on(u)).count()
}

fn main() {
    let users: Vec<String> = (0..100_000).map(|i| format!("user-{i}")).collect();
    // ANCHOR: shares
    let mut table = Table::new([
        "target share",
        "users in",
        "measured share",
        "still in at the next step",
    ]);
    let steps = [100u32, 500, 2_500, 5_000, 10_000];
    for (i, &bp) in steps.iter().enumerate() {
        let inside: Vec<&String> = users
            .iter()
            .filter(|u| in_rollout("checkout-v2", u, bp))
            .collect();
        let next = steps.get(i + 1).copied().unwrap_or(bp);
        let kept = inside
            .iter()
            .filter(|u| in_rollout("checkout-v2", u, next))
            .count();
        table.push([
            format!("{:.0}%", f64::from(bp) / 100.0),
            inside.len().to_string(),
            format!("{:.2}%", 100.0 * inside.len() as f64 / users.len() as f64),
            format!("{kept} of {}", inside.len()),
        ]);
    }
    // ANCHOR_END: shares
    show::table(&table.caption("100,000 users bucketed by hash for rollout \"checkout-v2\""));

    // Two rollouts at 1% pick different users.
    let both = users
        .iter()
        .filter(|u| in_rollout("checkout-v2", u, 100) && in_rollout("new-search", u, 100))
        .count();
    show::value("in_both_one_percent_rollouts", both);

    // ANCHOR: flag
    let mut flag = FeatureFlag::new("new-search");
    flag.share_bp = 1_000;
    flag.allow.push("user-7".into());
    show::value("flag_on_at_10_percent", count_on(&flag, &users));
    flag.killed = true;
    show::value("flag_on_after_kill", count_on(&flag, &users));
    // ANCHOR_END: flag
}
