//! How both of the book's stores lay out their files: a header, then self-checking frames.
//!
//! A file starts with an 8-byte header: six bytes of magic that name the format (`sd-wal` for the
//! write-ahead log, `sd-kvl` for the log-structured store) and a 2-byte little-endian version.
//! A file that does not start with the magic is not ours, and is refused before anything is read.
//!
//! Every record after the header is a frame:
//!
//! | bytes | field |
//! | --- | --- |
//! | 4 | the sync marker [`SYNC`] |
//! | 4 | payload length, little-endian |
//! | 4 | CRC-32 of the length field alone |
//! | 4 | CRC-32 of the frame's own file offset (8 bytes) and the payload |
//! | n | payload |
//!
//! Each field earns its place in telling a torn tail from damage, and in salvaging after damage:
//!
//! - The **length check** makes a damaged length certain to be caught (CRC-32 detects every error
//!   of up to 32 bits in what it covers), so "this frame runs past the end of the file" is only
//!   believed when the length is genuine: that is a torn tail, the one thing an interrupted
//!   append leaves. Without it, a flipped bit in a length would look like a torn tail and be cut.
//! - The **sync marker** lets a repair find the next frame after damage by scanning for it.
//! - The **offset inside the checksum** makes a frame valid only where it was written: a frame
//!   that sits inside a value (someone stored a log in the store) never passes as a frame when a
//!   repair scans through damaged bytes, because its offset would differ.

use std::fmt;

// ANCHOR: frame_layout
/// The four bytes every frame starts with; a repair resynchronises on them after damage.
pub const SYNC: [u8; 4] = [0xd5, 0x17, 0x5e, 0xa1];

/// Bytes before a frame's payload: sync marker, length, length check, checksum.
pub const FRAME_HEADER: usize = 16;

/// Bytes of the file header: magic (6) and version (2).
pub const FILE_HEADER: usize = 8;

/// The largest payload a frame may carry (64 MiB). Writers refuse bigger records with an error;
/// a reader treats a longer length as damage, so a damaged file never asks for gigabytes.
pub const MAX_PAYLOAD: usize = 64 << 20;
// ANCHOR_END: frame_layout

/// A file format: its magic bytes and the version this code writes and reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Format {
    /// The six bytes a file of this format starts with.
    pub magic: [u8; 6],
    /// The format version.
    pub version: u16,
}

impl Format {
    /// The 8-byte file header.
    pub fn header(&self) -> [u8; FILE_HEADER] {
        let mut header = [0; FILE_HEADER];
        header[..6].copy_from_slice(&self.magic);
        header[6..].copy_from_slice(&self.version.to_le_bytes());
        header
    }

    /// Checks the start of `file` against this format's header.
    ///
    /// ```
    /// use sysdesign::relational_acid::frame::{Format, Header};
    ///
    /// let format = Format { magic: *b"sd-wal", version: 1 };
    /// assert_eq!(format.check(b""), Header::Empty);
    /// assert_eq!(format.check(b"sd-w"), Header::Torn);
    /// assert_eq!(format.check(&format.header()), Header::Valid);
    /// assert!(matches!(format.check(b"PK\x03\x04 a zip file"), Header::Wrong(_)));
    /// ```
    pub fn check(&self, file: &[u8]) -> Header {
        let header = self.header();
        if file.is_empty() {
            return Header::Empty;
        }
        let n = file.len().min(FILE_HEADER);
        if file[..n.min(6)] != header[..n.min(6)] {
            let found = file[..n.min(6)].to_vec();
            return Header::Wrong(Damage::Magic { found });
        }
        if n < FILE_HEADER {
            return if file[..n] == header[..n] {
                Header::Torn
            } else {
                Header::Wrong(Damage::Version {
                    found: None,
                    supported: self.version,
                })
            };
        }
        let found = u16::from_le_bytes([file[6], file[7]]);
        if found != self.version {
            let (found, supported) = (Some(found), self.version);
            return Header::Wrong(Damage::Version { found, supported });
        }
        Header::Valid
    }
}

/// What the start of a file is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Header {
    /// No byte at all: a store whose creation was interrupted before its header reached the disk.
    Empty,
    /// A proper prefix of the header: the same, a few bytes later.
    Torn,
    /// The whole header, this format and version.
    Valid,
    /// Something else: another format, another version.
    Wrong(Damage),
}

/// Why bytes were rejected; the errors of both stores print it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Damage {
    /// The file does not start with the format's magic: not a file this store wrote.
    Magic {
        /// The first bytes found.
        found: Vec<u8>,
    },
    /// The magic is right but the version is not one this code reads.
    Version {
        /// The version found (`None` when the file ends inside it).
        found: Option<u16>,
        /// The version this code reads.
        supported: u16,
    },
    /// Where a frame should start there is no sync marker.
    Marker {
        /// The bytes found instead.
        found: Vec<u8>,
    },
    /// The length field fails its own check: it was damaged.
    LengthCheck {
        /// The check stored.
        stored: u32,
        /// The check computed over the length field.
        computed: u32,
    },
    /// The length field is intact but larger than [`MAX_PAYLOAD`].
    Length(usize),
    /// The checksum stored in the frame differs from the one computed over its bytes.
    Checksum {
        /// The checksum the frame carries.
        stored: u32,
        /// The checksum of the bytes actually there.
        computed: u32,
    },
    /// The checksum matched but the payload does not parse: possible only if damage happens to
    /// keep the CRC-32 equal.
    Payload(String),
    /// A commit record names more or fewer records than the log holds for its transaction.
    Incomplete {
        /// The transaction.
        tx: u64,
        /// Records its commit record counts.
        expected: u32,
        /// Records found.
        found: usize,
    },
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Damage::Magic { found } => write!(f, "not a store file: it starts with {found:02x?}"),
            Damage::Version {
                found: Some(found),
                supported,
            } => write!(f, "format version {found}, but this code reads {supported}"),
            Damage::Version {
                found: None,
                supported,
            } => write!(f, "a cut-off header (version {supported} expected)"),
            Damage::Marker { found } => write!(f, "no sync marker: found {found:02x?}"),
            Damage::LengthCheck { stored, computed } => write!(
                f,
                "damaged length field (check {stored:#010x} stored, {computed:#010x} computed)"
            ),
            Damage::Length(len) => write!(f, "length {len} exceeds the {MAX_PAYLOAD}-byte limit"),
            Damage::Checksum { stored, computed } => {
                write!(
                    f,
                    "checksum {stored:#010x} stored, {computed:#010x} computed"
                )
            }
            Damage::Payload(why) => write!(f, "unreadable payload: {why}"),
            Damage::Incomplete {
                tx,
                expected,
                found,
            } => write!(
                f,
                "transaction {tx} commits {expected} records but {found} were found"
            ),
        }
    }
}

