//! Chunked distribution in discrete rounds: a server and N peers, a file of C chunks, and in
//! each round every node uploads at most its number of chunks and every peer downloads at most
//! its own. A round is the time one chunk takes at a peer's upload rate.
//!
//! Peers pick whom to send to and which chunk at random (seeded), from the peers that still
//! need something they hold; a chunk received in a round can be passed on from the next round.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::fmt;

/// The sizes of a simulated distribution, in chunks and chunks per round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SwarmConfig {
    /// Peers that want the file, N.
    pub peers: usize,
    /// Chunks in the file, C.
    pub chunks: usize,
    /// Chunks the server uploads per round, s.
    pub server_slots: usize,
    /// Chunks each peer uploads per round, u (0: the server alone serves).
    pub peer_upload_slots: usize,
    /// Chunks each peer downloads per round at most, d.
    pub peer_download_slots: usize,
}

/// Why a distribution cannot be simulated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SwarmError {
    /// A count that must be at least one is zero: its name.
    Zero(&'static str),
    /// `peers × chunks` is above [`MAX_CELLS`].
    TooLarge {
        /// peers × chunks, as asked.
        cells: u128,
    },
}

impl fmt::Display for SwarmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SwarmError::Zero(name) => write!(f, "{name} must be at least 1, got 0"),
            SwarmError::TooLarge { cells } => {
                write!(f, "peers × chunks = {cells} is above the limit {MAX_CELLS}")
            }
        }
    }
}

impl std::error::Error for SwarmError {}

/// The largest peers × chunks simulated (one bit each, 16 MiB).
pub const MAX_CELLS: u128 = 1 << 27;

/// How a simulated distribution went.
#[derive(Clone, Debug, PartialEq)]
pub struct SwarmRun {
    /// Rounds until every peer held every chunk.
    pub rounds: u64,
    /// Chunk transfers made by the server.
    pub from_server: u64,
    /// Chunk transfers made by peers.
    pub from_peers: u64,
    /// Peers holding the whole file after each round.
    pub complete_after: Vec<usize>,
}

impl SwarmConfig {
    /// Checks the sizes.
    pub fn validate(&self) -> Result<(), SwarmError> {
        for (name, value) in [
            ("peers", self.peers),
            ("chunks", self.chunks),
            ("server_slots", self.server_slots),
            ("peer_download_slots", self.peer_download_slots),
        ] {
            if value == 0 {
                return Err(SwarmError::Zero(name));
            }
        }
        let cells = self.peers as u128 * self.chunks as u128;
        if cells > MAX_CELLS {
            return Err(SwarmError::TooLarge { cells });
        }
        Ok(())
    }

    /// The least number of rounds any schedule needs: the discrete form of the bound in
    /// [`super::Distribution::peer_to_peer`], ⌈max(C/s, C/d, N·C/(s + N·u))⌉.
    pub fn lower_bound(&self) -> u64 {
        let (n, c) = (self.peers as u64, self.chunks as u64);
        let (s, u, d) = (
            self.server_slots as u64,
            self.peer_upload_slots as u64,
            self.peer_download_slots as u64,
        );
        c.div_ceil(s)
            .max(c.div_ceil(d))
            .max((n * c).div_ceil(s + n * u))
    }

    // ANCHOR: simulate
    /// Runs the distribution with this seed until every peer holds the file.
    ///
    /// ```
    /// use sysdesign::peer_to_peer::SwarmConfig;
    /// let swarm = SwarmConfig { peers: 50, chunks: 20, server_slots: 1,
    ///                           peer_upload_slots: 1, peer_download_slots: 1 };
    /// let run = swarm.simulate(7).unwrap();
    /// assert!(run.rounds >= swarm.lower_bound());
    /// assert_eq!(run.from_server + run.from_peers, 50 * 20); // each peer got each chunk once
    /// let alone = SwarmConfig { peer_upload_slots: 0, ..swarm }.simulate(7).unwrap();
    /// assert_eq!(alone.rounds, 50 * 20);                     // N·C/s
    /// ```
    pub fn simulate(&self, seed: u64) -> Result<SwarmRun, SwarmError> {
        self.validate()?;
        let mut rng = StdRng::seed_from_u64(seed);
        let (n, c) = (self.peers, self.chunks);
        let mut have = Holdings::new(n, c); // what each peer can send this round
        let mut next = have.clone(); // what it will hold after the round
        let mut run = SwarmRun {
            rounds: 0,
            from_server: 0,
            from_peers: 0,
            complete_after: vec![],
        };
        let mut server_cursor = 0; // the server deals chunks out in order, round after round
        let mut order: Vec<usize> = (0..n).collect();
        while next.complete() < n {
            run.rounds += 1;
            let mut received = vec![0usize; n];
            // Peers that lack something and can take one more chunk this round.
            let mut open: Vec<usize> = (0..n).filter(|&p| next.count(p) < c).collect();
            // The server: the next chunk in its order, to a random open peer that lacks it.
            for _ in 0..self.server_slots {
                let Some(chunk) = (0..c)
                    .map(|k| (server_cursor + k) % c)
                    .find(|&k| open.iter().any(|&p| !next.has(p, k)))
                else {
                    break;
                };
                server_cursor = (chunk + 1) % c;
                let takers: Vec<usize> = (0..open.len())
                    .filter(|&i| !next.has(open[i], chunk))
                    .collect();
                let at = takers[rng.random_range(0..takers.len())];
                let peer = open[at];
                next.give(peer, chunk);
                run.from_server += 1;
                received[peer] += 1;
                if received[peer] == self.peer_download_slots || next.count(peer) == c {
                    open.swap_remove(at);
                }
            }
            // The peers, in a random order: each upload goes to a random open peer that lacks
            // one of the sender's chunks (as of the round's start), and that chunk is random too.
            shuffle(&mut order, &mut rng);
            for &sender in &order {
                for _ in 0..self.peer_upload_slots {
                    let Some(at) =
                        pick_receiver(&open, |q| next.useful(&have, sender, q), &mut rng)
                    else {
                        break;
                    };
                    let receiver = open[at];
                    let chunk = next.random_useful(&have, sender, receiver, &mut rng);
                    next.give(receiver, chunk);
                    run.from_peers += 1;
                    received[receiver] += 1;
                    if received[receiver] == self.peer_download_slots || next.count(receiver) == c {
                        open.swap_remove(at);
                    }
                }
            }
            have.clone_from(&next);
            run.complete_after.push(have.complete());
        }
        Ok(run)
    }
    // ANCHOR_END: simulate
}

