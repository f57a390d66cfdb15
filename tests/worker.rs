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

/// A kiosk on a file whose write lock another connection holds while a
/// WHO-5 check-in is answered and saved; `end_while_locked`: the loop is
/// told to end at 3.6 s with the lock still held (else the lock goes at
/// 4 s and the loop ends at 4.8 s). Returns the state at the end and how
/// many check-ins the file holds.
fn locked_save(end_while_locked: bool) -> (State, i64) {
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
        // Saves from this terminal at least a minute apart.
        min_interval: Duration::seconds(60),
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
    let ms = |n| std::thread::sleep(std::time::Duration::from_millis(n));
    std::thread::scope(|s| {
        let app = s.spawn(|| run_loop(&mut terminal, &mut state, Box::new(store), tx, rx));
        // WHO-5, team 1, five answers, save.
        for c in ['1', '1', '1', '2', '3', '2', '1', 's'] {
            feed.send(key(c)).unwrap();
            ms(80);
        }
        let saved_at = Instant::now();
        // The wipe is due 3 s after the last key.
        if end_while_locked {
            // Whatever the loop shows at its end, it showed without the store.
            ms(3600);
            feed.send(Input::End).unwrap();
            ms(300);
            // Ending waits for the save in flight: let it through.
            blocker.execute_batch("COMMIT").unwrap();
        } else {
            ms(4000);
            // The save lands now; its result comes back for a wiped session.
            blocker.execute_batch("COMMIT").unwrap();
            ms(800);
            feed.send(Input::End).unwrap();
        }
        app.join().unwrap().unwrap();
        println!(
            "measured: loop ended {} ms after the save was pressed",
            saved_at.elapsed().as_millis()
        );
    });
    let n: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM checkin", [], |r| r.get(0))
        .unwrap();
    (state, n)
}

fn assert_wiped_and_saved(state: &State, saved: i64) {
    assert_eq!(state.screen, Screen::Welcome, "the idle wipe came");
    assert!(
        state.session.result.is_none(),
        "nothing of the last person's check-in"
    );
    assert!(state.status.is_none(), "{:?}", state.status);
    assert_eq!(saved, 1, "the save waited for the lock and landed");
}

#[test]
fn a_save_that_lands_after_the_wipe_still_spaces_the_next_one() {
    let (state, _) = locked_save(false);
    let gate = &state.kiosk.as_ref().unwrap().gate;
    assert!(
        gate.check(chrono::Utc::now()).is_err(),
        "the next save from this terminal must wait its interval"
    );
}

#[test]
fn the_idle_wipe_comes_while_the_database_is_still_locked() {
    let (state, saved) = locked_save(true);
    assert_wiped_and_saved(&state, saved);
}

#[test]
fn a_save_that_lands_after_the_wipe_shows_nothing_to_the_next_person() {
    let (state, saved) = locked_save(false);
    assert_wiped_and_saved(&state, saved);
}
