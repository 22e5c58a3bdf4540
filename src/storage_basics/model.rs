//! A deterministic model of the three places a written byte can be, and of the two crashes.
//!
//! Each file has a process buffer (bytes `write` accepted but not yet handed to the kernel), a
//! page-cache copy (what the kernel holds and every reader sees) and a device copy (what is on the
//! disk). `flush` moves the buffer into the page cache, `fsync` also copies the page cache to the
//! device, and `writeback` is the kernel writing dirty pages on its own schedule, which it may do at
//! any time but never promises to do by any time.

use std::collections::BTreeMap;
use std::fmt;

/// Where a byte is on its way to the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    /// In the process's own memory, for example inside a `BufWriter`.
    ProcessBuffer,
    /// Handed to the kernel by `write(2)`: in the page cache, in RAM, not yet on the device.
    PageCache,
    /// On the device, after an `fsync` (or a write-back by the kernel) completed.
    Device,
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Layer::ProcessBuffer => "process buffer",
            Layer::PageCache => "page cache (kernel RAM)",
            Layer::Device => "device, after fsync",
        })
    }
}

/// A failure that loses some of the layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Event {
    /// The process dies (a panic that aborts, `SIGKILL`, an out-of-memory kill); the kernel lives on.
    ProcessCrash,
    /// The machine stops (power cut, kernel panic, hypervisor reset): all RAM is gone.
    PowerLoss,
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Event::ProcessCrash => "process crash",
            Event::PowerLoss => "power loss",
        })
    }
}

// ANCHOR: survives
impl Event {
    /// Whether bytes held in `layer` are still there after this event.
    ///
    /// ```
    /// use sysdesign::storage_basics::{Event, Layer};
    ///
    /// assert!(Event::ProcessCrash.keeps(Layer::PageCache));
    /// assert!(!Event::PowerLoss.keeps(Layer::PageCache));
    /// assert!(Event::PowerLoss.keeps(Layer::Device));
    /// ```
    pub fn keeps(self, layer: Layer) -> bool {
        match (self, layer) {
            // The buffer is the process's memory: it dies with the process.
            (_, Layer::ProcessBuffer) => false,
            // The page cache belongs to the kernel, which outlives any one process...
            (Event::ProcessCrash, Layer::PageCache) => true,
            // ...but it is RAM, and RAM does not outlive the machine.
            (Event::PowerLoss, Layer::PageCache) => false,
            // What fsync put on the device survives both, if the device kept its promise.
            (_, Layer::Device) => true,
        }
    }
}
// ANCHOR_END: survives

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct FileState {
    buffer: Vec<u8>,
    cache: Vec<u8>,
    device: Vec<u8>,
}

/// A file system of append-only files, modelled in the three [`Layer`]s.
///
/// ```
/// use sysdesign::storage_basics::{Event, SimulatedDisk};
///
/// let mut disk = SimulatedDisk::new();
/// disk.write("f", b"unflushed");
/// disk.crash(Event::ProcessCrash);
/// assert_eq!(disk.read("f"), b""); // it never left the process
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SimulatedDisk {
    files: BTreeMap<String, FileState>,
    fsyncs: u64,
}

// ANCHOR: disk
impl SimulatedDisk {
    /// An empty disk.
    ///
    /// ```
    /// let disk = sysdesign::storage_basics::SimulatedDisk::new();
    /// assert_eq!(disk.fsyncs(), 0);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `bytes` to the process's buffer for `file`, as `BufWriter::write` does.
    ///
    /// ```
    /// let mut disk = sysdesign::storage_basics::SimulatedDisk::new();
    /// disk.write("f", b"x");
    /// assert_eq!(disk.read("f"), b""); // other readers do not see the buffer
    /// ```
    pub fn write(&mut self, file: &str, bytes: &[u8]) {
        let state = self.files.entry(file.to_string()).or_default();
        state.buffer.extend_from_slice(bytes);
    }

