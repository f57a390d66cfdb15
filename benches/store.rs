//! `cargo bench --bench store`: trend load from a 1,000,000-check-in
//! database, launch to first frame, durable save, trends render at 200x60.

use chrono::Utc;
use joy_kiosk::app::runner::home_summaries;
use joy_kiosk::app::{Action, Loaded, Screen, State};
use joy_kiosk::questionnaire::answers::parse_pairs;
use joy_kiosk::questionnaire::{score, Catalog};
use joy_kiosk::store::{NewCheckin, Store};
use joy_kiosk::trends::Period;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

mod common;

fn main() {
    common::million_db();
    divan::main();
}

#[divan::bench(sample_count = 50)]
fn trend_load_3650(b: divan::Bencher) {
    let mut store = Store::open(&common::million_db()).unwrap();
    assert_eq!(
        store.series(1, "who5", "wellbeing", None).unwrap().len(),
        3650
    );
    b.bench_local(|| store.series(1, "who5", "wellbeing", None).unwrap());
}

/// One person's whole history with answers and scores (`joy history`, `joy export`): person 1 has 4,693.
#[divan::bench(sample_count = 20)]
fn history_3650(b: divan::Bencher) {
    let mut store = Store::open(&common::million_db()).unwrap();
    assert!(store.history(Some(1), None).unwrap().len() >= 3650);
    b.bench_local(|| store.history(Some(1), None).unwrap());
}

/// Opening the database, loading questionnaires and the home summaries, and
/// drawing the first 80x24 frame: everything between launch and a usable screen
/// except process start and terminal setup.
#[divan::bench(sample_count = 50)]
fn launch_to_first_frame(b: divan::Bencher) {
    let path = common::million_db();
    b.bench_local(|| {
        let mut store = Store::open(&path).unwrap();
        let qs = Catalog::load(&[])
            .entries
            .into_iter()
            .map(|e| e.questionnaire)
            .collect();
        let mut state = State::new(qs, Some(1), Utc::now());
        let home = home_summaries(&state.questionnaires, &mut store, 1, None).unwrap();
        joy_kiosk::app::update(&mut state, Action::Loaded(Loaded::Home(home)), Utc::now());
        let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
        t.draw(|f| joy_kiosk::ui::draw(f, &state)).unwrap();
        t
    });
}

/// One check-in saved to a file database with WAL and synchronous=FULL.
#[divan::bench(sample_count = 100)]
fn durable_save(b: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("save.db")).unwrap();
    let me = store.local_respondent().unwrap();
    let cat = Catalog::bundled();
    let q = cat.get("who5").unwrap();
    let a = parse_pairs(
        q,
        ["cheerful=3", "calm=3", "active=3", "rested=2", "interest=2"],
    )
    .unwrap();
    let c = NewCheckin::from_outcome(q, &a, &score(q, &a), Some(me), Utc::now(), Utc::now());
    b.bench_local(|| store.save_checkin(&c).unwrap());
}

#[divan::bench(sample_count = 100)]
fn render_trends_200x60(b: divan::Bencher) {
    let mut store = Store::open(&common::million_db()).unwrap();
    let points = store.series(1, "who5", "wellbeing", None).unwrap();
    let qs = Catalog::bundled()
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect();
    let now = points.last().unwrap().at;
    let mut state = State::new(qs, Some(1), now);
    state.screen = Screen::Trends;
    state.session.trends.points = points;
    state.session.trends.loaded = true;
    state.session.trends.period = Period::All;
    let mut t = Terminal::new(TestBackend::new(200, 60)).unwrap();
    b.bench_local(|| {
        t.draw(|f| joy_kiosk::ui::draw(f, &state)).unwrap();
    });
}

/// A database just under the quick-check limit (`QUICK_CHECK_MAX_BYTES`),
/// made once in target/bench-data/.
fn quick_check_db() -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let path = dir.join("quick-check-2mib-v1.db");
    if path.exists() {
        return path;
    }
    std::fs::create_dir_all(&dir).expect("bench-data folder");
    let mut store = Store::open(&path).unwrap();
    let cat = Catalog::bundled();
    let q = cat.get("who5").unwrap();
    let me = store.local_respondent().unwrap();
    let a = parse_pairs(
        q,
        ["cheerful=3", "calm=3", "active=2", "rested=2", "interest=1"],
    )
    .unwrap();
    let o = score(q, &a);
    let limit = joy_kiosk::store::QUICK_CHECK_MAX_BYTES;
    let mut t = Utc::now() - chrono::Duration::days(20_000);
    loop {
        let batch: Vec<NewCheckin> = (0..500)
            .map(|_| {
                t += chrono::Duration::hours(1);
                NewCheckin::from_outcome(q, &a, &o, Some(me), t, t)
            })
            .collect();
        store.save_many(&batch).unwrap();
        store
            .connection()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        let size = std::fs::metadata(&path).unwrap().len();
        if size > limit - limit / 16 {
            break;
        }
    }
    path
}

/// Opening a database of just under 2 MiB, which runs `PRAGMA quick_check`:
/// the cost the launch pays for noticing damage on open.
#[divan::bench(sample_count = 30)]
fn open_with_quick_check_2mib(b: divan::Bencher) {
    let path = quick_check_db();
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size <= joy_kiosk::store::QUICK_CHECK_MAX_BYTES, "{size}");
    b.bench_local(|| Store::open(&path).unwrap());
}

/// The same open without the check, for comparison: the file is larger than
/// the limit only in name (the check is skipped for the million-row file).
#[divan::bench(sample_count = 30)]
fn open_without_quick_check_million(b: divan::Bencher) {
    let path = common::million_db();
    b.bench_local(|| Store::open(&path).unwrap());
}

/// A command's open of the same file with SQLite's full integrity check
/// (issue 18: damage found at any size before a command reads or writes).
#[divan::bench(sample_count = 30)]
fn open_checked_2mib(b: divan::Bencher) {
    let path = quick_check_db();
    b.bench_local(|| Store::open_checked(&path).unwrap());
}

/// The full check alone of the same file, as the app and the kiosk run it
/// with their day's jobs (after the first frame, on a connection and a
/// thread of their own).
#[divan::bench(sample_count = 30)]
fn full_check_2mib(b: divan::Bencher) {
    let path = quick_check_db();
    let mut store = Store::open(&path).unwrap();
    b.bench_local(|| store.check_fully().unwrap());
}
