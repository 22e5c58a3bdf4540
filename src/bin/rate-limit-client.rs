//! One client process of the shared rate limiter: it asks a Redis-held token bucket for a token
//! `attempts` times, all at the instant `now_ms` it is given, and prints how many were admitted.
//!
//! Usage: `rate-limit-client REDIS_URL KEY LIMIT WINDOW_MS NOW_MS ATTEMPTS`.
//! The test `redis_processes_share_one_limit` starts several of these at once.

use std::process::ExitCode;
use std::time::Duration;
use sysdesign::rate_limiting::Quota;
use sysdesign::rate_limiting::redis::SharedTokenBucket;

fn run(args: &[String]) -> Result<u64, String> {
    let [url, key, limit, window_ms, now_ms, attempts] = args else {
        return Err(format!(
            "usage: rate-limit-client REDIS_URL KEY LIMIT WINDOW_MS NOW_MS ATTEMPTS (got {args:?})"
        ));
    };
    let number = |name: &str, value: &str| {
        value
            .parse::<u64>()
            .map_err(|e| format!("{name} must be a whole number, got {value:?}: {e}"))
    };
    let limit = u32::try_from(number("LIMIT", limit)?).map_err(|e| format!("LIMIT: {e}"))?;
    let quota = Quota::new(
        limit,
        Duration::from_millis(number("WINDOW_MS", window_ms)?),
    )
    .map_err(|e| e.to_string())?;
    let now_ms = number("NOW_MS", now_ms)?;
    let attempts = number("ATTEMPTS", attempts)?;
    let client = redis::Client::open(url.as_str()).map_err(|e| format!("{url}: {e}"))?;
    let mut conn = client.get_connection().map_err(|e| format!("{url}: {e}"))?;
    let bucket = SharedTokenBucket::new(key.as_str(), quota);
    let mut admitted = 0;
    for _ in 0..attempts {
        if bucket
            .check(&mut conn, now_ms)
            .map_err(|e| format!("{url}: {e}"))?
            .is_admitted()
        {
            admitted += 1;
        }
    }
    Ok(admitted)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(admitted) => {
            println!("{admitted}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("rate-limit-client: {message}");
            ExitCode::FAILURE
        }
    }
}
