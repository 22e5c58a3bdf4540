//! Active-passive against active-active fail-over, simulated on a seeded clock: how long a
//! failure takes to detect by missed heartbeats, how long the switch takes, and how much of the
//! demand is lost meanwhile and afterwards.

use super::nines::Availability;
use super::redundancy::exponential;
use crate::delivery_framework::Seconds;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// How the nodes share the work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// One node serves; the others stand by and one is promoted when the active node is
    /// declared dead.
    ActivePassive,
    /// Every healthy node serves an equal share; a node declared dead is taken out of rotation.
    ActiveActive,
}

/// A cluster, its failures and its detector.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Failover {
    /// How the nodes share the work.
    pub mode: Mode,
    /// How many nodes.
    pub nodes: usize,
    /// The load, in units of one node's capacity (1.5 needs one and a half nodes).
    pub demand: f64,
    /// Each node's mean time between failures.
    pub mtbf: Seconds,
    /// Each node's mean time to repair.
    pub mttr: Seconds,
    /// How often each node sends a heartbeat.
    pub heartbeat: Seconds,
    /// How many heartbeats in a row may be missed before the node is declared dead.
    pub missed: u32,
    /// Active-passive only: the time from declaring the active node dead to the standby
    /// serving (promotion, moving the address, warming up).
    pub switch: Seconds,
    /// Simulated time.
    pub horizon: Seconds,
    /// The seed of every random draw.
    pub seed: u64,
}

/// What a fail-over run measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FailoverRun {
    /// Failures of a node that was serving.
    pub failures: usize,
    /// Mean time from a serving node's failure to its being declared dead.
    pub mean_detection: Seconds,
    /// The share of the demand that was served.
    pub availability: Availability,
    /// The demand lost, as minutes of total outage per year would lose it: (1 − A) × a year.
    pub lost_per_year: Seconds,
    /// Where that loss came from, per year, in the same unit.
    pub lost: Losses,
}

/// Demand lost, split by cause, each as the time of total outage that would lose as much.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Losses {
    /// Sent to a failed node before the detector declared it dead.
    pub undetected: Seconds,
    /// While a standby was being promoted (active-passive).
    pub switching: Seconds,
    /// While no node was up (both failed at once), beyond the two causes above.
    pub no_node: Seconds,
    /// Refused by survivors that had less capacity than the demand (active-active).
    pub overload: Seconds,
}

impl Losses {
    fn scaled(self, factor: f64) -> Losses {
        Losses {
            undetected: self.undetected * factor,
            switching: self.switching * factor,
            no_node: self.no_node * factor,
            overload: self.overload * factor,
        }
    }
}

/// What a mode's run adds up: demand served (in node-seconds), failures, total detection time,
/// and losses (in node-seconds of demand).
struct Tally {
    served: f64,
    failures: usize,
    detection: f64,
    lost: Losses,
}

/// Each node's down periods, (start, end), in order.
fn down_periods(config: &Failover, rng: &mut StdRng) -> Vec<Vec<(f64, f64)>> {
    (0..config.nodes)
        .map(|_| {
            let (mut t, mut periods) = (0.0, Vec::new());
            loop {
                t += exponential(rng, config.mtbf.get());
                if t >= config.horizon.get() {
                    break periods;
                }
                let end = t + exponential(rng, config.mttr.get());
                periods.push((t, end));
                t = end;
            }
        })
        .collect()
}

// ANCHOR: detect
/// When a node that fails at `t` is declared dead: its last heartbeat went out at the latest
/// tick of its schedule (every `heartbeat` from `phase`) before `t`, and the detector gives up
/// after `missed` intervals of silence since then. The delay is between (missed − 1) and
/// `missed` heartbeat intervals.
fn declared_dead(t: f64, phase: f64, heartbeat: f64, missed: u32) -> f64 {
    let last = phase + ((t - phase) / heartbeat).floor() * heartbeat;
    last + f64::from(missed) * heartbeat
}
// ANCHOR_END: detect