    /// Hands the buffer to the kernel, as `write(2)` does: into the page cache.
    ///
    /// ```
    /// let mut disk = sysdesign::storage_basics::SimulatedDisk::new();
    /// disk.write("f", b"x");
    /// disk.flush("f");
    /// assert_eq!(disk.read("f"), b"x");
    /// ```
    pub fn flush(&mut self, file: &str) {
        if let Some(state) = self.files.get_mut(file) {
            let buffered = std::mem::take(&mut state.buffer);
            state.cache.extend_from_slice(&buffered);
        }
    }

    /// Flushes, then copies the page cache to the device and waits: `fsync(2)`.
    ///
    /// ```
    /// use sysdesign::storage_basics::{Event, SimulatedDisk};
    ///
    /// let mut disk = SimulatedDisk::new();
    /// disk.write("f", b"x");
    /// disk.fsync("f");
    /// disk.crash(Event::PowerLoss);
    /// assert_eq!(disk.read("f"), b"x");
    /// assert_eq!(disk.fsyncs(), 1);
    /// ```
    pub fn fsync(&mut self, file: &str) {
        self.flush(file);
        self.writeback(file);
        self.fsyncs += 1;
    }

    /// The kernel writing a file's dirty pages on its own: it may happen at any time, or not yet.
    ///
    /// ```
    /// use sysdesign::storage_basics::{Event, SimulatedDisk};
    ///
    /// let mut disk = SimulatedDisk::new();
    /// disk.write("f", b"x");
    /// disk.flush("f");
    /// disk.writeback("f"); // lucky: the kernel got to it before the power went
    /// disk.crash(Event::PowerLoss);
    /// assert_eq!(disk.read("f"), b"x");
    /// ```
    pub fn writeback(&mut self, file: &str) {
        if let Some(state) = self.files.get_mut(file) {
            state.device.clone_from(&state.cache);
        }
    }

    /// What a reader opening `file` now sees: the page cache, never the writer's buffer.
    ///
    /// ```
    /// let disk = sysdesign::storage_basics::SimulatedDisk::new();
    /// assert_eq!(disk.read("missing"), b"");
    /// ```
    pub fn read(&self, file: &str) -> &[u8] {
        self.files.get(file).map_or(&[], |state| &state.cache)
    }

    /// The bytes of `file` held in `layer` (the buffer holds only what is not yet flushed).
    ///
    /// ```
    /// use sysdesign::storage_basics::{Layer, SimulatedDisk};
    ///
    /// let mut disk = SimulatedDisk::new();
    /// disk.write("f", b"ab");
    /// disk.flush("f");
    /// disk.write("f", b"c");
    /// assert_eq!(disk.layer("f", Layer::ProcessBuffer), b"c");
    /// assert_eq!(disk.layer("f", Layer::PageCache), b"ab");
    /// assert_eq!(disk.layer("f", Layer::Device), b"");
    /// ```
    pub fn layer(&self, file: &str, layer: Layer) -> &[u8] {
        self.files.get(file).map_or(&[], |state| match layer {
            Layer::ProcessBuffer => &state.buffer,
            Layer::PageCache => &state.cache,
            Layer::Device => &state.device,
        })
    }

    /// A crash: every layer the event does not [keep](Event::keeps) is lost; after a power loss
    /// the machine reboots and the page cache is refilled from the device.
    ///
    /// ```
    /// use sysdesign::storage_basics::{Event, SimulatedDisk};
    ///
    /// let mut disk = SimulatedDisk::new();
    /// disk.write("f", b"x");
    /// disk.flush("f");
    /// disk.crash(Event::PowerLoss);
    /// assert_eq!(disk.read("f"), b"");
    /// ```
    pub fn crash(&mut self, event: Event) {
        for state in self.files.values_mut() {
            state.buffer.clear();
            if !event.keeps(Layer::PageCache) {
                state.cache.clone_from(&state.device);
            }
        }
    }

    /// How many fsyncs were issued: each one is a wait for the device.
    ///
    /// ```
    /// let mut disk = sysdesign::storage_basics::SimulatedDisk::new();
    /// disk.fsync("a");
    /// disk.fsync("b");
    /// assert_eq!(disk.fsyncs(), 2);
    /// ```
    pub fn fsyncs(&self) -> u64 {
        self.fsyncs
    }
}
// ANCHOR_END: disk
