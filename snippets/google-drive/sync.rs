//! The sync protocol step by step: a laptop uploads a 1 MiB file, edits it, a second user
//! uploads the same file, and a phone that edited an old version is refused and keeps both.

use sysdesign::google_drive::{Device, DriveServer, Upload, cdc};
use sysdesign::show::{self, Table};

fn noise(len: usize, seed: u32) -> Vec<u8> {
    (0..len as u32)
        .map(|i| ((i ^ seed).wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect()
}

fn row(table: &mut Table, step: &str, path: &str, upload: &Upload) {
    table.push([
        step.to_string(),
        path.to_string(),
        format!("{} of {}", upload.chunks_sent, upload.chunks),
        format!("{:.1}", upload.bytes_sent() as f64 / 1024.0),
        upload.version.to_string(),
    ]);
}

fn main() {
    let mut table = Table::new([
        "step",
        "file written",
        "chunks uploaded",
        "KiB sent",
        "version",
    ]);
    // ANCHOR: steps
    let mut drive = DriveServer::new(b"service key", cdc(8192));
    let mut laptop = Device::new("laptop", cdc(8192));
    let mut phone = Device::new("phone", cdc(8192));
    let mut bob = Device::new("bob's laptop", cdc(8192));

    let v1 = noise(1 << 20, 7);
    let up = laptop.save(&mut drive, "/alice/report", &v1, 0).unwrap();
    row(
        &mut table,
        "laptop uploads a new file",
        "/alice/report",
        &up,
    );
    phone.pull(&drive, "/alice/report").unwrap();

    let mut v2 = v1.clone();
    v2.splice(100..100, *b"a new first line\n");
    let up = laptop.save(&mut drive, "/alice/report", &v2, 60).unwrap();
    row(&mut table, "laptop inserts 17 bytes", "/alice/report", &up);

    let up = bob.save(&mut drive, "/bob/report", &v1, 90).unwrap();
    row(
        &mut table,
        "another user saves the same bytes",
        "/bob/report",
        &up,
    );

    let mut v2_phone = v1.clone();
    v2_phone.extend_from_slice(b"signed on the phone\n");
    let refused = phone.save(&mut drive, "/alice/report", &v2_phone, 120);
    println!(
        "phone saves its edit of version 1: {}",
        refused.unwrap_err()
    );
    let (path, up) = phone
        .save_keeping_both(&mut drive, "/alice/report", &v2_phone, 121)
        .unwrap();
    row(&mut table, "phone keeps both", &path, &up);
    // ANCHOR_END: steps
    show::table(&table.caption(
        "One service, three devices; content-defined chunks of about 8 KiB (a 1 MiB file)",
    ));
    println!("files on the service: {}", drive.paths().join(", "));
    println!(
        "distinct bytes stored: {:.1} KiB",
        drive.stored_bytes() as f64 / 1024.0
    );
    let url = drive.upload_url(&[0u8; 32], 0);
    println!("an upload url: {}...", &url[..60]);
}
