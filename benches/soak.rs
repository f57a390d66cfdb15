//! A month unattended (issue 15, point 5): the kiosk's state machine, its
//! effects on a real database file and its screens drawn into a test
//! terminal, through 30 simulated days on an accelerated clock (time is an
//! input of `update`, so a day takes seconds). Each day: 300 anonymous
//! WHO-5 check-ins and 50 team reflections spread over the day, 20 people
//! who walk away half-way, a resize every 25 sessions, and the daily chores
//! at the first tick after midnight (retention of 7 days, the end-of-day
//! rewrite, a backup, seven kept). On day 15 the database is replaced by
//! its newest backup (as `joy restore` does). Printed: resident memory,
//! the database, its WAL and the backups folder, each simulated day; and
//! any error shown on screen. It fails (exit 1) on an error on screen, more
//! than seven backups at the end, or memory at the end more than 10% above
//! day 8's: the first day the database stops growing (retention keeps 7
//! days), so SQLite's page cache (2 MiB) has filled with it. Day 1's is
//! printed too.
//!
//! Run: `cargo bench --bench soak` (about ten seconds here).

use chrono::{DateTime, Duration, Local, TimeZone, Utc};
use joy_kiosk::app::kiosk::KioskConfig;
use joy_kiosk::app::runner::dispatch;
use joy_kiosk::app::{Action, Screen, State};
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::store::safety::list_backups;
use joy_kiosk::store::{backup_dir, Store};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::Path;

const DAYS: i64 = 30;
const CHECKINS: usize = 300;
const REFLECTIONS: usize = 50;
const WALK_AWAYS: usize = 20;

fn rss_mib() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    pages * 4096.0 / (1024.0 * 1024.0)
}

fn mib(path: &Path) -> f64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) as f64 / (1024.0 * 1024.0)
}

fn folder_mib(path: &Path) -> (usize, f64) {
    let list = list_backups(path).unwrap_or_default();
    (list.len(), list.iter().map(|p| mib(p)).sum())
}

struct Soak {
    state: State,
    store: Store,
    t: DateTime<Utc>,
    terminal: Terminal<TestBackend>,
    errors: Vec<String>,
    actions: usize,
}

impl Soak {
    fn act(&mut self, a: Action, after_ms: i64) {
        self.t += Duration::milliseconds(after_ms);
        dispatch(&mut self.state, &mut self.store, a, self.t);
        self.actions += 1;
        if let Some(s) = &self.state.status {
            if s.contains("Could not") || s.contains("failed") || s.contains("not saved") {
                self.errors.push(format!("{}: {s}", self.t));
            }
        }
        if self.actions % 7 == 0 {
            let state = &self.state;
            self.terminal
                .draw(|f| joy_kiosk::ui::draw(f, state))
                .expect("draw");
        }
    }

    fn index(&self, id: &str) -> usize {
        self.state
            .questionnaires
            .iter()
            .position(|q| q.id == id)
            .expect("offered")
    }

    fn checkin(&mut self, n: usize) {
        let i = self.index("who5");
        self.act(Action::Pick(i), 1_000);
        self.act(Action::Pick(n % 3), 1_500);
        for q in 0..5 {
            self.act(Action::Pick((n + q) % 6), 2_000);
        }
        self.act(Action::Save, 2_000);
        self.act(Action::Confirm, 5_000);
    }

    fn reflection(&mut self, n: usize) {
        let i = self.index("team-reflection");
        self.act(Action::Pick(i), 1_000);
        self.act(Action::Pick(n % 2), 1_500);
        self.act(Action::Confirm, 2_000);
        self.act(Action::Confirm, 2_000);
        self.act(Action::Pick(n % 8), 2_000);
        self.act(Action::Confirm, 2_000);
        self.act(Action::Confirm, 2_000);
        self.act(Action::Pick(n % 5), 2_000);
        self.act(Action::Save, 2_000);
        self.act(Action::Confirm, 5_000);
    }

