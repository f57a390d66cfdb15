//! Issue 18, §5: damage found at any size. A database above the size that
//! gets `quick_check` on open, with an index that no longer matches its
//! table (what a flipped byte in an index page does: `PRAGMA
//! integrity_check` says "row N missing from index series_by_person",
//! `quick_check` says ok). Commands check it fully before they read or
//! write; the app and the kiosk check it after the first frame (their first
//! day's chores) and once a day, before any batch write, and then keep to
//! reading.

use chrono::{TimeZone, Utc};
use joy_kiosk::store::{Store, TerminalStore, QUICK_CHECK_MAX_BYTES};
use rusqlite::Connection;
use std::path::Path;
use std::process::{Command, Output};

fn joy(args: &[&str], db: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(args)
        .env("JOY_DB", db)
        .env("XDG_CONFIG_HOME", db.with_extension("config"))
        .env("JOY_QUESTIONNAIRES", db.with_extension("q"))
        .output()
        .unwrap()
}

/// Every bundled questionnaire.
fn bundled() -> Vec<joy_kiosk::questionnaire::Questionnaire> {
    joy_kiosk::questionnaire::Catalog::bundled()
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A demo history above [`QUICK_CHECK_MAX_BYTES`], its index
/// `series_by_person` pointed at another index's pages.
fn big_and_damaged(db: &Path) {
    {
        let mut s = Store::open(db).unwrap();
        let me = s.local_respondent().unwrap();
        let cat = joy_kiosk::questionnaire::Catalog::bundled();
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        // Three people's worth of years, as a long-kept history grows.
        for seed in 0..3 {
            let rows = joy_kiosk::demo::generate(&cat, me, 1500, now, seed);
            s.save_many(&rows).unwrap();
        }
    }
    {
        let c = Connection::open(db).unwrap();
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    }
    // One byte of one stored "who5" becomes "who4": the record is still
    // well formed, but a row and its index entry no longer agree.
    let sound = std::fs::read(db).unwrap();
    let at: Vec<usize> = sound
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == b"who5")
        .map(|(i, _)| i)
        .collect();
    let quiet = at.iter().rev().find(|&&i| {
        let mut bytes = sound.clone();
        bytes[i + 3] = b'4';
        std::fs::write(db, &bytes).unwrap();
        let c = Connection::open(db).unwrap();
        let quick: String = c.query_row("PRAGMA quick_check", [], |r| r.get(0)).unwrap();
        let full: String = c
            .query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))
            .unwrap();
        quick == "ok" && full != "ok"
    });
    assert!(quiet.is_some(), "a byte only the full check finds");
    let size = std::fs::metadata(db).unwrap().len();
    assert!(size > QUICK_CHECK_MAX_BYTES, "{size} bytes");
    let c = Connection::open(db).unwrap();
    let quick: String = c.query_row("PRAGMA quick_check", [], |r| r.get(0)).unwrap();
    assert_eq!(quick, "ok", "the open-time check cannot see it");
    let full: String = c
        .query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))
        .unwrap();
    assert_ne!(full, "ok");
}

#[test]
fn commands_find_damage_in_a_big_database_before_reading_or_writing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("big.db");
    big_and_damaged(&db);
    let before = std::fs::read(&db).unwrap();
    let o = joy(&["history"], &db);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("looks damaged"),
        "{}",
        text(&o)
    );
    let o = joy(&["demo", "--days", "10", "--yes"], &db);
    assert!(!o.status.success(), "a batch write on damage: {}", text(&o));
    assert!(text(&o).contains("joy check"), "{}", text(&o));
    assert_eq!(std::fs::read(&db).unwrap(), before, "not written");
}

#[test]
fn the_app_finds_damage_in_a_big_database_before_its_days_job() {
    use joy_kiosk::app::{runner, update, Action, Effect, State};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("big.db");
    big_and_damaged(&db);
    let before = std::fs::read(&db).unwrap();
    // Opening stays quick: the full check is not made here.
    let mut s = Store::open(&db).unwrap();
    assert!(s.damage().is_none());
    let qs = bundled();
    let now = Utc.with_ymd_and_hms(2026, 12, 6, 9, 0, 0).unwrap();
    let mut state = State::personal(qs, Some(1), now);
    // The first tick (after the first frame) asks for the check, and the
    // day's job waits for its answer.
    let effects = update(&mut state, Action::Tick, now);
    assert_eq!(effects, vec![Effect::CheckDatabase]);
    runner::run_effects(&mut state, &mut s, effects, now);
    let said = state.status.clone().unwrap_or_default();
    assert!(
        said.contains("looks damaged") && said.contains("joy check"),
        "{said}"
    );
    assert!(s.damage().is_some(), "reading only from now on");
    // No day's job on it, today or at the next tick.
    let later = update(&mut state, Action::Tick, now + chrono::Duration::minutes(1));
    assert!(!later.contains(&Effect::DailyChores), "{later:?}");
    let d = TerminalStore::end_of_day(&mut s, now).unwrap();
    assert!(!d.rewritten, "no rewrite of a damaged file");
    drop(s);
    assert_eq!(std::fs::read(&db).unwrap(), before, "not written");
}

#[test]
fn a_kiosk_finds_damage_before_its_daily_jobs() {
    use joy_kiosk::app::{runner, update, Action, Effect, State};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("big.db");
    big_and_damaged(&db);
    let before = std::fs::read(&db).unwrap();
    let mut s = Store::open(&db).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 12, 6, 9, 0, 0).unwrap();
    let qs = bundled();
    let mut state = State::kiosk(qs, Default::default(), now);
    let effects = update(&mut state, Action::Tick, now);
    assert!(effects.contains(&Effect::CheckDatabase), "{effects:?}");
    assert!(!effects.contains(&Effect::DailyChores), "{effects:?}");
    runner::run_effects(&mut state, &mut s, effects, now);
    assert!(s.damage().is_some());
    for m in 1..3 {
        let later = update(&mut state, Action::Tick, now + chrono::Duration::minutes(m));
        assert!(!later.contains(&Effect::DailyChores), "{later:?}");
    }
    drop(s);
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "no purge, rewrite or backup"
    );
    // A sound file: the day's jobs follow the check at once.
    let sound = dir.path().join("sound.db");
    let mut s = Store::open(&sound).unwrap();
    let qs = bundled();
    let mut state = State::kiosk(qs, Default::default(), now);
    let effects = update(&mut state, Action::Tick, now);
    runner::run_effects(&mut state, &mut s, effects, now);
    assert_eq!(
        state.check_done,
        Some(now.with_timezone(&chrono::Local).date_naive())
    );
    assert!(s.damage().is_none());
}
