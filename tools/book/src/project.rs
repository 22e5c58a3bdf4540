//! The project: where its root is, what `book.toml` and `Cargo.toml` say.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// The repository the tool works on.
#[derive(Clone, Debug)]
pub(crate) struct Project {
    /// The folder holding `book.toml` and the workspace's `Cargo.toml`.
    pub root: PathBuf,
}

impl Project {
    /// Finds the project from the current folder upwards: the first folder with a `book.toml`.
    pub(crate) fn discover() -> Result<Project> {
        let start = std::env::current_dir().context("cannot read the current folder")?;
        let mut dir: &Path = &start;
        loop {
            if dir.join("book.toml").is_file() && dir.join("Cargo.toml").is_file() {
                let root = dir
                    .canonicalize()
                    .with_context(|| format!("cannot resolve {}", dir.display()))?;
                return Ok(Project { root });
            }
            match dir.parent() {
                Some(parent) => dir = parent,
                None => bail!(
                    "no book.toml found in {} or any folder above it; run this inside the sysdesign repository",
                    start.display()
                ),
            }
        }
    }

    /// The cargo target folder: `CARGO_TARGET_DIR` when set, else `target/` in the root.
    pub(crate) fn target_dir(&self) -> PathBuf {
        // Not `CARGO_TARGET_DIR`: the generated snippets package, its binaries and the output
        // cache belong to this project, and two projects (a test's fixtures, say) must never
        // share them.
        self.root.join("target")
    }

    /// The root package's `[dependencies]` and `[dev-dependencies]`, by name: the crates a
    /// snippet may be allowed to use.
    pub(crate) fn root_dependencies(&self) -> Result<toml::Table> {
        let path = self.root.join("Cargo.toml");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let doc: toml::Table = toml::from_str(&text)
            .with_context(|| format!("{} is not valid TOML", path.display()))?;
        let mut deps = toml::Table::new();
        for section in ["dependencies", "dev-dependencies"] {
            if let Some(toml::Value::Table(table)) = doc.get(section) {
                for (name, spec) in table {
                    let mut spec = spec.clone();
                    // Optional for the library (behind a feature); a snippet that names the
                    // crate needs it, whatever the library's features.
                    if let toml::Value::Table(t) = &mut spec {
                        t.remove("optional");
                    }
                    deps.insert(name.clone(), spec);
                }
            }
        }
        Ok(deps)
    }

    /// The `[preprocessor.run]` settings of `book.toml`, checked.
    pub(crate) fn run_settings(&self) -> Result<Settings> {
        let config = mdbook_driver::config::Config::from_disk(self.root.join("book.toml"))
            .context("cannot read book.toml")?;
        Settings::from_config(&config)
    }

    /// A path relative to the root, for messages (or the path itself when it is elsewhere).
    pub(crate) fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }
}

/// Holds an exclusive lock on `path` (created if missing) until the file is dropped; the kernel
/// releases it if the process dies. When another process holds it, prints `busy` (which names
/// who is waiting for what), waits, and returns how long it waited.
pub(crate) fn lock_file(
    path: &Path,
    busy: &str,
) -> Result<(std::fs::File, Option<std::time::Duration>)> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok((file, None)),
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!("sysdesign-book: {busy}");
            let started = std::time::Instant::now();
            file.lock()
                .with_context(|| format!("cannot lock {}", path.display()))?;
            Ok((file, Some(started.elapsed())))
        }
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}

