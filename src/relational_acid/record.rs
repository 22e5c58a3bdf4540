//! The log's records, each carried in one frame (see [`super::frame`]).
//!
//! The payload is one byte of kind (put, delete, commit), the 8-byte transaction id, and for a put
//! or a delete the key (and value), each prefixed by its 4-byte length; a commit record carries
//! the number of put and delete records of its transaction.
//! A transaction is its puts and deletes followed by one commit record; only the commit record
//! makes it count, and only if the log holds as many of the transaction's records as it names:
//! that count is what lets a repair prove a transaction intact when damage lies inside it.

pub use super::frame::{Damage, FRAME_HEADER as HEADER_LEN, MAX_PAYLOAD};
use super::frame::{Frame, read_frame, write_frame};

/// One record of the write-ahead log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// Transaction `tx` sets `key` to `value`.
    Put {
        /// The transaction this write belongs to.
        tx: u64,
        /// The key written.
        key: Vec<u8>,
        /// The value written.
        value: Vec<u8>,
    },
    /// Transaction `tx` removes `key`.
    Delete {
        /// The transaction this write belongs to.
        tx: u64,
        /// The key removed.
        key: Vec<u8>,
    },
    /// Transaction `tx` is committed: its puts and deletes take effect together.
    Commit {
        /// The transaction that commits.
        tx: u64,
        /// How many put and delete records the transaction wrote before this one.
        records: u32,
    },
}

const PUT: u8 = 1;
const DELETE: u8 = 2;
const COMMIT: u8 = 3;

// ANCHOR: encode
impl Record {
    /// The payload bytes this record needs: a caller checks them against [`MAX_PAYLOAD`].
    pub fn payload_len(&self) -> usize {
        match self {
            Record::Put { key, value, .. } => 1 + 8 + 4 + key.len() + 4 + value.len(),
            Record::Delete { key, .. } => 1 + 8 + 4 + key.len(),
            Record::Commit { .. } => 1 + 8 + 4,
        }
    }

    /// Appends this record's frame to `out`, whose first byte sits at file offset `base`.
    ///
    /// # Panics
    ///
    /// If the payload is larger than [`MAX_PAYLOAD`]; the store refuses such a write with
    /// [`WalError::TooLarge`](super::WalError::TooLarge) before it encodes anything.
    ///
    /// ```
    /// use sysdesign::relational_acid::record::{decode, Decoded, Record};
    ///
    /// let mut log = Vec::new();
    /// Record::Commit { tx: 7, records: 2 }.encode_into(&mut log, 0);
    /// assert_eq!(decode(&log, 0), Decoded::Record(Record::Commit { tx: 7, records: 2 }, log.len()));
    /// ```
    pub fn encode_into(&self, out: &mut Vec<u8>, base: u64) {
        let mut payload = Vec::with_capacity(self.payload_len());
        match self {
            Record::Put { tx, key, value } => {
                payload.push(PUT);
                payload.extend_from_slice(&tx.to_le_bytes());
                put_bytes(&mut payload, key);
                put_bytes(&mut payload, value);
            }
            Record::Delete { tx, key } => {
                payload.push(DELETE);
                payload.extend_from_slice(&tx.to_le_bytes());
                put_bytes(&mut payload, key);
            }
            Record::Commit { tx, records } => {
                payload.push(COMMIT);
                payload.extend_from_slice(&tx.to_le_bytes());
                payload.extend_from_slice(&records.to_le_bytes());
            }
        }
        write_frame(out, base, &payload);
    }
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    // Within MAX_PAYLOAD, as the caller checked, so the length fits in 32 bits.
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}
// ANCHOR_END: encode

/// What [`decode`] found at an offset of the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decoded {
    /// A whole, intact record and the number of bytes its frame took.
    Record(Record, usize),
    /// The log ends cleanly here.
    End,
    /// The log ends inside a frame whose visible part is intact: a write cut short (a torn tail).
    Torn,
    /// Bytes that are not an intact record.
    Corrupt(Damage),
}

// ANCHOR: decode
/// Reads the record framed at offset `at` of `log`, checking its frame and its payload.
///
/// ```
/// use sysdesign::relational_acid::record::{decode, Decoded, Record};
///
/// let mut log = Vec::new();
/// Record::Put { tx: 1, key: b"k".to_vec(), value: b"v".to_vec() }.encode_into(&mut log, 0);
/// // Cut short: torn. One byte flipped: corrupt.
/// assert_eq!(decode(&log[..log.len() - 1], 0), Decoded::Torn);
/// log[20] ^= 0xff;
/// assert!(matches!(decode(&log, 0), Decoded::Corrupt(_)));
/// ```
pub fn decode(log: &[u8], at: usize) -> Decoded {
    match read_frame(log, at) {
        Frame::End => Decoded::End,
        Frame::Torn => Decoded::Torn,
        Frame::Damaged(damage) => Decoded::Corrupt(damage),
        Frame::Whole { payload, len } => match parse_payload(payload) {
            Ok(record) => Decoded::Record(record, len),
            Err(why) => Decoded::Corrupt(Damage::Payload(why)),
        },
    }
}
// ANCHOR_END: decode

fn parse_payload(payload: &[u8]) -> Result<Record, String> {
    let mut cursor = Cursor { rest: payload };
    let kind = cursor.take(1)?[0];
    let tx = u64::from_le_bytes(cursor.take(8)?.try_into().expect("8 bytes"));
    let record = match kind {
        PUT => {
            let key = cursor.take_prefixed()?;
            let value = cursor.take_prefixed()?;
            Record::Put { tx, key, value }
        }
        DELETE => Record::Delete {
            tx,
            key: cursor.take_prefixed()?,
        },
        COMMIT => Record::Commit {
            tx,
            records: u32::from_le_bytes(cursor.take(4)?.try_into().expect("4 bytes")),
        },
        other => return Err(format!("unknown record kind {other}")),
    };
    if cursor.rest.is_empty() {
        Ok(record)
    } else {
        Err(format!("{} bytes left after the record", cursor.rest.len()))
    }
}

struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.rest.len() < n {
            return Err(format!("needs {n} bytes, {} left", self.rest.len()));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    fn take_prefixed(&mut self) -> Result<Vec<u8>, String> {
        let len = u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")) as usize;
        Ok(self.take(len)?.to_vec())
    }
}
