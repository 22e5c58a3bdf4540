//! The directory a store's file lives in, behind a trait, so a test can crash it at any step.
//!
//! Replacing a file safely takes four steps in one directory: write the new contents to a
//! temporary file, `fsync` it, `rename` it over the live file, `fsync` the directory.
//! [`replace_file`] does exactly that; compaction and repair both use it.
//!
//! [`FsDir`] is a real directory. [`SimDir`] keeps its files as [`SimulatedLog`]s and its names
//! twice: as the operating system shows them, and as they are on the disk, which changes only when
//! the directory is synced. Given a budget it crashes after that many units of work (one unit per
//! byte appended, one per `fsync`, create or rename), and [`SimDir::after_crash`] shows what a
//! restart would find.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::log_file::{FileLog, LogFile, SimulatedLog};

/// What a store needs from the directory its file lives in.
pub trait Directory {
    /// A file in this directory.
    type File: LogFile;
    /// Opens `name`, creating it if needed; a new file's entry is made durable.
    fn open(&mut self, name: &OsStr) -> io::Result<Self::File>;
    /// Creates `name`, failing if anything exists under that name (`O_EXCL`).
    fn create_new(&mut self, name: &OsStr) -> io::Result<Self::File>;
    /// Renames `from` to `to`, replacing `to` atomically.
    fn rename(&mut self, from: &OsStr, to: &OsStr) -> io::Result<()>;
    /// Makes the directory's entries durable (`fsync` of the directory).
    fn sync(&mut self) -> io::Result<()>;
    /// What to call `name` in an error message.
    fn describe(&self, name: &OsStr) -> String;
}

/// A real directory.
#[derive(Clone, Debug)]
pub struct FsDir {
    root: PathBuf,
}

impl FsDir {
    /// The directory `root`.
    pub fn new(root: impl Into<PathBuf>) -> FsDir {
        FsDir { root: root.into() }
    }

    /// Splits a file's path into its directory and its name; `None` if the path has no name
    /// (`/`, `..`).
    pub fn of_file(path: &Path) -> Option<(FsDir, OsString)> {
        let name = path.file_name()?.to_os_string();
        let root = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Some((FsDir { root }, name))
    }
}

impl Directory for FsDir {
    type File = FileLog;

    fn open(&mut self, name: &OsStr) -> io::Result<FileLog> {
        FileLog::open(self.root.join(name))
    }

    fn create_new(&mut self, name: &OsStr) -> io::Result<FileLog> {
        FileLog::create_new(self.root.join(name))
    }

    fn rename(&mut self, from: &OsStr, to: &OsStr) -> io::Result<()> {
        std::fs::rename(self.root.join(from), self.root.join(to))
    }

    fn sync(&mut self) -> io::Result<()> {
        File::open(&self.root)?.sync_all()
    }

    fn describe(&self, name: &OsStr) -> String {
        self.root.join(name).display().to_string()
    }
}

// ANCHOR: replace_file
/// Replaces the file `name` with `bytes` so that a crash at any moment leaves either the old file
/// or the new one: a temporary file beside it, `fsync`, `rename` over, `fsync` of the directory.
///
/// The temporary name is `name` plus a suffix, so it is longer than `name` and can never be the
/// live file; it is created with `O_EXCL`, so it never overwrites anything else either.
pub fn replace_file<D: Directory>(dir: &mut D, name: &OsStr, bytes: &[u8]) -> io::Result<()> {
    let (temp, mut file) = create_beside(dir, name, ".compacting")?;
    file.append(bytes)?;
    file.sync()?;
    dir.rename(&temp, name)?;
    dir.sync()
}
// ANCHOR_END: replace_file

/// Copies `bytes` into a new file beside `name` (`name.damaged`, or `name.damaged.1`, ... if
/// that exists), synced with its directory entry; returns the backup's name.
pub fn keep_backup<D: Directory>(dir: &mut D, name: &OsStr, bytes: &[u8]) -> io::Result<OsString> {
    let (backup, mut file) = create_beside(dir, name, ".damaged")?;
    file.append(bytes)?;
    file.sync()?;
    dir.sync()?;
    Ok(backup)
}

