//! The one clock the program reads (the store's own bookkeeping aside).
//!
//! In debug builds only (the binary the tests drive), the environment
//! variable `JOY_TEST_CLOCK_OFFSET_SECS` moves it by that many seconds, so
//! an end-to-end test can run real processes across the close of a period
//! without waiting a week (issue 17, §6). A release build has no such seam:
//! `cargo run --release` and every installed kiosk read the system clock.

use chrono::{DateTime, Local, NaiveDate, Utc};

/// The variable a test sets (debug builds only).
pub const TEST_OFFSET_VAR: &str = "JOY_TEST_CLOCK_OFFSET_SECS";

/// Now.
pub fn now() -> DateTime<Utc> {
    let real = Utc::now();
    #[cfg(debug_assertions)]
    {
        if let Some(secs) = std::env::var(TEST_OFFSET_VAR)
            .ok()
            .and_then(|v| v.trim().parse::<i64>().ok())
        {
            return real + chrono::Duration::seconds(secs);
        }
    }
    real
}

/// Today, in this machine's time zone.
pub fn today_local() -> NaiveDate {
    now().with_timezone(&Local).date_naive()
}
