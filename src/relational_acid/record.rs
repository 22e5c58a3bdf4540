//! The log's records and how they are framed on disk.
//!
//! Every record is a frame: a 4-byte little-endian payload length, a 4-byte CRC-32 (computed by
//! `crc32fast`) over the length *and* the payload, then the payload.
//! The payload is one byte of kind (put, delete, commit), the 8-byte transaction id, and for a put
//! or a delete the key (and value), each prefixed by its 4-byte length.
//! A transaction is its puts and deletes followed by one commit record; only the commit record
//! makes it count.

use std::fmt;

/// Bytes before the payload: the length, then the checksum.
pub const HEADER_LEN: usize = 8;

/// A frame whose length field claims more than this is treated as damage, not as a record:
/// it keeps a flipped bit in a length from asking for gigabytes of memory.
pub const MAX_PAYLOAD: usize = 64 << 20;

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
    },
}

const PUT: u8 = 1;
const DELETE: u8 = 2;
const COMMIT: u8 = 3;

// ANCHOR: encode
impl Record {
    /// Appends this record's frame (length, checksum, payload) to `out`.
    ///
    /// ```
    /// use sysdesign::relational_acid::record::{decode, Decoded, Record};
    ///
    /// let mut log = Vec::new();
    /// Record::Commit { tx: 7 }.encode_into(&mut log);
    /// assert_eq!(decode(&log), Decoded::Record(Record::Commit { tx: 7 }, log.len()));
    /// ```
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        let start = out.len();
        out.extend_from_slice(&[0; HEADER_LEN]); // filled in below
        match self {
            Record::Put { tx, key, value } => {
                out.push(PUT);
                out.extend_from_slice(&tx.to_le_bytes());
                put_bytes(out, key);
                put_bytes(out, value);
            }
            Record::Delete { tx, key } => {
                out.push(DELETE);
                out.extend_from_slice(&tx.to_le_bytes());
                put_bytes(out, key);
            }
            Record::Commit { tx } => {
                out.push(COMMIT);
                out.extend_from_slice(&tx.to_le_bytes());
            }
        }
        let len = u32::try_from(out.len() - start - HEADER_LEN).expect("records are < 4 GiB");
        out[start..start + 4].copy_from_slice(&len.to_le_bytes());
        let crc = checksum(&out[start..start + 4], &out[start + HEADER_LEN..]);
        out[start + 4..start + HEADER_LEN].copy_from_slice(&crc.to_le_bytes());
    }
}

/// CRC-32 over the length field and the payload, so damage to either is caught.
fn checksum(len_field: &[u8], payload: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(len_field);
    hasher.update(payload);
    hasher.finalize()
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = u32::try_from(bytes.len()).expect("keys and values are < 4 GiB");
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(bytes);
}
// ANCHOR_END: encode

/// What [`decode`] found at the start of a buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decoded {
    /// A whole, intact record and the number of bytes its frame took.
    Record(Record, usize),
    /// The buffer is empty: the log ends cleanly here.
    End,
    /// The buffer ends inside a frame: a write that was cut short (a torn tail).
    Torn {
        /// How many bytes the frame would need.
        needed: usize,
        /// How many bytes there are.
        available: usize,
    },
    /// A complete frame whose checksum or contents are wrong.
    Corrupt(Damage),
}

/// Why a complete frame was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Damage {
    /// The checksum stored in the frame differs from the one computed over its bytes.
    Checksum {
        /// The checksum the frame carries.
        stored: u32,
        /// The checksum of the bytes actually there.
        computed: u32,
    },
    /// The length field is larger than [`MAX_PAYLOAD`].
    Length(usize),
    /// The checksum matched but the payload does not parse (an unknown kind byte, lengths that
    /// disagree): possible only if damage happens to keep the CRC-32 equal.
    Payload(String),
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Damage::Checksum { stored, computed } => {
                write!(
                    f,
                    "checksum {stored:#010x} stored, {computed:#010x} computed"
                )
            }
            Damage::Length(len) => write!(f, "length {len} exceeds the {MAX_PAYLOAD}-byte limit"),
            Damage::Payload(why) => write!(f, "unreadable payload: {why}"),
        }
    }
}

// ANCHOR: decode
/// Reads the record framed at the start of `buf`, checking its length and checksum.
///
/// ```
/// use sysdesign::relational_acid::record::{decode, Decoded, Record};
///
/// let mut log = Vec::new();
/// Record::Put { tx: 1, key: b"k".to_vec(), value: b"v".to_vec() }.encode_into(&mut log);
/// // Cut short: torn. One byte flipped: corrupt.
/// assert!(matches!(decode(&log[..log.len() - 1]), Decoded::Torn { .. }));
/// log[9] ^= 0xff;
/// assert!(matches!(decode(&log), Decoded::Corrupt(_)));
/// ```
pub fn decode(buf: &[u8]) -> Decoded {
    if buf.is_empty() {
        return Decoded::End;
    }
    if buf.len() < HEADER_LEN {
        let (needed, available) = (HEADER_LEN, buf.len());
        return Decoded::Torn { needed, available };
    }
    let len = u32::from_le_bytes(buf[0..4].try_into().expect("4 bytes")) as usize;
    if len > MAX_PAYLOAD {
        return Decoded::Corrupt(Damage::Length(len));
    }
    let needed = HEADER_LEN + len;
    if buf.len() < needed {
        let available = buf.len();
        return Decoded::Torn { needed, available };
    }
    let stored = u32::from_le_bytes(buf[4..8].try_into().expect("4 bytes"));
    let computed = checksum(&buf[0..4], &buf[HEADER_LEN..needed]);
    if stored != computed {
        return Decoded::Corrupt(Damage::Checksum { stored, computed });
    }
    match parse_payload(&buf[HEADER_LEN..needed]) {
        Ok(record) => Decoded::Record(record, needed),
        Err(why) => Decoded::Corrupt(Damage::Payload(why)),
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
        COMMIT => Record::Commit { tx },
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
