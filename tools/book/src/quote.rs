//! Numbers in prose come from runs: `{{#bench ...}}` quotes a benchmark result from the file
//! `cargo book bench` writes beside the appendix, `{{#value ...}}` quotes a value a snippet
//! printed with `sysdesign::show::value`, and [`hand_typed`] finds benchmark figures typed into a
//! chapter by hand, which the build refuses.
//!
//! ```text
//! {{#bench ratio token bucket check | sysdesign TokenBucket}}   -> 0.18
//! {{#bench range token bucket check | sysdesign TokenBucket}}   -> 0.18 (0.17 to 0.18)
//! {{#bench speedup token bucket check | sysdesign TokenBucket}} -> 5.62 (5.56 to 5.75), theirs / ours
//! {{#bench ours token bucket check | sysdesign TokenBucket}}    -> 42.8 µs
//! {{#bench baseline token bucket check | sysdesign TokenBucket}} -> 240 µs
//! {{#bench ratio metrics | sysdesign X | sklearn.metrics.f}}    -> when a benchmark has two baselines
//! {{#bench date}}                                               -> 2026-11-23
//! {{#value ../../snippets/overload/breaker.rs opened_at}}        -> what the run printed
//! ```

use anyhow::{Context, Result, bail};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::LazyLock;

use crate::markdown::Markdown;

/// The results file, relative to the root; `cargo book bench` writes it with the appendix.
pub(crate) const RESULTS: &str = "book/appendix/benchmarks.json";

/// What `cargo book bench` measured, in a form the tool (and anyone) can read back.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub(crate) struct Results {
    /// What wrote the file.
    pub generated_by: String,
    /// The day of the run, YYYY-MM-DD (UTC).
    pub date: String,
    /// CPU model, logical CPUs, compiler.
    pub machine: String,
    /// One entry per benchmark (group, and parameter if any) and baseline.
    pub groups: Vec<Group>,
}

/// One benchmark: the baseline and every one of ours, measured in the same criterion group.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub(crate) struct Group {
    /// The benchmark's name as the appendix shows it, e.g. `token bucket check`.
    pub benchmark: String,
    /// The bench file, e.g. `benches/rate_limiting.rs`.
    pub source: String,
    /// The well-known crate's function.
    pub baseline: Timing,
    /// Ours, each with its ratio to the baseline.
    pub functions: Vec<Compared>,
}

/// A function's median time per iteration, in nanoseconds, with criterion's 95 % interval.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub(crate) struct Timing {
    /// The function id, e.g. `governor::RateLimiter`.
    pub function: String,
    /// Median nanoseconds per iteration.
    pub median_ns: f64,
    /// The confidence interval of the median, nanoseconds.
    pub interval_ns: [f64; 2],
}

/// One of ours against the group's baseline.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub(crate) struct Compared {
    /// Our function and its time.
    #[serde(flatten)]
    pub timing: Timing,
    /// Our median over the baseline's.
    pub ratio: f64,
    /// Our lowest over their highest, our highest over their lowest.
    pub ratio_interval: [f64; 2],
}

