//! Bandwidth arithmetic with the units in the types: what a gigabit per second is in bytes, and
//! how long a payload takes to cross a link (transmission time only, before any round trip).

use sysdesign::delivery_framework::{Bytes, BytesPerSecond};
use sysdesign::show::{self, Table};

fn main() {
    // ANCHOR: units
    let gigabit = BytesPerSecond::gigabits(1.0);
    let one_mb = Bytes::mega(1.0) / gigabit; // Bytes ÷ BytesPerSecond = Seconds
    let two_kb = Bytes::kilo(2.0) / gigabit;
    // ANCHOR_END: units
    let notes_claim = 1_000_000.0; // bits per second, 001:449
    let mut table = Table::new(["quantity", "computed"]);
    table.push([
        "1 Gbit/s in bits per second".to_string(),
        format!("{}", gigabit.bits_per_second()),
    ]);
    table.push([
        "1 Gbit/s in bytes per second".to_string(),
        gigabit.to_string(),
    ]);
    table.push(["1 MB over 1 Gbit/s".to_string(), one_mb.to_string()]);
    table.push(["2 KB over 1 Gbit/s".to_string(), two_kb.to_string()]);
    for gbit in [10.0, 100.0] {
        let link = BytesPerSecond::gigabits(gbit);
        table.push([
            format!("1 MB over {gbit} Gbit/s"),
            (Bytes::mega(1.0) / link).to_string(),
        ]);
    }
    table.push([
        "the notes' \"1 Gbit/s or 1,000,000 bit/s\", off by".to_string(),
        format!("{}×", gigabit.bits_per_second() / notes_claim),
    ]);
    show::table(&table.caption("Link speeds are sold in bits; payloads are counted in bytes"));
    show::value("gigabit_bytes", gigabit);
    show::value("one_mb_gigabit", one_mb);
    show::value("two_kb_gigabit", two_kb);
    show::value(
        "notes_off_by",
        format!("{}", gigabit.bits_per_second() / notes_claim),
    );
}
