//! Blob storage with content-defined chunking and deduplication by fingerprint.

use std::collections::HashMap;
use std::fmt;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sha2::{Digest, Sha256};

/// The SHA-256 of a chunk: its name in the chunk store.
pub type Fingerprint = [u8; 32];

/// The fingerprint of `bytes`.
///
/// ```
/// use sysdesign::specialized_storage::fingerprint;
/// assert_eq!(fingerprint(b"abc")[..4], [0xba, 0x78, 0x16, 0xbf]);
/// ```
pub fn fingerprint(bytes: &[u8]) -> Fingerprint {
    Sha256::digest(bytes).into()
}

/// Why a chunking could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChunkingError {
    /// A size was zero, or min < avg < max did not hold.
    BadSizes {
        /// The smallest chunk asked for.
        min: usize,
        /// The target mean.
        avg: usize,
        /// The largest chunk allowed.
        max: usize,
    },
    /// The target mean must be a power of two (it becomes a bit mask).
    AvgNotPowerOfTwo(usize),
}

impl fmt::Display for ChunkingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChunkingError::BadSizes { min, avg, max } => {
                write!(
                    f,
                    "chunk sizes need 0 < min < avg < max, got {min}, {avg}, {max}"
                )
            }
            ChunkingError::AvgNotPowerOfTwo(avg) => {
                write!(f, "the mean chunk size must be a power of two, got {avg}")
            }
        }
    }
}

impl std::error::Error for ChunkingError {}

/// How a blob is cut into chunks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chunking {
    /// Every `size` bytes, the last chunk shorter.
    Fixed {
        /// Bytes per chunk.
        size: usize,
    },
    /// Where a Gear rolling hash of the last 64 bytes matches a mask, FastCDC-style: no cut
    /// before `min`, a stricter mask before `avg` and a looser one after (normalized chunking),
    /// a forced cut at `max`.
    ContentDefined {
        /// No cut before this many bytes.
        min: usize,
        /// The target mean chunk size, a power of two.
        avg: usize,
        /// A cut at this many bytes at the latest.
        max: usize,
    },
}

// ANCHOR: gear
/// 256 pseudo-random words, one per byte value (splitmix64 from a fixed seed), so every build
/// of the library cuts the same bytes at the same places.
const GEAR: [u64; 256] = {
    let mut table = [0u64; 256];
    let mut state: u64 = 0x5EED_C0DE_CAFE_F00D;
    let mut i = 0;
    while i < 256 {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        table[i] = z ^ (z >> 31);
        i += 1;
    }
    table
};

/// A mask of `bits` ones in the top bits of the hash: after `h = (h << 1) + GEAR[byte]`, the top
/// bits depend on the last 64 bytes only, so a cut depends on local content, not on offsets.
fn top_mask(bits: u32) -> u64 {
    !(u64::MAX >> bits)
}

/// The length of the first chunk of `data` under content-defined chunking.
fn cut_point(data: &[u8], min: usize, avg: usize, max: usize) -> usize {
    if data.len() <= min {
        return data.len();
    }
    let bits = avg.trailing_zeros();
    let strict = top_mask(bits + 2); // before avg: cuts 4x rarer
    let loose = top_mask(bits.saturating_sub(2)); // after avg: cuts 4x likelier
    let end = data.len().min(max);
    let mut hash: u64 = 0;
    for (i, &byte) in data.iter().enumerate().take(end).skip(min) {
        hash = (hash << 1).wrapping_add(GEAR[byte as usize]);
        let mask = if i < avg { strict } else { loose };
        if hash & mask == 0 {
            return i + 1;
        }
    }
    end
}
// ANCHOR_END: gear

impl Chunking {
    /// Fixed-size chunks of `size` bytes.
    ///
    /// ```
    /// use sysdesign::specialized_storage::Chunking;
    /// let fixed = Chunking::fixed(4).unwrap();
    /// assert_eq!(fixed.lengths(b"abcdefghij"), vec![4, 4, 2]);
    /// ```
    pub fn fixed(size: usize) -> Result<Chunking, ChunkingError> {
        if size == 0 {
            return Err(ChunkingError::BadSizes {
                min: 0,
                avg: 0,
                max: 0,
            });
        }
        Ok(Chunking::Fixed { size })
    }

