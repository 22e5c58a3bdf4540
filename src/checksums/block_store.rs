//! A replicated block store that checks every read: each block is kept with its checksum on
//! every replica, a read verifies the copy it gets, falls back to the next replica when the copy
//! is damaged, and rewrites the damaged copies from the good one (read repair).
//!
//! The checksum is computed once, by the writer, and stored beside the data; a replica never
//! recomputes it on its own, because a replica that did would bless whatever its disk returned.
//! A damaged checksum looks like damaged data (they no longer match) and is repaired the same way.
//!
//! ```
//! use sysdesign::checksums::Algorithm;
//! use sysdesign::checksums::block_store::BlockStore;
//!
//! let mut store = BlockStore::new(3, Algorithm::Crc32)?;
//! store.put(7, b"hello".to_vec());
//! store.flip_bit(0, 7, 3)?;
//! let read = store.read(7, 0)?;
//! assert_eq!((read.data.as_slice(), read.served_by), (&b"hello"[..], 1));
//! assert_eq!((read.corrupt.as_slice(), read.repaired.as_slice()), (&[0][..], &[0][..]));
//! assert!(store.read(7, 0)?.corrupt.is_empty());
//! # Ok::<(), sysdesign::checksums::block_store::StoreError>(())
//! ```

use super::{Algorithm, Sum};
use std::collections::HashMap;
use std::fmt;

/// A block's identifier.
pub type BlockId = u64;

/// What a replica holds for one block: the bytes and the checksum the writer computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredBlock {
    /// The block's bytes as this replica holds them.
    pub data: Vec<u8>,
    /// The checksum stored beside them.
    pub sum: Sum,
}

/// Errors from the store, each naming what was asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// A store needs at least one replica.
    NoReplicas,
    /// No replica with this index.
    NoSuchReplica {
        /// The index asked for.
        replica: usize,
        /// How many replicas the store has.
        replicas: usize,
    },
    /// No replica holds this block.
    NotFound(BlockId),
    /// The bit to flip lies past the end of the block.
    BitOutOfRange {
        /// The bit asked for.
        bit: usize,
        /// The block's length in bits.
        bits: usize,
    },
    /// Every copy failed its checksum: the read returns an error, never damaged bytes.
    AllCopiesCorrupt(BlockId),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::NoReplicas => write!(f, "replicas = 0: a store needs at least 1"),
            StoreError::NoSuchReplica { replica, replicas } => {
                write!(
                    f,
                    "replica {replica} does not exist (the store has {replicas})"
                )
            }
            StoreError::NotFound(id) => write!(f, "block {id} not found"),
            StoreError::BitOutOfRange { bit, bits } => {
                write!(f, "bit {bit} is past the end of a {bits}-bit block")
            }
            StoreError::AllCopiesCorrupt(id) => {
                write!(f, "block {id}: every copy fails its checksum")
            }
        }
    }
}

impl std::error::Error for StoreError {}

/// What one read did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Read {
    /// The verified bytes.
    pub data: Vec<u8>,
    /// The replica whose copy was served.
    pub served_by: usize,
    /// Replicas whose copy failed its checksum, in the order they were tried.
    pub corrupt: Vec<usize>,
    /// Replicas rewritten from the good copy (the corrupt ones, and any that lacked the block).
    pub repaired: Vec<usize>,
}

/// N replicas, each a map from block id to a [`StoredBlock`].
#[derive(Clone, Debug)]
pub struct BlockStore {
    algorithm: Algorithm,
    replicas: Vec<HashMap<BlockId, StoredBlock>>,
}

// ANCHOR: read
impl BlockStore {
    /// A store of `replicas` empty replicas that checksums with `algorithm`.
    ///
    /// ```
    /// use sysdesign::checksums::{Algorithm, block_store::{BlockStore, StoreError}};
    /// assert_eq!(BlockStore::new(0, Algorithm::Crc32).err(), Some(StoreError::NoReplicas));
    /// ```
    pub fn new(replicas: usize, algorithm: Algorithm) -> Result<Self, StoreError> {
        if replicas == 0 {
            return Err(StoreError::NoReplicas);
        }
        Ok(Self {
            algorithm,
            replicas: vec![HashMap::new(); replicas],
        })
    }

    /// Writes `data` to every replica, with its checksum computed once here.
    ///
    /// ```
    /// # use sysdesign::checksums::{Algorithm, block_store::BlockStore};
    /// let mut store = BlockStore::new(2, Algorithm::Sha256)?;
    /// store.put(1, b"x".to_vec());
    /// assert_eq!(store.read(1, 1)?.data, b"x");
    /// # Ok::<(), sysdesign::checksums::block_store::StoreError>(())
    /// ```
    pub fn put(&mut self, id: BlockId, data: Vec<u8>) {
        let block = StoredBlock {
            sum: self.algorithm.sum(&data),
            data,
        };
        for replica in &mut self.replicas {
            replica.insert(id, block.clone());
        }
    }

