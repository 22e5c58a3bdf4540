//! The execution cache: a notebook that ran to the end is kept under a key that hashes
//! everything its run depends on, so an unchanged notebook is never executed twice.
//!
//! The key covers the code cells in order (with the first cell's library location left out, so
//! the copy in a clone and the copy on the site share one run), the sources of the library
//! modules they use (found by [`crate::uses`]), the root `Cargo.toml`, `Cargo.lock` and
//! `src/lib.rs`, the compiler's and the kernel's versions, and the runner script. Prose is not
//! in the key: the cache keeps each code cell's outputs, and they are put into the freshly
//! generated notebook, so a prose edit re-executes nothing.
//!
//! Entries live under the user's cache folder (`~/.cache/sysdesign-book/notebooks/`, shared by
//! every clone on the machine, and restored by the CI workflow), one JSON file each with a
//! digest: a damaged entry is reported and ignored. Only a run that ended without a failing
//! cell is stored.

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

use super::{Cell, Generated, Kind};
use crate::cache::{hex, rustc_version, shared_files};
use crate::project::Project;

/// Bump when the meaning of an entry changes.
const FORMAT: u32 = 1;

/// The part of every notebook's key that does not depend on the notebook.
pub(crate) fn common_key(project: &Project) -> Result<Vec<u8>> {
    let mut common = format!(
        "sysdesign-book notebook execution {FORMAT}\nevcxr {}\n",
        super::run::EVCXR_VERSION
    )
    .into_bytes();
    common.extend_from_slice(&rustc_version()?);
    common.extend_from_slice(&shared_files(project)?);
    // The tool's own runner; a project without it (a test's fixture) cannot execute anything.
    let runner = project.root.join(super::run::RUNNER);
    match std::fs::read(&runner) {
        Ok(bytes) => common.extend_from_slice(&bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", runner.display())),
    }
    Ok(common)
}

/// A notebook's key: a hex SHA-256 of the common inputs, its code cells and its library files.
pub(crate) fn key<'a>(
    common: &[u8],
    chapter: &Path,
    cells: &[Cell],
    library: impl Iterator<Item = &'a (PathBuf, Vec<u8>)>,
) -> String {
    let mut hash = Sha256::new();
    hash.update(common);
    hash.update(chapter.to_string_lossy().as_bytes());
    for cell in cells.iter().filter(|c| c.kind == Kind::Code) {
        hash.update((cell.source.len() as u64).to_le_bytes());
        hash.update(cell.source.as_bytes());
    }
    for (path, bytes) in library {
        hash.update([0]);
        hash.update(path.to_string_lossy().as_bytes());
        hash.update([0]);
        hash.update(bytes);
    }
    hex(&hash.finalize())
}

/// One stored execution: the outputs of each code cell, in order.
#[derive(Serialize, Deserialize)]
struct Entry {
    format: u32,
    key: String,
    chapter: PathBuf,
    /// `{"execution_count": .., "outputs": [..]}` per code cell.
    cells: Vec<Value>,
    digest: String,
}

impl Entry {
    fn digest_of(format: u32, key: &str, chapter: &Path, cells: &[Value]) -> String {
        let mut hash = Sha256::new();
        let cells = serde_json::to_string(cells).expect("JSON values serialise");
        for part in [
            format.to_string().as_bytes(),
            key.as_bytes(),
            chapter.to_string_lossy().as_bytes(),
            cells.as_bytes(),
        ] {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part);
        }
        hex(&hash.finalize())
    }
}

/// The folder of stored executions.
pub(crate) struct Store {
    dir: PathBuf,
}

impl Store {
    /// The store under the user's cache folder (created on first write).
    pub(crate) fn open() -> Result<Store> {
        Ok(Store {
            dir: super::run::cache_dir()?.join("notebooks"),
        })
    }

    /// A store in another folder (tests).
    #[cfg(test)]
    pub(crate) fn at(dir: &Path) -> Store {
        Store {
            dir: dir.to_path_buf(),
        }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    /// Whether a sound entry exists for `key`.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.load(key).is_some()
    }

    fn load(&self, key: &str) -> Option<Entry> {
        let path = self.path(key);
        let text = std::fs::read_to_string(&path).ok()?;
        let entry = serde_json::from_str::<Entry>(&text).ok().filter(|e| {
            e.format == FORMAT
                && e.key == key
                && e.digest == Entry::digest_of(e.format, &e.key, &e.chapter, &e.cells)
        });
        if entry.is_none() {
            eprintln!(
                "sysdesign-book: the notebook execution {} is damaged; it will be executed again",
                path.display()
            );
            let _ = std::fs::remove_file(&path);
        }
        entry
    }

