//! A partitioned, append-only log with offsets, and consumer groups that share its partitions.

use std::collections::BTreeMap;
use std::fmt;

use crate::hashing::stable_hash;

/// One record of the log, where it sits and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// The partition that holds it.
    pub partition: usize,
    /// Its position in that partition, from 0.
    pub offset: u64,
    /// The key that chose the partition.
    pub key: String,
    /// The payload.
    pub value: String,
}

// ANCHOR: log
/// A topic split into partitions, each an append-only list of records. A record's key picks
/// its partition (`hash(key) % partitions`), so records with one key stay in order; records
/// are never removed by reading, and any reader may start at any offset.
///
/// ```
/// use sysdesign::messaging::PartitionedLog;
///
/// let mut log = PartitionedLog::new(3);
/// let (p, first) = log.append("user-7", "login");
/// let (q, second) = log.append("user-7", "logout");
/// assert_eq!(p, q); // one key, one partition
/// assert_eq!(second, first + 1);
/// assert_eq!(log.read(p, first, 10).len(), 2); // reading removes nothing
/// assert_eq!(log.read(p, first, 10).len(), 2);
/// ```
#[derive(Clone, Debug, Default)]
pub struct PartitionedLog {
    partitions: Vec<Vec<Record>>,
}

impl PartitionedLog {
    /// A log of `partitions` empty partitions (at least one).
    pub fn new(partitions: usize) -> Self {
        PartitionedLog {
            partitions: vec![Vec::new(); partitions.max(1)],
        }
    }

    /// The partition records with `key` go to.
    pub fn partition_for(&self, key: &str) -> usize {
        (stable_hash(key.as_bytes()) % self.partitions.len() as u64) as usize
    }

    /// Appends a record and returns its partition and offset.
    pub fn append(&mut self, key: &str, value: &str) -> (usize, u64) {
        let partition = self.partition_for(key);
        let records = &mut self.partitions[partition];
        let offset = records.len() as u64;
        records.push(Record {
            partition,
            offset,
            key: key.to_string(),
            value: value.to_string(),
        });
        (partition, offset)
    }

    /// Up to `max` records of `partition` from `offset` on (none past the end).
    pub fn read(&self, partition: usize, offset: u64, max: usize) -> &[Record] {
        let records = self
            .partitions
            .get(partition)
            .map_or(&[][..], Vec::as_slice);
        let start = (offset as usize).min(records.len());
        let end = start.saturating_add(max).min(records.len());
        &records[start..end]
    }
    // ANCHOR_END: log

    /// How many partitions the log has.
    pub fn partitions(&self) -> usize {
        self.partitions.len()
    }

    /// The offset the next record of `partition` will get (its length).
    pub fn end_offset(&self, partition: usize) -> u64 {
        self.partitions.get(partition).map_or(0, |p| p.len() as u64)
    }
}

/// Why a consumer group refused a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupError {
    /// The member is not in the group.
    UnknownMember(String),
    /// The member is already in the group.
    AlreadyMember(String),
}

impl fmt::Display for GroupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupError::UnknownMember(m) => write!(f, "{m:?} is not a member of the group"),
            GroupError::AlreadyMember(m) => write!(f, "{m:?} is already a member of the group"),
        }
    }
}

impl std::error::Error for GroupError {}

// ANCHOR: group
/// Consumers that share a log's partitions: each partition belongs to exactly one member at a
/// time, so the members split the work, and each group keeps its own committed offsets, so
/// every group sees every record. When a member joins or leaves, partitions are reassigned
/// and each partition's new owner resumes at the group's *committed* offset: records read but
/// not committed are read again.
///
/// ```
/// use sysdesign::messaging::{ConsumerGroup, PartitionedLog};
///
/// let mut log = PartitionedLog::new(2);
/// for i in 0..6 {
///     log.append(&format!("k{i}"), "v");
/// }
/// let mut group = ConsumerGroup::new(log.partitions());
/// group.join("a")?;
/// assert_eq!(group.poll(&log, "a", 100)?.len(), 6); // alone, it owns both partitions
/// group.join("b")?; // rebalance: nothing was committed, so everything is owed again
/// let (a, b) = (group.poll(&log, "a", 100)?, group.poll(&log, "b", 100)?);
/// assert_eq!(a.len() + b.len(), 6);
/// group.commit("a")?;
/// group.commit("b")?;
/// assert_eq!(group.lag(&log), 0);
/// # Ok::<(), sysdesign::messaging::GroupError>(())
/// ```
#[derive(Clone, Debug)]
pub struct ConsumerGroup {
    members: Vec<String>,
    owner: Vec<Option<String>>,
    position: Vec<u64>,
    committed: Vec<u64>,
}