    /// Reads block `id`, trying replica `first`, then the next ones in turn; serves the first
    /// copy whose checksum matches, and repairs the copies that failed or were missing.
    ///
    /// ```
    /// # use sysdesign::checksums::{Algorithm, block_store::{BlockStore, StoreError}};
    /// let mut store = BlockStore::new(1, Algorithm::Crc32)?;
    /// store.put(1, vec![0xff]);
    /// store.flip_bit(0, 1, 0)?;
    /// assert_eq!(store.read(1, 0), Err(StoreError::AllCopiesCorrupt(1)));
    /// # Ok::<(), StoreError>(())
    /// ```
    pub fn read(&mut self, id: BlockId, first: usize) -> Result<Read, StoreError> {
        let n = self.check_replica(first)?;
        let order = (0..n).map(|k| (first + k) % n);
        let (mut corrupt, mut missing, mut good) = (Vec::new(), Vec::new(), None);
        for replica in order {
            match self.replicas[replica].get(&id) {
                None => missing.push(replica),
                Some(block) if block.sum.verify(&block.data) => {
                    good = Some((replica, block.clone()));
                    break;
                }
                Some(_) => corrupt.push(replica),
            }
        }
        let Some((served_by, block)) = good else {
            return Err(if corrupt.is_empty() {
                StoreError::NotFound(id)
            } else {
                StoreError::AllCopiesCorrupt(id)
            });
        };
        let mut repaired: Vec<usize> = corrupt.iter().chain(&missing).copied().collect();
        repaired.sort_unstable();
        for &replica in &repaired {
            self.replicas[replica].insert(id, block.clone());
        }
        Ok(Read {
            data: block.data,
            served_by,
            corrupt,
            repaired,
        })
    }
    // ANCHOR_END: read

    /// Flips bit `bit` of replica `replica`'s copy of block `id` (bit 0 is the lowest bit of the
    /// first byte), leaving its stored checksum alone: what a bad sector or a cosmic ray does.
    ///
    /// ```
    /// # use sysdesign::checksums::{Algorithm, block_store::{BlockStore, StoreError}};
    /// let mut store = BlockStore::new(3, Algorithm::Crc32)?;
    /// store.put(1, vec![0]);
    /// assert_eq!(store.flip_bit(0, 1, 8), Err(StoreError::BitOutOfRange { bit: 8, bits: 8 }));
    /// # Ok::<(), StoreError>(())
    /// ```
    pub fn flip_bit(&mut self, replica: usize, id: BlockId, bit: usize) -> Result<(), StoreError> {
        let block = self.block_mut(replica, id)?;
        let bits = block.data.len() * 8;
        let byte = block
            .data
            .get_mut(bit / 8)
            .ok_or(StoreError::BitOutOfRange { bit, bits })?;
        *byte ^= 1 << (bit % 8);
        Ok(())
    }

    /// Replaces replica `replica`'s copy of block `id` with `data` and, when `recompute_sum`, a
    /// checksum recomputed over it: what a malicious or buggy writer with access to one replica
    /// can do. A recomputed checksum makes the bad copy verify.
    ///
    /// ```
    /// # use sysdesign::checksums::{Algorithm, block_store::{BlockStore, StoreError}};
    /// let mut store = BlockStore::new(3, Algorithm::Sha256)?;
    /// store.put(1, b"good".to_vec());
    /// store.overwrite(0, 1, b"evil".to_vec(), true)?;
    /// assert_eq!(store.read(1, 0)?.data, b"evil");
    /// # Ok::<(), StoreError>(())
    /// ```
    pub fn overwrite(
        &mut self,
        replica: usize,
        id: BlockId,
        data: Vec<u8>,
        recompute_sum: bool,
    ) -> Result<(), StoreError> {
        let algorithm = self.algorithm;
        let block = self.block_mut(replica, id)?;
        if recompute_sum {
            block.sum = algorithm.sum(&data);
        }
        block.data = data;
        Ok(())
    }

    /// What replica `replica` holds for block `id`, if anything.
    ///
    /// ```
    /// # use sysdesign::checksums::{Algorithm, block_store::BlockStore};
    /// let store = BlockStore::new(3, Algorithm::Crc32)?;
    /// assert!(store.stored(2, 9).is_none());
    /// # Ok::<(), sysdesign::checksums::block_store::StoreError>(())
    /// ```
    pub fn stored(&self, replica: usize, id: BlockId) -> Option<&StoredBlock> {
        self.replicas.get(replica)?.get(&id)
    }

    fn check_replica(&self, replica: usize) -> Result<usize, StoreError> {
        let replicas = self.replicas.len();
        if replica < replicas {
            Ok(replicas)
        } else {
            Err(StoreError::NoSuchReplica { replica, replicas })
        }
    }

    fn block_mut(&mut self, replica: usize, id: BlockId) -> Result<&mut StoredBlock, StoreError> {
        self.check_replica(replica)?;
        self.replicas[replica]
            .get_mut(&id)
            .ok_or(StoreError::NotFound(id))
    }
}