/// Every file under `dir` (recursively) whose extension is `ext`, sorted; none when `dir` does
/// not exist.
pub(crate) fn files_with_extension(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot list {}", dir.display())),
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Settings for compiling and running snippets, from `[preprocessor.run]` in `book.toml`.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct Settings {
    /// Seconds a snippet may run before it is killed.
    #[serde(default = "default_timeout")]
    pub timeout: u64,
    /// Crates snippets may use besides `sysdesign`; versions come from the root
    /// `Cargo.toml`'s `[dependencies]` or `[dev-dependencies]`.
    #[serde(default)]
    pub dependencies: Vec<String>,
    /// Most bytes a snippet may print on stdout or stderr.
    #[serde(default = "default_max_output")]
    pub max_output: usize,
    /// MiB of address space a snippet may map.
    #[serde(default = "default_max_memory_mib")]
    pub max_memory_mib: u64,
    /// MiB a file written by a snippet may grow to.
    #[serde(default = "default_max_file_size_mib")]
    pub max_file_size_mib: u64,
    /// Seconds of CPU time a snippet may use, all its threads together.
    #[serde(default = "default_max_cpu_seconds")]
    pub max_cpu_seconds: u64,
    /// Processes and threads a snippet may start (not enforced for root).
    #[serde(default = "default_max_processes")]
    pub max_processes: u64,
    // Keys that belong to mdBook itself.
    #[serde(default)]
    #[allow(dead_code)]
    before: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    after: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    command: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    optional: bool,
    #[serde(default)]
    #[allow(dead_code)]
    renderers: Vec<String>,
}

fn default_timeout() -> u64 {
    60
}

fn default_max_output() -> usize {
    1 << 20
}

fn default_max_memory_mib() -> u64 {
    4096
}

fn default_max_file_size_mib() -> u64 {
    256
}

fn default_max_cpu_seconds() -> u64 {
    300
}

fn default_max_processes() -> u64 {
    256
}

impl Default for Settings {
    fn default() -> Self {
        toml::from_str("").expect("every setting has a default")
    }
}

impl Settings {
    /// `[preprocessor.run]` of a loaded `book.toml`, every value checked against its range.
    pub(crate) fn from_config(config: &mdbook_driver::config::Config) -> Result<Settings> {
        let settings: Settings = config
            .get("preprocessor.run")
            .context(
                "book.toml: [preprocessor.run] has a setting that is unknown or of the wrong type",
            )?
            .unwrap_or_default();
        settings.check()?;
        Ok(settings)
    }

    /// Every value within its range; the error names the key, the value and the range.
    pub(crate) fn check(&self) -> Result<()> {
        let ranges: [(&str, u64, u64, u64, &str); 6] = [
            ("timeout", self.timeout, 1, 3600, "seconds"),
            (
                "max-output",
                self.max_output as u64,
                1024,
                64 << 20,
                "bytes",
            ),
            ("max-memory-mib", self.max_memory_mib, 64, 1 << 20, "MiB"),
            (
                "max-file-size-mib",
                self.max_file_size_mib,
                1,
                1 << 20,
                "MiB",
            ),
            (
                "max-cpu-seconds",
                self.max_cpu_seconds,
                1,
                86_400,
                "seconds",
            ),
            ("max-processes", self.max_processes, 1, 32_768, "processes"),
        ];
        for (key, value, low, high, unit) in ranges {
            if !(low..=high).contains(&value) {
                bail!(
                    "book.toml: [preprocessor.run] {key} = {value} is out of range; it must be between {low} and {high} ({unit})"
                );
            }
        }
        Ok(())
    }

    /// The limits a snippet runs under.
    pub(crate) fn limits(&self) -> crate::contain::Limits {
        crate::contain::Limits {
            memory: self.max_memory_mib << 20,
            file_size: self.max_file_size_mib << 20,
            cpu_seconds: self.max_cpu_seconds,
            processes: self.max_processes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings> {
        let config: mdbook_driver::config::Config = text.parse()?;
        Settings::from_config(&config)
    }

    #[test]
    fn every_run_setting_is_range_checked_and_named() {
        assert!(parse("[preprocessor.run]\n").is_ok());
        for (key, value) in [
            ("timeout", "0"),
            ("timeout", "100000"),
            ("max-output", "10"),
            ("max-memory-mib", "1"),
            ("max-file-size-mib", "0"),
            ("max-cpu-seconds", "0"),
            ("max-processes", "0"),
            ("max-processes", "1000000"),
        ] {
            let err = parse(&format!("[preprocessor.run]\n{key} = {value}\n"))
                .map(|_| ())
                .expect_err(key);
            let text = format!("{err:#}");
            assert!(
                text.contains(&format!("{key} = {value} is out of range")),
                "{key}: {text}"
            );
        }
        let err = parse("[preprocessor.run]\nmax-memory-mib = -5\n").expect_err("negative");
        assert!(format!("{err:#}").contains("preprocessor.run"), "{err:#}");
    }
}
