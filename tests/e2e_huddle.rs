//! End to end: `joy huddle` in a pseudo-terminal (tmux, 80x24) on a
//! database of reflections: presentation mode stepped by Space and a
//! click, left with Esc, quit with q.

#[path = "support/tmux.rs"]
mod tmux;

use joy_kiosk::demo::Rng;
use joy_kiosk::period::{Period, PeriodKind};
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::reflection_gen;
use joy_kiosk::store::Store;
use tmux::Tmux;

#[test]
fn joy_huddle_presents_panels_by_space_and_click() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("huddle.db");
    {
        let cat = Catalog::bundled();
        let q = cat.get("team-reflection").unwrap();
        let mut store = Store::open(&db).unwrap();
        let mut rng = Rng::new(2);
        let day = Period::parse("2026-W47").unwrap().first_day();
        let rows: Vec<_> = (0..6)
            .map(|_| {
                let a = reflection_gen::answers(q, 0.6, &mut rng, |_| String::new());
                reflection_gen::checkin(q, &a, "Ward 7", PeriodKind::Week, day)
            })
            .collect();
        store.save_many(&rows).unwrap();
    }
    // The ward admin releases the closed week (what a kiosk's daily chores
    // do); the huddle then opens on it without being told the period.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["huddle", "release"])
        .env("JOY_DB", &db)
        .env("JOY_QUESTIONNAIRES", db.with_extension("q"))
        .env("XDG_CONFIG_HOME", db.with_extension("config"))
        .env_remove("JOY_CONFIG")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("2026-W47"),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let t = Tmux {
        socket: format!("joy-e2e-huddle-{}", std::process::id()),
    };
    let cmd = format!(
        "env JOY_DB='{}' JOY_QUESTIONNAIRES='{}' XDG_CONFIG_HOME='{}' NO_COLOR=1 TERM=xterm-256color '{}' huddle; echo JOY-EXITED-$?; sleep 30",
        db.display(),
        db.with_extension("q").display(),
        db.with_extension("config").display(),
        env!("CARGO_BIN_EXE_joy")
    );
    t.cmd(&[
        "new-session",
        "-d",
        "-s",
        "joy",
        "-x",
        "80",
        "-y",
        "24",
        &cmd,
    ]);
    let first = t.wait_for("Team huddle: Ward 7, week 2026-W47");
    assert!(first.contains("reflections this period"), "{first}");
    t.keys(&["p"]);
    t.wait_for("stop presenting");
    t.keys(&["Space"]);
    let s = t.wait_for("Team joy rating");
    assert!(s.contains("panel 2 of"), "{s}");
    t.click(40, 12);
    t.wait_for("panel 3 of");
    t.keys(&["Escape"]);
    t.wait_for("p present");
    t.keys(&["q"]);
    t.wait_for("JOY-EXITED-0");
}

/// A huddle run for real at 80x24 and at 160x45: from the summary panel,
/// through the panels by keys and by clicks on the panel list, to a new
/// action recorded with the form (owner, review date, pebble, who can
/// remove it), then its status moved on by a tap on the key bar.
#[test]
fn a_huddle_from_the_summary_to_a_new_action_at_two_sizes() {
    for (w, h) in [(80u16, 24u16), (160, 45)] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("huddle.db");
        {
            let cat = Catalog::bundled();
            let q = cat.get("team-reflection").unwrap();
            let mut store = Store::open(&db).unwrap();
            let mut rng = Rng::new(3);
            let day = Period::parse("2026-W47").unwrap().first_day();
            let rows: Vec<_> = (0..7)
                .map(|_| {
                    let a = reflection_gen::answers(q, 0.6, &mut rng, |_| String::new());
                    reflection_gen::checkin(q, &a, "Ward 7", PeriodKind::Week, day)
                })
                .collect();
            store.save_many(&rows).unwrap();
            store
                .release_closed(
                    chrono::Utc::now(),
                    &[],
                    joy_kiosk::anonymity::Thresholds::default(),
                )
                .unwrap();
        }
        let t = tmux::start_with(&db, &format!("sum{w}"), "", "huddle", w, h);
        // The summary comes first.
        let s = t.wait_for("Team huddle: Ward 7, week 2026-W47");
        assert!(s.contains("Team joy rating: "), "{w}x{h}: {s}");
        assert!(s.contains("Actions due for review"), "{w}x{h}: {s}");
        // → to the next panel by key, then a click on the list's last row.
        t.keys(&["Right"]);
        t.wait_for("panel 2 of");
        let screen = t.screen();
        let (row, col) = screen
            .lines()
            .enumerate()
            .find_map(|(y, l)| {
                l.find(" Actions")
                    .map(|x| (y + 1, l[..x].chars().count() + 2))
            })
            .expect("the Actions row in the panel list");
        t.click(col, row);
        t.wait_for("No actions recorded yet");
        // The form: action, owner, review date (kept), pebble, scope.
        t.keys(&["a"]);
        t.wait_for("New action:");
        t.literal("Fix the fridge alarm");
        t.keys(&["Enter"]);
        t.literal("ward manager");
        t.keys(&["Enter"]);
        t.wait_for("Review on");
        t.keys(&["Enter"]);
        t.keys(&["2", "Enter"]);
        t.wait_for("Who can remove it");
        t.keys(&["t", "Enter"]);
        let s = t.wait_for("open  Fix the fridge alarm");
        assert!(s.contains("Recorded: Fix the fridge alarm"), "{w}x{h}: {s}");
        // A tap on the key bar's "s status" moves it on.
        let screen = t.screen();
        let (row, col) = screen
            .lines()
            .enumerate()
            .find_map(|(y, l)| {
                l.find("s status")
                    .map(|x| (y + 1, l[..x].chars().count() + 1))
            })
            .expect("the status key in the key bar");
        t.click(col, row);
        t.wait_for("testing  Fix the fridge alarm");
        t.keys(&["q"]);
        t.wait_for("JOY-EXITED-0");
        t.kill_session();
        let mut store = Store::open(&db).unwrap();
        let a = &store.actions(Some("Ward 7")).unwrap()[0];
        assert_eq!(a.owner, "ward manager", "{w}x{h}");
        assert_eq!(
            a.scope,
            Some(joy_kiosk::model::ActionScope::Team),
            "{w}x{h}"
        );
        assert!(!a.pebble.is_empty(), "{w}x{h}");
    }
}