/// One bit per (peer, chunk), a row of 64-bit words per peer.
#[derive(Clone, Debug)]
struct Holdings {
    words: usize,
    chunks: usize,
    bits: Vec<u64>,
}

impl Holdings {
    fn new(peers: usize, chunks: usize) -> Self {
        let words = chunks.div_ceil(64);
        Holdings {
            words,
            chunks,
            bits: vec![0; peers * words],
        }
    }
    fn row(&self, peer: usize) -> &[u64] {
        &self.bits[peer * self.words..(peer + 1) * self.words]
    }
    fn has(&self, peer: usize, chunk: usize) -> bool {
        (self.row(peer)[chunk / 64] >> (chunk % 64)) & 1 == 1
    }
    fn give(&mut self, peer: usize, chunk: usize) {
        self.bits[peer * self.words + chunk / 64] |= 1 << (chunk % 64);
    }
    fn count(&self, peer: usize) -> usize {
        self.row(peer).iter().map(|w| w.count_ones() as usize).sum()
    }
    fn complete(&self) -> usize {
        (0..self.bits.len() / self.words.max(1))
            .filter(|&p| self.count(p) == self.chunks)
            .count()
    }
    /// Whether `sender` (as of the round's start, `sent`) holds a chunk `receiver` lacks (now).
    fn useful(&self, sent: &Holdings, sender: usize, receiver: usize) -> bool {
        sender != receiver
            && sent
                .row(sender)
                .iter()
                .zip(self.row(receiver))
                .any(|(s, r)| s & !r != 0)
    }
    /// A chunk chosen uniformly among those `sender` holds and `receiver` lacks.
    fn random_useful(
        &self,
        sent: &Holdings,
        sender: usize,
        receiver: usize,
        rng: &mut StdRng,
    ) -> usize {
        let diff: Vec<u64> = sent
            .row(sender)
            .iter()
            .zip(self.row(receiver))
            .map(|(s, r)| s & !r)
            .collect();
        let total: u32 = diff.iter().map(|w| w.count_ones()).sum();
        let mut pick = rng.random_range(0..total);
        for (i, mut word) in diff.into_iter().enumerate() {
            if pick < word.count_ones() {
                for _ in 0..pick {
                    word &= word - 1; // drop the lowest set bit
                }
                return i * 64 + word.trailing_zeros() as usize;
            }
            pick -= word.count_ones();
        }
        unreachable!("`useful` held, so the difference has a set bit")
    }
}

/// An index into `open` whose peer `wanted` accepts, uniformly among them: a few random tries
/// first (cheap while most peers want something), then a scan.
fn pick_receiver(
    open: &[usize],
    wanted: impl Fn(usize) -> bool,
    rng: &mut StdRng,
) -> Option<usize> {
    if open.is_empty() {
        return None;
    }
    for _ in 0..16 {
        let at = rng.random_range(0..open.len());
        if wanted(open[at]) {
            return Some(at);
        }
    }
    let all: Vec<usize> = (0..open.len()).filter(|&at| wanted(open[at])).collect();
    (!all.is_empty()).then(|| all[rng.random_range(0..all.len())])
}

fn shuffle(order: &mut [usize], rng: &mut StdRng) {
    for i in (1..order.len()).rev() {
        order.swap(i, rng.random_range(0..=i));
    }
}