impl ConsumerGroup {
    /// A group with no members for a log of `partitions` partitions, every offset at 0.
    pub fn new(partitions: usize) -> Self {
        let partitions = partitions.max(1);
        ConsumerGroup {
            members: Vec::new(),
            owner: vec![None; partitions],
            position: vec![0; partitions],
            committed: vec![0; partitions],
        }
    }

    /// Adds `member` and rebalances.
    ///
    /// # Errors
    /// [`GroupError::AlreadyMember`] when it is in the group already.
    pub fn join(&mut self, member: &str) -> Result<(), GroupError> {
        if self.members.iter().any(|m| m == member) {
            return Err(GroupError::AlreadyMember(member.to_string()));
        }
        self.members.push(member.to_string());
        self.rebalance();
        Ok(())
    }

    /// Removes `member` (it left, or stopped sending heartbeats) and rebalances.
    ///
    /// # Errors
    /// [`GroupError::UnknownMember`] when it is not in the group.
    pub fn leave(&mut self, member: &str) -> Result<(), GroupError> {
        let before = self.members.len();
        self.members.retain(|m| m != member);
        if self.members.len() == before {
            return Err(GroupError::UnknownMember(member.to_string()));
        }
        self.rebalance();
        Ok(())
    }

    /// Round-robin over the members in sorted order; every partition restarts at its
    /// committed offset, whoever owned it before.
    fn rebalance(&mut self) {
        self.members.sort();
        for partition in 0..self.owner.len() {
            self.owner[partition] = match self.members.len() {
                0 => None,
                n => Some(self.members[partition % n].clone()),
            };
            self.position[partition] = self.committed[partition];
        }
    }

    /// Reads up to `max` records from each partition `member` owns, advancing its positions.
    ///
    /// # Errors
    /// [`GroupError::UnknownMember`] when `member` is not in the group.
    pub fn poll(
        &mut self,
        log: &PartitionedLog,
        member: &str,
        max: usize,
    ) -> Result<Vec<Record>, GroupError> {
        let mut records = Vec::new();
        for partition in self.assignment(member)? {
            let batch = log.read(partition, self.position[partition], max);
            self.position[partition] += batch.len() as u64;
            records.extend_from_slice(batch);
        }
        Ok(records)
    }

    /// Records `member`'s positions as the group's committed offsets for its partitions.
    ///
    /// # Errors
    /// [`GroupError::UnknownMember`] when `member` is not in the group.
    pub fn commit(&mut self, member: &str) -> Result<(), GroupError> {
        for partition in self.assignment(member)? {
            self.committed[partition] = self.position[partition];
        }
        Ok(())
    }
    // ANCHOR_END: group

    /// The partitions `member` owns, in order.
    ///
    /// # Errors
    /// [`GroupError::UnknownMember`] when `member` is not in the group.
    pub fn assignment(&self, member: &str) -> Result<Vec<usize>, GroupError> {
        if !self.members.iter().any(|m| m == member) {
            return Err(GroupError::UnknownMember(member.to_string()));
        }
        Ok((0..self.owner.len())
            .filter(|&p| self.owner[p].as_deref() == Some(member))
            .collect())
    }

    /// Moves the group's committed offset (and position) of `partition` to `offset`, to
    /// replay history or skip it.
    pub fn seek(&mut self, partition: usize, offset: u64) {
        if partition < self.committed.len() {
            self.committed[partition] = offset;
            self.position[partition] = offset;
        }
    }

    /// The committed offset of each partition.
    pub fn committed(&self) -> &[u64] {
        &self.committed
    }

    /// Records not yet committed, over all partitions: how far the group is behind.
    pub fn lag(&self, log: &PartitionedLog) -> u64 {
        (0..self.committed.len())
            .map(|p| log.end_offset(p).saturating_sub(self.committed[p]))
            .sum()
    }

    /// Each member and the partitions it owns.
    pub fn assignments(&self) -> BTreeMap<String, Vec<usize>> {
        self.members
            .iter()
            .map(|m| (m.clone(), self.assignment(m).unwrap_or_default()))
            .collect()
    }
}
