//! The thread that owns the store in the interactive app. The UI thread
//! sends it effects (with the [`Scope`] they need) and goes on drawing and
//! counting time; each result comes back on the UI thread's input channel
//! as [`Input::Done`] and goes through `update` like any other action.
//! Jobs run one at a time in the order sent, so a save always lands before
//! the reload that follows it. Dropping the worker waits for the jobs
//! already sent (a save in flight is finished, never cut off).

use super::runner::{belongs_to_session, perform, Input, Scope};
use super::{Effect, Loaded};
use crate::store::Storage;
use chrono::{DateTime, Utc};
use std::sync::mpsc::{self, Sender};
use std::thread::JoinHandle;

/// Work for the store's thread.
#[derive(Debug)]
pub enum Job {
    Effect {
        effect: Effect,
        scope: Box<Scope>,
        now: DateTime<Utc>,
    },
    /// A frame is out: copy saved pages into the file now (see
    /// `store/checkpoint.rs`).
    Checkpoint,
}

/// A result from the store's thread.
#[derive(Debug)]
pub struct Done {
    /// The session it belongs to (`None`: the terminal's own, e.g. chores).
    pub session: Option<u64>,
    pub loaded: Loaded,
}

/// Tells the loop to end if the worker's thread unwinds from a panic.
struct EndOnPanic(Sender<Input>);

impl Drop for EndOnPanic {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = self.0.send(Input::End);
        }
    }
}

pub struct Worker {
    jobs: Option<Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

/// The full check of `file` on a read-only connection of its own; the
/// answer goes to `out` as the terminal's own result.
fn check_aside(file: Option<std::path::PathBuf>, out: Sender<Input>) {
    let spare = out.clone();
    let answer = move || {
        let result = match &file {
            Some(f) => crate::store::Store::open_read_only(f).and_then(|mut s| s.check_fully()),
            None => Ok(()),
        };
        let _ = out.send(Input::Done(Done {
            session: None,
            loaded: super::kiosk_effects::checked(result),
        }));
    };
    let spawned = std::thread::Builder::new()
        .name("joy-check".into())
        .spawn(answer);
    if spawned.is_err() {
        // No thread to spare: the day's jobs are not held up by it.
        let _ = spare.send(Input::Done(Done {
            session: None,
            loaded: Loaded::Checked(None),
        }));
    }
}

impl Worker {
    /// Move `store` to a thread of its own; results go to `out`.
    pub fn spawn(
        mut store: Box<dyn Storage + Send>,
        out: Sender<Input>,
    ) -> std::io::Result<Worker> {
        let (tx, rx) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("joy-store".into())
            .spawn(move || {
                // A bug that panics here ends the app as it did when effects
                // ran on the UI thread, rather than leaving it waiting for
                // results that never come.
                let _bye = EndOnPanic(out.clone());
                for job in rx {
                    match job {
                        Job::Effect {
                            effect: Effect::CheckDatabase,
                            ..
                        } => {
                            // Minutes on a big file: on a connection and a
                            // thread of its own, so saves go on meanwhile.
                            check_aside(store.file(), out.clone());
                        }
                        Job::Effect { effect, scope, now } => {
                            let session = belongs_to_session(&effect).then_some(scope.session);
                            if let Some(loaded) = perform(&scope, store.as_mut(), effect, now) {
                                // The loop may have ended: the work is done all the same.
                                let _ = out.send(Input::Done(Done { session, loaded }));
                            }
                        }
                        Job::Checkpoint => {
                            store.checkpoint_idle();
                        }
                    }
                }
            })?;
        Ok(Worker {
            jobs: Some(tx),
            thread: Some(thread),
        })
    }

    pub fn send(&self, job: Job) {
        if let Some(jobs) = &self.jobs {
            // Only fails if the thread has died (a bug, reported by its panic).
            let _ = jobs.send(job);
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // No more jobs: the thread finishes what it has, then ends.
        self.jobs.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
