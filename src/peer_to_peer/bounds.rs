//! The minimum time to give every one of N peers a copy of a file, from one server alone and
//! from a swarm whose peers upload too: the bounds of Kurose and Ross, in the units of
//! [`crate::delivery_framework`].

use crate::delivery_framework::{Bytes, BytesPerSecond, Seconds};
use std::fmt;

/// What limits a distribution: the term of the bound that is largest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bottleneck {
    /// The server must upload N copies (client-server) or one copy (peer-to-peer).
    ServerUpload,
    /// The slowest peer must download the whole file.
    SlowestDownload,
    /// Everyone's upload together must carry N copies.
    TotalUpload,
}

impl fmt::Display for Bottleneck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bottleneck::ServerUpload => "server upload",
            Bottleneck::SlowestDownload => "slowest download",
            Bottleneck::TotalUpload => "total upload",
        })
    }
}

/// A lower bound on the distribution time and the term that sets it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    /// The least time any schedule can take.
    pub time: Seconds,
    /// Which term of the bound is largest.
    pub bottleneck: Bottleneck,
}

// ANCHOR: distribution
/// One file, N peers that all want it, one server that has it, and the links' rates.
///
/// ```
/// use sysdesign::delivery_framework::{Bytes, BytesPerSecond};
/// use sysdesign::peer_to_peer::{Bottleneck, Distribution};
///
/// // The notes' case: 5 GB to 1,000 machines, every link 5 GB/s.
/// let link = BytesPerSecond::new(5e9);
/// let d = Distribution { file: Bytes::giga(5.0), peers: 1_000, server_upload: link,
///                        peer_upload: link, peer_download: link };
/// assert_eq!(d.client_server().time.get(), 1_000.0);             // N·F/u_s
/// assert_eq!(d.peer_to_peer().time.get(), 1.0);                  // F/u_s = F/d_min
/// assert_eq!(d.peer_to_peer().bottleneck, Bottleneck::ServerUpload);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Distribution {
    /// The file's size, F.
    pub file: Bytes,
    /// How many peers want it, N.
    pub peers: u32,
    /// The server's upload rate, u_s.
    pub server_upload: BytesPerSecond,
    /// Each peer's upload rate, u_i (the same for all, so Σ u_i = N·u).
    pub peer_upload: BytesPerSecond,
    /// The slowest peer's download rate, d_min.
    pub peer_download: BytesPerSecond,
}

impl Distribution {
    /// From the server alone: max(N·F/u_s, F/d_min). The server sends every copy itself.
    pub fn client_server(&self) -> Bound {
        let n = f64::from(self.peers);
        largest([
            (n * self.file / self.server_upload, Bottleneck::ServerUpload),
            (self.file / self.peer_download, Bottleneck::SlowestDownload),
        ])
    }

    /// With the peers uploading too: max(F/u_s, F/d_min, N·F/(u_s + Σ u_i)). The server must
    /// send each bit once, each peer must receive all of them, and all the uploads together
    /// carry N copies. Kumar and Ross showed a fluid schedule that meets it.
    pub fn peer_to_peer(&self) -> Bound {
        let n = f64::from(self.peers);
        let total_upload = self.server_upload + n * self.peer_upload;
        largest([
            (self.file / self.server_upload, Bottleneck::ServerUpload),
            (self.file / self.peer_download, Bottleneck::SlowestDownload),
            (n * self.file / total_upload, Bottleneck::TotalUpload),
        ])
    }
}
// ANCHOR_END: distribution

fn largest<const K: usize>(terms: [(Seconds, Bottleneck); K]) -> Bound {
    let (time, bottleneck) = terms.into_iter().fold(
        (Seconds::new(f64::NEG_INFINITY), Bottleneck::ServerUpload),
        |best, t| {
            if t.0 > best.0 { t } else { best }
        },
    );
    Bound { time, bottleneck }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_server_grows_with_n_and_peer_to_peer_levels_off() {
        let d = |peers| Distribution {
            file: Bytes::giga(1.0),
            peers,
            server_upload: BytesPerSecond::new(1e9),
            peer_upload: BytesPerSecond::new(1e8),
            peer_download: BytesPerSecond::new(1e9),
        };
        assert_eq!(d(100).client_server().time.get(), 100.0);
        assert_eq!(d(1000).client_server().time.get(), 1000.0);
        assert!(d(1000).peer_to_peer().time.get() < 10.0);
        assert_eq!(d(1000).peer_to_peer().bottleneck, Bottleneck::TotalUpload);
    }
}