/// The down period that holds `t`, if any (periods are in order and do not overlap).
fn down_at(periods: &[(f64, f64)], t: f64) -> Option<(f64, f64)> {
    let i = periods.partition_point(|&(s, _)| s <= t);
    i.checked_sub(1).map(|i| periods[i]).filter(|&(_, e)| t < e)
}

impl Failover {
    // ANCHOR: two_nodes
    /// The chapter's cluster: two nodes, each failing every 30 days on average and repaired in
    /// 4 hours, a heartbeat every second, declared dead after 3 missed, a standby promoted in
    /// 30 s; 1,000 simulated years from seed 5.
    pub fn two_nodes(mode: Mode, demand: f64) -> Failover {
        Failover {
            mode,
            nodes: 2,
            demand,
            mtbf: Seconds::days(30.0),
            mttr: Seconds::HOUR * 4.0,
            heartbeat: Seconds::new(1.0),
            missed: 3,
            switch: Seconds::new(30.0),
            horizon: Seconds::YEAR * 1_000.0,
            seed: 5,
        }
    }
    // ANCHOR_END: two_nodes

    /// Runs the cluster for the horizon.
    ///
    /// ```
    /// use sysdesign::availability::{Failover, Mode};
    /// use sysdesign::delivery_framework::Seconds;
    /// let config = Failover {
    ///     horizon: Seconds::YEAR * 10.0,
    ///     seed: 1,
    ///     ..Failover::two_nodes(Mode::ActivePassive, 0.8)
    /// };
    /// let run = config.run();
    /// // Detection takes between 2 and 3 heartbeats.
    /// assert!(run.mean_detection.get() > 2.0 && run.mean_detection.get() <= 3.0);
    /// // Every failure costs at least the 30 s switch.
    /// assert!(run.lost.switching.get() >= 30.0 * run.failures as f64 / 10.0);
    /// ```
    pub fn run(&self) -> FailoverRun {
        let mut rng = StdRng::seed_from_u64(self.seed);
        let periods = down_periods(self, &mut rng);
        let phases: Vec<f64> = (0..self.nodes)
            .map(|_| rng.random::<f64>() * self.heartbeat.get())
            .collect();
        let detect =
            |node: usize, t: f64| declared_dead(t, phases[node], self.heartbeat.get(), self.missed);
        let tally = match self.mode {
            Mode::ActivePassive => self.active_passive(&periods, &detect),
            Mode::ActiveActive => self.active_active(&periods, &detect),
        };
        let a = tally.served / (self.demand * self.horizon.get());
        let availability = Availability::new(a.clamp(0.0, 1.0)).expect("clamped");
        let years = self.horizon / super::nines::YEAR;
        FailoverRun {
            failures: tally.failures,
            mean_detection: Seconds::new(tally.detection / tally.failures.max(1) as f64),
            availability,
            lost_per_year: availability.downtime(super::nines::YEAR),
            lost: tally.lost.scaled(1.0 / (self.demand * years)),
        }
    }

    // ANCHOR: active_passive
    /// One active node; on its failure, nothing is served until it is declared dead and a
    /// standby that is up has been promoted.
    fn active_passive(
        &self,
        periods: &[Vec<(f64, f64)>],
        detect: &dyn Fn(usize, f64) -> f64,
    ) -> Tally {
        let horizon = self.horizon.get();
        let rate = self.demand.min(1.0); // one node serves at most its capacity
        let (mut t, mut active) = (0.0, 0);
        let (mut served, mut failures, mut detection) = (0.0, 0, 0.0);
        let mut lost = Losses {
            overload: Seconds::new((self.demand - rate) * horizon),
            ..Losses::default()
        };
        while t < horizon {
            // The active node serves until its next failure.
            let p = &periods[active];
            let fails_at = p
                .get(p.partition_point(|&(s, _)| s < t))
                .map_or(horizon, |&(s, _)| s);
            served += rate * (fails_at.min(horizon) - t);
            if fails_at >= horizon {
                break;
            }
            failures += 1;
            let dead = detect(active, fails_at);
            detection += dead - fails_at;
            lost.undetected = lost.undetected + Seconds::new(self.demand * (dead - fails_at));
            lost.switching = lost.switching + Seconds::new(self.demand * self.switch.get());
            // Promote the first node that is up once the switch is done; if none is, wait for
            // the first repair and switch then.
            let mut at = dead + self.switch.get();
            let mut tries = 0;
            loop {
                if let Some(next) = (0..self.nodes)
                    .map(|k| (active + 1 + k) % self.nodes)
                    .find(|&n| down_at(&periods[n], at).is_none())
                {
                    active = next;
                    break;
                }
                let repaired = periods
                    .iter()
                    .filter_map(|p| down_at(p, at).map(|(_, e)| e))
                    .fold(f64::INFINITY, f64::min);
                // Waiting for the repair counts as no node up; the switch after it, as switching.
                lost.no_node = lost.no_node + Seconds::new(self.demand * (repaired - at));
                lost.switching = lost.switching + Seconds::new(self.demand * self.switch.get());
                at = repaired + self.switch.get();
                tries += 1;
                assert!(tries < 1_000, "no node came back up");
            }
            t = at;
        }
        Tally {
            served,
            failures,
            detection,
            lost,
        }
    }
    // ANCHOR_END: active_passive

