//! Hot reload: the running service keeps one good configuration and swaps in a new one only when
//! the new text parses, validates and leaves the static keys alone.
//!
//! The [`Reloader`] is handed each new version of the file's text with the time it was seen, and
//! decides; it never reads a file or a clock, so every decision can be replayed in a test. It
//! waits until the text has stopped changing for a settle time before judging it, because an
//! editor or a deploy tool may write a file in several steps and a half-written file is not the
//! operator's intent. The [`FileWatcher`] is the part that touches the disk: it polls a file and
//! reports when its contents change.
//!
//! ```
//! use sysdesign::configuration::{EXAMPLE_TOML, Format};
//! use sysdesign::configuration::reload::{Outcome, Reloader};
//!
//! let mut reloader = Reloader::new("service.toml", Format::Toml, EXAMPLE_TOML, 500)?;
//! let bad = EXAMPLE_TOML.replace("burst = 100", "burst = 0");
//! reloader.observe(&bad, 1_000);
//! assert!(matches!(reloader.tick(1_500), Outcome::Rejected(_)));
//! assert_eq!(reloader.current().rate_limit.burst, 100); // the last good one stays
//! # Ok::<(), sysdesign::configuration::ConfigError>(())
//! ```

use super::{ConfigError, Format, Problem, ServiceConfig, changed_keys, parse};
use std::fs;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;

/// What the reloader did with an observation or a tick.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The text is the one already running, or nothing is pending.
    Unchanged,
    /// New text is waiting for the file to settle; it will be judged at `until_ms`.
    Settling {
        /// When it will be judged, if nothing changes before.
        until_ms: u64,
    },
    /// The new configuration is running.
    Applied {
        /// Its version number (the initial configuration is 1).
        version: u64,
        /// The keys it changed, as `key: old -> new`.
        changed: Vec<String>,
    },
    /// The new text was refused; the last good configuration keeps running.
    Rejected(ConfigError),
}

impl std::fmt::Display for Outcome {
    /// One line per outcome; a rejection lists each problem on a line of its own.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Unchanged => write!(f, "unchanged"),
            Outcome::Settling { until_ms } => write!(f, "settling until {until_ms} ms"),
            Outcome::Applied { version, changed } if changed.is_empty() => {
                write!(f, "applied as version {version}, nothing changed")
            }
            Outcome::Applied { version, changed } => {
                write!(f, "applied as version {version}: {}", changed.join(", "))
            }
            Outcome::Rejected(error) => write!(f, "rejected, last good kept: {error}"),
        }
    }
}

// ANCHOR: reloader
/// Keeps the last good configuration and judges new file contents.
#[derive(Debug)]
pub struct Reloader {
    file: String,
    format: Format,
    settle_ms: u64,
    current: Arc<ServiceConfig>,
    current_text: String,
    version: u64,
    pending: Option<(String, u64)>,
}

impl Reloader {
    /// Starts from `text`, which must be valid: a service refuses to start on a bad configuration
    /// rather than run on defaults nobody chose.
    ///
    /// ```
    /// use sysdesign::configuration::{Format, reload::Reloader};
    /// assert!(Reloader::new("s.toml", Format::Toml, "", 500).is_err());
    /// ```
    pub fn new(
        file: &str,
        format: Format,
        text: &str,
        settle_ms: u64,
    ) -> Result<Self, ConfigError> {
        Ok(Self {
            file: file.to_string(),
            format,
            settle_ms,
            current: Arc::new(parse(file, text, format)?),
            current_text: text.to_string(),
            version: 1,
            pending: None,
        })
    }

    /// The file's contents changed to `text` at `now_ms`: remember it and restart the settle time.
    ///
    /// ```
    /// use sysdesign::configuration::{EXAMPLE_TOML, Format, reload::{Outcome, Reloader}};
    /// let mut r = Reloader::new("s.toml", Format::Toml, EXAMPLE_TOML, 500)?;
    /// assert_eq!(r.observe(EXAMPLE_TOML, 10), Outcome::Unchanged);
    /// assert_eq!(r.observe("half a fi", 20), Outcome::Settling { until_ms: 520 });
    /// # Ok::<(), sysdesign::configuration::ConfigError>(())
    /// ```
    pub fn observe(&mut self, text: &str, now_ms: u64) -> Outcome {
        if text == self.current_text {
            self.pending = None;
            return Outcome::Unchanged;
        }
        self.pending = Some((text.to_string(), now_ms));
        Outcome::Settling {
            until_ms: now_ms.saturating_add(self.settle_ms),
        }
    }

