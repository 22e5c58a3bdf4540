//! The deep dive's simulation: what a small edit costs to sync, by chunking and chunk size.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::sync::{Device, DriveServer};
use crate::specialized_storage::Chunking;

/// Where a small insertion lands in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditAt {
    /// In the first KiB: a title, a header, a line at the top.
    Start,
    /// Anywhere, uniformly.
    Anywhere,
}

/// The mean cost of syncing one edit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EditCost {
    /// Mean bytes of chunks uploaded per edit.
    pub chunk_bytes: f64,
    /// Mean bytes of manifest sent per edit.
    pub manifest_bytes: f64,
    /// Mean chunks uploaded per edit.
    pub chunks_sent: f64,
}

impl EditCost {
    /// Mean bytes sent per edit, chunks and manifest.
    pub fn total(&self) -> f64 {
        self.chunk_bytes + self.manifest_bytes
    }
}

// ANCHOR: edit_cost
/// A seeded file of `size` random bytes is saved once, then edited `edits` times, each edit an
/// insertion of 1 to 64 bytes at `at`, and saved after each; returns the mean cost of a save
/// after an edit (the first upload is not counted).
///
/// ```
/// use sysdesign::google_drive::{EditAt, edit_cost};
/// use sysdesign::specialized_storage::Chunking;
///
/// let fixed = edit_cost(256 * 1024, Chunking::fixed(4096).unwrap(), EditAt::Start, 3, 1);
/// let cdc = edit_cost(
///     256 * 1024,
///     Chunking::content_defined(1024, 4096, 32768).unwrap(),
///     EditAt::Start,
///     3,
///     1,
/// );
/// // An insertion at the start shifts every fixed-size chunk: the whole file goes again.
/// assert!(fixed.chunk_bytes > 250.0 * 1024.0);
/// assert!(cdc.chunk_bytes < 40.0 * 1024.0);
/// ```
pub fn edit_cost(size: usize, chunking: Chunking, at: EditAt, edits: usize, seed: u64) -> EditCost {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut file: Vec<u8> = (0..size).map(|_| rng.random::<u8>()).collect();
    let mut server = DriveServer::new(b"simulation key", chunking);
    let mut device = Device::new("laptop", chunking);
    device
        .save(&mut server, "/file", &file, 0)
        .expect("the only device cannot conflict");
    let mut total = EditCost {
        chunk_bytes: 0.0,
        manifest_bytes: 0.0,
        chunks_sent: 0.0,
    };
    for step in 1..=edits {
        let n = rng.random_range(1..=64usize);
        let place = match at {
            EditAt::Start => rng.random_range(0..=file.len().min(1024)),
            EditAt::Anywhere => rng.random_range(0..=file.len()),
        };
        let bytes: Vec<u8> = (0..n).map(|_| rng.random::<u8>()).collect();
        file.splice(place..place, bytes);
        let upload = device
            .save(&mut server, "/file", &file, step as u64)
            .expect("the only device cannot conflict");
        total.chunk_bytes += upload.chunk_bytes as f64;
        total.manifest_bytes += upload.manifest_bytes as f64;
        total.chunks_sent += upload.chunks_sent as f64;
    }
    let n = edits.max(1) as f64;
    EditCost {
        chunk_bytes: total.chunk_bytes / n,
        manifest_bytes: total.manifest_bytes / n,
        chunks_sent: total.chunks_sent / n,
    }
}
// ANCHOR_END: edit_cost

/// Content-defined chunking with mean `avg` (a power of two, at least 64), cuts between
/// `avg / 4` and `8 × avg`: the proportions the specialized-storage chapter used.
///
/// ```
/// use sysdesign::google_drive::cdc;
/// use sysdesign::specialized_storage::Chunking;
/// assert_eq!(cdc(8192), Chunking::ContentDefined { min: 2048, avg: 8192, max: 65536 });
/// ```
pub fn cdc(avg: usize) -> Chunking {
    Chunking::content_defined(avg / 4, avg, avg * 8)
        .expect("avg / 4 < avg < 8 avg for a power of two of at least 64")
}
