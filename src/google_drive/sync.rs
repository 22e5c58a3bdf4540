//! The sync protocol: a device cuts a file into chunks, asks which chunks the service lacks,
//! uploads those through pre-signed URLs, then commits the file's manifest with the version it
//! started from.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use crate::specialized_storage::blob::hex;
use crate::specialized_storage::{
    ChunkStore, Chunking, Fingerprint, Manifest, PresignError, UrlSigner, fingerprint,
};

/// The longest a chunk upload URL lives, in seconds.
pub const UPLOAD_URL_LIFETIME_S: u64 = 15 * 60;

/// Bytes a manifest costs on the wire: a 32-byte fingerprint per chunk and an 8-byte length.
pub fn manifest_bytes(manifest: &Manifest) -> usize {
    manifest.chunks.len() * 32 + 8
}

/// Why a sync step was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DriveError {
    /// The file changed on the service since the device last synced it.
    Conflict {
        /// The file.
        path: String,
        /// The version the device's edit started from (0: the device never had the file).
        base: u64,
        /// The version the service holds now.
        current: u64,
    },
    /// A commit names chunks the service does not hold.
    MissingChunks {
        /// The file.
        path: String,
        /// How many of its chunks are missing.
        missing: usize,
    },
    /// A chunk upload's URL was refused by the blob store.
    Upload(PresignError),
    /// The bytes uploaded do not hash to the chunk name the URL was issued for.
    WrongContent {
        /// The name in the URL (first 8 bytes, in hex).
        expected: String,
    },
    /// No file at this path.
    NotFound(String),
}

impl fmt::Display for DriveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DriveError::Conflict {
                path,
                base,
                current,
            } => write!(
                f,
                "conflict on {path}: the edit started from version {base}, the service has version {current}"
            ),
            DriveError::MissingChunks { path, missing } => {
                write!(
                    f,
                    "{path} names {missing} chunk(s) the service does not hold"
                )
            }
            DriveError::Upload(e) => write!(f, "upload refused: {e}"),
            DriveError::WrongContent { expected } => {
                write!(f, "the bytes uploaded are not chunk {expected}")
            }
            DriveError::NotFound(path) => write!(f, "no file at {path}"),
        }
    }
}

impl std::error::Error for DriveError {}

/// A file's latest committed version on the service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    /// 1 for the first commit, one more for each later one.
    pub version: u64,
    /// The chunks the version is made of.
    pub manifest: Manifest,
}

// ANCHOR: server
/// The service: a metadata table (path → version and manifest) and a blob store of chunks
/// named by their SHA-256, reached only through URLs the service signs.
///
/// ```
/// use sysdesign::google_drive::{Device, DriveServer};
/// use sysdesign::specialized_storage::Chunking;
///
/// let chunking = Chunking::content_defined(1024, 4096, 32768).unwrap();
/// let mut drive = DriveServer::new(b"service key", chunking);
/// let mut laptop = Device::new("laptop", chunking);
/// let doc = vec![7u8; 10_000];
/// let first = laptop.save(&mut drive, "/doc", &doc, 0).unwrap();
/// assert_eq!(first.version, 1);
/// assert_eq!(drive.download("/doc").unwrap(), doc);
/// ```
#[derive(Debug)]
pub struct DriveServer {
    chunking: Chunking,
    blobs: ChunkStore,
    files: BTreeMap<String, FileEntry>,
    signer: UrlSigner,
}

impl DriveServer {
    /// An empty service that signs upload URLs with `key` and asks clients to cut files with
    /// `chunking` (clients must agree on the cuts for their chunks to match).
    pub fn new(key: &[u8], chunking: Chunking) -> DriveServer {
        DriveServer {
            chunking,
            blobs: ChunkStore::new(chunking),
            files: BTreeMap::new(),
            signer: UrlSigner::new(key, UPLOAD_URL_LIFETIME_S),
        }
    }

    /// The chunking clients use.
    pub fn chunking(&self) -> Chunking {
        self.chunking
    }

    /// Step 1: of the chunks named, the ones the blob store lacks, each once, in order.
    pub fn missing(&self, chunks: &[Fingerprint]) -> Vec<Fingerprint> {
        let mut seen = HashSet::new();
        chunks
            .iter()
            .filter(|name| !self.blobs.contains(name) && seen.insert(**name))
            .copied()
            .collect()
    }

    /// Step 2: a URL that lets its holder PUT the chunk `name`, for 15 minutes from `now_s`.
    pub fn upload_url(&self, name: &Fingerprint, now_s: u64) -> String {
        self.signer
            .sign(
                "PUT",
                &format!("/chunks/{}", hex(name)),
                now_s,
                UPLOAD_URL_LIFETIME_S,
            )
            .expect("the lifetime is the maximum and a hex path has no reserved character")
    }

    /// Step 3, at the blob store: a PUT of `bytes` on `url` at `now_s`. The signature and the
    /// expiry are checked, then that the bytes are the chunk the URL names.
    pub fn put_chunk(&mut self, url: &str, bytes: &[u8], now_s: u64) -> Result<(), DriveError> {
        self.signer
            .verify("PUT", url, now_s)
            .map_err(DriveError::Upload)?;
        let path = url.split_once('?').map_or(url, |(path, _)| path);
        let expected = path.trim_start_matches("/chunks/");
        if hex(&fingerprint(bytes)) != expected {
            return Err(DriveError::WrongContent {
                expected: expected.chars().take(16).collect(),
            });
        }
        self.blobs.put_chunk(bytes);
        Ok(())
    }

