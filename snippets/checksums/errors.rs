//! Which errors CRC32 and SHA-256 catch: seeded random damage of several shapes applied to
//! random 1 KiB blocks, counting the damaged blocks each checksum failed to flag.

use rand::rngs::StdRng;
use rand::{Rng, RngExt, SeedableRng};
use sysdesign::checksums::Algorithm;
use sysdesign::show::{self, Table};

const TRIALS: usize = 20_000;
const BLOCK: usize = 1024;

/// Flips bits of `block` in the shape `kind` names; returns nothing, changes at least one bit.
fn damage(kind: usize, block: &mut [u8], rng: &mut StdRng) {
    let bits = block.len() * 8;
    let mut flip = |bit: usize| block[bit / 8] ^= 1 << (bit % 8);
    match kind {
        // 1, 2 or 3 bits anywhere (distinct positions).
        0..=2 => {
            let mut chosen = Vec::new();
            while chosen.len() <= kind {
                let bit = rng.random_range(0..bits);
                if !chosen.contains(&bit) {
                    chosen.push(bit);
                }
            }
            chosen.into_iter().for_each(&mut flip);
        }
        // A burst: first and last bit flipped, random in between, of length up to 32, or 33 to 64.
        3 | 4 => {
            let len = if kind == 3 {
                rng.random_range(1..=32)
            } else {
                rng.random_range(33..=64)
            };
            let start = rng.random_range(0..=bits - len);
            for k in 0..len {
                if k == 0 || k == len - 1 || rng.random_bool(0.5) {
                    flip(start + k);
                }
            }
        }
        // A whole 512-byte sector replaced by random bytes (at least one bit differs).
        _ => {
            let start = rng.random_range(0..=block.len() - 512);
            let old = block[start..start + 512].to_vec();
            while block[start..start + 512] == old[..] {
                rng.fill_bytes(&mut block[start..start + 512]);
            }
        }
    }
}

fn main() {
    let kinds = [
        "1 bit",
        "2 bits",
        "3 bits",
        "burst of 1 to 32 bits",
        "burst of 33 to 64 bits",
        "512-byte sector garbled",
    ];
    let mut rng = StdRng::seed_from_u64(19);
    let mut table = Table::new(["damage", "blocks", "missed by CRC32", "missed by SHA-256"]);
    for (kind, name) in kinds.iter().enumerate() {
        let mut missed = [0usize; 2];
        for _ in 0..TRIALS {
            let mut block = vec![0u8; BLOCK];
            rng.fill_bytes(&mut block);
            let sums = [Algorithm::Crc32.sum(&block), Algorithm::Sha256.sum(&block)];
            damage(kind, &mut block, &mut rng);
            for (count, sum) in missed.iter_mut().zip(&sums) {
                *count += usize::from(sum.verify(&block));
            }
        }
        table.push([
            name.to_string(),
            TRIALS.to_string(),
            missed[0].to_string(),
            missed[1].to_string(),
        ]);
    }
    show::table(&table.caption(format!("{BLOCK}-byte random blocks, seed 19")));
}
