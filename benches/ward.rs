//! `cargo bench --bench ward`: every interaction at ward scale, on the one
//! database of 1,000,000 personal check-ins and 1,000,000 team reflections
//! (`ward_data.rs`). Each figure is the time from the action to the drawn
//! frame: `runner::dispatch` (update, then every effect against the store,
//! fed back) and `ui::draw` into a `TestBackend`, as the event loop does.
//! Then the whole `joy` process in a pseudo-terminal: launch to first frame
//! and peak memory.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use joy_kiosk::anonymity::Thresholds;
use joy_kiosk::app::huddle::HuddleView;
use joy_kiosk::app::runner::{dispatch, home_summaries, run_effects};
use joy_kiosk::app::{Action, Loaded, Mode, Screen, State};
use joy_kiosk::period::Period as HuddlePeriod;
use joy_kiosk::questionnaire::answers::parse_pairs;
use joy_kiosk::questionnaire::{score, Catalog, Kind, Questionnaire};
use joy_kiosk::store::{NewCheckin, Store};
use joy_kiosk::trends::Period;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::Path;
use std::time::{Duration, Instant};

#[path = "pty_launch.rs"]
mod pty_launch;
#[path = "ward_data.rs"]
mod ward_data;

/// The budget of one frame at 60 Hz.
const FRAME: Duration = Duration::from_millis(16);

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 20, 0, 0).unwrap()
}

fn questionnaires() -> Vec<Questionnaire> {
    Catalog::bundled()
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect()
}

struct App {
    state: State,
    store: Store,
    term: Terminal<TestBackend>,
}

impl App {
    fn personal(db: &Path, me: i64, w: u16, h: u16) -> App {
        let store = Store::open(db).unwrap();
        let state = State::new(questionnaires(), Some(me), now());
        let mut app = App {
            state,
            store,
            term: Terminal::new(TestBackend::new(w, h)).unwrap(),
        };
        // As `run_loop` does.
        app.store.defer_checkpoints().unwrap();
        app.act(Action::Resize {
            width: w,
            height: h,
        });
        app.act(Action::Back);
        app.state.screen = Screen::Home;
        app.act(Action::Loaded(Loaded::Home(Vec::new())));
        app
    }
    /// Action, effects, drawn frame; then, as `run_loop` does, the checkpoint.
    fn act(&mut self, a: Action) {
        self.frame(a);
        self.store.checkpoint_idle();
    }
    fn frame(&mut self, a: Action) {
        dispatch(&mut self.state, &mut self.store, a, now());
        self.term
            .draw(|f| joy_kiosk::ui::draw(f, &self.state))
            .unwrap();
    }
    /// Action to drawn frame (the checkpoint after it is not counted).
    fn timed(&mut self, a: Action) -> Duration {
        let t = Instant::now();
        self.frame(a);
        let d = t.elapsed();
        self.store.checkpoint_idle();
        d
    }
    fn home(&mut self) {
        self.state.screen = Screen::Home;
        self.state.confirm = None;
        let me = self.state.session.respondent.unwrap();
        let h = home_summaries(&self.state.questionnaires, &mut self.store, me, None).unwrap();
        self.act(Action::Loaded(Loaded::Home(h)));
    }
    fn select(&mut self, id: &str) {
        self.state.session.selected = self
            .state
            .questionnaires
            .iter()
            .position(|q| q.id == id)
            .unwrap();
    }
}

struct Row {
    what: String,
    samples: Vec<Duration>,
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1e3)
}

fn report(rows: &[Row]) -> bool {
    println!("| interaction (action to drawn frame, effects included) | n | median ms | p95 ms | max ms | < 16 ms |");
    println!("| --- | --- | --- | --- | --- | --- |");
    let mut all = true;
    for r in rows {
        let mut v = r.samples.clone();
        v.sort();
        let med = v[v.len() / 2];
        let p95 = v[(v.len() * 95 / 100).min(v.len() - 1)];
        let max = *v.last().unwrap();
        let ok = max < FRAME;
        all &= ok;
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            r.what,
            v.len(),
            ms(med),
            ms(p95),
            ms(max),
            if ok { "yes" } else { "**no** (max)" }
        );
    }
    all
}