    // ANCHOR: active_active
    /// Every node the balancer believes healthy gets an equal share; a node that has failed but
    /// is not yet declared dead still gets its share, which is lost; a node serves at most its
    /// capacity, so the survivors of a failure may shed load.
    fn active_active(
        &self,
        periods: &[Vec<(f64, f64)>],
        detect: &dyn Fn(usize, f64) -> f64,
    ) -> Tally {
        let horizon = self.horizon.get();
        let mut lost = Losses::default();
        // Every instant at which the picture changes: failures, detections, repairs.
        let mut marks = vec![0.0, horizon];
        let (mut failures, mut detection) = (0, 0.0);
        // Per node, (failed, declared dead, repaired).
        let mut spans: Vec<Vec<(f64, f64, f64)>> = Vec::new();
        for (node, p) in periods.iter().enumerate() {
            let mut node_spans = Vec::new();
            for &(s, e) in p {
                let dead = detect(node, s).min(e);
                failures += 1;
                detection += dead - s;
                marks.extend([s, dead, e.min(horizon)]);
                node_spans.push((s, dead, e));
            }
            spans.push(node_spans);
        }
        marks.retain(|&m| m <= horizon);
        marks.sort_by(f64::total_cmp);
        marks.dedup();
        let mut served = 0.0;
        // Windows come in time order, so each node's spans are walked once, with a cursor.
        let mut cursor = vec![0usize; spans.len()];
        for w in marks.windows(2) {
            let (from, to) = (w[0], w[1]);
            let mid = (from + to) / 2.0;
            let (mut up, mut believed) = (0usize, 0usize);
            for (node_spans, at) in spans.iter().zip(cursor.iter_mut()) {
                while node_spans.get(*at).is_some_and(|&(_, _, e)| e <= mid) {
                    *at += 1;
                }
                match node_spans.get(*at).filter(|&&(s, _, _)| s <= mid) {
                    None => {
                        up += 1;
                        believed += 1;
                    }
                    Some(&(_, dead, _)) if mid < dead => believed += 1,
                    Some(_) => {}
                }
            }
            let dt = to - from;
            if believed == 0 {
                lost.no_node = lost.no_node + Seconds::new(self.demand * dt);
            } else {
                let share = self.demand / believed as f64;
                served += up as f64 * share.min(1.0) * dt;
                let undetected = (believed - up) as f64 * share * dt;
                lost.undetected = lost.undetected + Seconds::new(undetected);
                let refused = up as f64 * (share - share.min(1.0)) * dt;
                lost.overload = lost.overload + Seconds::new(refused);
            }
        }
        Tally {
            served,
            failures,
            detection,
            lost,
        }
    }
    // ANCHOR_END: active_active
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_takes_between_missed_minus_one_and_missed_heartbeats() {
        for t in [0.0, 0.3, 0.999, 5.5, 100.01] {
            let d = declared_dead(t, 0.25, 1.0, 3) - t;
            assert!(d > 2.0 && d <= 3.0, "t = {t}: {d}");
        }
    }
}
