//! Repair of a damaged log-structured store: keep a backup, salvage every intact record.
//!
//! Every record of this store is its own transaction, so salvage keeps every intact frame, in
//! order, before and after the damage (resynchronising on the sync marker), and drops only the
//! damaged bytes. Their keys are unknown (they were in the damaged bytes), and dropping a record
//! can bring back what it had replaced: an older value, or a key it deleted. The report lists the
//! byte ranges dropped, so an operator knows how much was lost and where.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::{KV_FORMAT, LogStore, parse};
use crate::key_value_stores::KvError;
use crate::relational_acid::LogFile;
use crate::relational_acid::RepairReport;
use crate::relational_acid::dir::{Directory, FsDir, keep_backup, replace_file};
use crate::relational_acid::frame::{FILE_HEADER, Frame, Header, read_frame, resync, write_frame};

/// The salvaged file, its report, and whether anything in it was recognised as ours.
///
/// ```
/// use sysdesign::key_value_stores::log::salvage;
///
/// let salvaged = salvage(b"a text file, not a store");
/// assert!(!salvaged.2);
/// ```
pub fn salvage(bytes: &[u8]) -> (Vec<u8>, RepairReport, bool) {
    let header_ok = KV_FORMAT.check(bytes) == Header::Valid;
    let mut at = if header_ok { FILE_HEADER } else { 0 };
    let mut out = KV_FORMAT.header().to_vec();
    let mut report = RepairReport {
        original_len: bytes.len() as u64,
        ..RepairReport::default()
    };
    while at < bytes.len() {
        match read_frame(bytes, at) {
            Frame::Whole { payload, len } if parse(payload).is_ok() => {
                write_frame(&mut out, 0, payload);
                report.kept += 1;
                at += len;
            }
            Frame::End => break,
            _ => {
                let next = resync(bytes, at + 1).unwrap_or(bytes.len());
                report.skipped.push(at as u64..next as u64);
                at = next;
            }
        }
    }
    report.repaired_len = out.len() as u64;
    let recognised = header_ok || report.kept > 0;
    (out, report, recognised)
}

impl LogStore {
    // ANCHOR: repair
    /// Repairs the log at `path`: keeps a byte-identical backup beside it (`path.damaged`), then
    /// replaces it with every intact record, and reports the byte ranges it dropped.
    /// A file with not one intact record is refused with [`KvError::NotAStore`], untouched.
    pub fn repair(path: &Path) -> Result<RepairReport, KvError> {
        let (mut dir, name) = FsDir::of_file(path).ok_or_else(|| super::no_file_name(path))?;
        repair_in(&mut dir, &name)
    }
    // ANCHOR_END: repair
}

/// [`LogStore::repair`] on the file `name` of any [`Directory`].
pub fn repair_in<D: Directory>(dir: &mut D, name: &OsStr) -> Result<RepairReport, KvError> {
    let path = PathBuf::from(dir.describe(name));
    let io = |source| KvError::Io {
        path: path.clone(),
        source,
    };
    let bytes = dir
        .open(name)
        .and_then(|mut file| file.read_all())
        .map_err(io)?;
    let (repaired, mut report, recognised) = salvage(&bytes);
    if !recognised {
        let found = bytes[..bytes.len().min(16)].to_vec();
        return Err(KvError::NotAStore { path, found });
    }
    let backup = keep_backup(dir, name, &bytes).map_err(io)?;
    replace_file(dir, name, &repaired).map_err(io)?;
    report.backup = dir.describe(&backup);
    Ok(report)
}