fn sample(rows: &mut Vec<Row>, what: &str, n: usize, mut f: impl FnMut() -> Duration) {
    let samples = (0..n).map(|_| f()).collect();
    rows.push(Row {
        what: what.to_string(),
        samples,
    });
}

fn who5_checkin(store: &mut Store, me: i64, at: DateTime<Utc>) -> NewCheckin {
    let _ = store;
    let cat = Catalog::bundled();
    let q = cat.get("who5").unwrap();
    let a = parse_pairs(
        q,
        ["cheerful=3", "calm=3", "active=3", "rested=2", "interest=2"],
    )
    .unwrap();
    NewCheckin::from_outcome(q, &a, &score(q, &a), Some(me), at, at)
}

fn personal(db: &Path, rows: &mut Vec<Row>) {
    // Launch, in process: open, questionnaires, home summaries, first frame.
    sample(
        rows,
        "launch in process: open the file, load questionnaires, home summaries, first frame 80x24",
        30,
        || {
            let t = Instant::now();
            let mut store = Store::open(db).unwrap();
            let mut state = State::new(questionnaires(), Some(1), now());
            let home = home_summaries(&state.questionnaires, &mut store, 1, None).unwrap();
            joy_kiosk::app::update(&mut state, Action::Loaded(Loaded::Home(home)), now());
            let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
            term.draw(|f| joy_kiosk::ui::draw(f, &state)).unwrap();
            t.elapsed()
        },
    );

    let mut app = App::personal(db, 1, 80, 24);
    let total = app.store.history_count(1, None).unwrap();
    println!("person 1: {total} check-ins, 80x24");
    sample(rows, "open History (`h`) from Home", 50, || {
        app.home();
        app.timed(Action::OpenHistory)
    });
    app.home();
    app.act(Action::OpenHistory);
    let mut v = Vec::new();
    for _ in 0..300 {
        v.push(app.timed(Action::Down));
    }
    rows.push(Row {
        what: "History: Down, 300 presses from the top (loads at each window edge)".into(),
        samples: v,
    });
    app.act(Action::First);
    let mut v = Vec::new();
    while app.state.session.history_selected + 1 < total {
        v.push(app.timed(Action::PageDown));
    }
    rows.push(Row {
        what: format!("History: PgDn, every page from the top to the end ({total} rows)"),
        samples: v,
    });
    let mut v = Vec::new();
    while app.state.session.history_selected > 0 {
        v.push(app.timed(Action::PageUp));
    }
    rows.push(Row {
        what: "History: PgUp, every page from the end to the top".into(),
        samples: v,
    });
    sample(rows, "History: End", 50, || {
        app.act(Action::First);
        app.timed(Action::Last)
    });
    sample(rows, "History: Home (first row)", 50, || {
        app.act(Action::Last);
        app.timed(Action::First)
    });
    sample(
        rows,
        "History: filter (`f`, each questionnaire in turn and all)",
        60,
        || app.timed(Action::Filter),
    );
    while app.state.session.history_filter.is_some() {
        app.act(Action::Filter);
    }
    sample(rows, "open a check-in (Enter on a History row)", 50, || {
        app.act(Action::Back);
        app.act(Action::Down);
        app.timed(Action::Confirm)
    });
    app.act(Action::Back);
    // Delete: a check-in saved for it (newest, so row 1), asked, then `y`.
    let mut k = 0;
    sample(
        rows,
        "delete a check-in (`y` in the dialog: delete, count, page, frame)",
        30,
        || {
            k += 1;
            let c = who5_checkin(&mut app.store, 1, now() + chrono::Duration::seconds(k));
            let id = app.store.save_checkin(&c).unwrap();
            app.home();
            app.act(Action::OpenHistory);
            app.act(Action::Delete);
            assert!(
                matches!(app.state.confirm, Some(joy_kiosk::app::Confirm::Delete { id: d, .. }) if d == id)
            );
            app.timed(Action::Yes)
        },
    );
    assert_eq!(app.store.history_count(1, None).unwrap(), total);

    // Trends.
    sample(
        rows,
        "open Trends (`t`): WHO-5, 3,650 points loaded",
        50,
        || {
            app.home();
            app.select("who5");
            app.timed(Action::OpenTrends)
        },
    );
    assert_eq!(app.state.session.trends.points.len(), 3650);
    for p in Period::ALL {
        sample(rows, &format!("Trends: period {p:?} (`p`)"), 50, || {
            app.state.session.trends.period = p.next().next().next();
            app.timed(Action::SetPeriod(p))
        });
    }
    sample(
        rows,
        "Trends: next score (`]`, reloads the series)",
        50,
        || app.timed(Action::NextScore),
    );
    sample(
        rows,
        "Trends: next questionnaire (Down, loads its series)",
        50,
        || app.timed(Action::Down),
    );
    // Trends at 200x60, all 3,650 points: draw only, and with the load.
    let mut big = App::personal(db, 1, 200, 60);
    big.select("who5");
    big.act(Action::OpenTrends);
    big.act(Action::SetPeriod(Period::All));
    assert_eq!(big.state.session.trends.points.len(), 3650);
    sample(
        rows,
        "render the Trends screen at 200x60, 3,650 points (draw only)",
        100,
        || {
            let t = Instant::now();
            big.term
                .draw(|f| joy_kiosk::ui::draw(f, &big.state))
                .unwrap();
            t.elapsed()
        },
    );
    sample(
        rows,
        "Trends at 200x60: period All (`p`), 3,650 points",
        50,
        || {
            big.state.session.trends.period = Period::Months12;
            big.timed(Action::SetPeriod(Period::All))
        },
    );

    // Save: person 2 (WHO-5 daily for ten years) answers WHO-5 and saves.
    let mut app2 = App::personal(db, 2, 80, 24);
    let before = app2.store.history_count(2, None).unwrap();
    let mut saved = Vec::new();
    sample(
        rows,
        "save a WHO-5 check-in (`s`: previous one, durable save, result frame)",
        50,
        || {
            app2.home();
            app2.select("who5");
            for a in [
                Action::Confirm,
                Action::Pick(2),
                Action::Pick(2),
                Action::Pick(2),
                Action::Pick(3),
                Action::Pick(3),
            ] {
                app2.act(a);
            }
            assert_eq!(app2.state.screen, Screen::Review);
            let d = app2.timed(Action::Save);
            assert_eq!(app2.state.screen, Screen::Result);
            saved.push(
                app2.state
                    .session
                    .result
                    .as_ref()
                    .unwrap()
                    .saved_id
                    .unwrap(),
            );
            d
        },
    );
    for id in saved {
        app2.store.delete_checkin(2, id).unwrap();
    }
    assert_eq!(app2.store.history_count(2, None).unwrap(), before);
    // The durable save alone, on the big file: with the app's checkpoint
    // after the frame, and with SQLite's automatic checkpoint in the commit.
    let mut ids = Vec::new();
    let mut checkpoints = Vec::new();
    let mut k = 0;
    sample(rows, "durable save alone (`Store::save_checkin`, WAL, synchronous=FULL), checkpoint after it as the app does (not timed)", 300, || {
        k += 1;
        let c = who5_checkin(&mut app2.store, 2, now() + chrono::Duration::seconds(k));
        let t = Instant::now();
        ids.push(app2.store.save_checkin(&c).unwrap());
        let d = t.elapsed();
        let c = Instant::now();
        if app2.store.checkpoint_idle() {
            checkpoints.push(c.elapsed());
        }
        d
    });
    if !checkpoints.is_empty() {
        rows.push(Row {
            what: "the checkpoint after a frame, when due (not part of any keystroke above)".into(),
            samples: checkpoints,
        });
    }
    let mut auto = Store::open(db).unwrap();
    sample(
        rows,
        "durable save alone, SQLite's automatic checkpoint inside commits (before this change)",
        300,
        || {
            k += 1;
            let c = who5_checkin(&mut auto, 2, now() + chrono::Duration::seconds(k));
            let t = Instant::now();
            ids.push(auto.save_checkin(&c).unwrap());
            t.elapsed()
        },
    );
    drop(auto);
    for id in ids {
        app2.store.delete_checkin(2, id).unwrap();
    }
    app2.store.checkpoint_idle();
}

