//! The notes' case, computed: one 5 GB file to 1,000 machines, every link 5 GB/s, from one
//! server, from ten servers, and by a swarm; then the swarm with peers on slower links.

use sysdesign::delivery_framework::{Bytes, BytesPerSecond, Seconds};
use sysdesign::peer_to_peer::Distribution;
use sysdesign::show::{self, Table};

// ANCHOR: cases
const FILE: Bytes = Bytes::giga(5.0);
const LINK: BytesPerSecond = BytesPerSecond::new(5e9);

fn case(server_upload: BytesPerSecond, peer_rate: BytesPerSecond) -> Distribution {
    Distribution {
        file: FILE,
        peers: 1_000,
        server_upload,
        peer_upload: peer_rate,
        peer_download: peer_rate,
    }
}
// ANCHOR_END: cases

fn seconds(t: Seconds) -> String {
    format!("{:.3} s", t.get())
}

fn main() {
    let one_server = case(LINK, LINK).client_server();
    let ten_servers = case(10.0 * LINK, LINK).client_server();
    let swarm = case(LINK, LINK).peer_to_peer();
    // The notes' schedule: every peer gets one 5 MB chunk from the server, then the 999 others
    // from the peers; two phases, one after the other.
    let chunk = Bytes::mega(5.0);
    let two_phases = 1_000.0 * chunk / LINK + 999.0 * chunk / LINK;

    let mut table = Table::new([
        "how",
        "peers' links",
        "least time",
        "set by",
        "the notes say",
    ]);
    for (how, bound, set_by, notes) in [
        (
            "one server",
            one_server.time,
            one_server.bottleneck.to_string(),
            "1000 s (17 min)",
        ),
        (
            "ten servers",
            ten_servers.time,
            ten_servers.bottleneck.to_string(),
            "almost 2 min",
        ),
        (
            "swarm, bound",
            swarm.time,
            swarm.bottleneck.to_string(),
            "-",
        ),
        (
            "swarm, the notes' two phases",
            two_phases,
            "phases in turn".to_string(),
            "1 s + 1 s",
        ),
    ] {
        table.push([
            how,
            "5 GB/s",
            seconds(bound).as_str(),
            set_by.as_str(),
            notes,
        ]);
    }
    for (label, rate) in [
        ("10 Gbit/s", BytesPerSecond::gigabits(10.0)),
        ("1 Gbit/s", BytesPerSecond::gigabits(1.0)),
    ] {
        let cs = case(LINK, rate).client_server();
        let p2p = case(LINK, rate).peer_to_peer();
        for (how, bound) in [("one server", cs), ("swarm, bound", p2p)] {
            table.push([
                how,
                label,
                seconds(bound.time).as_str(),
                bound.bottleneck.to_string().as_str(),
                "-",
            ]);
        }
    }
    show::table(&table.caption("5 GB to 1,000 machines; the server uploads at 5 GB/s"));

    show::value("one_server_s", format!("{:.0} s", one_server.time.get()));
    show::value("ten_servers_s", format!("{:.0} s", ten_servers.time.get()));
    show::value("swarm_s", format!("{:.0} s", swarm.time.get()));
    show::value("two_phases_s", format!("{:.3} s", two_phases.get()));
    show::value(
        "peer_link_gbit",
        format!("{:.0} Gbit/s", LINK.bits_per_second() / 1e9),
    );
    let gigabit = case(LINK, BytesPerSecond::gigabits(1.0)).peer_to_peer();
    show::value("swarm_1gbit_s", format!("{:.0} s", gigabit.time.get()));
}