    /// Content-defined chunks between `min` and `max` bytes, about `avg` on average.
    ///
    /// ```
    /// use sysdesign::specialized_storage::Chunking;
    /// let cdc = Chunking::content_defined(1024, 4096, 16384).unwrap();
    /// let data: Vec<u8> = (0..100_000u32).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8).collect();
    /// let lengths = cdc.lengths(&data);
    /// assert_eq!(lengths.iter().sum::<usize>(), data.len());
    /// assert!(lengths[..lengths.len() - 1].iter().all(|&n| (1024..=16384).contains(&n)));
    /// ```
    pub fn content_defined(min: usize, avg: usize, max: usize) -> Result<Chunking, ChunkingError> {
        if min == 0 || min >= avg || avg >= max {
            return Err(ChunkingError::BadSizes { min, avg, max });
        }
        if !avg.is_power_of_two() || avg < 16 {
            return Err(ChunkingError::AvgNotPowerOfTwo(avg));
        }
        Ok(Chunking::ContentDefined { min, avg, max })
    }

    /// The lengths of the chunks `data` is cut into, in order; they sum to `data.len()`.
    pub fn lengths(&self, data: &[u8]) -> Vec<usize> {
        let mut out = Vec::new();
        let mut rest = data;
        while !rest.is_empty() {
            let n = match *self {
                Chunking::Fixed { size } => size.min(rest.len()),
                Chunking::ContentDefined { min, avg, max } => cut_point(rest, min, avg, max),
            };
            out.push(n);
            rest = &rest[n..];
        }
        out
    }

    /// The chunks themselves.
    pub fn chunks<'a>(&self, data: &'a [u8]) -> Vec<&'a [u8]> {
        let mut at = 0;
        self.lengths(data)
            .into_iter()
            .map(|n| {
                let chunk = &data[at..at + n];
                at += n;
                chunk
            })
            .collect()
    }

    /// A short name for tables.
    pub fn label(&self) -> String {
        match *self {
            Chunking::Fixed { size } => format!("fixed {} KiB", size / 1024),
            Chunking::ContentDefined { avg, .. } => format!("content-defined ~{} KiB", avg / 1024),
        }
    }
}

/// A blob's recipe: the fingerprints of its chunks, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// The chunks' fingerprints.
    pub chunks: Vec<Fingerprint>,
    /// The blob's length in bytes.
    pub len: usize,
}

/// A chunk named in a manifest is not in the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingChunk(pub Fingerprint);

impl fmt::Display for MissingChunk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "chunk {} is not in the store", hex(&self.0[..8]))
    }
}

impl std::error::Error for MissingChunk {}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// ANCHOR: store
/// A content-addressed chunk store: each distinct chunk is kept once, under its fingerprint;
/// a blob is a manifest of fingerprints (in a real system the manifest goes to a metadata
/// database and the chunks to the blob store).
///
/// ```
/// use sysdesign::specialized_storage::{ChunkStore, Chunking};
/// let mut store = ChunkStore::new(Chunking::fixed(4).unwrap());
/// let a = store.put(b"abcdabcdabcd");
/// assert_eq!(store.stored_bytes(), 4); // one distinct chunk
/// assert_eq!(store.get(&a).unwrap(), b"abcdabcdabcd");
/// ```
#[derive(Clone, Debug)]
pub struct ChunkStore {
    chunking: Chunking,
    chunks: HashMap<Fingerprint, Vec<u8>>,
    logical_bytes: usize,
    chunk_refs: usize,
}

impl ChunkStore {
    /// An empty store that cuts blobs with `chunking`.
    pub fn new(chunking: Chunking) -> ChunkStore {
        ChunkStore {
            chunking,
            chunks: HashMap::new(),
            logical_bytes: 0,
            chunk_refs: 0,
        }
    }

    /// Stores a blob: only its chunks the store has not seen are written.
    pub fn put(&mut self, blob: &[u8]) -> Manifest {
        let mut manifest = Manifest {
            chunks: Vec::new(),
            len: blob.len(),
        };
        for chunk in self.chunking.chunks(blob) {
            let name = fingerprint(chunk);
            self.chunks.entry(name).or_insert_with(|| chunk.to_vec());
            manifest.chunks.push(name);
        }
        self.logical_bytes += blob.len();
        self.chunk_refs += manifest.chunks.len();
        manifest
    }

    /// Reassembles a blob from its manifest.
    pub fn get(&self, manifest: &Manifest) -> Result<Vec<u8>, MissingChunk> {
        let mut out = Vec::with_capacity(manifest.len);
        for name in &manifest.chunks {
            let chunk = self.chunks.get(name).ok_or(MissingChunk(*name))?;
            out.extend_from_slice(chunk);
        }
        Ok(out)
    }
    // ANCHOR_END: store