    fn walk_away(&mut self) {
        let i = self.index("who5");
        self.act(Action::Pick(i), 1_000);
        self.act(Action::Pick(0), 1_500);
        self.act(Action::Pick(2), 2_000);
        // Nobody comes back: the idle wipe.
        for _ in 0..4 {
            self.act(Action::Tick, 30_000);
        }
        assert_eq!(
            self.state.screen,
            Screen::Welcome,
            "wiped after walking away"
        );
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("kiosk.db");
    let store = Store::open(&db).expect("open");
    let qs = Catalog::bundled()
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect();
    let config = KioskConfig {
        site: "Soak (demo)".into(),
        teams: vec!["Ward 7".into(), "Theatres".into()],
        retention_days: 7,
        db: Some(db.clone()),
        ..Default::default()
    };
    let start = Local
        .with_ymd_and_hms(2026, 11, 1, 0, 30, 0)
        .unwrap()
        .with_timezone(&Utc);
    let mut soak = Soak {
        state: State::kiosk(qs, config, start),
        store,
        t: start,
        terminal: Terminal::new(TestBackend::new(80, 24)).expect("terminal"),
        errors: Vec::new(),
        actions: 0,
    };
    soak.store
        .defer_checkpoints()
        .expect("the kiosk defers checkpoints");
    let sizes = [(80, 24), (100, 30), (200, 60), (80, 24)];
    let began = std::time::Instant::now();
    let mut first_rss = 0.0;
    let mut steady_rss = 0.0;
    println!("day  rss MiB  db MiB  wal MiB  backups (MiB)  entries");
    for day in 0..DAYS {
        let day_start = start + Duration::days(day);
        soak.t = soak.t.max(day_start);
        soak.act(Action::Tick, 1_000); // the chores of the new day
        let sessions = CHECKINS + REFLECTIONS + WALK_AWAYS;
        let gap = (20 * 3600 * 1000 / sessions as i64).max(60_000);
        for n in 0..sessions {
            if n % 25 == 0 {
                let (w, h) = sizes[(n / 25) % sizes.len()];
                soak.terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
                soak.act(
                    Action::Resize {
                        width: w,
                        height: h,
                    },
                    100,
                );
            }
            match n % 19 {
                0 if n / 19 < WALK_AWAYS => soak.walk_away(),
                3 | 9 | 15 if n / 6 < REFLECTIONS => soak.reflection(n),
                _ => soak.checkin(n),
            }
            soak.act(Action::Tick, gap / 2);
            soak.store.checkpoint_idle();
        }
        if day == 14 {
            // The database is dropped and restored from its newest backup.
            let newest = list_backups(&backup_dir(&db))
                .expect("backups")
                .pop()
                .expect("a backup");
            soak.store
                .restore_from(&newest, soak.t)
                .expect("restore from the newest backup");
        }
        let (n, backups) = folder_mib(&backup_dir(&db));
        let rss = rss_mib();
        if day == 0 {
            first_rss = rss;
        }
        if day == 7 {
            steady_rss = rss;
        }
        println!(
            "{:>3}  {rss:>7.1}  {:>6.1}  {:>7.1}  {n} ({backups:.1})  {}",
            day + 1,
            mib(&db),
            mib(&db.with_file_name("kiosk.db-wal")),
            soak.store.count("checkin").expect("count")
        );
    }
    let end_rss = rss_mib();
    println!(
        "{} actions over {DAYS} simulated days in {:.0} s; memory day 1 {first_rss:.1} MiB, day 8 {steady_rss:.1} MiB, day {DAYS} {end_rss:.1} MiB ({:+.1}% on day 8, {:+.1}% on day 1)",
        soak.actions,
        began.elapsed().as_secs_f64(),
        (end_rss / steady_rss - 1.0) * 100.0,
        (end_rss / first_rss - 1.0) * 100.0
    );
    let (n, _) = folder_mib(&backup_dir(&db));
    let mut failed = false;
    if !soak.errors.is_empty() {
        println!("errors on screen ({}):", soak.errors.len());
        for e in soak.errors.iter().take(10) {
            println!("  {e}");
        }
        failed = true;
    }
    if end_rss > steady_rss * 1.10 {
        println!("memory grew more than 10%");
        failed = true;
    }
    if n > 7 {
        println!("{n} backups kept (seven expected)");
        failed = true;
    }
    if failed {
        std::process::exit(1);
    }
}
