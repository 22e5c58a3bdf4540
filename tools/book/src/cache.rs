//! The output cache: a passive store of snippet runs, each kept under a key that hashes
//! everything that can change what the snippet prints, so a rebuild runs only the snippets
//! whose inputs changed.
//!
//! The key covers the snippet's source; the sources of the library modules it uses, as the
//! resolver in [`crate::uses`] finds them (following one module's use of another; anything it
//! cannot follow means "all of `src/`"); `src/lib.rs`, the root `Cargo.toml` and `Cargo.lock`;
//! the compiler's version; and the run's settings.
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
const FORMAT: u32 = 2;

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
                "timeout={} max_output={} dependencies={:?}\n",
                settings.timeout, settings.max_output, settings.dependencies
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

/// Lower-case hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
pub(crate) fn store(project: &Project, snippet: &Path, key: &str, run: &Run) -> Result<()> {
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
