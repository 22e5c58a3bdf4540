//! The output cache: a passive store of snippet runs, each kept under a key that hashes
//! everything that can change what the snippet prints, so a rebuild runs only the snippets
//! whose inputs changed.
//!
//! The key covers the snippet's source; the sources of the library modules it uses, as the
//! resolver in [`crate::uses`] finds them (following one module's use of another; anything it
//! cannot follow means "all of `src/`"); `src/lib.rs`, the root `Cargo.toml` and `Cargo.lock`;
//! the compiler's version; and the run's settings. What the resolver cannot see, the compiler
//! tells: every other file the snippet's build read (a `#[path]` module, an `include_str!`), as
//! listed in the dep-info file cargo writes beside the binary, is recorded in the entry with its
//! hash, and an entry whose recorded file changed is not used.
//! Entries live in `target/sysdesign-book/outputs/`, one JSON file each, with a digest of their
//! contents: an entry that is corrupt, truncated or for another key is reported and re-run,
//! never shown. Deciding what to run, and running it, is the caller's business
//! ([`crate::preprocessor::get_or_run`]).

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::project::{Project, Settings};
use crate::snippets::{Run, is_timing};
use crate::uses::{Library, Uses};

/// Bump when the meaning of a cached entry changes.
const FORMAT: u32 = 3;

/// The inputs shared by every snippet of one build: computed once per build.
pub(crate) struct Inputs {
    common: Vec<u8>,
    library: Library,
}

/// `rustc -vV`: the compiler's exact version, part of every key.
pub(crate) fn rustc_version() -> Result<Vec<u8>> {
    let rustc =
        std::process::Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
            .arg("-vV")
            .output()
            .context("cannot run rustc -vV to learn the compiler version")?;
    Ok(rustc.stdout)
}

/// The files every build depends on, whatever it uses: the manifest, the lock file and the
/// library's root.
pub(crate) fn shared_files(project: &Project) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    for shared in ["Cargo.toml", "Cargo.lock", "src/lib.rs"] {
        out.extend_from_slice(shared.as_bytes());
        out.push(0);
        match std::fs::read(project.root.join(shared)) {
            Ok(bytes) => out.extend_from_slice(&bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("cannot read {shared}")),
        }
        out.push(0);
    }
    Ok(out)
}

impl Inputs {
    /// Reads the library's sources, the lock file and the compiler version.
    pub(crate) fn read(project: &Project, settings: &Settings) -> Result<Inputs> {
        let mut common = format!("sysdesign-book output cache {FORMAT}\n").into_bytes();
        common.extend_from_slice(&rustc_version()?);
        common.extend_from_slice(
            format!(
                "timeout={} max_output={} dependencies={:?} limits={:?}\n",
                settings.timeout,
                settings.max_output,
                settings.dependencies,
                settings.limits()
            )
            .as_bytes(),
        );
        common.extend_from_slice(&shared_files(project)?);
        Ok(Inputs {
            common,
            library: Library::read(&project.root)?,
        })
    }

    /// The cache key of a snippet: a hex SHA-256.
    pub(crate) fn key(&self, snippet: &Path, source: &str) -> String {
        let mut hash = Sha256::new();
        hash.update(&self.common);
        hash.update(snippet.to_string_lossy().as_bytes());
        hash.update([0]);
        hash.update(source.as_bytes());
        let uses = Uses::of(source, "sysdesign");
        // A snippet that may start a private Redis falls back to its in-memory backend where
        // there is no redis-server, so whether one exists is an input to its output too.
        if uses.everything || uses.top_level().contains("redis_server") {
            hash.update([0, u8::from(sysdesign::redis_server::available())]);
        }
        for (path, bytes) in self.library.files_of(&self.library.modules_used_by(&uses)) {
            hash.update([0]);
            hash.update(path.to_string_lossy().as_bytes());
            hash.update([0]);
            hash.update(bytes);
        }
        hex(&hash.finalize())
    }
}

impl Inputs {
    /// What to record with a run besides its key: the files its build read that the key does
    /// not cover ([`extra_reads`]), and the library files those read files use in turn (a
    /// `#[path]` module may use the library too; the resolver reads it like a snippet).
    pub(crate) fn reads(
        &self,
        project: &Project,
        snippet: &Path,
        dep_info: &[PathBuf],
    ) -> Vec<PathBuf> {
        let mut reads = extra_reads(project, snippet, dep_info);
        let sources: Vec<PathBuf> = reads
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .cloned()
            .collect();
        for path in sources {
            if let Ok(text) = std::fs::read_to_string(project.root.join(&path)) {
                let uses = Uses::of(&text, "sysdesign");
                let modules = self.library.modules_used_by(&uses);
                reads.extend(self.library.files_of(&modules).map(|(p, _)| p.clone()));
            }
        }
        reads.sort();
        reads.dedup();
        reads
    }
}

