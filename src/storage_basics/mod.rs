//! Storage basics: where a write is on its way to the disk, and what each kind of crash takes away.
//!
//! A write goes through three places before it is safe.
//! The program's own buffer (a `BufWriter`) lives in the process and dies with it.
//! The operating system's **page cache** holds what `write(2)` handed over: it belongs to the kernel,
//! so it outlives the process, but it is still RAM and dies with the machine.
//! Only `fsync` (`File::sync_all`, `File::sync_data`) asks the kernel to push the file's pages to the
//! device and to ask the device to make them durable, and waits until both say they have.
//!
//! # The design
//!
//! Power loss cannot be caused from a program, so this module has two halves.
//! [`SimulatedDisk`] is a deterministic model of the three places with both kinds of crash, which
//! the book runs and the tests check against a simple rule ("after a power loss each file is what it
//! was at its last fsync").
//! [`write_records`] and [`crash_after_write`] touch a real file system: the first writes with or
//! without fsync so a program can time the difference, the second lets a child process write a file
//! and then kills it with `SIGKILL`, so the parent can read back what survived a *process* crash.
//!
//! | module | idea |
//! | --- | --- |
//! | [`model`] | the three places a byte can be, and what a process crash and a power loss keep |
//! | [`files`] | real files: timed writes with and without fsync, a child killed after it writes |
//!
//! ```
//! use sysdesign::storage_basics::{Event, SimulatedDisk};
//!
//! let mut disk = SimulatedDisk::new();
//! disk.write("log", b"a");
//! disk.flush("log"); // write(2): now in the page cache
//! disk.fsync("log"); // now on the device
//! disk.write("log", b"b");
//! disk.flush("log");
//! disk.crash(Event::ProcessCrash);
//! assert_eq!(disk.read("log"), b"ab"); // the page cache outlived the process
//! disk.crash(Event::PowerLoss);
//! assert_eq!(disk.read("log"), b"a"); // only the fsynced byte outlived the machine
//! ```

pub mod files;
pub mod model;

pub use files::{Crash, StorageError, WriteStats, crash_after_write, write_records};
pub use model::{Event, Layer, SimulatedDisk};