impl Results {
    /// Reads [`RESULTS`] under `root`; a missing file is an empty set of results.
    pub(crate) fn read(root: &Path) -> Result<Results> {
        let path = root.join(RESULTS);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).with_context(|| {
                format!("{RESULTS} is not a results file `cargo book bench` wrote")
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Results::default()),
            Err(e) => Err(e).with_context(|| format!("cannot read {RESULTS}")),
        }
    }

    /// The text a `{{#bench KIND BENCHMARK | FUNCTION}}` directive stands for.
    pub(crate) fn quote(&self, spec: &str) -> Result<String> {
        let spec = spec.trim();
        if spec == "date" {
            if self.date.is_empty() {
                bail!("{RESULTS} has no results yet; run `cargo book bench`");
            }
            return Ok(self.date.clone());
        }
        let (kind, rest) = spec.split_once(char::is_whitespace).with_context(|| {
            format!(
                "write {{{{#bench ratio|range|ours|baseline BENCHMARK | FUNCTION}}}}, not {spec:?}"
            )
        })?;
        let mut parts = rest.split('|').map(str::trim);
        let benchmark = parts.next().unwrap_or_default();
        let function = parts.next();
        let baseline = parts.next();
        let candidates: Vec<(&Group, &Compared)> = self
            .groups
            .iter()
            .filter(|g| g.benchmark == benchmark)
            .filter(|g| baseline.is_none_or(|name| g.baseline.function == name))
            .flat_map(|g| g.functions.iter().map(move |f| (g, f)))
            .filter(|(_, f)| function.is_none_or(|name| f.timing.function == name))
            .collect();
        let (group, ours) = match candidates.as_slice() {
            [one] => *one,
            [] => {
                let known: Vec<String> = self
                    .groups
                    .iter()
                    .flat_map(|g| {
                        g.functions.iter().map(move |f| {
                            format!(
                                "{} | {} | {}",
                                g.benchmark, f.timing.function, g.baseline.function
                            )
                        })
                    })
                    .collect();
                bail!(
                    "{RESULTS} has no benchmark {benchmark:?}{}{}; it has: {}",
                    function.map_or(String::new(), |f| format!(" with function {f:?}")),
                    baseline.map_or(String::new(), |b| format!(" against {b:?}")),
                    known.join("; ")
                )
            }
            _ if function.is_none() => {
                bail!("{benchmark:?} has several functions of ours; name one after a `|`")
            }
            _ => bail!(
                "{benchmark:?} compares {:?} with several baselines; name one after a second `|`",
                function.unwrap_or_default()
            ),
        };
        Ok(match kind {
            "ratio" => ratio(ours.ratio),
            "range" => format!(
                "{} ({} to {})",
                ratio(ours.ratio),
                ratio(ours.ratio_interval[0]),
                ratio(ours.ratio_interval[1])
            ),
            // How many times faster ours is: the baseline's time over ours.
            "speedup" => format!(
                "{} ({} to {})",
                ratio(1.0 / ours.ratio),
                ratio(1.0 / ours.ratio_interval[1]),
                ratio(1.0 / ours.ratio_interval[0])
            ),
            "ours" => duration(ours.timing.median_ns),
            "baseline" => duration(group.baseline.median_ns),
            other => bail!("{other:?} is not ratio, range, speedup, ours or baseline"),
        })
    }
}

/// A ratio as the appendix writes it: two decimals from 0.1 up, three significant figures
/// below, so that 0.0052 does not read as 0.01.
pub(crate) fn ratio(x: f64) -> String {
    if !x.is_finite() || x >= 0.1 || x == 0.0 {
        if x >= 100.0 {
            return format!("{x:.0}");
        }
        return format!("{x:.2}");
    }
    let decimals = (2.0 - x.abs().log10().floor()) as usize;
    format!("{x:.decimals$}")
}

/// Nanoseconds to three significant figures in a fitting unit, as the appendix writes them.
pub(crate) fn duration(ns: f64) -> String {
    let (value, unit) = if ns < 1e3 {
        (ns, "ns")
    } else if ns < 1e6 {
        (ns / 1e3, "µs")
    } else if ns < 1e9 {
        (ns / 1e6, "ms")
    } else {
        (ns / 1e9, "s")
    };
    let decimals = if value < 10.0 {
        2
    } else if value < 100.0 {
        1
    } else {
        0
    };
    format!("{value:.decimals$} {unit}")
}

/// The value a snippet printed as `name = value` (its last such line), for `{{#value}}`.
pub(crate) fn value(stdout: &str, name: &str) -> Option<String> {
    let prefix = format!("{name} = ");
    stdout
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix(&prefix).map(|v| v.trim().to_string()))
}

static DECIMAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b\d+\.\d+\b(?:\s?%)?|\b\d+(?:\.\d+)?\s?(?:ns|µs|us|ms)\b")
        .expect("the number pattern is valid")
});
static CODE_OR_DIRECTIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"`[^`]*`|\{\{#[^}]*\}\}").expect("the code pattern is valid"));
static ABOUT_BENCHMARKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)bench|criterion|\bmedians?\b|\bratio of\b|times\s+\S+'s median")
        .expect("the keyword pattern is valid")
});

