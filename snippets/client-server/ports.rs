//! The three port ranges of RFC 6335 and where a few well-known services fall.

use sysdesign::client_server::{PortRange, SERVICES};
use sysdesign::show::{self, Table};

fn main() {
    let mut ranges = Table::new(["range (RFC 6335)", "ports", "how many", "assigned by"]);
    for (range, how) in [
        (PortRange::System, "IANA, after IETF review or approval"),
        (PortRange::User, "IANA, on request (expert review)"),
        (PortRange::Dynamic, "never assigned: free for ephemeral use"),
    ] {
        let (lo, hi) = range.bounds();
        let count = u32::from(hi) - u32::from(lo) + 1;
        ranges.push([
            range.name().to_string(),
            format!("{lo}–{hi}"),
            count.to_string(),
            how.to_string(),
        ]);
    }
    show::table(&ranges.caption("The port space, 2^16 = 65,536 numbers"));

    let mut services = Table::new(["port", "service", "registered for", "what", "range"]);
    for s in SERVICES {
        services.push([
            s.port.to_string(),
            s.name.to_string(),
            s.transports.to_string(),
            s.what.to_string(),
            PortRange::of(s.port).name().to_string(),
        ]);
    }
    show::table(&services.caption("A few entries of IANA's service name and port number registry"));
}
