//! The interactive loop keeps its store on a worker thread: a database that
//! cannot answer (another process holds its write lock, as a second kiosk
//! or a backup might) holds up no key, no countdown and no idle wipe; the
//! save still lands once the lock is gone; and its result, coming back
//! after the session was wiped, is not shown to the next person.

use chrono::Duration;
use joy_kiosk::app::kiosk::KioskConfig;
use joy_kiosk::app::runner::{run_loop, Input};
use joy_kiosk::app::{Screen, State};
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::store::Store;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use std::sync::mpsc;
use std::time::Instant;

fn key(c: char) -> Input {
    Input::Event(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

#[test]
fn a_locked_database_does_not_stop_the_idle_wipe_and_the_save_lands_after() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let store = Store::open(&db).unwrap();
    let qs = Catalog::bundled()
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect();
    let config = KioskConfig {
        site: "Ward 7 (test)".into(),
        teams: vec!["Ward 7".into()],
        inactivity: Duration::seconds(3),
        min_interval: Duration::zero(),
        burst_window: Duration::zero(),
        ..Default::default()
    };
    let mut state = State::kiosk(qs, config, chrono::Utc::now());
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    // Another connection takes the write lock and keeps it: every save
    // waits (up to the store's 5 s busy timeout).
    let blocker = rusqlite::Connection::open(&db).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let (tx, rx) = mpsc::channel();
    let feed = tx.clone();
    let mut saved_at = None;
    std::thread::scope(|s| {
        let app = s.spawn(|| run_loop(&mut terminal, &mut state, store, tx, rx));
        let pause = || std::thread::sleep(std::time::Duration::from_millis(80));
        // WHO-5, team 1, five answers, save.
        for c in ['1', '1', '1', '2', '3', '2', '1', 's'] {
            feed.send(key(c)).unwrap();
            pause();
        }
        saved_at = Some(Instant::now());
        // The wipe is due 3 s after the last key; the save is still waiting
        // on the lock at 4 s.
        std::thread::sleep(std::time::Duration::from_millis(4000));
        blocker.execute_batch("COMMIT").unwrap();
        // The save lands now; its result comes back for a wiped session.
        std::thread::sleep(std::time::Duration::from_millis(800));
        feed.send(Input::End).unwrap();
        app.join().unwrap().unwrap();
    });
    println!(
        "measured: loop ended {} ms after the save was pressed",
        saved_at.unwrap().elapsed().as_millis()
    );
    assert_eq!(state.screen, Screen::Welcome, "the idle wipe came");
    assert!(
        state.session.result.is_none(),
        "nothing of the last person's check-in"
    );
    assert!(state.status.is_none(), "{:?}", state.status);
    let n: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM checkin", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1, "the save waited for the lock and landed");
}

#[test]
fn the_idle_wipe_comes_while_the_database_is_still_locked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let store = Store::open(&db).unwrap();
    let qs = Catalog::bundled()
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect();
    let config = KioskConfig {
        site: "Ward 7 (test)".into(),
        teams: vec!["Ward 7".into()],
        inactivity: Duration::seconds(3),
        min_interval: Duration::zero(),
        burst_window: Duration::zero(),
        ..Default::default()
    };
    let mut state = State::kiosk(qs, config, chrono::Utc::now());
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    // Another connection takes the write lock and keeps it: every save
    // waits (up to the store's 5 s busy timeout).
    let blocker = rusqlite::Connection::open(&db).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let (tx, rx) = mpsc::channel();
    let feed = tx.clone();
    let mut saved_at = None;
    std::thread::scope(|s| {
        let app = s.spawn(|| run_loop(&mut terminal, &mut state, store, tx, rx));
        let pause = || std::thread::sleep(std::time::Duration::from_millis(80));
        // WHO-5, team 1, five answers, save.
        for c in ['1', '1', '1', '2', '3', '2', '1', 's'] {
            feed.send(key(c)).unwrap();
            pause();
        }
        saved_at = Some(Instant::now());
        // The wipe is due 3 s after the last key. The loop is told to end
        // at 3.6 s, while the save still waits on the lock: whatever it
        // shows then, it showed without the store.
        std::thread::sleep(std::time::Duration::from_millis(3600));
        feed.send(Input::End).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        // Ending waits for the save in flight: let it through.
        blocker.execute_batch("COMMIT").unwrap();
        app.join().unwrap().unwrap();
    });
    println!(
        "measured: loop ended {} ms after the save was pressed",
        saved_at.unwrap().elapsed().as_millis()
    );
    assert_eq!(state.screen, Screen::Welcome, "the idle wipe came");
    assert!(
        state.session.result.is_none(),
        "nothing of the last person's check-in"
    );
    assert!(state.status.is_none(), "{:?}", state.status);
    let n: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM checkin", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1, "the save waited for the lock and landed");
}