/// Creates a new file named `name` + `suffix` (+ `.1`, `.2`, ... if taken), trying at most 100
/// names so that a directory full of leftovers cannot make it loop for ever.
fn create_beside<D: Directory>(
    dir: &mut D,
    name: &OsStr,
    suffix: &str,
) -> io::Result<(OsString, D::File)> {
    for n in 0..100 {
        let mut candidate = name.to_os_string();
        candidate.push(suffix);
        if n > 0 {
            candidate.push(format!(".{n}"));
        }
        match dir.create_new(&candidate) {
            Ok(file) => return Ok((candidate, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "100 files named {}{suffix}* already exist",
            dir.describe(name)
        ),
    ))
}

#[derive(Clone, Debug, Default)]
struct SimFs {
    files: Vec<SimulatedLog>,
    /// Names as the operating system shows them.
    names: BTreeMap<OsString, usize>,
    /// Names as they are on the disk: updated when the directory is synced.
    durable: BTreeMap<OsString, usize>,
    budget: Option<u64>,
    used: u64,
    crashed: bool,
}

impl SimFs {
    /// Spends up to `units` of the budget; returns how many were granted (fewer means a crash).
    fn spend(&mut self, units: u64) -> io::Result<u64> {
        if self.crashed {
            return Err(io::Error::other("simulated crash: the machine is down"));
        }
        let granted = self.budget.map_or(units, |left| left.min(units));
        if let Some(left) = &mut self.budget {
            *left -= granted;
        }
        self.used += granted;
        if granted < units {
            self.crashed = true;
        }
        Ok(granted)
    }

    fn crash_error() -> io::Error {
        io::Error::other("simulated crash")
    }
}

/// A simulated directory that can crash after any unit of work.
///
/// ```
/// use std::ffi::OsStr;
/// use sysdesign::relational_acid::dir::{replace_file, Directory, SimDir};
/// use sysdesign::relational_acid::LogFile;
///
/// let mut dir = SimDir::new();
/// let mut file = dir.open(OsStr::new("live"))?;
/// file.append(b"old")?;
/// file.sync()?;
/// dir.crash_after(4); // "new" (3 bytes) and the fsync, then down before the rename
/// assert!(replace_file(&mut dir, OsStr::new("live"), b"new").is_err());
/// let restarted = dir.after_crash(false);
/// assert_eq!(restarted.contents(OsStr::new("live")), Some(b"old".to_vec()));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct SimDir {
    fs: Rc<RefCell<SimFs>>,
}

impl SimDir {
    /// An empty directory with no crash planned.
    pub fn new() -> SimDir {
        SimDir::default()
    }

    /// Crashes after `units` more units of work; every operation after that fails.
    pub fn crash_after(&mut self, units: u64) {
        self.fs.borrow_mut().budget = Some(units);
    }

    /// Units of work done so far.
    pub fn used(&self) -> u64 {
        self.fs.borrow().used
    }

    /// An independent copy, sharing nothing with this one.
    pub fn deep_clone(&self) -> SimDir {
        SimDir {
            fs: Rc::new(RefCell::new(self.fs.borrow().clone())),
        }
    }

    /// What a restart finds: each file's disk image, under the names the disk holds. With
    /// `renames_reached_disk`, the names the operating system showed instead (a directory
    /// change may reach the disk before the directory is synced; it may also not).
    pub fn after_crash(&self, renames_reached_disk: bool) -> SimDir {
        let fs = self.fs.borrow();
        let names = if renames_reached_disk {
            fs.names.clone()
        } else {
            fs.durable.clone()
        };
        let restarted = SimFs {
            files: fs.files.iter().map(SimulatedLog::after_crash).collect(),
            durable: names.clone(),
            names,
            ..SimFs::default()
        };
        SimDir {
            fs: Rc::new(RefCell::new(restarted)),
        }
    }