/// CRC-32 of a frame's offset and payload.
fn body_checksum(at: u64, payload: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&at.to_le_bytes());
    hasher.update(payload);
    hasher.finalize()
}

// ANCHOR: write_frame
/// Appends a frame holding `payload` to `out`, where `out[0]` will sit at file offset `base`.
///
/// The caller keeps `payload` within [`MAX_PAYLOAD`] (both stores refuse larger records with an
/// error before they get here).
///
/// ```
/// use sysdesign::relational_acid::frame::{read_frame, write_frame, Frame, FRAME_HEADER};
///
/// let mut file = b"header..".to_vec();
/// write_frame(&mut file, 0, b"hello");
/// assert_eq!(read_frame(&file, 8), Frame::Whole { payload: &b"hello"[..], len: FRAME_HEADER + 5 });
/// ```
pub fn write_frame(out: &mut Vec<u8>, base: u64, payload: &[u8]) {
    assert!(payload.len() <= MAX_PAYLOAD, "callers check MAX_PAYLOAD");
    let at = base + out.len() as u64;
    let len = (payload.len() as u32).to_le_bytes();
    out.extend_from_slice(&SYNC);
    out.extend_from_slice(&len);
    out.extend_from_slice(&crc32fast::hash(&len).to_le_bytes());
    out.extend_from_slice(&body_checksum(at, payload).to_le_bytes());
    out.extend_from_slice(payload);
}
// ANCHOR_END: write_frame

/// What [`read_frame`] found at an offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frame<'a> {
    /// An intact frame: its payload and the bytes the whole frame takes.
    Whole {
        /// The payload.
        payload: &'a [u8],
        /// Header plus payload.
        len: usize,
    },
    /// The file ends exactly here.
    End,
    /// The file ends inside a frame whose visible part is intact: a torn tail.
    Torn,
    /// The bytes here are not an intact frame.
    Damaged(Damage),
}

fn word(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

// ANCHOR: read_frame
/// Reads the frame at offset `at` of `file`, checking marker, length and checksum.
///
/// A frame is torn only if everything that can be checked of it is intact and the file ends
/// before it does; any other failure is damage.
///
/// ```
/// use sysdesign::relational_acid::frame::{read_frame, write_frame, Damage, Frame};
///
/// let mut file = Vec::new();
/// write_frame(&mut file, 0, b"payload");
/// assert_eq!(read_frame(&file[..20], 0), Frame::Torn);
/// file[5] ^= 1; // a bit of the length
/// assert!(matches!(read_frame(&file, 0), Frame::Damaged(Damage::LengthCheck { .. })));
/// ```
pub fn read_frame(file: &[u8], at: usize) -> Frame<'_> {
    let rest = &file[at.min(file.len())..];
    if rest.is_empty() {
        return Frame::End;
    }
    let marker = rest.len().min(SYNC.len());
    if rest[..marker] != SYNC[..marker] {
        let found = rest[..marker].to_vec();
        return Frame::Damaged(Damage::Marker { found });
    }
    if rest.len() < 12 {
        return Frame::Torn;
    }
    let (stored, computed) = (word(rest, 8), crc32fast::hash(&rest[4..8]));
    if stored != computed {
        return Frame::Damaged(Damage::LengthCheck { stored, computed });
    }
    let len = word(rest, 4) as usize;
    if len > MAX_PAYLOAD {
        return Frame::Damaged(Damage::Length(len));
    }
    if rest.len() < FRAME_HEADER + len {
        return Frame::Torn;
    }
    let payload = &rest[FRAME_HEADER..FRAME_HEADER + len];
    let (stored, computed) = (word(rest, 12), body_checksum(at as u64, payload));
    if stored != computed {
        return Frame::Damaged(Damage::Checksum { stored, computed });
    }
    Frame::Whole {
        payload,
        len: FRAME_HEADER + len,
    }
}
// ANCHOR_END: read_frame

/// The offset of the first intact frame at or after `from`, found by scanning for the sync marker.
///
/// ```
/// use sysdesign::relational_acid::frame::{resync, write_frame};
///
/// let mut file = vec![0xee; 5]; // garbage
/// write_frame(&mut file, 0, b"found");
/// assert_eq!(resync(&file, 0), Some(5));
/// assert_eq!(resync(&file, 6), None);
/// ```
pub fn resync(file: &[u8], from: usize) -> Option<usize> {
    (from..file.len().saturating_sub(FRAME_HEADER - 1))
        .filter(|&at| file[at..].starts_with(&SYNC))
        .find(|&at| matches!(read_frame(file, at), Frame::Whole { .. }))
}