/// Lower-case hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A file the compiler read for a snippet, beyond the snippet and the library, with the
/// SHA-256 of its contents when the run was made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Read {
    path: PathBuf,
    sha256: String,
}

/// The files of `dep_info` (every file the build of `snippet` read) that the key does not cover:
/// not the snippet itself, not the library's `src/` (the resolver's business), not `target/`.
/// Paths inside the project are kept relative to it.
pub(crate) fn extra_reads(project: &Project, snippet: &Path, dep_info: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = dep_info
        .iter()
        .map(|p| project.relative(p).to_path_buf())
        .filter(|p| p != snippet && !p.starts_with("src") && !p.starts_with("target"))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn sha256_of(project: &Project, path: &Path) -> Option<String> {
    std::fs::read(project.root.join(path))
        .ok()
        .map(|bytes| hex(&Sha256::digest(&bytes)))
}

/// The files a dep-info file lists (make syntax: `target: dep dep ...`, spaces in a path
/// escaped as `\ `).
pub(crate) fn parse_dep_info(text: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for line in text.lines() {
        let Some((_, deps)) = line.split_once(": ") else {
            continue;
        };
        let mut current = String::new();
        let mut chars = deps.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let Some(next) = chars.next() {
                        current.push(next);
                    }
                }
                ' ' => {
                    if !current.is_empty() {
                        files.push(PathBuf::from(std::mem::take(&mut current)));
                    }
                }
                c => current.push(c),
            }
        }
        if !current.is_empty() {
            files.push(PathBuf::from(current));
        }
    }
    files
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
    /// The other files the compiler read, as they were.
    reads: Vec<Read>,
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
        reads: &[Read],
    ) -> String {
        let mut hash = Sha256::new();
        let reads: Vec<String> = reads
            .iter()
            .map(|r| format!("{}\0{}", r.path.display(), r.sha256))
            .collect();
        let reads = reads.join("\0");
        for part in [
            format.to_string().as_bytes(),
            key.as_bytes(),
            snippet.to_string_lossy().as_bytes(),
            stdout.as_bytes(),
            stderr.as_bytes(),
            elapsed_ms.to_string().as_bytes(),
            reads.as_bytes(),
        ] {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part);
        }
        hex(&hash.finalize())
    }
}

/// The folder of cached outputs.
pub(crate) fn dir(project: &Project) -> PathBuf {
    project.target_dir().join("sysdesign-book").join("outputs")
}

/// The cached run for `key`, if a sound entry exists. A damaged entry is reported and ignored.
pub(crate) fn load(project: &Project, snippet: &Path, key: &str, source: &str) -> Option<Run> {
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
                    &e.reads,
                )
    });
    if let Some(entry) = &sound {
        for read in &entry.reads {
            if sha256_of(project, &read.path).as_ref() != Some(&read.sha256) {
                eprintln!(
                    "sysdesign-book: {} changed since {} last ran; running it again",
                    read.path.display(),
                    snippet.display()
                );
                return None;
            }
        }
    }
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

/// Stores a run under `key`, atomically (write a temporary file, then rename), with the hashes
/// of `reads`, the other files its build read ([`extra_reads`]).
pub(crate) fn store(
    project: &Project,
    snippet: &Path,
    key: &str,
    run: &Run,
    reads: &[PathBuf],
) -> Result<()> {
    let reads: Vec<Read> = reads
        .iter()
        .map(|path| Read {
            path: path.clone(),
            // A file gone since the build can never match: the entry will not be used.
            sha256: sha256_of(project, path).unwrap_or_default(),
        })
        .collect();
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
        digest: Entry::digest_of(
            FORMAT,
            key,
            snippet,
            &run.stdout,
            &run.stderr,
            elapsed_ms,
            &reads,
        ),
        reads,
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

    #[test]
    fn dep_info_paths_are_split_on_unescaped_spaces() {
        let text = "/r/target/release/a: /r/snippets/a.rs /r/snippets/my\\ dir/common.rs /r/src/lib.rs\n\n/r/snippets/a.rs:\n";
        assert_eq!(
            parse_dep_info(text),
            [
                PathBuf::from("/r/snippets/a.rs"),
                PathBuf::from("/r/snippets/my dir/common.rs"),
                PathBuf::from("/r/src/lib.rs"),
            ]
        );
    }
}