    /// The bytes of `name` as a read sees them, if it exists.
    pub fn contents(&self, name: &OsStr) -> Option<Vec<u8>> {
        let fs = self.fs.borrow();
        let &id = fs.names.get(name)?;
        let mut file = fs.files[id].clone();
        file.read_all().ok()
    }

    /// The names in the directory.
    pub fn names(&self) -> Vec<OsString> {
        self.fs.borrow().names.keys().cloned().collect()
    }
}

/// A file of a [`SimDir`].
#[derive(Clone, Debug)]
pub struct SimFile {
    fs: Rc<RefCell<SimFs>>,
    id: usize,
}

impl LogFile for SimFile {
    fn read_all(&mut self) -> io::Result<Vec<u8>> {
        self.fs.borrow_mut().files[self.id].read_all()
    }

    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut fs = self.fs.borrow_mut();
        let granted = fs.spend(bytes.len() as u64)? as usize;
        fs.files[self.id].append(&bytes[..granted])?;
        if granted < bytes.len() {
            return Err(SimFs::crash_error());
        }
        Ok(())
    }

    fn sync(&mut self) -> io::Result<()> {
        let mut fs = self.fs.borrow_mut();
        if fs.spend(1)? == 0 {
            return Err(SimFs::crash_error());
        }
        fs.files[self.id].sync()
    }

    fn truncate(&mut self, len: u64) -> io::Result<()> {
        let mut fs = self.fs.borrow_mut();
        if fs.spend(1)? == 0 {
            return Err(SimFs::crash_error());
        }
        fs.files[self.id].truncate(len)
    }

    fn read_at(&self, buf: &mut [u8], at: u64) -> io::Result<()> {
        self.fs.borrow().files[self.id].read_at(buf, at)
    }
}

impl Directory for SimDir {
    type File = SimFile;

    fn open(&mut self, name: &OsStr) -> io::Result<SimFile> {
        let mut fs = self.fs.borrow_mut();
        if let Some(&id) = fs.names.get(name) {
            return Ok(SimFile {
                fs: Rc::clone(&self.fs),
                id,
            });
        }
        if fs.spend(1)? == 0 {
            return Err(SimFs::crash_error());
        }
        let id = fs.files.len();
        fs.files.push(SimulatedLog::new());
        fs.names.insert(name.to_os_string(), id);
        fs.durable.insert(name.to_os_string(), id);
        Ok(SimFile {
            fs: Rc::clone(&self.fs),
            id,
        })
    }

    fn create_new(&mut self, name: &OsStr) -> io::Result<SimFile> {
        let mut fs = self.fs.borrow_mut();
        if fs.names.contains_key(name) {
            return Err(io::ErrorKind::AlreadyExists.into());
        }
        if fs.spend(1)? == 0 {
            return Err(SimFs::crash_error());
        }
        let id = fs.files.len();
        fs.files.push(SimulatedLog::new());
        fs.names.insert(name.to_os_string(), id);
        Ok(SimFile {
            fs: Rc::clone(&self.fs),
            id,
        })
    }

    fn rename(&mut self, from: &OsStr, to: &OsStr) -> io::Result<()> {
        let mut fs = self.fs.borrow_mut();
        if fs.spend(1)? == 0 {
            return Err(SimFs::crash_error());
        }
        let id = fs.names.remove(from).ok_or(io::ErrorKind::NotFound)?;
        fs.names.insert(to.to_os_string(), id);
        Ok(())
    }

    fn sync(&mut self) -> io::Result<()> {
        let mut fs = self.fs.borrow_mut();
        if fs.spend(1)? == 0 {
            return Err(SimFs::crash_error());
        }
        fs.durable = fs.names.clone();
        Ok(())
    }

    fn describe(&self, name: &OsStr) -> String {
        format!("simulated/{}", name.to_string_lossy())
    }
}