fn huddle(db: &Path, rows: &mut Vec<Row>) {
    let team_qs: Vec<Questionnaire> = questionnaires()
        .into_iter()
        .filter(|q| q.kind == Kind::Team)
        .collect();
    let period = HuddlePeriod::parse("2026-W46").unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let mut state = State::new(Vec::new(), None, now());
    state.mode = Mode::Huddle;
    state.screen = Screen::Huddle;
    state.huddle = Some(HuddleView::new(
        "Team 07",
        period,
        team_qs,
        Thresholds::default(),
        today,
    ));
    let mut store = Store::open(db).unwrap();
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    dispatch(
        &mut state,
        &mut store,
        Action::Resize {
            width: 80,
            height: 24,
        },
        now(),
    );
    let mut open = || {
        let t = Instant::now();
        let e = joy_kiosk::app::huddle::load(&mut state);
        run_effects(&mut state, &mut store, e, now());
        term.draw(|f| joy_kiosk::ui::draw(f, &state)).unwrap();
        t.elapsed()
    };
    let samples = (0..50).map(|_| open()).collect();
    rows.push(Row {
        what: "huddle: open Team 07, 2026-W46 (77 reflections of 1,000,000; aggregates, 7 weeks of trend, anonymity rules)".into(),
        samples,
    });
    let v = state.huddle.as_ref().unwrap();
    let panels = joy_kiosk::app::huddle::panels(v).len();
    assert!(
        v.huddles.iter().any(|h| h.reflections == 77),
        "{:?}",
        v.huddles.iter().map(|h| h.reflections).collect::<Vec<_>>()
    );
    let mut samples = Vec::new();
    for _ in 0..10 {
        for a in (0..panels)
            .map(|_| Action::Right)
            .chain((0..panels).map(|_| Action::Left))
        {
            let t = Instant::now();
            dispatch(&mut state, &mut store, a, now());
            term.draw(|f| joy_kiosk::ui::draw(f, &state)).unwrap();
            samples.push(t.elapsed());
        }
    }
    rows.push(Row {
        what: format!("huddle: next / previous panel (Right, Left; {panels} panels)"),
        samples,
    });
    let samples = (0..50)
        .map(|_| {
            let t = Instant::now();
            dispatch(&mut state, &mut store, Action::NextPeriod, now());
            term.draw(|f| joy_kiosk::ui::draw(f, &state)).unwrap();
            t.elapsed()
        })
        .collect();
    rows.push(Row {
        what: "huddle: presentation mode on / off (`p`)".into(),
        samples,
    });
}

fn main() {
    let db = ward_data::ward_db();
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    println!(
        "database: {} ({:.0} MiB)",
        db.display(),
        size as f64 / (1 << 20) as f64
    );
    let filter = std::env::args().nth(1).filter(|a| !a.starts_with('-'));
    let want = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    let mut rows = Vec::new();
    if want("personal") {
        personal(&db, &mut rows);
    }
    if want("huddle") {
        huddle(&db, &mut rows);
    }
    if !rows.is_empty() {
        let ok = report(&rows);
        println!(
            "\nevery interaction within one frame (max < 16 ms): {}",
            if ok { "yes" } else { "NO" }
        );
    }
    if want("launch") {
        pty_launch::report(&db, env!("CARGO_BIN_EXE_joy"));
    }
}
