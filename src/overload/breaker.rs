//! A circuit breaker: a state machine in front of a dependency that stops calling it after a run
//! of failures, waits a cool-down, then lets a few probe calls through to learn whether it recovered.

use std::fmt;

// ANCHOR: state
/// The three states of a [`CircuitBreaker`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Calls go through; consecutive failures are counted.
    Closed,
    /// Calls fail fast without reaching the dependency, until the cool-down has passed.
    Open,
    /// A bounded number of probe calls go through; one failure reopens, enough successes close.
    HalfOpen,
}

/// How a [`CircuitBreaker`] decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BreakerConfig {
    /// Consecutive failures, while closed, that open the breaker.
    pub failure_threshold: u32,
    /// How long the breaker stays open before it admits probes, in milliseconds.
    pub cool_down_ms: u64,
    /// Probe calls admitted while half-open; that many successes close the breaker.
    pub half_open_probes: u32,
}
// ANCHOR_END: state

/// Why a [`BreakerConfig`] was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BreakerError {
    /// A threshold of 0 failures would open the breaker before any call.
    ZeroFailureThreshold,
    /// With 0 probes a half-open breaker could never close again.
    ZeroProbes,
}

impl fmt::Display for BreakerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BreakerError::ZeroFailureThreshold => {
                write!(
                    f,
                    "a failure threshold of 0 opens the breaker before any call"
                )
            }
            BreakerError::ZeroProbes => {
                write!(f, "with 0 half-open probes the breaker never closes")
            }
        }
    }
}

impl std::error::Error for BreakerError {}

/// A call the breaker refused without reaching the dependency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rejected {
    /// The state that refused the call ([`State::Open`], or [`State::HalfOpen`] with every probe out).
    pub state: State,
    /// The earliest time a call may be admitted again, in milliseconds, when the breaker knows it.
    pub retry_at_ms: Option<u64>,
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.retry_at_ms {
            Some(at) => write!(f, "circuit {:?}: call refused until {at} ms", self.state),
            None => write!(
                f,
                "circuit {:?}: every probe is out, call refused",
                self.state
            ),
        }
    }
}

impl std::error::Error for Rejected {}

/// One change of state, at a time in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    /// When it happened.
    pub at_ms: u64,
    /// The state left.
    pub from: State,
    /// The state entered.
    pub to: State,
}

/// A circuit breaker with the time passed in (milliseconds on any clock that does not go back).
///
/// ```
/// use sysdesign::overload::{BreakerConfig, CircuitBreaker, State};
///
/// let config = BreakerConfig { failure_threshold: 2, cool_down_ms: 1_000, half_open_probes: 1 };
/// let mut breaker = CircuitBreaker::new(config)?;
/// for now in [0, 10] {
///     breaker.try_acquire(now)?;
///     breaker.record_failure(now);
/// }
/// assert_eq!(breaker.state(), State::Open);
/// assert!(breaker.try_acquire(500).is_err()); // fails fast during the cool-down
/// breaker.try_acquire(1_010)?; // the probe
/// breaker.record_success(1_020);
/// assert_eq!(breaker.state(), State::Closed);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct CircuitBreaker {
    config: BreakerConfig,
    state: State,
    consecutive_failures: u32,
    opened_at_ms: u64,
    probes_admitted: u32,
    probe_successes: u32,
    transitions: Vec<Transition>,
}

impl CircuitBreaker {
    /// A closed breaker; refuses a zero failure threshold and zero probes.
    ///
    /// ```
    /// use sysdesign::overload::{BreakerConfig, BreakerError, CircuitBreaker};
    ///
    /// let config = BreakerConfig { failure_threshold: 3, cool_down_ms: 100, half_open_probes: 0 };
    /// assert_eq!(CircuitBreaker::new(config).err(), Some(BreakerError::ZeroProbes));
    /// ```
    pub fn new(config: BreakerConfig) -> Result<Self, BreakerError> {
        if config.failure_threshold == 0 {
            return Err(BreakerError::ZeroFailureThreshold);
        }
        if config.half_open_probes == 0 {
            return Err(BreakerError::ZeroProbes);
        }
        Ok(CircuitBreaker {
            config,
            state: State::Closed,
            consecutive_failures: 0,
            opened_at_ms: 0,
            probes_admitted: 0,
            probe_successes: 0,
            transitions: Vec::new(),
        })
    }

