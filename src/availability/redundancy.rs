//! Components in series and in parallel: the availability a design computes to, and the same
//! design simulated on a seeded clock to check the arithmetic.

use super::nines::Availability;
use crate::delivery_framework::Seconds;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// One part that fails and is repaired, with exponential times between the two.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Unit {
    /// Mean time between failures (the mean of an up period).
    pub mtbf: Seconds,
    /// Mean time to repair (the mean of a down period).
    pub mttr: Seconds,
}

// ANCHOR: block
/// A reliability block diagram: units combined in series (all must be up) or in parallel
/// (one up is enough).
///
/// ```
/// use sysdesign::availability::{Block, Unit};
/// use sysdesign::delivery_framework::Seconds;
/// let server = Unit { mtbf: Seconds::HOUR * 990.0, mttr: Seconds::HOUR * 10.0 }; // 99 %
/// let two = Block::parallel(vec![Block::Unit(server), Block::Unit(server)]);
/// assert!((two.availability().get() - 0.9999).abs() < 1e-12); // 1 − 0.01²
/// let chain = Block::series(vec![Block::Unit(server), Block::Unit(server)]);
/// assert!((chain.availability().get() - 0.9801).abs() < 1e-12); // 0.99²
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// One unit.
    Unit(Unit),
    /// Up when every part is up.
    Series(Vec<Block>),
    /// Up when at least one part is up.
    Parallel(Vec<Block>),
}

impl Block {
    /// Parts in series.
    pub fn series(parts: Vec<Block>) -> Self {
        Block::Series(parts)
    }

    /// Parts in parallel (redundant copies).
    pub fn parallel(parts: Vec<Block>) -> Self {
        Block::Parallel(parts)
    }

    /// The availability, assuming parts fail and are repaired independently:
    /// the product of the parts' availabilities in series, and one minus the product of their
    /// unavailabilities in parallel.
    pub fn availability(&self) -> Availability {
        let a = match self {
            Block::Unit(u) => Availability::from_mtbf_mttr(u.mtbf, u.mttr).get(),
            Block::Series(parts) => parts.iter().map(|p| p.availability().get()).product(),
            Block::Parallel(parts) => {
                1.0 - parts
                    .iter()
                    .map(|p| p.availability().unavailability())
                    .product::<f64>()
            }
        };
        Availability::new(a.clamp(0.0, 1.0)).expect("clamped to [0, 1]")
    }
    // ANCHOR_END: block

    fn units(&self, out: &mut Vec<Unit>) {
        match self {
            Block::Unit(u) => out.push(*u),
            Block::Series(parts) | Block::Parallel(parts) => {
                parts.iter().for_each(|p| p.units(out))
            }
        }
    }

    /// Whether the block is up, given each unit's state in the order [`Block::units`] visits them.
    fn is_up(&self, up: &[bool], next: &mut usize) -> bool {
        match self {
            Block::Unit(_) => {
                *next += 1;
                up[*next - 1]
            }
            // Every part is visited (no short-circuit) so the unit indices stay aligned.
            Block::Series(parts) => parts.iter().fold(true, |all, p| p.is_up(up, next) & all),
            Block::Parallel(parts) => parts.iter().fold(false, |any, p| p.is_up(up, next) | any),
        }
    }

    // ANCHOR: simulate
    /// Runs every unit through `horizon` of simulated time, up and down with exponential
    /// periods of means MTBF and MTTR (each starting in its steady state), and measures the
    /// share of the time the whole block was up.
    pub fn simulate(&self, horizon: Seconds, seed: u64) -> SimulatedAvailability {
        let mut units = Vec::new();
        self.units(&mut units);
        let mut rng = StdRng::seed_from_u64(seed);
        // Every change of state of every unit: (time, unit).
        let mut changes: Vec<(f64, usize)> = Vec::new();
        let mut up = Vec::with_capacity(units.len());
        for (i, unit) in units.iter().enumerate() {
            let a = Availability::from_mtbf_mttr(unit.mtbf, unit.mttr).get();
            let mut state = rng.random::<f64>() < a;
            up.push(state);
            let mut t = 0.0;
            loop {
                let mean = if state { unit.mtbf } else { unit.mttr };
                t += exponential(&mut rng, mean.get());
                if t >= horizon.get() {
                    break;
                }
                changes.push((t, i));
                state = !state;
            }
        }
        changes.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut system_up = self.is_up(&up, &mut 0);
        let (mut last, mut down_time, mut outages) = (0.0, 0.0, 0usize);
        for (t, i) in changes {
            if !system_up {
                down_time += t - last;
            }
            last = t;
            up[i] = !up[i];
            let now_up = self.is_up(&up, &mut 0);
            if system_up && !now_up {
                outages += 1;
            }
            system_up = now_up;
        }
        if !system_up {
            down_time += horizon.get() - last;
        }
        SimulatedAvailability {
            availability: Availability::new(1.0 - down_time / horizon.get())
                .expect("down time is within the horizon"),
            down_time: Seconds::new(down_time),
            outages,
        }
    }
    // ANCHOR_END: simulate
}

/// What a simulated run of a [`Block`] measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SimulatedAvailability {
    /// The share of the horizon the block was up.
    pub availability: Availability,
    /// The total time it was down.
    pub down_time: Seconds,
    /// How many times it went from up to down.
    pub outages: usize,
}

/// An exponential variate of this mean, by inversion.
pub(crate) fn exponential(rng: &mut StdRng, mean: f64) -> f64 {
    let u: f64 = rng.random();
    -mean * (1.0 - u).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(a_mtbf_h: f64, mttr_h: f64) -> Block {
        Block::Unit(Unit {
            mtbf: Seconds::HOUR * a_mtbf_h,
            mttr: Seconds::HOUR * mttr_h,
        })
    }

    #[test]
    fn a_single_unit_simulates_to_mtbf_over_mtbf_plus_mttr() {
        let b = unit(100.0, 1.0);
        let run = b.simulate(Seconds::YEAR * 200.0, 3);
        let expected = 100.0 / 101.0;
        assert!(
            (run.availability.get() - expected).abs() < 5e-4,
            "{:?}",
            run
        );
    }
}
