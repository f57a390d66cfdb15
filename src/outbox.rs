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
    let to: ServerAddress = to.into();
    let today = now.with_timezone(&local.time_zone()?).date_naive();
    let days = local.outbox_days_before(today)?;
    let mut done = Delivery::default();
    let fail = |local: &mut Store, mut done: Delivery, why: String| {
        local.outbox_failed(&why, now)?;
        done.error = Some(why);
        Ok(done)
    };
    // Connected every round, with a day to send or not: a server that
    // cannot be reached (a password changed, TLS broken) is said before a
    // day's entries wait on it.
    let Some(sender) = Sender::start(&to) else {
        // The last round's connection still waits for its answer.
        return fail(local, done, crate::text::SERVER_SILENT.to_string());
    };
    // Its first answer: connected, with the server's clock.
    match sender.answer() {
        Ok(theirs) => {
            // A terminal's clock dates its entries: one far from the
            // server's is said (the entries are kept and sent all the same).
            if let Some(theirs) = theirs {
                let off = (now - theirs).num_seconds() as f64 / 60.0;
                local.outbox_clock(off.round() as i64)?;
            }
        }
        Err(why) => return fail(local, done, why),
    }
    if days.is_empty() {
        local.outbox_reached()?;
        return Ok(done);
    }
    for day in days {
        let mut entries = local.outbox_day(day)?;
        shuffle(&mut entries);
        let ids: Vec<i64> = entries.iter().map(|(id, _)| *id).collect();
        // The whole day in one transaction on the server: all or none.
        if let Err(why) = sender.send_day(entries) {
            return fail(local, done, why);
        }
        local.outbox_delivered(&ids)?;
        done.sent += ids.len();
        done.days += 1;
    }
    Ok(done)
}

/// How long a round waits for each answer of the server (connecting, then
/// each day) before it gives up: the terminal's store waits on a round, so
/// a server that answers nothing (hung, or a network gone under an open
/// connection) must not hold it. The day is sent again at the next round;
/// the server keeps it once.
pub const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(5);

/// A day for the connection's thread to send.
type Day = Vec<(i64, crate::store::outbox::OutboxEntry)>;

/// The thread's answers: first connected (with the server's clock, when
/// it could be read), then each day sent (`None`); or why not.
type Answer = Result<Option<DateTime<Utc>>, String>;

/// Servers a connection's thread still waits on (from a round that gave
/// up on it): no second thread is started for them until it ends.
static WAITING_ON: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// A round's connection to the server, on a thread of its own so that the
/// round can stop waiting for it ([`ANSWER_WITHIN`]).
struct Sender {
    days: std::sync::mpsc::Sender<Day>,
    answers: std::sync::mpsc::Receiver<Answer>,
}

/// Takes a server off [`WAITING_ON`] when its thread ends, however it ends.
struct Waiting(String);

impl Drop for Waiting {
    fn drop(&mut self) {
        if let Ok(mut w) = WAITING_ON.lock() {
            w.retain(|u| *u != self.0);
        }
    }
}

impl Sender {
    /// `None` while an earlier round's thread still waits on this server.
    fn start(to: &ServerAddress) -> Option<Sender> {
        let key = to.url.clone();
        {
            let mut w = WAITING_ON.lock().unwrap_or_else(|p| p.into_inner());
            if w.contains(&key) {
                return None;
            }
            w.push(key.clone());
        }
        let waiting = Waiting(key);
        let (days, asked) = std::sync::mpsc::channel::<Day>();
        let (answer, answers) = std::sync::mpsc::channel::<Answer>();
        let to = to.clone();
        let spawned = std::thread::Builder::new()
            .name("joy-deliver".into())
            .spawn(move || {
                let _waiting = waiting;
                let mut server = match PgStore::connect(&to) {
                    Ok(mut s) => {
                        let theirs = s.server_now().ok();
                        if answer.send(Ok(theirs)).is_err() {
                            return;
                        }
                        s
                    }
                    Err(e) => {
                        let _ = answer.send(Err(e.to_string()));
                        return;
                    }
                };
                for day in asked {
                    let reply = server
                        .submit_day(&day)
                        .map(|()| None)
                        .map_err(|e| e.to_string());
                    let failed = reply.is_err();
                    // The round may have stopped waiting: nothing to tell.
                    if answer.send(reply).is_err() || failed {
                        break;
                    }
                }
            });
        match spawned {
            Ok(_) => Some(Sender { days, answers }),
            // No thread (the system is out of them): the round fails, said.
            Err(_) => None,
        }
    }

    /// The thread's next answer, if it comes within [`ANSWER_WITHIN`].
    fn answer(&self) -> Answer {
        self.answers
            .recv_timeout(ANSWER_WITHIN)
            .unwrap_or_else(|_| Err(crate::text::SERVER_SILENT.to_string()))
    }

    /// Send one whole day and wait for the server to have it.
    fn send_day(&self, day: Day) -> Result<(), String> {
        if self.days.send(day).is_err() {
            return Err(crate::text::SERVER_SILENT.to_string());
        }
        self.answer().map(|_| ())
    }
}

/// Fisher-Yates with the operating system's randomness: the order sent
/// says nothing of the order saved.
fn shuffle<T>(v: &mut [T]) {
    for i in (1..v.len()).rev() {
        let j = (crate::anonymity::os_seed() % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
}
