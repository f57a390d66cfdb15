//! Issue 17, "done when": a ward with two kiosks and a huddle screen, on
//! three processes of the real binary, sharing one PostgreSQL server the
//! test starts. Both kiosks take team reflections while the server is
//! down; started again a week on (the debug binary's test clock, see
//! `src/clock.rs`) with the server back, they deliver by themselves; the
//! period is released at its close; the huddle screen, as the huddle role,
//! shows it.

mod server;

#[path = "support/tmux.rs"]
mod tmux;

use joy_kiosk::store::pg::PgStore;
use joy_kiosk::store::TeamStore;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Nine days on: the week the reflections were given in has closed, and
/// its day of grace is over.
const WEEK_ON: i64 = 9 * 24 * 3600;

struct Kiosk {
    dir: tempfile::TempDir,
    db: PathBuf,
    config: PathBuf,
}

impl Kiosk {
    fn new(server_url: &str) -> Kiosk {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("kiosk.db");
        let config = dir.path().join("joy.toml");
        std::fs::write(
            &config,
            format!(
                "[kiosk]\nsite = \"Ward 7 (test)\"\nteams = [\"Ward 7\"]\n\n[server]\nurl = \"{server_url}\"\n"
            ),
        )
        .unwrap();
        tmux::admin_pin_for(&db);
        Kiosk { dir, db, config }
    }

    /// The kiosk running in a pane, its clock `offset` seconds on.
    fn run(&self, name: &str, offset: i64) -> tmux::Tmux {
        let args = format!("kiosk --config '{}'", self.config.display());
        let prefix = format!("{}={offset}", joy_kiosk::clock::TEST_OFFSET_VAR);
        let t = tmux::start_with(&self.db, name, &prefix, &args, 80, 24);
        t.wait_for("How are you doing today?");
        t
    }
}

/// A team reflection for Ward 7 through the kiosk's screens, saved.
fn reflect(t: &tmux::Tmux, said: &str, joy: &str) {
    let screen = t.wait_for("Team joy in work reflection");
    let key = screen
        .lines()
        .find(|l| l.contains("Team joy in work reflection"))
        .and_then(|l| {
            l.split_whitespace()
                .find(|w| w.chars().all(|c| c.is_ascii_digit()))
        })
        .expect("a numbered row")
        .to_string();
    t.keys(&[&key]);
    t.wait_for("Which team is this reflection for");
    t.keys(&["1"]);
    t.wait_for("What matters to you at work");
    t.literal(said);
    t.wait_for(said);
    // Each question as its own step, a person's pace apart: the kiosk's
    // burst filter (`[kiosk] burst_ms`, 500 ms) counts the same key pressed
    // again within half a second once.
    let next = |key: &str, then: &str| {
        let start = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(700));
            t.keys(&[key]);
            std::thread::sleep(Duration::from_millis(300));
            if t.screen().contains(then) {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "{}", t.screen());
        }
    };
    next("Enter", "What made it good?");
    next("Enter", "What got in the way");
    next("Enter", "How much joy did our team have");
    t.keys(&[joy]);
    t.wait_for("Check your answers");
    t.keys(&["s"]);
    t.wait_for("Saved anonymously");
    t.keys(&["Enter"]);
    t.wait_for("How are you doing today?");
}

fn entries(conn: &str) -> i64 {
    postgres::Client::connect(conn, postgres::NoTls)
        .and_then(|mut c| c.query_one("SELECT count(*) FROM entry", &[]))
        .map(|r| r.get(0))
        .unwrap_or(-1)
}

fn outbox(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn two_kiosks_and_a_huddle_screen_share_one_server_through_an_outage() {
    let srv = server::OwnServer::start();
    let admin = srv.conn();
    PgStore::init(&admin, "ward7").unwrap_or_else(|e| panic!("{e}"));
    let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    c.batch_execute(
        "CREATE ROLE kiosk_corridor LOGIN IN ROLE ward7_terminal;
         CREATE ROLE kiosk_staffroom LOGIN IN ROLE ward7_terminal;
         CREATE ROLE huddle_screen LOGIN IN ROLE ward7_huddle;",
    )
    .unwrap();
    drop(c);
    let as_role = |role: &str| server::as_user(&admin, role);
    let mut pg = PgStore::connect(&admin).unwrap();
    pg.set_time_zone(chrono_tz::Europe::London).unwrap();
    pg.set_rules(
        &joy_kiosk::model::TeamRules {
            min_group: 3,
            min_group_text: 3,
        },
        chrono::Utc::now(),
    )
    .unwrap();
    drop(pg);

    // The server goes down; both kiosks keep taking reflections.
    srv.kill();
    let a = Kiosk::new(&as_role("kiosk_corridor"));
    let b = Kiosk::new(&as_role("kiosk_staffroom"));
    {
        let ta = a.run("ward-a", 0);
        let tb = b.run("ward-b", 0);
        reflect(&ta, "handover went well", "4");
        reflect(&tb, "a calm night", "3");
        reflect(&ta, "the new starter", "5");
        reflect(&tb, "breaks for everyone", "4");
        // The first delivery round ran at start and found no server; the
        // entries wait, counted on the admin screen.
        assert_eq!((outbox(&a.db), outbox(&b.db)), (2, 2));
        ta.kill_session();
        tb.kill_session();
    }

    // A week on, the server back: each kiosk delivers by itself.
    srv.up();
    let ta = a.run("ward-a2", WEEK_ON);
    let tb = b.run("ward-b2", WEEK_ON);
    let start = Instant::now();
    while entries(&admin) < 4 {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "delivered: {} of 4 (outboxes {} and {})",
            entries(&admin),
            outbox(&a.db),
            outbox(&b.db)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(entries(&admin), 4, "each exactly once");
    let start = Instant::now();
    while outbox(&a.db) + outbox(&b.db) > 0 {
        assert!(start.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(100));
    }
    drop((ta, tb));

    // The period closes: the release (the caller's time, a week on).
    let now = chrono::Utc::now() + chrono::Duration::seconds(WEEK_ON);
    let offered: Vec<_> = joy_kiosk::questionnaire::Catalog::bundled()
        .entries
        .into_iter()
        .map(|e| e.questionnaire)
        .collect();
    let mut pg = PgStore::connect(&admin).unwrap();
    let report = pg
        .release_closed(now, &offered, joy_kiosk::anonymity::Thresholds::default())
        .unwrap();
    assert_eq!(report.released.len(), 1, "{:?}", report.released);

    // The huddle screen, the third process, as the huddle role.
    let db = a.dir.path().join("huddle-screen.db");
    let args = format!(
        "huddle --server '{}' --team 'Ward 7'",
        as_role("huddle_screen")
    );
    let prefix = format!("{}={WEEK_ON}", joy_kiosk::clock::TEST_OFFSET_VAR);
    let th = tmux::start_with(&db, "ward-huddle", &prefix, &args, 100, 30);
    let screen = th.wait_for("4 reflections");
    assert!(screen.contains("Ward 7"), "{screen}");
    // Free text from 3 or more reflections is shown: one of the kiosks'.
    th.keys(&["Space"]);
    let start = Instant::now();
    loop {
        let s = th.screen();
        if [
            "handover went well",
            "a calm night",
            "the new starter",
            "breaks for everyone",
        ]
        .iter()
        .any(|t| s.contains(t))
        {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "{s}");
        th.keys(&["Space"]);
        std::thread::sleep(Duration::from_millis(300));
    }
}
