//! A CRC32 collision made on purpose: a different message whose last four bytes are solved for so
//! its CRC32 equals the original's. SHA-256 tells the two apart. Then a writer who recomputes the
//! checksum after changing the data: both checksums accept the change, an HMAC does not.

use sysdesign::checksums::forge::forge_crc32;
use sysdesign::checksums::{self, Algorithm, hmac_sha256, verify_hmac_sha256};
use sysdesign::show::{self, Table};

fn printable(bytes: &[u8]) -> String {
    bytes.escape_ascii().to_string()
}

fn main() {
    // ANCHOR: forge
    let original = b"pay alice $100; memo: rent".to_vec();
    let mut tampered = b"pay mallory $9999; memo: ".to_vec();
    tampered.extend([0; 4]); // four bytes to solve for
    let at = tampered.len() - 4;
    let forged = forge_crc32(&tampered, at, checksums::crc32(&original)).expect("window fits");
    // ANCHOR_END: forge
    let mut table = Table::new(["message", "CRC32", "SHA-256"]);
    for message in [&original, &forged] {
        table.push([
            printable(message),
            Algorithm::Crc32.sum(message).to_string(),
            Algorithm::Sha256.sum(message).to_string(),
        ]);
    }
    show::table(&table.caption("two messages, one CRC32"));
    show::value(
        "crc_equal",
        Algorithm::Crc32.sum(&original) == Algorithm::Crc32.sum(&forged),
    );
    show::value(
        "sha_equal",
        Algorithm::Sha256.sum(&original) == Algorithm::Sha256.sum(&forged),
    );

    // ANCHOR: writer
    let key = b"a key the storage layer never sees";
    let tag = hmac_sha256(key, &original); // kept with the data by the legitimate writer
    let mut table = Table::new(["check", "accepts the altered message"]);
    for algorithm in [Algorithm::Crc32, Algorithm::Sha256] {
        let recomputed = algorithm.sum(&forged); // the attacker simply recomputes it
        let name = format!("{}, recomputed by the writer", algorithm.name());
        table.push([name, recomputed.verify(&forged).to_string()]);
    }
    let hmac = verify_hmac_sha256(key, &forged, &tag);
    table.push([
        "HMAC-SHA-256 under a key the writer lacks".to_string(),
        hmac.to_string(),
    ]);
    // ANCHOR_END: writer
    show::table(&table.caption("a malicious writer who can rewrite both data and checksum"));
}
