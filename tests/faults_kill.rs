//! Faults while saving: `kill -9` at random points of a stream of saves,
//! and two kiosks saving to one database file at once.
//!
//! The saving processes are this test binary itself, started again with
//! `JOY_FAULT_CHILD` set: its `fault_child` test then drives the real app
//! (`State` + the runner's `dispatch`, on `Store::open` of a file, exactly
//! as `joy` and `joy kiosk` do) through whole check-ins, and prints
//! `ACK <id>` for each check-in the result screen shows as saved. Without
//! the variable `fault_child` does nothing. The real binary in tmux is
//! killed mid-save, and two real kiosks share one file, at the end.

#[path = "support/tmux.rs"]
mod tmux;

use chrono::{Duration, TimeZone, Utc};
use joy_kiosk::app::kiosk::KioskConfig;
use joy_kiosk::app::runner::dispatch;
use joy_kiosk::app::{Action, Screen, State};
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::store::Store;
use rusqlite::Connection;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A small xorshift generator: random enough for kill delays, and
/// repeatable (each test prints its seed; `JOY_FAULT_SEED` replays one).
struct Rng(u64);

impl Rng {
    fn seeded() -> Rng {
        Rng(tmux::seed_from_env("JOY_FAULT_SEED"))
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn questionnaires() -> Vec<joy_kiosk::questionnaire::Questionnaire> {
    Catalog::bundled()
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect()
}

fn who5_index(state: &State) -> usize {
    state
        .questionnaires
        .iter()
        .position(|q| q.id == "who5")
        .expect("WHO-5 is bundled")
}

/// The child side: save check-ins on `JOY_FAULT_DB` in a loop, printing
/// `ACK <id>` for each one the app acknowledges (the result screen with a
/// saved id), `ERR <message>` for anything else shown instead.
#[test]
fn fault_child() {
    let Ok(mode) = std::env::var("JOY_FAULT_CHILD") else {
        return;
    };
    let db = PathBuf::from(std::env::var("JOY_FAULT_DB").expect("JOY_FAULT_DB"));
    let count: usize = std::env::var("JOY_FAULT_COUNT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(usize::MAX);
    let mut store = Store::open(&db).expect("the child opens the database");
    let mut t = Utc.with_ymd_and_hms(2026, 11, 21, 3, 0, 0).unwrap();
    let kiosk = mode == "kiosk";
    let mut state = if kiosk {
        let config = KioskConfig {
            site: "Fault test".into(),
            teams: vec!["Ward 7".into()],
            min_interval: Duration::zero(),
            burst_window: Duration::zero(),
            ..Default::default()
        };
        State::kiosk(questionnaires(), config, t)
    } else {
        let me = store.local_respondent().expect("the local respondent");
        State::new(questionnaires(), Some(me), t)
    };
    let mut act = |state: &mut State, store: &mut Store, a: Action| {
        t += Duration::seconds(1);
        dispatch(state, store, a, t);
    };
    act(
        &mut state,
        &mut store,
        Action::Resize {
            width: 80,
            height: 24,
        },
    );
    // The kiosk's first tick runs its start-of-day chores (retention,
    // backup), which write too: the other kiosk meets them.
    act(&mut state, &mut store, Action::Tick);
    let out = std::io::stdout();
    for _ in 0..count {
        let i = who5_index(&state);
        if kiosk {
            act(&mut state, &mut store, Action::Pick(i));
            act(&mut state, &mut store, Action::Pick(0)); // the team
        } else {
            state.session.selected = i;
            act(&mut state, &mut store, Action::Confirm);
        }
        for k in 0..5 {
            act(&mut state, &mut store, Action::Pick(k % 4));
        }
        assert_eq!(state.screen, Screen::Review, "{:?}", state.status);
        act(&mut state, &mut store, Action::Save);
        let saved = state.session.result.as_ref().and_then(|r| r.saved_id);
        let line = match (state.screen, saved) {
            (Screen::Result, Some(id)) => format!("ACK {id}"),
            _ => format!("ERR {:?} {:?}", state.screen, state.status),
        };
        // One write per line, straight into the pipe: a kill after it
        // cannot take the line back.
        let mut lock = out.lock();
        let _ = writeln!(lock, "{line}");
        let _ = lock.flush();
        drop(lock);
        if let Some(s) = &state.status {
            let _ = writeln!(out.lock(), "STATUS {s}");
        }
        act(&mut state, &mut store, Action::Confirm);
    }
}

/// Start this test binary again as a saving child on `db`.
fn spawn_child(db: &Path, mode: &str, count: Option<usize>) -> Child {
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut c = Command::new(exe);
    c.args(["--exact", "fault_child", "--nocapture", "--test-threads=1"])
        .env("JOY_FAULT_CHILD", mode)
        .env("JOY_FAULT_DB", db)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(n) = count {
        c.env("JOY_FAULT_COUNT", n.to_string());
    }
    c.spawn().expect("start the child")
}

/// The ids a child acknowledged, and any line that was not an ACK but
/// should be looked at (errors, status messages).
fn acks(stdout: &[u8]) -> (Vec<i64>, Vec<String>) {
    let text = String::from_utf8_lossy(stdout);
    let mut ids = Vec::new();
    let mut other = Vec::new();
    // Only whole lines count: a line cut by the kill (no newline after it)
    // was never a whole acknowledgement.
    let whole = match text.rfind('\n') {
        Some(end) => &text[..end],
        None => "",
    };
    for line in whole.lines() {
        // The test harness's own "test fault_child ... " may begin the
        // first line.
        if let Some((_, id)) = line.split_once("ACK ") {
            if let Ok(id) = id.trim().parse() {
                ids.push(id);
            }
        } else if line.contains("ERR") || line.contains("STATUS") {
            other.push(line.to_string());
        }
    }
    (ids, other)
}

/// `PRAGMA integrity_check` says ok, and every id is a whole check-in
/// (its five answers and its score are there).
fn assert_sound_with(db: &Path, ids: &[i64], context: &str) {
    let c = Connection::open(db).unwrap();
    let check: Vec<String> = c
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(check, vec!["ok".to_string()], "{context}");
    let fk: i64 = c
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0, "{context}: dangling rows");
    // Killed before anything was acknowledged (in the first round, maybe
    // before the schema was made): sound is all there is to check.
    if ids.is_empty() {
        return;
    }
    let mut q = c
        .prepare(
            "SELECT (SELECT count(*) FROM answer WHERE checkin_id = ?1),
                    (SELECT count(*) FROM score WHERE checkin_id = ?1)
             FROM checkin WHERE id = ?1",
        )
        .unwrap();
    for id in ids {
        let (answers, scores): (i64, i64) = q
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap_or_else(|e| panic!("{context}: acknowledged check-in {id} is missing: {e}"));
        assert_eq!(answers, 5, "{context}: check-in {id} answers");
        assert!(scores >= 1, "{context}: check-in {id} scores");
    }
    // No half check-in: every check-in has all its answers.
    let partial: i64 = c
        .query_row(
            "SELECT count(*) FROM checkin c WHERE (SELECT count(*) FROM answer a WHERE a.checkin_id = c.id) <> 5",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(partial, 0, "{context}: a check-in without all its answers");
}

#[test]
fn kill_9_at_random_points_loses_no_acknowledged_save() {
    let mut rng = Rng::seeded();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    let mut all: Vec<i64> = Vec::new();
    let rounds = 30;
    let mut killed_after_acks = 0;
    for round in 0..rounds {
        let mut child = spawn_child(&db, "personal", None);
        // Start-up (exec, open, questionnaires) takes some tens of ms,
        // then a save every few ms: delays from 0 to 400 ms land before
        // the first save, between saves and inside them.
        let delay = rng.below(400);
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let out = child.wait_with_output().unwrap();
        let (ids, other) = acks(&out.stdout);
        assert!(
            other.is_empty(),
            "round {round}: the app showed something else: {other:?}"
        );
        if !ids.is_empty() {
            killed_after_acks += 1;
        }
        all.extend(&ids);
        assert_sound_with(
            &db,
            &all,
            &format!("round {round} (killed after {delay} ms)"),
        );
        // The app opens it again as sound, with nothing marked damaged.
        let s = Store::open(&db).unwrap();
        assert!(s.damage().is_none(), "round {round}: {:?}", s.damage());
    }
    println!(
        "measured: {rounds} kills, {} acknowledged saves, {killed_after_acks} rounds killed mid-stream",
        all.len()
    );
    assert!(
        killed_after_acks >= rounds / 3,
        "most kills should land in the stream of saves ({killed_after_acks} of {rounds})"
    );
    let unique: BTreeSet<i64> = all.iter().copied().collect();
    assert_eq!(unique.len(), all.len(), "every acknowledged id is its own");
}

#[test]
fn two_kiosks_save_1000_check_ins_each_to_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    // The file exists first, as a ward's kiosks would find it.
    drop(Store::open(&db).unwrap());
    let start = std::time::Instant::now();
    let a = spawn_child(&db, "kiosk", Some(1000));
    let b = spawn_child(&db, "kiosk", Some(1000));
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let took = start.elapsed();
    for (name, o) in [("a", &a), ("b", &b)] {
        assert!(
            o.status.success(),
            "kiosk {name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            !all.to_lowercase().contains("locked") && !all.contains("busy"),
            "kiosk {name} showed: {all}"
        );
    }
    let (ids_a, other_a) = acks(&a.stdout);
    let (ids_b, other_b) = acks(&b.stdout);
    assert!(
        other_a.is_empty() && other_b.is_empty(),
        "{other_a:?} {other_b:?}"
    );
    assert_eq!((ids_a.len(), ids_b.len()), (1000, 1000));
    let both: Vec<i64> = ids_a.iter().chain(&ids_b).copied().collect();
    let unique: BTreeSet<i64> = both.iter().copied().collect();
    assert_eq!(unique.len(), 2000, "no id given twice");
    assert_sound_with(&db, &both, "two kiosks");
    let n: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM checkin", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2000);
    println!("measured: 2 x 1000 kiosk saves on one file in {took:?}");
}

/// A real `joy kiosk` in tmux on `db` (no spacing between submissions, no
/// burst filter, so the test need not wait).
fn real_kiosk(db: &Path, name: &str) -> tmux::Tmux {
    let config = db.with_file_name(format!("{name}.toml"));
    std::fs::write(
        &config,
        "[kiosk]\nsite = \"Fault test\"\nteams = [\"Ward 7\", \"Theatres\"]\nmin_submit_interval_secs = 0\nburst_ms = 0\n",
    )
    .unwrap();
    tmux::admin_pin_for(db);
    let args = format!("kiosk --config '{}'", config.display());
    let t = tmux::start_with(db, name, "", &args, 80, 24);
    t.wait_for("How are you doing today?");
    t
}

/// From the welcome screen to "Check your answers" of an anonymous WHO-5.
fn to_review(t: &tmux::Tmux) {
    t.keys(&["1"]);
    t.wait_for("Which team");
    t.keys(&["2"]);
    t.wait_for("Question 1 of 5");
    for (i, key) in ["1", "2", "1", "2", "1"].iter().enumerate() {
        t.keys(&[key]);
        if i < 4 {
            t.wait_for(&format!("Question {} of 5", i + 2));
        }
    }
    t.wait_for("Check your answers");
}

fn checkins(db: &Path) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM checkin", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn the_real_kiosk_killed_mid_save_keeps_its_file_sound() {
    let mut rng = Rng::seeded();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let mut acknowledged = 0;
    let mut saved_total = 0;
    let rounds = 6;
    for round in 0..rounds {
        let t = real_kiosk(&db, &format!("kill{round}"));
        to_review(&t);
        let pid = t.joy_pid();
        let before = checkins(&db);
        // `s` saves; in even rounds the kill lands 0-15 ms later (before,
        // during or just after the transaction), in odd rounds 150-300 ms
        // later, once the result is on screen.
        let delay = if round % 2 == 0 {
            rng.below(16)
        } else {
            150 + rng.below(150)
        };
        t.cmd(&["send-keys", "-t", "joy", "s"]);
        std::thread::sleep(std::time::Duration::from_millis(delay));
        // What the screen showed before the kill (afterwards the shell's
        // "Killed" scrolls it away).
        let shown = delay > 15 && t.screen().contains("Saved anonymously");
        // SAFETY: sending a signal to a pid.
        unsafe { libc::kill(pid as i32, libc::SIGKILL) };
        t.wait_for("JOY-EXITED-137");
        let after = checkins(&db);
        assert!(after - before <= 1, "round {round}: {before} -> {after}");
        if round % 2 == 1 {
            assert!(
                shown,
                "round {round}: after {delay} ms the result is shown:\n{}",
                t.screen()
            );
        }
        if shown {
            acknowledged += 1;
            assert_eq!(
                after,
                before + 1,
                "round {round}: acknowledged on screen, so saved"
            );
        }
        saved_total += after - before;
        assert_sound_with(&db, &[], &format!("real kiosk, round {round}"));
    }
    println!("measured: real kiosk killed {rounds} times after `s`: {acknowledged} acknowledged on screen, {saved_total} saved");
    // The kiosk starts again on the same file and saves.
    let t = real_kiosk(&db, "killafter");
    let before = checkins(&db);
    to_review(&t);
    t.keys(&["s"]);
    t.wait_for("Saved anonymously");
    assert_eq!(checkins(&db), before + 1);
}

#[test]
fn two_real_kiosks_on_one_file_both_save() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let a = real_kiosk(&db, "twoa");
    let b = real_kiosk(&db, "twob");
    for round in 0..2 {
        to_review(&a);
        to_review(&b);
        // Both press `s` at the same moment.
        a.cmd(&["send-keys", "-t", "joy", "s"]);
        b.cmd(&["send-keys", "-t", "joy", "s"]);
        for t in [&a, &b] {
            let s = t.wait_for("Saved anonymously");
            assert!(!s.to_lowercase().contains("locked"), "round {round}:\n{s}");
            t.keys(&["Enter"]);
            t.wait_for("How are you doing today?");
        }
    }
    assert_eq!(checkins(&db), 4);
    assert_sound_with(&db, &[], "two real kiosks");
}
