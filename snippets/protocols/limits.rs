//! Size limits that follow from the widths of the IP, TCP and UDP header fields.

use sysdesign::protocols::limits;
use sysdesign::show::{self, Table};

fn main() {
    let mut table = Table::new(["limit", "bytes", "because", "source"]);
    for l in limits() {
        table.push([
            l.what.to_string(),
            l.bytes.to_string(),
            l.why.to_string(),
            l.source.to_string(),
        ]);
        let key = l
            .what
            .to_ascii_lowercase()
            .replace([',', ' '], "_")
            .replace("__", "_");
        show::value(&key, l.bytes);
    }
    show::table(&table.caption("Computed from the header formats"));
}