    // ANCHOR: acquire
    /// Asks to call the dependency at `now_ms`. An open breaker whose cool-down has passed turns
    /// half-open here and admits up to `half_open_probes` calls; every other call while open or
    /// half-open is [`Rejected`] at once.
    ///
    /// ```
    /// use sysdesign::overload::{BreakerConfig, CircuitBreaker, State};
    ///
    /// let config = BreakerConfig { failure_threshold: 1, cool_down_ms: 100, half_open_probes: 2 };
    /// let mut breaker = CircuitBreaker::new(config)?;
    /// breaker.try_acquire(0)?;
    /// breaker.record_failure(0);
    /// assert_eq!(breaker.try_acquire(99).unwrap_err().retry_at_ms, Some(100));
    /// assert!(breaker.try_acquire(100).is_ok() && breaker.try_acquire(101).is_ok());
    /// assert_eq!(breaker.state(), State::HalfOpen);
    /// assert!(breaker.try_acquire(102).is_err()); // both probes are out
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn try_acquire(&mut self, now_ms: u64) -> Result<(), Rejected> {
        if self.state == State::Open {
            let retry_at_ms = self.opened_at_ms.saturating_add(self.config.cool_down_ms);
            if now_ms < retry_at_ms {
                return Err(Rejected {
                    state: State::Open,
                    retry_at_ms: Some(retry_at_ms),
                });
            }
            self.move_to(State::HalfOpen, now_ms);
        }
        if self.state == State::HalfOpen {
            if self.probes_admitted >= self.config.half_open_probes {
                return Err(Rejected {
                    state: State::HalfOpen,
                    retry_at_ms: None,
                });
            }
            self.probes_admitted += 1;
        }
        Ok(())
    }
    // ANCHOR_END: acquire

    // ANCHOR: record
    /// Reports that an admitted call succeeded.
    ///
    /// ```
    /// use sysdesign::overload::{BreakerConfig, CircuitBreaker, State};
    ///
    /// let config = BreakerConfig { failure_threshold: 2, cool_down_ms: 100, half_open_probes: 1 };
    /// let mut breaker = CircuitBreaker::new(config)?;
    /// breaker.record_failure(0);
    /// breaker.record_success(1); // a success resets the run of failures
    /// breaker.record_failure(2);
    /// assert_eq!(breaker.state(), State::Closed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record_success(&mut self, now_ms: u64) {
        match self.state {
            State::Closed => self.consecutive_failures = 0,
            State::HalfOpen => {
                self.probe_successes += 1;
                if self.probe_successes >= self.config.half_open_probes {
                    self.move_to(State::Closed, now_ms);
                }
            }
            // A late answer to a call admitted before the breaker opened changes nothing.
            State::Open => {}
        }
    }

    /// Reports that an admitted call failed (an error or a timeout).
    ///
    /// ```
    /// use sysdesign::overload::{BreakerConfig, CircuitBreaker, State};
    ///
    /// let config = BreakerConfig { failure_threshold: 3, cool_down_ms: 100, half_open_probes: 1 };
    /// let mut breaker = CircuitBreaker::new(config)?;
    /// (0..3).for_each(|now| breaker.record_failure(now));
    /// assert_eq!(breaker.state(), State::Open);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record_failure(&mut self, now_ms: u64) {
        match self.state {
            State::Closed => {
                self.consecutive_failures += 1;
                if self.consecutive_failures >= self.config.failure_threshold {
                    self.move_to(State::Open, now_ms);
                }
            }
            State::HalfOpen => self.move_to(State::Open, now_ms),
            State::Open => {}
        }
    }

    fn move_to(&mut self, to: State, now_ms: u64) {
        self.transitions.push(Transition {
            at_ms: now_ms,
            from: self.state,
            to,
        });
        self.state = to;
        self.consecutive_failures = 0;
        self.probes_admitted = 0;
        self.probe_successes = 0;
        if to == State::Open {
            self.opened_at_ms = now_ms;
        }
    }
    // ANCHOR_END: record

    /// The current state (an open breaker turns half-open only when a call asks, at [`Self::try_acquire`]).
    ///
    /// ```
    /// use sysdesign::overload::{BreakerConfig, CircuitBreaker, State};
    ///
    /// let config = BreakerConfig { failure_threshold: 1, cool_down_ms: 1, half_open_probes: 1 };
    /// assert_eq!(CircuitBreaker::new(config)?.state(), State::Closed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn state(&self) -> State {
        self.state
    }

    /// Every change of state so far, oldest first.
    ///
    /// ```
    /// use sysdesign::overload::{BreakerConfig, CircuitBreaker, State, Transition};
    ///
    /// let config = BreakerConfig { failure_threshold: 1, cool_down_ms: 1, half_open_probes: 1 };
    /// let mut breaker = CircuitBreaker::new(config)?;
    /// breaker.record_failure(5);
    /// assert_eq!(breaker.transitions(), [Transition { at_ms: 5, from: State::Closed, to: State::Open }]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn transitions(&self) -> &[Transition] {
        &self.transitions
    }
}
