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

/// Minute `m` of the month as a day and a time of day.
fn at(m: usize) -> String {
    format!("day {}, {:02}:{:02}", m / 1_440, m % 1_440 / 60, m % 60)
}

fn main() {
    // ANCHOR: budget
    let slo = Slo::new(0.999, MONTH_30_DAYS).expect("a fraction");
    let requests = PER_MINUTE as f64 * 30.0 * 1_440.0;
    println!("SLO {} over 30 days", slo.target());
    println!(
        "error budget: {} of total outage, or {:.0} bad requests of {:.0}",
        human(slo.budget_time()),
        slo.budget_events(requests),
        requests
    );
    // ANCHOR_END: budget
    show::value("budget_minutes", human(slo.budget_time()));
    show::value(
        "budget_requests",
        format!("{:.0}", slo.budget_events(requests)),
    );

    // ANCHOR: burn
    let mut alerts = Table::new([
        "budget spent",
        "in",
        "burn rate",
        "budget gone after",
        "error ratio",
    ]);
    for (share, over) in [
        (0.02, Seconds::HOUR),
        (0.05, Seconds::HOUR * 6.0),
        (0.10, Seconds::days(3.0)),
    ] {
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
    show::value(
        "page_burn",
        format!("{:.1}", slo.burn_rate_spending(0.02, Seconds::HOUR)),
    );

    // A month, minute by minute.
    let month = traffic(30 * 1_440, PER_MINUTE, error_ratio, SEED);
    let mut ledger = BudgetLedger::new(slo);
    // ANCHOR: alerts
    // The workbook's three alerts: (name, long window, short window, burn rate), windows in minutes.
    let alerts = [
        ("page, fast burn", 60, 5, 14.4),
        ("page, slow burn", 360, 30, 6.0),
        ("ticket", 3 * 1_440, 360, 1.0),
    ];
    let mut firing = [false; 3];
    let mut episodes: [Vec<usize>; 3] = Default::default();
    let mut points = Vec::new();
    for (m, minute) in month.into_iter().enumerate() {
        ledger.record(minute);
        if m % 60 == 59 {
            points.push((
                (m + 1) as f64 / 1_440.0,
                ledger.budget_left_of(requests) * 100.0,
            ));
        }
        for (k, &(_, long, short, rate)) in alerts.iter().enumerate() {
            let now = ledger.burn_rate(long) >= rate && ledger.burn_rate(short) >= rate;
            if now && !firing[k] {
                episodes[k].push(m); // a new episode starts
            }
            firing[k] = now;
        }
    }
    // ANCHOR_END: alerts
    let mut fired = Table::new([
        "alert",
        "long window",
        "short window",
        "burn rate",
        "started firing",
    ]);
    for (k, &(name, long, short, rate)) in alerts.iter().enumerate() {
        let starts: Vec<String> = episodes[k].iter().map(|&m| at(m)).collect();
        let starts = if starts.is_empty() {
            "never".to_string()
        } else {
            starts.join("; ")
        };
        show::value(&format!("alert_{k}"), &starts);
        fired.push([
            name.to_string(),
            human(Seconds::MINUTE * long as f64),
            human(Seconds::MINUTE * short as f64),
            format!("{rate}"),
            starts,
        ]);
    }
    show::table(&fired.caption("A month of 2,000 requests a minute: 0.03 % errors, 8 % for 40 minutes on day 9, 0.4 % on days 20 and 21"));
    println!(
        "budget left at the end of the month: {:.1} %",
        ledger.budget_left() * 100.0
    );
    show::value(
        "budget_left_end",
        format!("{:.1} %", ledger.budget_left() * 100.0),
    );
    let chart = LineChart::new("Error budget left, 99.9 % over 30 days")
        .x_label("day of the month")
        .y_label("budget left (%)")
        .series("budget left", points);
    show::svg(
        "error-budget-month",
        "The background drains the budget slowly; the incident on day 9 takes a step out of it, the slow leak on days 20 and 21 a larger one",
        chart.to_svg().expect("finite points"),
    );
}