/// Whether the number at `start..end` of `line` is (part of) a version number rather than a
/// figure. Three shapes count: a number right after a `v` (`v1.2`); a number followed by a dot
/// and a digit, or preceded by a digit and a dot: part of a dotted version of three parts or
/// more (both the `1.9` and the `9.1` of `1.9.1`); and a number whose previous word is `version`, `release`,
/// `edition`, `Rust`, `rustc` or `criterion` (`version 2.0`, `Rust 1.95`, `criterion 0.8`).
fn is_version(line: &str, start: usize, end: usize) -> bool {
    let before = &line[..start];
    let after = &line[end..];
    let digit_after_dot = |s: &str| {
        s.strip_prefix('.')
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    };
    let dotted_before = before
        .strip_suffix('.')
        .is_some_and(|r| r.ends_with(|c: char| c.is_ascii_digit()));
    let word_before = before
        .trim_end()
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    before.ends_with(['v', 'V'])
        || digit_after_dot(after)
        || dotted_before
        || matches!(
            word_before.to_ascii_lowercase().as_str(),
            "version" | "versions" | "release" | "edition" | "rust" | "rustc" | "criterion"
        )
}

/// Benchmark figures typed into a chapter by hand: in a paragraph (or table) about benchmarks,
/// a decimal number or a duration written in the prose rather than quoted by a directive.
/// Code blocks, raw HTML and comments (left out by [`Markdown::prose_lines`]), inline code and
/// `{{#...}}` directives are not prose. Returns `line: message`.
pub(crate) fn hand_typed(chapter: &Path, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut block: Vec<(usize, &str)> = Vec::new();
    let mut flush = |block: &mut Vec<(usize, &str)>| {
        let prose: Vec<(usize, String)> = block
            .iter()
            .map(|(n, l)| (*n, CODE_OR_DIRECTIVE.replace_all(l, "").into_owned()))
            .collect();
        if prose.iter().any(|(_, l)| ABOUT_BENCHMARKS.is_match(l)) {
            for (n, l) in &prose {
                // A percentage is a rate or a share, not a benchmark ratio; a version number
                // (criterion 0.8, scikit-learn 1.9.1) names what was run, not what it measured.
                if let Some(m) = DECIMAL
                    .find_iter(l)
                    .find(|m| !m.as_str().ends_with('%') && !is_version(l, m.start(), m.end()))
                {
                    found.push(format!(
                        "{}:{n}: {:?} looks like a benchmark figure typed by hand; quote it from the run with {{{{#bench ratio BENCHMARK | FUNCTION}}}} (see tools/book/src/quote.rs)",
                        chapter.display(),
                        m.as_str()
                    ));
                }
            }
        }
        block.clear();
    };
    let lines = Markdown::read(text).prose_lines();
    for (i, line) in &lines {
        let (i, line) = (*i, line.as_str());
        let t = line.trim_start();
        // A blank line ends a paragraph (a code block or HTML leaves one), and so does a new
        // list item.
        let list_item = t.starts_with("- ")
            || t.starts_with("* ")
            || t.split_once(". ")
                .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()));
        if t.is_empty() || list_item {
            flush(&mut block);
        }
        if !t.is_empty() {
            block.push((i + 1, line));
        }
    }
    flush(&mut block);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results() -> Results {
        Results {
            generated_by: "test".into(),
            date: "2026-11-23".into(),
            machine: "m".into(),
            groups: vec![Group {
                benchmark: "token bucket check".into(),
                source: "benches/rate_limiting.rs".into(),
                baseline: Timing {
                    function: "governor::RateLimiter".into(),
                    median_ns: 240_000.0,
                    interval_ns: [239_000.0, 241_000.0],
                },
                functions: vec![Compared {
                    timing: Timing {
                        function: "sysdesign TokenBucket".into(),
                        median_ns: 42_800.0,
                        interval_ns: [42_000.0, 43_000.0],
                    },
                    ratio: 42_800.0 / 240_000.0,
                    ratio_interval: [42_000.0 / 241_000.0, 43_000.0 / 239_000.0],
                }],
            }],
        }
    }

    #[test]
    fn a_directive_quotes_the_recorded_ratio_and_times() {
        let r = results();
        let q = |s: &str| r.quote(s).unwrap();
        assert_eq!(
            q("ratio token bucket check | sysdesign TokenBucket"),
            "0.18"
        );
        assert_eq!(q("ratio token bucket check"), "0.18");
        assert_eq!(q("range token bucket check"), "0.18 (0.17 to 0.18)");
        assert_eq!(q("ours token bucket check"), "42.8 µs");
        assert_eq!(q("baseline token bucket check"), "240 µs");
        assert_eq!(q("date"), "2026-11-23");
        let err = r.quote("ratio token bucket | x").unwrap_err().to_string();
        assert!(
            err.contains("token bucket check | sysdesign TokenBucket"),
            "{err}"
        );
        assert!(r.quote("speed token bucket check").is_err());
    }

    #[test]
    fn small_ratios_keep_three_significant_figures_and_speedups_invert_them() {
        assert_eq!(ratio(0.00521), "0.00521");
        assert_eq!(ratio(0.0521), "0.0521");
        assert_eq!(ratio(0.521), "0.52");
        assert_eq!(ratio(2.5), "2.50");
        assert_eq!(ratio(192.4), "192");
        let r = results();
        assert_eq!(
            r.quote("speedup token bucket check").unwrap(),
            "5.61 (5.56 to 5.74)"
        );
    }

    #[test]
    fn a_second_bar_names_the_baseline_when_there_are_two() {
        let mut r = results();
        let mut floor = r.groups[0].clone();
        floor.baseline.function = "a read floor".into();
        floor.functions[0].ratio = 2.0;
        r.groups.push(floor);
        let err = r
            .quote("ratio token bucket check | sysdesign TokenBucket")
            .unwrap_err()
            .to_string();
        assert!(err.contains("several baselines"), "{err}");
        assert_eq!(
            r.quote("ratio token bucket check | sysdesign TokenBucket | a read floor")
                .unwrap(),
            "2.00"
        );
        assert_eq!(
            r.quote("ratio token bucket check | sysdesign TokenBucket | governor::RateLimiter")
                .unwrap(),
            "0.18"
        );
    }

    #[test]
    fn the_results_file_round_trips() {
        let r = results();
        let text = serde_json::to_string_pretty(&r).unwrap();
        assert!(text.contains("\"median_ns\": 42800.0"), "{text}");
        assert_eq!(serde_json::from_str::<Results>(&text).unwrap(), r);
    }

    #[test]
    fn a_snippet_value_is_its_last_named_line() {
        assert_eq!(
            value("opened_at = 1 s\nx\nopened_at = 2.5 s\n", "opened_at").as_deref(),
            Some("2.5 s")
        );
        assert_eq!(value("other = 1\n", "opened_at"), None);
    }

    #[test]
    fn a_hand_typed_ratio_near_a_benchmark_fails_and_a_quoted_one_passes() {
        let typed =
            "# T\n\nSpeed: the benchmark ran 10,000 checks.\nOurs took 62.6 µs, a ratio of 0.16.\n";
        let found = hand_typed(Path::new("book/t.md"), typed);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("book/t.md:4: \"62.6\""), "{found:?}");
        let quoted = "Speed: the benchmark ran.\nOurs took {{#bench ours token bucket check}}, a ratio of {{#bench ratio token bucket check}}.\n\n```text\n0.16 in a benchmark block\n```\n\nThe rate is 1.2 % of the formula.\n\n1. Run `cargo bench`.\n2. Size it for 0.1 % and compare with 0.5.\n";
        assert!(hand_typed(Path::new("book/t.md"), quoted).is_empty());
    }

    #[test]
    fn version_numbers_near_a_benchmark_are_not_figures() {
        let versions = "The benchmark ran scikit-learn 1.9.1 and numpy 2.4.6 under criterion 0.8, \
             serde_json v1.0.54, on Rust 1.95 (version 2.0 of the data).\n";
        let found = hand_typed(Path::new("book/t.md"), versions);
        assert!(found.is_empty(), "{found:?}");
        // A figure beside a version is still found.
        let both = "The benchmark ran scikit-learn 1.9.1 in 2.93 s.\n";
        let found = hand_typed(Path::new("book/t.md"), both);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("\"2.93\""), "{found:?}");
    }

    #[test]
    fn is_version_tells_versions_from_figures() {
        let at = |line: &str, number: &str| {
            let start = line.find(number).expect("the number is in the line");
            is_version(line, start, start + number.len())
        };
        assert!(at("numpy 2.4.6 here", "2.4"));
        assert!(at("numpy 2.4.6 here", "4.6"));
        assert!(at("crate v0.16 here", "0.16"));
        assert!(at("with criterion 0.8", "0.8"));
        assert!(!at("a ratio of 0.16.", "0.16"));
        assert!(!at("took 62.6 µs", "62.6"));
        assert!(!at("ends in 1.5.", "1.5"));
    }
}
