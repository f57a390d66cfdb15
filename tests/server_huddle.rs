//! Issue 17, end to end on one server: a kiosk's outbox delivers as the
//! terminal role, the admin releases by the server's clock, and the huddle
//! (as the huddle role) reads the released week, on its screen's state
//! machine and as minutes from `joy huddle --server`, and records an
//! action there.

mod server;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use joy_kiosk::demo::Rng;
use joy_kiosk::huddle::Content;
use joy_kiosk::period::{Period, PeriodKind};
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::reflection_gen;
use joy_kiosk::store::pg::PgStore;
use joy_kiosk::store::{Store, TeamStore};

fn psql(conn: &str, sql: &str) {
    postgres::Client::connect(conn, postgres::NoTls)
        .unwrap()
        .batch_execute(sql)
        .unwrap();
}

#[test]
fn kiosk_to_server_to_huddle() {
    let (admin_conn, name) = server::fresh_named_database();
    PgStore::init(&admin_conn, &name).unwrap_or_else(|e| panic!("{e}"));
    psql(
        &admin_conn,
        &format!(
            "CREATE ROLE {name}_t LOGIN IN ROLE {name}_terminal;
             CREATE ROLE {name}_h LOGIN IN ROLE {name}_huddle;"
        ),
    );
    let terminal = server::as_user(&admin_conn, &format!("{name}_t"));
    let huddle = server::as_user(&admin_conn, &format!("{name}_h"));

    // A kiosk: six reflections for Ward 7 on Tuesday of week 47, sent the
    // next day as the terminal role.
    let mut kiosk = Store::open_in_memory().unwrap();
    kiosk.set_time_zone("Europe/London").unwrap();
    kiosk.set_outbox(true).unwrap();
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 11, 17).unwrap();
    let mut rng = Rng::new(21);
    let rows: Vec<_> = (0..6)
        .map(|i| {
            let a = reflection_gen::answers(q, 0.7, &mut rng, |_| format!("good day {i}"));
            reflection_gen::checkin(q, &a, "Ward 7", PeriodKind::Week, day)
        })
        .collect();
    kiosk.save_many(&rows).unwrap();
    let next = Utc.with_ymd_and_hms(2026, 11, 18, 9, 0, 0).unwrap();
    let d = joy_kiosk::outbox::deliver(&mut kiosk, &terminal, next).unwrap();
    assert_eq!((d.sent, d.error), (6, None));

    // The admin releases what has closed, by the server's clock.
    let dir = tempfile::tempdir().unwrap();
    let joy = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_joy"))
            .args(args)
            .env("JOY_DB", dir.path().join("unused.db"))
            .env("XDG_CONFIG_HOME", dir.path().join("no-config"))
            .env_remove("JOY_CONFIG")
            .env_remove("JOY_SERVER_URL")
            .output()
            .unwrap()
    };
    let o = joy(&["server", "release", "--url", &admin_conn]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("2026-W47"));

    // The huddle role's minutes of week 47, from the server.
    let o = joy(&[
        "huddle", "--server", &huddle, "--team", "Ward 7", "--period", "2026-W47", "--export", "md",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(md.contains("Reflections this period: 6"), "{md}");
    assert!(md.contains("Average"), "{md}");
    assert!(md.contains("good day"), "{md}");

    // The huddle screen's state machine on the server, as the huddle role:
    // the released week shows, and an action is recorded there.
    use joy_kiosk::app::runner::{dispatch, run_effects};
    use joy_kiosk::app::Action;
    let mut pg = PgStore::connect(&huddle).unwrap();
    let settings = joy_kiosk::config::Settings::resolve(
        Some("unused.db".into()),
        Some("/nonexistent-joy-q".into()),
    )
    .unwrap();
    let week = Period::containing(PeriodKind::Week, day);
    let today = day + Duration::days(7);
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let mut state = joy_kiosk::huddle_commands::huddle_state(&settings, "Ward 7", week, today, now);
    let effects = joy_kiosk::app::huddle::load(&mut state);
    run_effects(&mut state, &mut pg, effects, now);
    let v = state.huddle.as_ref().unwrap();
    assert!(
        matches!(v.huddles[0].content, Content::Shown(_)),
        "{:?}",
        v.huddles
    );
    dispatch(&mut state, &mut pg, Action::AddAction, now);
    for c in "Fix the fridge alarm".chars() {
        dispatch(
            &mut state,
            &mut pg,
            Action::Edit(ratatui::crossterm::event::KeyEvent::new(
                ratatui::crossterm::event::KeyCode::Char(c),
                ratatui::crossterm::event::KeyModifiers::NONE,
            )),
            now,
        );
    }
    for _ in 0..6 {
        dispatch(&mut state, &mut pg, Action::Confirm, now);
    }
    let actions = pg.actions(Some("Ward 7")).unwrap();
    assert_eq!(actions.len(), 1, "{:?}", state.status);
    assert_eq!(actions[0].action, "Fix the fridge alarm");
    // Changed and undone, as the huddle role (the keys `s` and `u`).
    let id = actions[0].id;
    let change = joy_kiosk::model::ActionChange {
        status: Some(joy_kiosk::model::ActionStatus::Testing),
        ..Default::default()
    };
    assert!(pg.update_action(id, &change, today).unwrap());
    assert!(pg.undo_action(id, today).unwrap(), "undone");
    assert!(!pg.undo_action(id, today).unwrap(), "nothing more to undo");
    let a = &pg.actions(Some("Ward 7")).unwrap()[0];
    assert_ne!(a.status, joy_kiosk::model::ActionStatus::Testing);
}
