//! The output cache: a snippet's run is kept under a key that hashes everything that can change
//! what it prints, so a rebuild runs only the snippets whose inputs changed.
//!
//! The key covers the snippet's source; the sources of the library modules it uses, found by
//! reading its `sysdesign::...` paths and following `crate::...` paths between modules (any
//! path we cannot resolve means "all of `src/`"); `src/lib.rs`, `build.rs`, the root
//! `Cargo.toml` and `Cargo.lock`; the compiler's version; and the run's settings.
//! Entries live in `target/sysdesign-book/outputs/`, one JSON file each, with a digest of their
//! contents: an entry that is corrupt, truncated or for another key is reported and re-run,
//! never shown.

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::project::{Project, files_with_extension};
use crate::site::RunStats;
use crate::snippets::{self, Location, Run, Settings, is_timing};

/// Bump when the meaning of a cached entry changes.
const FORMAT: u32 = 1;

/// The inputs shared by every snippet of one build: computed once per build.
pub struct Inputs {
    common: Vec<u8>,
    /// Top-level module name to its files, relative to the root.
    modules: BTreeMap<String, Vec<PathBuf>>,
    /// Top-level module name to the `crate::` names its files use (`*` for a glob).
    module_deps: BTreeMap<String, BTreeSet<String>>,
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl Inputs {
    /// Reads the library's sources, the lock file and the compiler version.
    pub fn read(project: &Project, settings: &Settings) -> Result<Inputs> {
        let mut common = format!("sysdesign-book output cache {FORMAT}\n").into_bytes();
        let rustc =
            std::process::Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
                .arg("-vV")
                .output()
                .context("cannot run rustc -vV to learn the compiler version")?;
        common.extend_from_slice(&rustc.stdout);
        common.extend_from_slice(
            format!(
                "timeout={} max_output={} dependencies={:?}\n",
                settings.timeout, settings.max_output, settings.dependencies
            )
            .as_bytes(),
        );
        for shared in ["Cargo.toml", "Cargo.lock", "build.rs", "src/lib.rs"] {
            common.extend_from_slice(shared.as_bytes());
            common.push(0);
            match std::fs::read(project.root.join(shared)) {
                Ok(bytes) => common.extend_from_slice(&bytes),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e).with_context(|| format!("cannot read {shared}")),
            }
            common.push(0);
        }

        let mut modules: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
        let src = project.root.join("src");
        for entry in
            std::fs::read_dir(&src).with_context(|| format!("cannot list {}", src.display()))?
        {
            let path = entry?.path();
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if path.is_dir() {
                modules.insert(name, files_with_extension(&path, "rs")?);
            } else if path.extension().is_some_and(|e| e == "rs") && name != "lib" {
                modules.insert(name, vec![path]);
            }
        }
        let mut files = BTreeMap::new();
        let mut module_deps = BTreeMap::new();
        for (name, paths) in modules.iter_mut() {
            let mut deps = BTreeSet::new();
            for path in paths.iter_mut() {
                let bytes = std::fs::read(&*path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                // `None` (a glob) means the module may use any other.
                deps.extend(
                    first_segments(&without_comments(&String::from_utf8_lossy(&bytes)), "crate")
                        .unwrap_or_else(|| BTreeSet::from(["*".to_string()])),
                );
                *path = project.relative(path).to_path_buf();
                files.insert(path.clone(), bytes);
            }
            module_deps.insert(name.clone(), deps);
        }
        Ok(Inputs {
            common,
            modules,
            module_deps,
            files,
        })
    }

    /// The library modules a snippet depends on, directly or through other modules; all of them
    /// when the snippet names something we cannot resolve to a module.
    pub fn modules_used_by(&self, source: &str) -> BTreeSet<String> {
        let direct = match first_segments(source, "sysdesign") {
            Some(used) if used.iter().all(|m| self.modules.contains_key(m)) => used,
            _ => return self.modules.keys().cloned().collect(),
        };
        let mut all = BTreeSet::new();
        let mut todo: Vec<String> = direct.into_iter().collect();
        while let Some(m) = todo.pop() {
            if !all.insert(m.clone()) {
                continue;
            }
            let deps = &self.module_deps[&m];
            if deps.contains("*") {
                return self.modules.keys().cloned().collect();
            }
            // `crate::` paths may also name items re-exported at the root; only modules count.
            todo.extend(
                deps.iter()
                    .filter(|d| self.modules.contains_key(*d))
                    .cloned(),
            );
        }
        all
    }

    /// The cache key of a snippet: a hex SHA-256.
    pub fn key(&self, snippet: &Path, source: &str) -> String {
        let mut hash = Sha256::new();
        hash.update(&self.common);
        hash.update(snippet.to_string_lossy().as_bytes());
        hash.update([0]);
        hash.update(source.as_bytes());
        // A snippet that may start a private Redis falls back to its in-memory backend where
        // there is no redis-server, so whether one exists is an input to its output too.
        if source.contains("redis_server") {
            hash.update([0, u8::from(sysdesign::redis_server::available())]);
        }
        for module in self.modules_used_by(source) {
            for path in &self.modules[&module] {
                hash.update([0]);
                hash.update(path.to_string_lossy().as_bytes());
                hash.update([0]);
                hash.update(&self.files[path]);
            }
        }
        hex(&hash.finalize())
    }
}

/// The source with `//` comments (and so doc comments) removed: a doc link such as
/// ``[`crate::chart`]`` is not a use.
fn without_comments(source: &str) -> String {
    source
        .lines()
        .map(|line| line.split_once("//").map_or(line, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first path segments after each `prefix::` in `source`: for `sysdesign::caching::Lru` and
/// `use sysdesign::{show::{self, Table}, chart}` that is `caching`, `show` and `chart`.
/// `None` when a glob (`prefix::*`) makes the set unknowable.
pub fn first_segments(source: &str, prefix: &str) -> Option<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    let bytes = source.as_bytes();
    let needle = format!("{prefix}::");
    let mut from = 0;
    while let Some(at) = source[from..].find(&needle) {
        let start = from + at;
        from = start + needle.len();
        let before_ok = start == 0 || !is_ident_byte(bytes[start - 1]);
        if !before_ok {
            continue;
        }
        let rest = source[from..].trim_start();
        if rest.starts_with('*') {
            return None;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // Items at depth one of the group: an identifier after `{` or `,`.
            let mut depth = 1;
            let mut expect_item = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => expect_item = true,
                    '*' if depth == 1 && expect_item => return None,
                    c if depth == 1 && expect_item && (c.is_alphabetic() || c == '_') => {
                        let ident: String = group[i..]
                            .chars()
                            .take_while(|&c| is_ident_char(c))
                            .collect();
                        if ident != "self" {
                            found.insert(ident);
                        }
                        expect_item = false;
                    }
                    _ => {}
                }
            }
        } else {
            let ident: String = rest.chars().take_while(|&c| is_ident_char(c)).collect();
            if !ident.is_empty() {
                found.insert(ident);
            }
        }
    }
    Some(found)
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The runs of `uses`' snippets: from the cache where it has them, compiled and run otherwise
/// (and stored as each finishes). Says which were run and which were cached.
pub fn get_or_run(
    project: &Project,
    settings: &Settings,
    uses: &BTreeMap<PathBuf, Vec<Location>>,
) -> Result<(BTreeMap<PathBuf, Run>, RunStats)> {
    if uses.is_empty() {
        return Ok((BTreeMap::new(), RunStats::default()));
    }
    let inputs = Inputs::read(project, settings)?;
    let mut runs = BTreeMap::new();
    let mut to_run = BTreeMap::new();
    let mut keys = BTreeMap::new();
    for (snippet, locations) in uses {
        let source = std::fs::read_to_string(project.root.join(snippet))
            .with_context(|| format!("{}: cannot read {}", locations[0], snippet.display()))?;
        let key = inputs.key(snippet, &source);
        match load(project, snippet, &key, &source) {
            Some(run) => {
                runs.insert(snippet.clone(), run);
            }
            None => {
                to_run.insert(snippet.clone(), locations.clone());
            }
        }
        keys.insert(snippet.clone(), key);
    }
    let cached: Vec<PathBuf> = runs.keys().cloned().collect();
    let mut keep = |snippet: &Path, run: &Run| store(project, snippet, &keys[snippet], run);
    let fresh = snippets::compile_and_run(project, settings, &to_run, &mut keep)?;
    let stats = RunStats {
        ran: fresh.keys().cloned().collect(),
        cached,
        ..RunStats::default()
    };
    runs.extend(fresh);
    Ok((runs, stats))
}

/// One cached run, as stored on disk.
#[derive(Serialize, Deserialize)]
struct Entry {
    format: u32,
    key: String,
    snippet: PathBuf,
    stdout: String,
    stderr: String,
    elapsed_ms: u64,
    /// SHA-256 of everything above, so a damaged file is noticed.
    digest: String,
}

impl Entry {
    fn digest_of(
        format: u32,
        key: &str,
        snippet: &Path,
        stdout: &str,
        stderr: &str,
        elapsed_ms: u64,
    ) -> String {
        let mut hash = Sha256::new();
        for part in [
            format.to_string().as_bytes(),
            key.as_bytes(),
            snippet.to_string_lossy().as_bytes(),
            stdout.as_bytes(),
            stderr.as_bytes(),
            elapsed_ms.to_string().as_bytes(),
        ] {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part);
        }
        hex(&hash.finalize())
    }
}

/// The folder of cached outputs.
pub fn dir(project: &Project) -> PathBuf {
    project.target_dir().join("sysdesign-book").join("outputs")
}

/// The cached run for `key`, if a sound entry exists. A damaged entry is reported and ignored.
pub fn load(project: &Project, snippet: &Path, key: &str, source: &str) -> Option<Run> {
    let path = dir(project).join(format!("{key}.json"));
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            eprintln!(
                "sysdesign-book: cannot read the cache entry {}: {e}; running the snippet again",
                path.display()
            );
            return None;
        }
    };
    let sound = serde_json::from_str::<Entry>(&text).ok().filter(|e| {
        e.format == FORMAT
            && e.key == key
            && e.snippet == snippet
            && e.digest
                == Entry::digest_of(
                    e.format,
                    &e.key,
                    &e.snippet,
                    &e.stdout,
                    &e.stderr,
                    e.elapsed_ms,
                )
    });
    match sound {
        Some(entry) => Some(Run {
            stdout: entry.stdout,
            stderr: entry.stderr,
            elapsed: Duration::from_millis(entry.elapsed_ms),
            timing: is_timing(source),
        }),
        None => {
            eprintln!(
                "sysdesign-book: the cache entry for {} is damaged ({}); running the snippet again",
                snippet.display(),
                path.display()
            );
            let _ = std::fs::remove_file(&path);
            None
        }
    }
}