    /// Whether a chunk of this name is held: the question a sync client asks before uploading.
    ///
    /// ```
    /// use sysdesign::specialized_storage::{ChunkStore, Chunking, fingerprint};
    /// let mut store = ChunkStore::new(Chunking::fixed(4).unwrap());
    /// assert!(!store.contains(&fingerprint(b"abcd")));
    /// store.put_chunk(b"abcd");
    /// assert!(store.contains(&fingerprint(b"abcd")));
    /// ```
    pub fn contains(&self, name: &Fingerprint) -> bool {
        self.chunks.contains_key(name)
    }

    /// Stores one chunk a client has already cut, under its fingerprint, once; returns the
    /// fingerprint. Unlike [`ChunkStore::put`] it counts no blob, so only
    /// [`ChunkStore::stored_bytes`] and [`ChunkStore::distinct_chunks`] change.
    pub fn put_chunk(&mut self, chunk: &[u8]) -> Fingerprint {
        let name = fingerprint(chunk);
        self.chunks.entry(name).or_insert_with(|| chunk.to_vec());
        name
    }

    /// Bytes of the distinct chunks held.
    pub fn stored_bytes(&self) -> usize {
        self.chunks.values().map(Vec::len).sum()
    }

    /// Bytes of every blob put, counted as often as it was put.
    pub fn logical_bytes(&self) -> usize {
        self.logical_bytes
    }

    /// Distinct chunks held.
    pub fn distinct_chunks(&self) -> usize {
        self.chunks.len()
    }

    /// Chunks referenced by all manifests together.
    pub fn chunk_refs(&self) -> usize {
        self.chunk_refs
    }
}

/// One kind of small edit made between versions of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Overwrite a few bytes in place: no byte moves.
    Overwrite,
    /// Insert a few bytes: everything after moves right.
    Insert,
    /// Delete a few bytes: everything after moves left.
    Delete,
}

/// `versions` versions of a seeded file of `size` random bytes, each made from the one before
/// with `edits_per_version` edits of `kind`, each of 1 to 64 bytes at a random place.
///
/// ```
/// use sysdesign::specialized_storage::{Edit, edited_versions};
/// let v = edited_versions(10_000, 3, 2, Edit::Overwrite, 1);
/// assert_eq!(v.len(), 3);
/// assert!(v.iter().all(|f| f.len() == 10_000));
/// ```
pub fn edited_versions(
    size: usize,
    versions: usize,
    edits_per_version: usize,
    kind: Edit,
    seed: u64,
) -> Vec<Vec<u8>> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut file: Vec<u8> = (0..size).map(|_| rng.random::<u8>()).collect();
    let mut out = Vec::with_capacity(versions);
    for v in 0..versions {
        if v > 0 {
            for _ in 0..edits_per_version {
                let n = rng.random_range(1..=64usize);
                let at = rng.random_range(0..=file.len().saturating_sub(n));
                let bytes: Vec<u8> = (0..n).map(|_| rng.random::<u8>()).collect();
                match kind {
                    Edit::Overwrite => file[at..at + n].copy_from_slice(&bytes),
                    Edit::Insert => {
                        file.splice(at..at, bytes);
                    }
                    Edit::Delete => {
                        file.drain(at..at + n);
                    }
                }
            }
        }
        out.push(file.clone());
    }
    out
}

/// What storing several versions cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DedupReport {
    /// Bytes of all versions together.
    pub logical_bytes: usize,
    /// Bytes of distinct chunks stored.
    pub stored_bytes: usize,
    /// Distinct chunks.
    pub distinct_chunks: usize,
    /// Mean chunk length over all chunk references.
    pub mean_chunk: f64,
}

/// Puts every version into a fresh store that uses `chunking` and reports the cost.
pub fn dedup(versions: &[Vec<u8>], chunking: Chunking) -> DedupReport {
    let mut store = ChunkStore::new(chunking);
    for v in versions {
        store.put(v);
    }
    DedupReport {
        logical_bytes: store.logical_bytes(),
        stored_bytes: store.stored_bytes(),
        distinct_chunks: store.distinct_chunks(),
        mean_chunk: store.logical_bytes() as f64 / store.chunk_refs().max(1) as f64,
    }
}
