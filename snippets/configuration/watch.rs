//! The reloader on a real file: a temporary service.toml is edited three times, and a loop polls
//! it every 20 ms (at most 2 s per edit) and passes each new text and the elapsed time on.

use std::fs;
use std::time::{Duration, Instant};
use sysdesign::configuration::reload::{FileWatcher, Outcome, Reloader};
use sysdesign::configuration::{EXAMPLE_TOML, Format};

// ANCHOR: poll
/// Polls until the reloader decides on the file's new contents, or 2 s pass.
fn decide(watcher: &mut FileWatcher, reloader: &mut Reloader, start: Instant) -> Outcome {
    let deadline = start.elapsed() + Duration::from_secs(2);
    while start.elapsed() < deadline {
        let now_ms = u64::try_from(start.elapsed().as_millis()).expect("under 2^64 ms");
        match watcher.poll() {
            Ok(Some(text)) => {
                if reloader.observe(&text, now_ms) == Outcome::Unchanged {
                    return Outcome::Unchanged;
                }
            }
            Ok(None) => {}
            // A file being replaced can be missing for a moment: keep the config, poll again.
            Err(error) => println!("  poll failed ({error}), trying again"),
        }
        let outcome = reloader.tick(now_ms);
        if matches!(outcome, Outcome::Applied { .. } | Outcome::Rejected(_)) {
            return outcome;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Outcome::Unchanged
}
// ANCHOR_END: poll

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("service.toml");
    fs::write(&path, EXAMPLE_TOML).expect("the file is writable");
    let start = Instant::now();
    let mut watcher = FileWatcher::new(&path);
    let first = watcher
        .poll()
        .expect("readable")
        .expect("a first poll reports the file");
    let mut reloader =
        Reloader::new("service.toml", Format::Toml, &first, 100).expect("the example is valid");
    let v2 = EXAMPLE_TOML.replace("burst = 100", "burst = 200");
    let edits = [
        ("burst raised to 200", v2.clone()),
        (
            "a stray character",
            v2.replace("ttl_secs = 300", "ttl_secs = 300x"),
        ),
        ("the same file saved again", v2.clone()),
        ("new_checkout turned on", v2.replace("false", "true")),
    ];
    for (what, text) in edits {
        fs::write(&path, text).expect("the file is writable");
        let outcome = decide(&mut watcher, &mut reloader, start);
        println!("{what}: {outcome}");
        println!(
            "  running v{}, burst {}",
            reloader.version(),
            reloader.current().rate_limit.burst
        );
    }
}
