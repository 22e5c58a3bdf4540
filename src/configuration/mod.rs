//! Configuration: the parameters a service reads instead of hard-coding them, parsed into a typed
//! struct with serde, checked before use, and reloaded while the service runs.
//!
//! A [`ServiceConfig`] is read from TOML or JSON (the same serde derive serves both). Reading has
//! two stages, and each reports where the problem is: the parser rejects bad syntax, wrong types,
//! missing and unknown keys (with the file, line and column from toml's error span), and
//! [`ServiceConfig::validate`] then checks what types cannot say, naming the key and the value
//! (`cache.capacity = 0: must be at least 1`). Every problem is reported, not only the first.
//!
//! The design decision: keys are split into **static** ones (`server.*`, which take effect only
//! at start-up) and **dynamic** ones (the rest, applied while running). The [`reload::Reloader`]
//! refuses a reload that fails to parse, fails validation or changes a static key, and keeps the
//! last good configuration; it is handed file contents and the time, so its tests need no clock.
//!
//! ```
//! use sysdesign::configuration::{Format, parse};
//!
//! let text = sysdesign::configuration::EXAMPLE_TOML.replace("capacity = 10000", "capacity = 0");
//! let err = parse("service.toml", &text, Format::Toml).unwrap_err();
//! assert_eq!(err.to_string(), "service.toml:7:12: cache.capacity = 0: must be at least 1");
//! ```

pub mod reload;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;

/// A complete example configuration, in TOML.
pub const EXAMPLE_TOML: &str = r#"# service.toml
[server]                      # static: read once at start-up
listen = "127.0.0.1:8080"
workers = 4

[cache]                       # dynamic: applied on reload
capacity = 10000
ttl_secs = 300

[rate_limit]
requests_per_second = 50.0
burst = 100

[features]
new_checkout = false
"#;

// ANCHOR: config
/// The configuration of an example service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceConfig {
    /// Static: where to listen and how many worker threads to start.
    pub server: Server,
    /// Dynamic: the response cache.
    pub cache: Cache,
    /// Dynamic: the token bucket in front of the service.
    pub rate_limit: RateLimit,
    /// Dynamic: feature flags by name.
    #[serde(default)]
    pub features: BTreeMap<String, bool>,
}

/// `[server]`: static settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    /// The socket address to bind, such as `127.0.0.1:8080`.
    pub listen: String,
    /// Worker threads, 1 to 256.
    pub workers: u32,
}

/// `[cache]`: dynamic settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cache {
    /// Entries kept, at least 1.
    pub capacity: u64,
    /// Seconds an entry lives, 1 to 86,400.
    pub ttl_secs: u64,
}

/// `[rate_limit]`: dynamic settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Tokens added per second: finite and above 0.
    pub requests_per_second: f64,
    /// Bucket size, at least 1.
    pub burst: u32,
}
// ANCHOR_END: config

/// The two file formats the same struct is read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// TOML, through the `toml` crate.
    Toml,
    /// JSON, through `serde_json`.
    Json,
}

/// One value that breaks a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The dotted key, such as `cache.capacity`.
    pub key: String,
    /// The offending value, as the file would spell it.
    pub value: String,
    /// The rule it breaks, such as `must be at least 1`.
    pub rule: String,
    /// Line and column of the value in the file, when the format gives spans (TOML).
    pub at: Option<(usize, usize)>,
}

