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

    /// The `[preprocessor.run]` settings of `book.toml`.
    pub(crate) fn run_settings(&self) -> Result<Settings> {
        let config = mdbook_driver::config::Config::from_disk(self.root.join("book.toml"))
            .context("cannot read book.toml")?;
        Ok(config
            .get("preprocessor.run")
            .context(
                "book.toml: [preprocessor.run] has a setting that is unknown or of the wrong type",
            )?
            .unwrap_or_default())
    }

    /// A path relative to the root, for messages (or the path itself when it is elsewhere).
    pub(crate) fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
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

impl Default for Settings {
    fn default() -> Self {
        toml::from_str("").expect("every setting has a default")
    }
}
