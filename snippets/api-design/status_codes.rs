//! The status codes a JSON API commonly sends, from the table in `sysdesign::api_design`.

use sysdesign::api_design::{STATUS_CODES, status_class};
use sysdesign::show::{self, Table};

fn main() {
    let mut table = Table::new([
        "code",
        "reason",
        "class",
        "send it when",
        "retry?",
        "defined in",
    ]);
    for s in STATUS_CODES {
        table.push([
            s.code.to_string(),
            s.reason.to_string(),
            status_class(s.code).unwrap_or("?").to_string(),
            s.meaning.to_string(),
            s.retry.to_string(),
            s.source.to_string(),
        ]);
    }
    show::table(&table.caption("status codes an API sends"));
}