/// Why a configuration file was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// The text is not a configuration: bad syntax, a wrong type, a missing or unknown key.
    Parse {
        /// The file's name.
        file: String,
        /// Line and column (1-based), when the parser knows them.
        at: Option<(usize, usize)>,
        /// The parser's message.
        message: String,
    },
    /// The configuration parsed, and some values break a rule; all of them are listed.
    Invalid {
        /// The file's name.
        file: String,
        /// Every problem found.
        problems: Vec<Problem>,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = |file: &str, at: &Option<(usize, usize)>| match at {
            Some((line, column)) => format!("{file}:{line}:{column}"),
            None => file.to_string(),
        };
        match self {
            ConfigError::Parse { file, at, message } => {
                write!(f, "{}: {message}", place(file, at))
            }
            ConfigError::Invalid { file, problems } => {
                for (i, p) in problems.iter().enumerate() {
                    let sep = if i == 0 { "" } else { "\n" };
                    let place = place(file, &p.at);
                    write!(f, "{sep}{place}: {} = {}: {}", p.key, p.value, p.rule)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ConfigError {}

// ANCHOR: validate
impl ServiceConfig {
    /// Every value that breaks a rule, as (key, value, rule); empty when the configuration is
    /// valid. Lines are filled in by [`parse`], which has the text.
    ///
    /// ```
    /// use sysdesign::configuration::{EXAMPLE_TOML, Format, parse};
    /// let mut config = parse("a.toml", EXAMPLE_TOML, Format::Toml)?;
    /// config.server.workers = 0;
    /// config.rate_limit.requests_per_second = f64::NAN;
    /// let keys: Vec<_> = config.validate().into_iter().map(|p| p.key).collect();
    /// assert_eq!(keys, ["server.workers", "rate_limit.requests_per_second"]);
    /// # Ok::<(), sysdesign::configuration::ConfigError>(())
    /// ```
    pub fn validate(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut check = |ok: bool, key: &str, value: String, rule: &str| {
            if !ok {
                problems.push(Problem {
                    key: key.to_string(),
                    value,
                    rule: rule.to_string(),
                    at: None,
                });
            }
        };
        let (s, c, r) = (&self.server, &self.cache, &self.rate_limit);
        check(
            s.listen.parse::<SocketAddr>().is_ok(),
            "server.listen",
            format!("{:?}", s.listen),
            "must be an IP address and port, such as \"127.0.0.1:8080\"",
        );
        check(
            (1..=256).contains(&s.workers),
            "server.workers",
            s.workers.to_string(),
            "must be between 1 and 256",
        );
        check(
            c.capacity >= 1,
            "cache.capacity",
            c.capacity.to_string(),
            "must be at least 1",
        );
        check(
            (1..=86_400).contains(&c.ttl_secs),
            "cache.ttl_secs",
            c.ttl_secs.to_string(),
            "must be between 1 and 86400 (one day)",
        );
        check(
            r.requests_per_second.is_finite() && r.requests_per_second > 0.0,
            "rate_limit.requests_per_second",
            format!("{:?}", r.requests_per_second),
            "must be a finite number above 0",
        );
        check(
            r.burst >= 1,
            "rate_limit.burst",
            r.burst.to_string(),
            "must be at least 1",
        );
        problems
    }
}
// ANCHOR_END: validate

// ANCHOR: parse
/// Parses `text` in `format` and validates it; `file` names the source in errors.
///
/// ```
/// use sysdesign::configuration::{Format, parse};
/// let err = parse("x.json", "{\"server\": 1}", Format::Json).unwrap_err();
/// assert!(err.to_string().starts_with("x.json:1:12: invalid type: integer `1`"));
/// ```
pub fn parse(file: &str, text: &str, format: Format) -> Result<ServiceConfig, ConfigError> {
    let parsed = match format {
        Format::Toml => toml::from_str::<ServiceConfig>(text).map_err(|e| ConfigError::Parse {
            file: file.to_string(),
            at: e.span().map(|span| line_column(text, span.start)),
            message: e.message().trim_end().to_string(),
        }),
        Format::Json => serde_json::from_str::<ServiceConfig>(text).map_err(|e| {
            let message = e.to_string();
            // serde_json appends " at line L column C"; the place goes in front instead.
            let message = message.split(" at line ").next().unwrap_or(&message);
            ConfigError::Parse {
                file: file.to_string(),
                at: (e.line() > 0).then(|| (e.line(), e.column())),
                message: message.to_string(),
            }
        }),
    }?;
    let mut problems = parsed.validate();
    if problems.is_empty() {
        return Ok(parsed);
    }
    if format == Format::Toml {
        for problem in &mut problems {
            problem.at = toml_value_position(text, &problem.key);
        }
    }
    Err(ConfigError::Invalid {
        file: file.to_string(),
        problems,
    })
}
// ANCHOR_END: parse

/// The configuration as text in `format` (TOML without comments, or pretty JSON).
///
/// ```
/// use sysdesign::configuration::{EXAMPLE_TOML, Format, parse, to_text};
/// let config = parse("a.toml", EXAMPLE_TOML, Format::Toml)?;
/// let json = to_text(&config, Format::Json);
/// assert_eq!(parse("a.json", &json, Format::Json)?, config);
/// # Ok::<(), sysdesign::configuration::ConfigError>(())
/// ```
pub fn to_text(config: &ServiceConfig, format: Format) -> String {
    match format {
        Format::Toml => toml::to_string(config).expect("every field has a TOML form"),
        Format::Json => serde_json::to_string_pretty(config).expect("every field has a JSON form"),
    }
}

/// The keys whose values differ between `old` and `new`, as `key: old -> new`, in key order.
///
/// ```
/// use sysdesign::configuration::{EXAMPLE_TOML, Format, changed_keys, parse};
/// let old = parse("a.toml", EXAMPLE_TOML, Format::Toml)?;
/// let mut new = old.clone();
/// new.cache.capacity = 20_000;
/// assert_eq!(changed_keys(&old, &new), ["cache.capacity: 10000 -> 20000"]);
/// # Ok::<(), sysdesign::configuration::ConfigError>(())
/// ```
pub fn changed_keys(old: &ServiceConfig, new: &ServiceConfig) -> Vec<String> {
    let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
    flatten(
        "",
        &serde_json::to_value(old).expect("serializable"),
        &mut a,
    );
    flatten(
        "",
        &serde_json::to_value(new).expect("serializable"),
        &mut b,
    );
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|key| a.get(*key) != b.get(*key))
        .map(|key| {
            let show =
                |m: &BTreeMap<String, String>| m.get(key).cloned().unwrap_or("(none)".into());
            format!("{key}: {} -> {}", show(&a), show(&b))
        })
        .collect()
}

fn flatten(prefix: &str, value: &serde_json::Value, out: &mut BTreeMap<String, String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, inner, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

/// 1-based line and column of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Where the value of dotted `key` sits in a TOML `text`, from the parser's spans.
fn toml_value_position(text: &str, key: &str) -> Option<(usize, usize)> {
    let document = toml::de::DeTable::parse(text).ok()?;
    let mut parts = key.split('.');
    let first = parts.next()?;
    let (_, mut value) = document
        .get_ref()
        .iter()
        .find(|(name, _)| &**name.get_ref() == first)?;
    for part in parts {
        value = value.get_ref().get(part)?;
    }
    Some(line_column(text, value.span().start))
}
