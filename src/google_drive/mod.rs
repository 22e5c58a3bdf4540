//! Google Drive, the case study: file sync and storage, built from the blob store of
//! [`crate::specialized_storage`].
//!
//! A sync service keeps files in two places: their bytes, cut into chunks named by SHA-256, in
//! a blob store; and, in a metadata table, each file's path, version and manifest (the list of
//! its chunks). A device that saves a file cuts it, asks which chunks the service lacks,
//! uploads only those, each through a pre-signed URL straight to the blob store, and then
//! commits the manifest on the version it started from. If another device committed first, the
//! commit is refused and the device keeps both versions, as a conflicted copy.
//!
//! The design decision: the commit is a conditional write on the file's version, not "last
//! writer wins", so no edit is lost silently; and the chunk upload comes before the commit, so a
//! committed manifest never names a chunk that is not stored. [`edit_cost`] measures what one
//! small edit costs to sync, the deep dive of the chapter.
//!
//! ```
//! use sysdesign::google_drive::{Device, DriveError, DriveServer, cdc};
//!
//! let mut drive = DriveServer::new(b"service key", cdc(4096));
//! let mut laptop = Device::new("laptop", cdc(4096));
//! let mut phone = Device::new("phone", cdc(4096));
//! let v1: Vec<u8> = (0..50_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
//! laptop.save(&mut drive, "/notes", &v1, 0).unwrap();
//! assert_eq!(phone.pull(&drive, "/notes").unwrap(), v1);
//!
//! // Both edit version 1; the laptop commits first, the phone is refused.
//! let mut v2 = v1.clone();
//! v2.insert(100, b'!');
//! let sent = laptop.save(&mut drive, "/notes", &v2, 10).unwrap();
//! assert!(sent.chunk_bytes < v2.len() / 4); // only the chunks around the edit
//! let refused = phone.save(&mut drive, "/notes", &v1[1..], 11);
//! assert!(matches!(refused, Err(DriveError::Conflict { base: 1, current: 2, .. })));
//! ```

mod simulate;
mod sync;

pub use simulate::{EditAt, EditCost, cdc, edit_cost};
pub use sync::{
    Device, DriveError, DriveServer, FileEntry, UPLOAD_URL_LIFETIME_S, Upload, manifest_bytes,
};
