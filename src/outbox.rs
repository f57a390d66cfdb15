//! Delivering a terminal's outbox to the ward's server (issue 17, §3):
//! whole past days, each shuffled, each entry under its random global id;
//! a day is forgotten locally only once the server has all of it. A
//! failure stops the round and is recorded (with since when); the next
//! round sends the day again, which the server keeps once.

use crate::store::pg::{PgStore, ServerAddress};
use crate::store::Store;
use chrono::{DateTime, Utc};

/// What one round of delivery did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Delivery {
    /// Entries the server now has.
    pub sent: usize,
    /// Whole days sent.
    pub days: usize,
    /// Why the round stopped, if it did.
    pub error: Option<String>,
}

/// Send every whole day before today (the store's date at `now`) to the
/// server at `to`. Local errors are returned; the server's are recorded
/// and reported in [`Delivery::error`].
pub fn deliver(
    local: &mut Store,
    to: impl Into<ServerAddress>,
    now: DateTime<Utc>,
) -> crate::store::Result<Delivery> {
    let today = now.with_timezone(&local.time_zone()?).date_naive();
    let days = local.outbox_days_before(today)?;
    let mut done = Delivery::default();
    // Connected every round, with a day to send or not: a server that
    // cannot be reached (a password changed, TLS broken) is said before a
    // day's entries wait on it.
    let mut server = match PgStore::connect(to) {
        Ok(s) => s,
        Err(e) => {
            let why = e.to_string();
            local.outbox_failed(&why, now)?;
            done.error = Some(why);
            return Ok(done);
        }
    };
    // A terminal's clock dates its entries: one far from the server's is
    // said (the entries are kept and sent all the same).
    if let Ok(theirs) = server.server_now() {
        let off = (now - theirs).num_seconds() as f64 / 60.0;
        local.outbox_clock(off.round() as i64)?;
    }
    if days.is_empty() {
        local.outbox_reached()?;
        return Ok(done);
    }
    for day in days {
        let mut entries = local.outbox_day(day)?;
        shuffle(&mut entries);
        // The whole day in one transaction on the server: all or none.
        if let Err(e) = server.submit_day(&entries) {
            let why = e.to_string();
            local.outbox_failed(&why, now)?;
            done.error = Some(why);
            return Ok(done);
        }
        let ids: Vec<i64> = entries.iter().map(|(id, _)| *id).collect();
        local.outbox_delivered(&ids)?;
        done.sent += ids.len();
        done.days += 1;
    }
    Ok(done)
}

/// Fisher-Yates with the operating system's randomness: the order sent
/// says nothing of the order saved.
fn shuffle<T>(v: &mut [T]) {
    for i in (1..v.len()).rev() {
        let j = (crate::anonymity::os_seed() % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
}