    /// The notebook `nb` with the outputs of its stored execution, if there is one.
    pub(crate) fn outputs_for(&self, nb: &Generated) -> Result<Option<String>> {
        let Some(entry) = self.load(&nb.key) else {
            return Ok(None);
        };
        let mut notebook: Value =
            serde_json::from_str(&nb.text).context("a generated notebook is JSON")?;
        let cells = notebook["cells"]
            .as_array_mut()
            .context("a generated notebook has cells")?;
        let code: Vec<&mut Value> = cells
            .iter_mut()
            .filter(|c| c["cell_type"] == "code")
            .collect();
        if code.len() != entry.cells.len() {
            // The key covers the code cells, so this is a damaged or foreign entry.
            eprintln!(
                "sysdesign-book: the notebook execution for {} has {} cells where the notebook has {}; ignored",
                nb.chapter.display(),
                entry.cells.len(),
                code.len()
            );
            return Ok(None);
        }
        for (cell, stored) in code.into_iter().zip(entry.cells) {
            cell["execution_count"] = stored["execution_count"].clone();
            cell["outputs"] = stored["outputs"].clone();
        }
        Ok(Some(super::to_text(&notebook)?))
    }

    /// Stores the outputs of `executed` (an `.ipynb` file the runner wrote after every cell
    /// succeeded) under `key`, atomically.
    pub(crate) fn save(&self, key: &str, chapter: &Path, executed: &Path) -> Result<()> {
        let text = std::fs::read_to_string(executed)
            .with_context(|| format!("cannot read {}", executed.display()))?;
        let notebook: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a notebook", executed.display()))?;
        let Some(cells) = notebook["cells"].as_array() else {
            bail!("{} has no cells", executed.display());
        };
        let cells: Vec<Value> = cells
            .iter()
            .filter(|c| c["cell_type"] == "code")
            .map(|c| {
                serde_json::json!({
                    "execution_count": c["execution_count"],
                    "outputs": c["outputs"],
                })
            })
            .collect();
        let entry = Entry {
            format: FORMAT,
            key: key.to_string(),
            chapter: chapter.to_path_buf(),
            digest: Entry::digest_of(FORMAT, key, chapter, &cells),
            cells,
        };
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("cannot create {}", self.dir.display()))?;
        let mut tmp = tempfile::NamedTempFile::new_in(&self.dir)
            .with_context(|| format!("cannot write in {}", self.dir.display()))?;
        serde_json::to_writer(&mut tmp, &entry)?;
        tmp.persist(self.path(key))
            .with_context(|| format!("cannot store {}", self.path(key).display()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(key: &str, text: &str) -> Generated {
        Generated {
            chapter: PathBuf::from("book/x.md"),
            relative: PathBuf::from("x.ipynb"),
            cells: Vec::new(),
            text: text.to_string(),
            key: key.to_string(),
        }
    }

    const FRESH: &str = r#"{"cells": [
        {"cell_type": "markdown", "source": ["new prose"], "metadata": {}},
        {"cell_type": "code", "source": ["1 + 1"], "outputs": [], "execution_count": null, "metadata": {}}
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#;

    const EXECUTED: &str = r#"{"cells": [
        {"cell_type": "markdown", "source": ["old prose"], "metadata": {}},
        {"cell_type": "code", "source": ["1 + 1"], "execution_count": 1, "metadata": {},
         "outputs": [{"output_type": "execute_result", "data": {"text/plain": ["2"]}, "execution_count": 1, "metadata": {}}]}
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#;

    #[test]
    fn a_stored_run_puts_its_outputs_into_the_fresh_prose() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        let nb = generated("k1", FRESH);
        assert!(
            store.outputs_for(&nb).unwrap().is_none(),
            "nothing stored yet"
        );
        let run = dir.path().join("run.ipynb");
        std::fs::write(&run, EXECUTED).unwrap();
        store.save("k1", Path::new("book/x.md"), &run).unwrap();
        let text = store.outputs_for(&nb).unwrap().expect("stored");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v["cells"][0]["source"][0], "new prose",
            "prose is the fresh one"
        );
        assert_eq!(v["cells"][1]["outputs"][0]["data"]["text/plain"][0], "2");
        assert_eq!(v["cells"][1]["execution_count"], 1);
        assert!(
            store
                .outputs_for(&generated("k2", FRESH))
                .unwrap()
                .is_none(),
            "another key"
        );
    }

    #[test]
    fn a_damaged_entry_is_ignored_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        let run = dir.path().join("run.ipynb");
        std::fs::write(&run, EXECUTED).unwrap();
        store.save("k1", Path::new("book/x.md"), &run).unwrap();
        let path = store.path("k1");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("\"2\"", "\"3\"")).unwrap();
        assert!(!store.has("k1"), "the digest no longer matches");
        assert!(!path.exists());
    }

    #[test]
    fn the_key_follows_code_cells_not_prose() {
        let cell = |kind, source: &str| Cell {
            kind,
            source: source.to_string(),
            origin: None,
        };
        let k = |cells: &[Cell]| key(b"common", Path::new("book/x.md"), cells, std::iter::empty());
        let base = k(&[cell(Kind::Markdown, "a"), cell(Kind::Code, "1")]);
        assert_eq!(base, k(&[cell(Kind::Markdown, "b"), cell(Kind::Code, "1")]));
        assert_ne!(base, k(&[cell(Kind::Markdown, "a"), cell(Kind::Code, "2")]));
        let lib = [(PathBuf::from("src/a.rs"), b"x".to_vec())];
        assert_ne!(
            base,
            key(
                b"common",
                Path::new("book/x.md"),
                &[cell(Kind::Markdown, "a"), cell(Kind::Code, "1")],
                lib.iter()
            )
        );
    }
}