    /// Judges the pending text if it has been stable for the settle time by `now_ms`.
    ///
    /// ```
    /// use sysdesign::configuration::{EXAMPLE_TOML, Format, reload::{Outcome, Reloader}};
    /// let mut r = Reloader::new("s.toml", Format::Toml, EXAMPLE_TOML, 500)?;
    /// r.observe(&EXAMPLE_TOML.replace("ttl_secs = 300", "ttl_secs = 60"), 0);
    /// assert_eq!(r.tick(499), Outcome::Settling { until_ms: 500 });
    /// assert!(matches!(r.tick(500), Outcome::Applied { version: 2, .. }));
    /// assert_eq!(r.current().cache.ttl_secs, 60);
    /// # Ok::<(), sysdesign::configuration::ConfigError>(())
    /// ```
    pub fn tick(&mut self, now_ms: u64) -> Outcome {
        let Some((_, seen_ms)) = &self.pending else {
            return Outcome::Unchanged;
        };
        let until_ms = seen_ms.saturating_add(self.settle_ms);
        if now_ms < until_ms {
            return Outcome::Settling { until_ms };
        }
        let (text, _) = self.pending.take().expect("checked above");
        match self.judge(&text) {
            Ok(config) => {
                let changed = changed_keys(&self.current, &config);
                self.current = Arc::new(config);
                self.current_text = text;
                self.version += 1;
                Outcome::Applied {
                    version: self.version,
                    changed,
                }
            }
            Err(error) => Outcome::Rejected(error),
        }
    }

    fn judge(&self, text: &str) -> Result<ServiceConfig, ConfigError> {
        let config = parse(&self.file, text, self.format)?;
        // Static keys take effect only at start-up: a reload that changes one would leave the
        // file saying something the process is not doing, so it is refused.
        let problems: Vec<Problem> = changed_keys(&self.current, &config)
            .into_iter()
            .filter(|change| change.starts_with("server."))
            .map(|change| {
                let (key, values) = change.split_once(": ").expect("key: old -> new");
                let (old, new) = values.split_once(" -> ").expect("key: old -> new");
                Problem {
                    key: key.to_string(),
                    value: new.to_string(),
                    rule: format!("static, takes effect only on restart (running {old})"),
                    at: None,
                }
            })
            .collect();
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(ConfigError::Invalid {
                file: self.file.clone(),
                problems,
            })
        }
    }
    // ANCHOR_END: reloader

    /// The configuration in force: cheap to clone and hand to request handlers, which keep the
    /// version they started with even if a reload happens meanwhile.
    ///
    /// ```
    /// use sysdesign::configuration::{EXAMPLE_TOML, Format, reload::Reloader};
    /// let r = Reloader::new("s.toml", Format::Toml, EXAMPLE_TOML, 0)?;
    /// assert_eq!(r.current().server.workers, 4);
    /// # Ok::<(), sysdesign::configuration::ConfigError>(())
    /// ```
    pub fn current(&self) -> Arc<ServiceConfig> {
        Arc::clone(&self.current)
    }

    /// The version in force: 1 at start, one more per applied reload.
    ///
    /// ```
    /// use sysdesign::configuration::{EXAMPLE_TOML, Format, reload::Reloader};
    /// assert_eq!(Reloader::new("s.toml", Format::Toml, EXAMPLE_TOML, 0)?.version(), 1);
    /// # Ok::<(), sysdesign::configuration::ConfigError>(())
    /// ```
    pub fn version(&self) -> u64 {
        self.version
    }
}

// ANCHOR: watcher
/// Polls one file and reports when its contents change.
///
/// It compares the contents' length and CRC32, not the modification time: the time can stay the
/// same across two quick writes (file systems keep it at a coarse granularity) and tools can set
/// it back, while a config file is small enough to read on every poll.
#[derive(Debug)]
pub struct FileWatcher {
    path: PathBuf,
    last: Option<(usize, u32)>,
}

impl FileWatcher {
    /// A watcher of `path` that has seen nothing yet, so its first successful poll reports the
    /// contents.
    ///
    /// ```
    /// use sysdesign::configuration::reload::FileWatcher;
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("s.toml");
    /// std::fs::write(&path, "a = 1")?;
    /// let mut watcher = FileWatcher::new(&path);
    /// assert_eq!(watcher.poll()?.as_deref(), Some("a = 1"));
    /// assert_eq!(watcher.poll()?, None);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            last: None,
        }
    }

    /// The file's contents if they differ from the last poll's, `None` if not; an error if the
    /// file cannot be read (the caller keeps its configuration and polls again).
    pub fn poll(&mut self) -> io::Result<Option<String>> {
        let text = fs::read_to_string(&self.path)?;
        let seen = (text.len(), crc32fast::hash(text.as_bytes()));
        if self.last == Some(seen) {
            return Ok(None);
        }
        self.last = Some(seen);
        Ok(Some(text))
    }
}
// ANCHOR_END: watcher