    /// Step 4: makes `manifest` the file's next version if the file is still at `base`
    /// (0 for a file the client believes new), a conditional write on the metadata row.
    pub fn commit(&mut self, path: &str, base: u64, manifest: Manifest) -> Result<u64, DriveError> {
        let current = self.files.get(path).map_or(0, |f| f.version);
        if current != base {
            return Err(DriveError::Conflict {
                path: path.to_string(),
                base,
                current,
            });
        }
        let missing = manifest
            .chunks
            .iter()
            .filter(|name| !self.blobs.contains(name))
            .count();
        if missing > 0 {
            return Err(DriveError::MissingChunks {
                path: path.to_string(),
                missing,
            });
        }
        let version = current + 1;
        self.files
            .insert(path.to_string(), FileEntry { version, manifest });
        Ok(version)
    }
    // ANCHOR_END: server

    /// The latest version of the file at `path`.
    pub fn file(&self, path: &str) -> Option<&FileEntry> {
        self.files.get(path)
    }

    /// The paths held, in order.
    pub fn paths(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }

    /// The bytes of the latest version of `path`.
    pub fn download(&self, path: &str) -> Result<Vec<u8>, DriveError> {
        let entry = self
            .files
            .get(path)
            .ok_or_else(|| DriveError::NotFound(path.to_string()))?;
        self.blobs
            .get(&entry.manifest)
            .map_err(|_| DriveError::MissingChunks {
                path: path.to_string(),
                missing: 1,
            })
    }

    /// Bytes of distinct chunks in the blob store.
    pub fn stored_bytes(&self) -> usize {
        self.blobs.stored_bytes()
    }
}

/// What one save sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Upload {
    /// The version the save committed.
    pub version: u64,
    /// Chunks in the file.
    pub chunks: usize,
    /// Chunks uploaded: the ones the service lacked.
    pub chunks_sent: usize,
    /// Bytes of the chunks uploaded.
    pub chunk_bytes: usize,
    /// Bytes of the manifest sent with the commit.
    pub manifest_bytes: usize,
}

impl Upload {
    /// Everything sent: chunk bytes and manifest.
    pub fn bytes_sent(&self) -> usize {
        self.chunk_bytes + self.manifest_bytes
    }
}

// ANCHOR: device
/// A device that syncs files: it remembers, per path, the version its copy was made from.
#[derive(Clone, Debug)]
pub struct Device {
    name: String,
    chunking: Chunking,
    synced: HashMap<String, u64>,
}

impl Device {
    /// A device called `name` (used to name conflicted copies) cutting files with `chunking`.
    pub fn new(name: &str, chunking: Chunking) -> Device {
        Device {
            name: name.to_string(),
            chunking,
            synced: HashMap::new(),
        }
    }

    /// Saves `contents` as the next version of `path`: uploads only the chunks the service
    /// lacks, then commits on the version this device last synced. A [`DriveError::Conflict`]
    /// means another device committed first; the chunks are uploaded either way.
    pub fn save(
        &mut self,
        server: &mut DriveServer,
        path: &str,
        contents: &[u8],
        now_s: u64,
    ) -> Result<Upload, DriveError> {
        let chunks = self.chunking.chunks(contents);
        let manifest = Manifest {
            chunks: chunks.iter().map(|c| fingerprint(c)).collect(),
            len: contents.len(),
        };
        let missing: HashSet<Fingerprint> = server.missing(&manifest.chunks).into_iter().collect();
        let mut upload = Upload {
            chunks: chunks.len(),
            manifest_bytes: manifest_bytes(&manifest),
            ..Upload::default()
        };
        for (chunk, name) in chunks.iter().zip(&manifest.chunks) {
            if missing.contains(name) && !server.blobs.contains(name) {
                let url = server.upload_url(name, now_s);
                server.put_chunk(&url, chunk, now_s)?;
                upload.chunks_sent += 1;
                upload.chunk_bytes += chunk.len();
            }
        }
        let base = self.synced.get(path).copied().unwrap_or(0);
        upload.version = server.commit(path, base, manifest)?;
        self.synced.insert(path.to_string(), upload.version);
        Ok(upload)
    }
    // ANCHOR_END: device

    /// Saves like [`Device::save`]; on a conflict, keeps both: this device's edit becomes a new
    /// file next to the original, `path (conflicted copy from NAME)`, and the other device's
    /// version stays at `path`. Returns the path written.
    pub fn save_keeping_both(
        &mut self,
        server: &mut DriveServer,
        path: &str,
        contents: &[u8],
        now_s: u64,
    ) -> Result<(String, Upload), DriveError> {
        match self.save(server, path, contents, now_s) {
            Ok(upload) => Ok((path.to_string(), upload)),
            Err(DriveError::Conflict { .. }) => {
                let copy = format!("{path} (conflicted copy from {})", self.name);
                let upload = self.save(server, &copy, contents, now_s)?;
                Ok((copy, upload))
            }
            Err(e) => Err(e),
        }
    }

    /// Downloads the latest version of `path` and remembers it as this device's base.
    pub fn pull(&mut self, server: &DriveServer, path: &str) -> Result<Vec<u8>, DriveError> {
        let bytes = server.download(path)?;
        let version = server.file(path).map_or(0, |f| f.version);
        self.synced.insert(path.to_string(), version);
        Ok(bytes)
    }

    /// The version of `path` this device last synced (0: never).
    pub fn synced_version(&self, path: &str) -> u64 {
        self.synced.get(path).copied().unwrap_or(0)
    }
}
