//! Vector search in two stages: a cheap scan of 64-bit sign codes (random hyperplanes) picks
//! candidates, and exact dot products re-rank them.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};

/// One search result.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scored {
    /// The vector's id.
    pub id: u32,
    /// Its dot product with the query (the cosine, as vectors are unit length).
    pub score: f32,
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn normalize(v: &mut [f32]) {
    let norm = dot(v, v).sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

fn top_k(mut scored: Vec<Scored>, k: usize) -> Vec<Scored> {
    scored.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    scored.truncate(k);
    scored
}

// ANCHOR: index
/// Unit vectors with a 64-bit code each: bit i says on which side of random hyperplane i the
/// vector lies. Two vectors at angle θ disagree on a bit with probability θ/π (Charikar 2002),
/// so the Hamming distance between codes estimates the angle from 8 bytes instead of the
/// vector's `4 × dim`.
///
/// ```
/// use sysdesign::specialized_storage::{VectorIndex, clustered_vectors, recall_at_k};
/// let data = clustered_vectors(2_000, 32, 20, 0.3, 1);
/// let index = VectorIndex::new(data.clone(), 3);
/// let query = &data[0];
/// let exact = index.exact(query, 10);
/// assert_eq!(exact[0].id, 0);
/// // Re-ranking every vector is the exact answer.
/// assert_eq!(index.search(query, 10, 2_000), exact);
/// assert!(recall_at_k(&index.search(query, 10, 200), &exact) >= 0.5);
/// ```
#[derive(Clone, Debug)]
pub struct VectorIndex {
    dim: usize,
    vectors: Vec<f32>,
    codes: Vec<u64>,
    planes: Vec<f32>,
}

impl VectorIndex {
    /// Indexes `vectors` (normalized to unit length here), with hyperplanes drawn from `seed`.
    pub fn new(vectors: Vec<Vec<f32>>, seed: u64) -> VectorIndex {
        let dim = vectors.first().map_or(0, Vec::len);
        let mut rng = StdRng::seed_from_u64(seed);
        let planes: Vec<f32> = (0..64 * dim)
            .map(|_| StandardNormal.sample(&mut rng))
            .collect();
        let mut index = VectorIndex {
            dim,
            vectors: Vec::with_capacity(vectors.len() * dim),
            codes: Vec::with_capacity(vectors.len()),
            planes,
        };
        for mut v in vectors {
            assert_eq!(v.len(), dim, "every vector needs {dim} dimensions");
            normalize(&mut v);
            index.codes.push(index.code(&v));
            index.vectors.extend_from_slice(&v);
        }
        index
    }

    /// The 64-bit sign code of `v`.
    pub fn code(&self, v: &[f32]) -> u64 {
        self.planes
            .chunks_exact(self.dim.max(1))
            .enumerate()
            .fold(0, |code, (i, plane)| {
                code | (u64::from(dot(plane, v) >= 0.0) << i)
            })
    }

    fn vector(&self, id: u32) -> &[f32] {
        &self.vectors[id as usize * self.dim..(id as usize + 1) * self.dim]
    }

    /// Vectors indexed.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether none is indexed.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The exact top `k` by a dot product with every vector.
    pub fn exact(&self, query: &[f32], k: usize) -> Vec<Scored> {
        let scored = (0..self.len() as u32)
            .map(|id| Scored {
                id,
                score: dot(self.vector(id), query),
            })
            .collect();
        top_k(scored, k)
    }

    /// Two stages: the `candidates` vectors whose codes are nearest the query's in Hamming
    /// distance, then the exact top `k` among them.
    pub fn search(&self, query: &[f32], k: usize, candidates: usize) -> Vec<Scored> {
        let q = self.code(query);
        let mut by_code: Vec<(u32, u32)> = self
            .codes
            .iter()
            .enumerate()
            .map(|(id, c)| ((c ^ q).count_ones(), id as u32))
            .collect();
        if candidates < by_code.len() {
            by_code.select_nth_unstable(candidates);
            by_code.truncate(candidates);
        }
        let scored = by_code
            .into_iter()
            .map(|(_, id)| Scored {
                id,
                score: dot(self.vector(id), query),
            })
            .collect();
        top_k(scored, k)
    }
}
// ANCHOR_END: index

/// The share of the true top k that `found` contains.
///
/// ```
/// use sysdesign::specialized_storage::{Scored, recall_at_k};
/// let s = |id| Scored { id, score: 0.0 };
/// assert_eq!(recall_at_k(&[s(1), s(9)], &[s(1), s(2)]), 0.5);
/// ```
pub fn recall_at_k(found: &[Scored], truth: &[Scored]) -> f64 {
    if truth.is_empty() {
        return 1.0;
    }
    let hits = truth
        .iter()
        .filter(|t| found.iter().any(|f| f.id == t.id))
        .count();
    hits as f64 / truth.len() as f64
}

/// `n` seeded vectors of `dim` dimensions around `clusters` random centres, each a centre plus
/// Gaussian noise whose length is about `spread` (centres are unit length).
///
/// ```
/// use sysdesign::specialized_storage::clustered_vectors;
/// let v = clustered_vectors(100, 8, 4, 0.1, 1);
/// assert_eq!((v.len(), v[0].len()), (100, 8));
/// ```
pub fn clustered_vectors(
    n: usize,
    dim: usize,
    clusters: usize,
    spread: f32,
    seed: u64,
) -> Vec<Vec<f32>> {
    let mut rng = StdRng::seed_from_u64(seed);
    let centres: Vec<Vec<f32>> = (0..clusters.max(1))
        .map(|_| {
            let mut c: Vec<f32> = (0..dim).map(|_| StandardNormal.sample(&mut rng)).collect();
            normalize(&mut c);
            c
        })
        .collect();
    (0..n)
        .map(|_| {
            let c = &centres[rng.random_range(0..centres.len())];
            c.iter()
                .map(|&x| {
                    let noise: f32 = StandardNormal.sample(&mut rng);
                    x + spread * noise / (dim as f32).sqrt()
                })
                .collect()
        })
        .collect()
}