/// Stores a run under `key`, atomically (write a temporary file, then rename).
pub fn store(project: &Project, snippet: &Path, key: &str, run: &Run) -> Result<()> {
    let dir = dir(project);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let elapsed_ms = run.elapsed.as_millis() as u64;
    let entry = Entry {
        format: FORMAT,
        key: key.to_string(),
        snippet: snippet.to_path_buf(),
        stdout: run.stdout.clone(),
        stderr: run.stderr.clone(),
        elapsed_ms,
        digest: Entry::digest_of(FORMAT, key, snippet, &run.stdout, &run.stderr, elapsed_ms),
    };
    let path = dir.join(format!("{key}.json"));
    let tmp = dir.join(format!("{key}.json.{}.tmp", std::process::id()));
    std::fs::write(&tmp, serde_json::to_vec(&entry)?)
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, &path)
        .with_context(|| format!("cannot move {} into place", tmp.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> Option<BTreeSet<String>> {
        Some(items.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn first_segments_reads_plain_and_grouped_paths() {
        assert_eq!(
            first_segments("use sysdesign::caching::Lru;", "sysdesign"),
            set(&["caching"])
        );
        assert_eq!(
            first_segments(
                "use sysdesign::{show::{self, Table}, chart::LineChart};\nlet x = sysdesign::caching::zipf_trace;",
                "sysdesign"
            ),
            set(&["caching", "chart", "show"])
        );
        assert_eq!(first_segments("use sysdesign::*;", "sysdesign"), None);
        assert_eq!(
            first_segments("use sysdesign::{caching, *};", "sysdesign"),
            None
        );
        assert_eq!(
            first_segments("my_sysdesign::x; crate::show::table", "sysdesign"),
            set(&[])
        );
        assert_eq!(
            first_segments("use crate::show::Table;", "crate"),
            set(&["show"])
        );
    }
}
