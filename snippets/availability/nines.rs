//! Nines to downtime: each availability from one nine to nine, and the downtime it allows per
//! year (365.25 days), per 30-day month and per week, computed by the library.

use sysdesign::availability::{Availability, MONTH_30_DAYS, WEEK, YEAR, human};
use sysdesign::show::{self, Table};

fn main() {
    // ANCHOR: table
    let mut table = Table::new([
        "nines",
        "availability",
        "down per year",
        "per 30-day month",
        "per week",
    ]);
    for n in 1..=9 {
        let a = Availability::from_nines(n);
        table.push([
            n.to_string(),
            a.to_string(),
            human(a.downtime(YEAR)),
            human(a.downtime(MONTH_30_DAYS)),
            human(a.downtime(WEEK)),
        ]);
    }
    // ANCHOR_END: table
    show::table(&table.caption("A year of 365.25 days; downtime = (1 − availability) × period"));

    // The notes' figures per year, next to the library's.
    let mut notes = Table::new([
        "availability",
        "the notes say",
        "computed (365.25 days)",
        "computed (365 days)",
    ]);
    let year_365 = sysdesign::delivery_framework::Seconds::YEAR;
    for (n, claim) in [
        (2, "87.7 hours"),
        (3, "8.8 hours"),
        (4, "52.6 minutes"),
        (5, "5.3 minutes"),
    ] {
        let a = Availability::from_nines(n);
        notes.push([
            a.to_string(),
            claim.to_string(),
            human(a.downtime(YEAR)),
            human(a.downtime(year_365)),
        ]);
    }
    show::table(
        &notes.caption("Downtime per year: the notes (001, lesson 7) against the computation"),
    );

    show::value(
        "five_nines_year",
        human(Availability::from_nines(5).downtime(YEAR)),
    );
    show::value(
        "five_nines_month",
        human(Availability::from_nines(5).downtime(MONTH_30_DAYS)),
    );
    show::value(
        "three_nines_month",
        human(Availability::from_nines(3).downtime(MONTH_30_DAYS)),
    );
    show::value(
        "nine_nines_year",
        human(Availability::from_nines(9).downtime(YEAR)),
    );
    show::value(
        "two_nines_year",
        human(Availability::from_nines(2).downtime(YEAR)),
    );
}
