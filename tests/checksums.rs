//! The checksums chapter's claims: CRC32 is the IEEE polynomial, catches every burst of up to 32
//! bits and every error of up to three bits in the lengths tested, can be forged at will, and a
//! replicated store serves a read from a good replica and repairs the bad one.

use proptest::prelude::*;
use std::collections::HashSet;
use sysdesign::checksums::block_store::{BlockStore, StoreError};
use sysdesign::checksums::forge::forge_crc32;
use sysdesign::checksums::{Algorithm, Sum, hmac_sha256, verify_hmac_sha256};

/// CRC-32 one bit at a time, straight from the definition: reflected polynomial 0xEDB88320
/// (0x04C11DB7 with its bits reversed), register preset to all ones, result inverted.
fn crc32_by_the_definition(data: &[u8]) -> u32 {
    let mut register = u32::MAX;
    for &byte in data {
        register ^= u32::from(byte);
        for _ in 0..8 {
            let low = register & 1;
            register >>= 1;
            if low == 1 {
                register ^= 0xEDB8_8320;
            }
        }
    }
    !register
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn known_answers_match_the_standards() {
    // The CRC-32 check value over "123456789", and FIPS 180-4's one-block example "abc".
    assert_eq!(Algorithm::Crc32.sum(b"123456789"), Sum::Crc32(0xCBF4_3926));
    assert_eq!(
        Algorithm::Sha256.sum(b"abc").to_string(),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    // RFC 4231, test case 2.
    assert_eq!(
        hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

proptest! {
    #[test]
    fn crc32fast_computes_the_ieee_polynomial(data in prop::collection::vec(any::<u8>(), 0..300)) {
        prop_assert_eq!(crc32fast::hash(&data), crc32_by_the_definition(&data));
    }

    #[test]
    fn every_burst_of_up_to_32_bits_is_detected(
        data in prop::collection::vec(any::<u8>(), 4..400),
        start in any::<prop::sample::Index>(),
        len in 1usize..=32,
        middle in any::<u32>(),
    ) {
        let bits = data.len() * 8;
        let start = start.index(bits - len + 1);
        let mut damaged = data.clone();
        // A burst of length `len`: its first and last bits flip, those between may or may not.
        for k in 0..len {
            if k == 0 || k == len - 1 || middle >> k & 1 == 1 {
                let bit = start + k;
                damaged[bit / 8] ^= 1 << (bit % 8);
            }
        }
        prop_assert!(!Algorithm::Crc32.sum(&data).verify(&damaged));
    }

    #[test]
    fn a_forged_message_has_the_chosen_crc_and_a_different_sha256(
        original in prop::collection::vec(any::<u8>(), 1..200),
        mut tampered in prop::collection::vec(any::<u8>(), 4..200),
        at in any::<prop::sample::Index>(),
    ) {
        let at = at.index(tampered.len() - 3);
        tampered[at] ^= 1; // never the original by accident of an empty change
        let forged = forge_crc32(&tampered, at, crc32fast::hash(&original)).expect("window fits");
        prop_assert_eq!(crc32fast::hash(&forged), crc32fast::hash(&original));
        if forged != original {
            prop_assert_ne!(Algorithm::Sha256.sum(&forged), Algorithm::Sha256.sum(&original));
        }
    }

    #[test]
    fn a_read_survives_damage_to_all_but_one_replica_and_repairs_them(
        data in prop::collection::vec(any::<u8>(), 1..256),
        flips in prop::collection::vec((0usize..3, any::<prop::sample::Index>()), 1..6),
        spared in 0usize..3,
        first in 0usize..3,
        sha in any::<bool>(),
    ) {
        let algorithm = if sha { Algorithm::Sha256 } else { Algorithm::Crc32 };
        let mut store = BlockStore::new(3, algorithm).expect("3 replicas");
        store.put(9, data.clone());
        let mut damaged = HashSet::new();
        for (replica, bit) in flips {
            if replica != spared && damaged.insert(replica) {
                // One bit per replica: always caught by either algorithm.
                store.flip_bit(replica, 9, bit.index(data.len() * 8)).expect("in range");
            }
        }
        let read = store.read(9, first).expect("one good copy remains");
        prop_assert_eq!(&read.data, &data);
        // The model: replicas are tried from `first` on; the damaged ones met before the first
        // intact one are reported and repaired, and the intact one serves.
        let order: Vec<usize> = (0..3).map(|k| (first + k) % 3).collect();
        let served = *order.iter().find(|r| !damaged.contains(r)).expect("one spared");
        let tried: Vec<usize> = order.iter().copied().take_while(|r| *r != served).collect();
        prop_assert_eq!(read.served_by, served);
        prop_assert_eq!(&read.corrupt, &tried);
        let mut repaired = tried.clone();
        repaired.sort_unstable();
        prop_assert_eq!(&read.repaired, &repaired);
        for replica in tried.iter().chain([&served]) {
            let block = store.stored(*replica, 9).expect("every replica holds it");
            prop_assert_eq!(&block.data, &data);
        }
    }
}

#[test]
fn no_error_of_up_to_three_bits_escapes_crc32_in_a_256_byte_message() {
    // CRC is linear, so whether an error pattern is caught depends only on the pattern: its
    // syndrome is the XOR of the syndromes of its bits. Compute one syndrome per bit position and
    // check every single bit, pair and triple exhaustively.
    let len = 256;
    let zeros = vec![0u8; len];
    let base = crc32fast::hash(&zeros);
    let syndromes: Vec<u32> = (0..len * 8)
        .map(|bit| {
            let mut one = zeros.clone();
            one[bit / 8] ^= 1 << (bit % 8);
            crc32fast::hash(&one) ^ base
        })
        .collect();
    assert!(
        syndromes.iter().all(|&s| s != 0),
        "a single-bit error escaped"
    );
    let distinct: HashSet<u32> = syndromes.iter().copied().collect();
    assert_eq!(distinct.len(), syndromes.len(), "a two-bit error escaped");
    // A triple i < j < k escapes when s_i ^ s_j == s_k; k is then a different position.
    for i in 0..syndromes.len() {
        for j in i + 1..syndromes.len() {
            assert!(
                !distinct.contains(&(syndromes[i] ^ syndromes[j])),
                "a three-bit error escaped at bits {i}, {j}"
            );
        }
    }
}

#[test]
fn a_writer_who_recomputes_the_checksum_passes_it_but_not_the_hmac() {
    let key = b"held by writers and readers, not by the disk";
    for algorithm in [Algorithm::Crc32, Algorithm::Sha256] {
        let mut store = BlockStore::new(3, algorithm).expect("3 replicas");
        store.put(1, b"balance=100".to_vec());
        let tag = hmac_sha256(key, b"balance=100");
        store
            .overwrite(0, 1, b"balance=999".to_vec(), true)
            .expect("block exists");
        let read = store.read(1, 0).expect("the forged copy verifies");
        assert_eq!(
            (read.data.as_slice(), read.served_by),
            (&b"balance=999"[..], 0)
        );
        assert!(!verify_hmac_sha256(key, &read.data, &tag));
    }
}

#[test]
fn a_read_with_every_copy_damaged_returns_an_error_not_bad_bytes() {
    let mut store = BlockStore::new(3, Algorithm::Crc32).expect("3 replicas");
    store.put(4, vec![1, 2, 3]);
    for replica in 0..3 {
        store.flip_bit(replica, 4, replica).expect("in range");
    }
    assert_eq!(store.read(4, 0), Err(StoreError::AllCopiesCorrupt(4)));
    assert_eq!(store.read(5, 0), Err(StoreError::NotFound(5)));
    assert_eq!(
        store.read(4, 3),
        Err(StoreError::NoSuchReplica {
            replica: 3,
            replicas: 3
        })
    );
}
