//! Where a byte can be on its way to the disk, and which of those places survive a process crash
//! and a power loss: first the rule, then one file followed through the model step by step.

use sysdesign::show::{self, Table};
use sysdesign::storage_basics::{Event, Layer, SimulatedDisk};

fn kept_or_lost(kept: bool) -> String {
    if kept { "kept" } else { "lost" }.to_string()
}

/// One row: the step, then the log file's bytes in each layer.
fn layers_row(disk: &SimulatedDisk, step: &str) -> [String; 4] {
    let text = |layer| String::from_utf8_lossy(disk.layer("log", layer)).into_owned();
    [
        step.to_string(),
        text(Layer::ProcessBuffer),
        text(Layer::PageCache),
        text(Layer::Device),
    ]
}

fn main() {
    let mut rule = Table::new(["bytes are in", "process crash", "power loss"]);
    for layer in [Layer::ProcessBuffer, Layer::PageCache, Layer::Device] {
        rule.push([
            layer.to_string(),
            kept_or_lost(Event::ProcessCrash.keeps(layer)),
            kept_or_lost(Event::PowerLoss.keeps(layer)),
        ]);
    }
    show::table(&rule.caption("what each failure keeps"));

    // One log file: three records, each taken one step less far than the one before.
    let mut disk = SimulatedDisk::new();
    let mut steps = Table::new(["step", "buffer", "page cache", "device"]);
    disk.write("log", b"A ");
    disk.fsync("log");
    steps.push(layers_row(&disk, "write A, fsync"));
    disk.write("log", b"B ");
    disk.flush("log");
    steps.push(layers_row(&disk, "write B, flush it with write(2)"));
    disk.write("log", b"C ");
    steps.push(layers_row(&disk, "write C into a BufWriter"));

    let mut after_process_crash = disk.clone();
    after_process_crash.crash(Event::ProcessCrash);
    steps.push(layers_row(&after_process_crash, "then a process crash"));
    let mut after_power_loss = disk.clone();
    after_power_loss.crash(Event::PowerLoss);
    steps.push(layers_row(&after_power_loss, "or, instead, a power loss"));
    show::table(&steps.caption("one log file through the three layers"));

    println!(
        "A reader after the process crash sees {:?}; after the power loss, {:?}.",
        String::from_utf8_lossy(after_process_crash.read("log")),
        String::from_utf8_lossy(after_power_loss.read("log")),
    );
}
