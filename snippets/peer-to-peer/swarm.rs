//! The distribution simulated in rounds. First one chunk to 1,000 peers, the notes'
//! step-by-step; then the notes' whole case (1,000 chunks, all links equal, so a round is one
//! 5 MB chunk at 5 GB/s, 1 ms); then a sweep of N, from the server alone and with a swarm,
//! against the bound. Seeded.

use sysdesign::chart::LineChart;
use sysdesign::peer_to_peer::SwarmConfig;
use sysdesign::show::{self, Table};

// ANCHOR: config
fn config(peers: usize, chunks: usize, peers_upload: bool) -> SwarmConfig {
    SwarmConfig {
        peers,
        chunks,
        server_slots: 1,
        peer_upload_slots: usize::from(peers_upload),
        peer_download_slots: 1,
    }
}
// ANCHOR_END: config

fn first_rounds(run: &[usize]) -> String {
    let shown: Vec<String> = run.iter().take(5).map(usize::to_string).collect();
    format!("{}, ...", shown.join(", "))
}

fn main() {
    // One chunk: how many peers hold it after each round.
    let alone = config(1_000, 1, false).simulate(1).expect("valid sizes");
    let swarm = config(1_000, 1, true).simulate(1).expect("valid sizes");
    let mut table = Table::new([
        "one chunk to 1,000 peers",
        "peers holding it after rounds 1-5",
        "rounds to reach all",
    ]);
    table.push([
        "server alone",
        first_rounds(&alone.complete_after).as_str(),
        alone.rounds.to_string().as_str(),
    ]);
    table.push([
        "swarm",
        first_rounds(&swarm.complete_after).as_str(),
        swarm.rounds.to_string().as_str(),
    ]);
    show::table(&table);
    show::value("one_chunk_swarm_rounds", swarm.rounds);

    // The notes' case: 1,000 chunks of 5 MB, 1,000 peers, a round is 1 ms.
    let notes = config(1_000, 1_000, true);
    let run = notes.simulate(1).expect("valid sizes");
    show::value("notes_case_rounds", run.rounds);
    show::value(
        "notes_case_seconds",
        format!("{:.3} s", run.rounds as f64 / 1_000.0),
    );
    show::value("notes_case_bound", notes.lower_bound());
    show::value("notes_case_from_server", run.from_server);
    show::value(
        "notes_case_over_bound",
        format!(
            "{:.0}%",
            100.0 * (run.rounds as f64 / notes.lower_bound() as f64 - 1.0)
        ),
    );

    // The sweep: 50 chunks, N from 1 to 200.
    let mut table = Table::new([
        "peers N",
        "server alone (rounds)",
        "swarm (rounds)",
        "bound (rounds)",
        "swarm / bound",
    ]);
    let (mut alone_points, mut swarm_points, mut bound_points) = (vec![], vec![], vec![]);
    for n in [1, 2, 5, 10, 20, 50, 100, 200] {
        let alone = config(n, 50, false)
            .simulate(7)
            .expect("valid sizes")
            .rounds;
        let swarm = config(n, 50, true).simulate(7).expect("valid sizes").rounds;
        let bound = config(n, 50, true).lower_bound();
        table.push([
            n.to_string(),
            alone.to_string(),
            swarm.to_string(),
            bound.to_string(),
            format!("{:.2}", swarm as f64 / bound as f64),
        ]);
        alone_points.push((n as f64, alone as f64));
        swarm_points.push((n as f64, swarm as f64));
        bound_points.push((n as f64, bound as f64));
    }
    show::table(
        &table
            .caption("a file of 50 chunks; server, peers' uploads and downloads 1 chunk per round"),
    );
    let chart = LineChart::new("Rounds to give every peer the file")
        .x_label("peers N")
        .y_label("rounds")
        .series("server alone", alone_points)
        .series("swarm, simulated", swarm_points)
        .series("swarm, lower bound", bound_points)
        .log_x()
        .to_svg()
        .expect("finite, positive points");
    show::svg(
        "swarm_vs_server",
        "Server alone against a swarm, 50 chunks",
        chart,
    );
}
