//! Tests of the Google Drive case study: the sync protocol against a simple model, its refusals,
//! and the edit-cost simulation.

use std::collections::BTreeMap;

use proptest::prelude::*;
use sysdesign::google_drive::{
    Device, DriveError, DriveServer, EditAt, UPLOAD_URL_LIFETIME_S, cdc, edit_cost,
};
use sysdesign::specialized_storage::{Chunking, PresignError, fingerprint};

fn noise(len: usize, seed: u32) -> Vec<u8> {
    (0..len as u32)
        .map(|i| ((i ^ seed).wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect()
}

#[test]
fn a_second_save_of_the_same_bytes_uploads_no_chunk() {
    let mut drive = DriveServer::new(b"k", cdc(1024));
    let mut laptop = Device::new("laptop", cdc(1024));
    let file = noise(40_000, 1);
    let first = laptop.save(&mut drive, "/a", &file, 0).unwrap();
    assert_eq!(first.chunk_bytes, file.len());
    let again = laptop.save(&mut drive, "/a", &file, 1).unwrap();
    assert_eq!(again.chunks_sent, 0);
    assert_eq!(again.version, 2);
    assert_eq!(again.manifest_bytes, first.manifest_bytes);
}

#[test]
fn another_users_identical_file_uploads_no_chunk() {
    let mut drive = DriveServer::new(b"k", cdc(1024));
    let file = noise(30_000, 2);
    Device::new("alice", cdc(1024))
        .save(&mut drive, "/alice/movie", &file, 0)
        .unwrap();
    let bob = Device::new("bob", cdc(1024))
        .save(&mut drive, "/bob/movie", &file, 0)
        .unwrap();
    assert_eq!(bob.chunk_bytes, 0);
    assert_eq!(drive.stored_bytes(), file.len());
    assert_eq!(drive.download("/bob/movie").unwrap(), file);
}

#[test]
fn a_save_from_a_stale_version_is_refused_as_a_conflict() {
    let mut drive = DriveServer::new(b"k", cdc(1024));
    let mut laptop = Device::new("laptop", cdc(1024));
    let mut phone = Device::new("phone", cdc(1024));
    laptop.save(&mut drive, "/doc", b"one", 0).unwrap();
    phone.pull(&drive, "/doc").unwrap();
    laptop.save(&mut drive, "/doc", b"two", 1).unwrap();
    assert_eq!(
        phone.save(&mut drive, "/doc", b"three", 2),
        Err(DriveError::Conflict {
            path: "/doc".into(),
            base: 1,
            current: 2
        })
    );
    assert_eq!(drive.download("/doc").unwrap(), b"two");
}

#[test]
fn keeping_both_writes_a_conflicted_copy_and_loses_no_edit() {
    let mut drive = DriveServer::new(b"k", cdc(1024));
    let mut laptop = Device::new("laptop", cdc(1024));
    let mut phone = Device::new("phone", cdc(1024));
    laptop.save(&mut drive, "/doc", b"one", 0).unwrap();
    phone.pull(&drive, "/doc").unwrap();
    laptop.save(&mut drive, "/doc", b"laptop edit", 1).unwrap();
    let (path, _) = phone
        .save_keeping_both(&mut drive, "/doc", b"phone edit", 2)
        .unwrap();
    assert_eq!(path, "/doc (conflicted copy from phone)");
    assert_eq!(drive.download("/doc").unwrap(), b"laptop edit");
    assert_eq!(drive.download(&path).unwrap(), b"phone edit");
}

#[test]
fn a_new_file_created_on_two_devices_conflicts_on_the_second() {
    let mut drive = DriveServer::new(b"k", cdc(1024));
    let mut a = Device::new("a", cdc(1024));
    let mut b = Device::new("b", cdc(1024));
    a.save(&mut drive, "/new", b"from a", 0).unwrap();
    assert!(matches!(
        b.save(&mut drive, "/new", b"from b", 0),
        Err(DriveError::Conflict {
            base: 0,
            current: 1,
            ..
        })
    ));
}

#[test]
fn an_upload_url_for_one_chunk_refuses_other_bytes() {
    let mut drive = DriveServer::new(b"k", cdc(1024));
    let url = drive.upload_url(&fingerprint(b"chunk"), 100);
    assert!(matches!(
        drive.put_chunk(&url, b"something else", 100),
        Err(DriveError::WrongContent { .. })
    ));
    assert_eq!(drive.put_chunk(&url, b"chunk", 100), Ok(()));
}

#[test]
fn an_upload_url_expires_after_fifteen_minutes() {
    let mut drive = DriveServer::new(b"k", cdc(1024));
    let url = drive.upload_url(&fingerprint(b"chunk"), 100);
    let late = 100 + UPLOAD_URL_LIFETIME_S + 1;
    assert!(matches!(
        drive.put_chunk(&url, b"chunk", late),
        Err(DriveError::Upload(PresignError::Expired { .. }))
    ));
}

#[test]
fn an_upload_url_signed_with_another_key_is_refused() {
    let other = DriveServer::new(b"not the key", cdc(1024));
    let url = other.upload_url(&fingerprint(b"chunk"), 100);
    let mut drive = DriveServer::new(b"k", cdc(1024));
    assert_eq!(
        drive.put_chunk(&url, b"chunk", 100),
        Err(DriveError::Upload(PresignError::BadSignature))
    );
}

#[test]
fn a_commit_naming_a_chunk_never_uploaded_is_refused() {
    let mut drive = DriveServer::new(b"k", cdc(1024));
    let manifest = sysdesign::specialized_storage::Manifest {
        chunks: vec![fingerprint(b"never sent")],
        len: 10,
    };
    assert_eq!(
        drive.commit("/x", 0, manifest),
        Err(DriveError::MissingChunks {
            path: "/x".into(),
            missing: 1
        })
    );
    assert!(drive.file("/x").is_none());
}

#[test]
fn an_insert_at_the_start_resends_the_whole_file_with_fixed_chunks_only() {
    let size = 128 * 1024;
    let fixed = edit_cost(size, Chunking::fixed(4096).unwrap(), EditAt::Start, 4, 3);
    let content = edit_cost(size, cdc(4096), EditAt::Start, 4, 3);
    assert!(fixed.chunk_bytes >= size as f64, "{fixed:?}");
    assert!(content.chunk_bytes < size as f64 / 8.0, "{content:?}");
}

#[test]
fn smaller_chunks_send_fewer_chunk_bytes_and_a_bigger_manifest() {
    let size = 256 * 1024;
    let small = edit_cost(size, cdc(1024), EditAt::Anywhere, 6, 5);
    let large = edit_cost(size, cdc(32 * 1024), EditAt::Anywhere, 6, 5);
    assert!(small.chunk_bytes < large.chunk_bytes);
    assert!(small.manifest_bytes > large.manifest_bytes);
}

#[derive(Clone, Debug)]
enum Op {
    Save {
        device: usize,
        path: usize,
        seed: u32,
        len: usize,
    },
    Pull {
        device: usize,
        path: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize, 0..2usize, any::<u32>(), 0..6000usize).prop_map(|(device, path, seed, len)| {
            Op::Save {
                device,
                path,
                seed,
                len,
            }
        }),
        (0..3usize, 0..2usize).prop_map(|(device, path)| Op::Pull { device, path }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The service against a model: a map of path → (version, bytes) and, per device, the
    /// version it last synced. A save succeeds exactly when the device's version is the
    /// current one, and every download returns the model's bytes.
    #[test]
    fn sync_agrees_with_a_versioned_map(ops in prop::collection::vec(op(), 1..25)) {
        let chunking = cdc(256);
        let mut drive = DriveServer::new(b"k", chunking);
        let mut devices: Vec<Device> =
            (0..3).map(|i| Device::new(&format!("d{i}"), chunking)).collect();
        let mut model: BTreeMap<String, (u64, Vec<u8>)> = BTreeMap::new();
        let mut bases = [[0u64; 2]; 3];
        for (t, op) in ops.into_iter().enumerate() {
            match op {
                Op::Save { device, path, seed, len } => {
                    let name = format!("/f{path}");
                    let bytes = noise(len, seed);
                    let current = model.get(&name).map_or(0, |e| e.0);
                    let result = devices[device].save(&mut drive, &name, &bytes, t as u64);
                    if bases[device][path] == current {
                        let upload = result.unwrap();
                        prop_assert_eq!(upload.version, current + 1);
                        model.insert(name, (current + 1, bytes));
                        bases[device][path] = current + 1;
                    } else {
                        let conflict = matches!(result, Err(DriveError::Conflict { .. }));
                        prop_assert!(conflict);
                    }
                }
                Op::Pull { device, path } => {
                    let name = format!("/f{path}");
                    match model.get(&name) {
                        Some((version, bytes)) => {
                            prop_assert_eq!(&devices[device].pull(&drive, &name).unwrap(), bytes);
                            bases[device][path] = *version;
                        }
                        None => {
                            let missing = matches!(
                                devices[device].pull(&drive, &name),
                                Err(DriveError::NotFound(_))
                            );
                            prop_assert!(missing);
                        }
                    }
                }
            }
            for (name, (version, bytes)) in &model {
                prop_assert_eq!(drive.file(name).map(|f| f.version), Some(*version));
                prop_assert_eq!(&drive.download(name).unwrap(), bytes);
            }
        }
    }

    /// Whatever the bytes and the chunk sizes, a saved file downloads byte for byte, and the
    /// service never stores more than the distinct bytes it was sent.
    #[test]
    fn a_saved_file_downloads_byte_for_byte(
        bytes in prop::collection::vec(any::<u8>(), 0..20_000),
        shift in 6u32..12,
        fixed in any::<bool>(),
    ) {
        let avg = 1usize << shift;
        let chunking = if fixed { Chunking::fixed(avg).unwrap() } else { cdc(avg) };
        let mut drive = DriveServer::new(b"k", chunking);
        let upload = Device::new("d", chunking).save(&mut drive, "/f", &bytes, 0).unwrap();
        prop_assert_eq!(drive.download("/f").unwrap(), bytes.clone());
        prop_assert!(drive.stored_bytes() <= bytes.len());
        prop_assert_eq!(upload.chunk_bytes, drive.stored_bytes());
    }
}
