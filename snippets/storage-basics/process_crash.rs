//! A process crash on a real file system: a child process writes a file with no fsync and is
//! killed with SIGKILL; the parent reads the file back. Then the same bytes left in a BufWriter.

use sysdesign::storage_basics::crash_after_write;
use sysdesign::storage_basics::files::lost_in_buffer;

fn main() {
    let dir = std::env::temp_dir().join(format!("sysdesign-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the temporary directory is writable");

    let crash = crash_after_write(&dir.join("handed-to-kernel"), "order 42 paid")
        .expect("sh is installed and the file is writable");
    println!(
        "The child wrote with write(2), no fsync, and died of signal {}.",
        crash.signal
    );
    println!("The parent read back: {:?}", crash.read_back);

    let read_back =
        lost_in_buffer(&dir.join("left-in-buffer"), "order 42 paid").expect("the file is writable");
    println!("Written into a BufWriter that never flushed, a reader finds: {read_back:?}");

    std::fs::remove_dir_all(&dir).expect("the temporary directory can be removed");
}
