//! An SLO of 99.9 % of requests served well over 30 days: its error budget, the burn rates the
//! SRE workbook pages on, and a simulated month of traffic counted against it minute by minute.

use sysdesign::availability::{BudgetLedger, MONTH_30_DAYS, Slo, human, traffic};
use sysdesign::chart::LineChart;
use sysdesign::delivery_framework::Seconds;
use sysdesign::show::{self, Table};

const PER_MINUTE: u64 = 2_000;
const SEED: u64 = 30;

/// The error ratio in minute `m` of the month: a low background, one sharp incident and one
/// slow degradation.
fn error_ratio(m: usize) -> f64 {
    let day = m as f64 / 1_440.0;
    if (9.6..9.6 + 40.0 / 1_440.0).contains(&day) {
        0.08 // 40 minutes at 8 % errors: a bad deploy, rolled back
    } else if (20.0..22.0).contains(&day) {
        0.004 // two days at 0.4 %: a slow leak
    } else {
        0.0003
    }
}

fn main() {
    // ANCHOR: budget
    let slo = Slo::new(0.999, MONTH_30_DAYS).expect("a fraction");
    let requests = PER_MINUTE as f64 * 30.0 * 1_440.0;
    println!("SLO {} over 30 days", slo.target());
    println!("error budget: {} of total outage, or {:.0} bad requests of {:.0}", human(slo.budget_time()), slo.budget_events(requests), requests);
    // ANCHOR_END: budget
    show::value("budget_minutes", human(slo.budget_time()));
    show::value("budget_requests", format!("{:.0}", slo.budget_events(requests)));

    // ANCHOR: burn
    let mut alerts = Table::new(["budget spent", "in", "burn rate", "budget gone after", "error ratio"]);
    for (share, over) in [(0.02, Seconds::HOUR), (0.05, Seconds::HOUR * 6.0), (0.10, Seconds::days(3.0))] {
        let burn = slo.burn_rate_spending(share, over);
        alerts.push([
            format!("{:.0} %", share * 100.0),
            human(over),
            format!("{burn:.1}"),
            human(slo.exhausted_after(burn)),
            format!("{:.2} %", burn * slo.budget() * 100.0),
        ]);
    }
    // ANCHOR_END: burn
    show::table(&alerts.caption("The SRE workbook's alert thresholds, computed from the SLO"));
    show::value("page_burn", format!("{:.1}", slo.burn_rate_spending(0.02, Seconds::HOUR)));

    // A month, minute by minute.
    let month = traffic(30 * 1_440, PER_MINUTE, error_ratio, SEED);
    let mut ledger = BudgetLedger::new(slo);
    let (mut first_page, mut first_slow_page) = (None, None);
    let mut points = Vec::new();
    for (m, minute) in month.into_iter().enumerate() {
        ledger.record(minute);
        // Fast burn: 14.4 over the last hour and the last 5 minutes; slow: 6 over 6 h and 30 min.
        if first_page.is_none() && ledger.burn_rate(60) >= 14.4 && ledger.burn_rate(5) >= 14.4 {
            first_page = Some(m);
        }
        if first_slow_page.is_none() && m > 15 * 1_440 && ledger.burn_rate(360) >= 6.0 && ledger.burn_rate(30) >= 6.0 {
            first_slow_page = Some(m);
        }
        if m % 60 == 59 {
            points.push(((m + 1) as f64 / 1_440.0, ledger.budget_left() * 100.0));
        }
    }
    let at = |m: Option<usize>| m.map_or("never".to_string(), |m| format!("day {}, {:02}:{:02}", m / 1_440, m % 1_440 / 60, m % 60));
    println!("fast-burn page (14.4 over 1 h and 5 min) first fired: {}", at(first_page));
    println!("slow-burn page (6 over 6 h and 30 min) first fired after day 15: {}", at(first_slow_page));
    println!("budget left at the end of the month: {:.1} %", ledger.budget_left() * 100.0);
    show::value("fast_page_at", at(first_page));
    show::value("slow_page_at", at(first_slow_page));
    show::value("budget_left_end", format!("{:.1} %", ledger.budget_left() * 100.0));
    let chart = LineChart::new("Error budget left, 99.9 % over 30 days")
        .x_label("day of the month")
        .y_label("budget left (%)")
        .series("budget left", points);
    show::svg(
        "error-budget-month",
        "The incident on day 9 takes a step out of the budget; the slow leak on days 20 to 22 takes more",
        chart.to_svg().expect("finite points"),
    );
}
