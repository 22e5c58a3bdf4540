//! A transaction being built, and the sizes a commit checks before it writes anything.

use super::super::frame::MAX_PAYLOAD;
use super::super::log_file::LogFile;
use super::{Op, WalError, WalStore};

/// Refuses a record the format cannot hold: a payload over [`MAX_PAYLOAD`], or a transaction of
/// more than `u32::MAX` operations (its commit record counts them in 32 bits).
pub(super) fn check_sizes(transactions: &[Vec<Op>]) -> Result<(), WalError> {
    for ops in transactions {
        if u32::try_from(ops.len()).is_err() {
            let (what, len, limit) = (
                "operations in one transaction",
                ops.len(),
                u32::MAX as usize,
            );
            return Err(WalError::TooLarge { what, len, limit });
        }
        for op in ops {
            let (what, len) = match op {
                Op::Put(key, value) => ("key and value of a put", key.len() + value.len()),
                Op::Delete(key) => ("key of a delete", key.len()),
            };
            if len > MAX_PAYLOAD - 32 {
                let limit = MAX_PAYLOAD - 32;
                return Err(WalError::TooLarge { what, len, limit });
            }
        }
    }
    Ok(())
}

/// A transaction being built: puts and deletes that become visible together at commit.
#[derive(Debug)]
pub struct Transaction<'s, L: LogFile> {
    pub(super) store: &'s mut WalStore<L>,
    pub(super) ops: Vec<Op>,
}

impl<L: LogFile> Transaction<'_, L> {
    /// Sets `key` to `value` when the transaction commits.
    pub fn put(&mut self, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> &mut Self {
        let op = Op::Put(key.as_ref().to_vec(), value.as_ref().to_vec());
        self.ops.push(op);
        self
    }

    /// Removes `key` when the transaction commits.
    pub fn delete(&mut self, key: impl AsRef<[u8]>) -> &mut Self {
        self.ops.push(Op::Delete(key.as_ref().to_vec()));
        self
    }

    /// Writes the transaction to the log, `fsync`s, applies it, and returns its id.
    /// On an error nothing is applied, and the store is poisoned.
    pub fn commit(&mut self) -> Result<u64, WalError> {
        let ops = std::mem::take(&mut self.ops);
        self.store.commit(ops)
    }
}
