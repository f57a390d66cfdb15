//! `joy server` against the test server: init, status, release, and what a
//! missing or unreachable server says.

mod server;

use std::process::{Command, Output};

fn joy(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(args)
        .env("JOY_DB", dir.path().join("joy.db"))
        .env("XDG_CONFIG_HOME", dir.path().join("no-config"))
        .env_remove("JOY_CONFIG")
        .env_remove("JOY_SERVER_URL")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn init_status_and_release_on_a_new_database() {
    let (conn, name) = server::fresh_named_database();
    let o = joy(&["server", "init", "--url", &conn]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains(&format!("{name}_huddle")), "{}", text(&o));
    // Twice is fine: nothing to migrate.
    let o = joy(&["server", "init", "--url", &conn]);
    assert!(o.status.success(), "{}", text(&o));
    let o = joy(&["server", "status", "--url", &conn]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Entries: 0"), "{}", text(&o));
    let o = joy(&["server", "release", "--url", &conn]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Nothing to release"), "{}", text(&o));
    let o = joy(&["server", "prune", "--url", &conn, "--days", "365"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Deleted 0 entries"), "{}", text(&o));
    // Fewer than 7 days is refused by the command itself.
    let o = joy(&["server", "prune", "--url", &conn, "--days", "1"]);
    assert!(!o.status.success());
}

#[test]
fn no_server_or_an_unreachable_one_says_what_to_do() {
    let o = joy(&["server", "status"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("JOY_SERVER_URL"), "{}", text(&o));
    let started = std::time::Instant::now();
    let o = joy(&[
        "server",
        "status",
        "--url",
        "host=/nonexistent-joy-socket dbname=ward7 user=joy",
    ]);
    assert!(!o.status.success());
    let t = text(&o);
    assert!(
        t.contains("connecting") && t.contains("Check that the server is running"),
        "{t}"
    );
    assert!(
        started.elapsed().as_secs() < 10,
        "a dead server costs seconds, not minutes"
    );
}

/// `joy server status` says what this terminal's outbox holds, even when
/// the server cannot be reached.
#[test]
fn status_shows_this_terminals_outbox_even_with_the_server_down() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    {
        let mut s = joy_kiosk::store::Store::open(&db).unwrap();
        s.set_time_zone("Europe/London").unwrap();
        s.set_outbox(true).unwrap();
        let cat = joy_kiosk::questionnaire::Catalog::bundled();
        let q = cat.get("team-reflection").unwrap();
        let mut rng = joy_kiosk::demo::Rng::new(1);
        let a = joy_kiosk::reflection_gen::answers(q, 0.5, &mut rng, |_| String::new());
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 17).unwrap();
        let c = joy_kiosk::reflection_gen::checkin(
            q,
            &a,
            "Ward 7",
            joy_kiosk::period::PeriodKind::Week,
            day,
        );
        s.save_checkin(&c).unwrap();
    }
    let o = Command::new(env!("CARGO_BIN_EXE_joy"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "server",
            "status",
            "--url",
            "host=/nonexistent-joy-socket dbname=ward7",
        ])
        .env("XDG_CONFIG_HOME", dir.path().join("no-config"))
        .env_remove("JOY_CONFIG")
        .output()
        .unwrap();
    assert!(!o.status.success());
    let t = text(&o);
    // Named with its file, so an admin sees which terminal it is.
    assert!(
        t.contains(&format!(
            "Waiting for the ward's server (this terminal, {}): 1 entry since 17 Nov",
            db.display()
        )),
        "{t}"
    );
    assert!(t.contains("Check that the server is running"), "{t}");
}

/// `joy server rules`: the ward's admin sets k, the text threshold, the
/// period kind, the time zone and a staff number on the server, checked as
/// `joy huddle rules` checks them; a kiosk's terminal role cannot.
#[test]
fn the_admin_sets_the_wards_rules_on_the_server() {
    let (conn, name) = server::fresh_named_database();
    let o = joy(&["server", "init", "--url", &conn]);
    assert!(o.status.success(), "{}", text(&o));
    let o = joy(&["server", "rules", "--url", &conn]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("k not set yet"), "{}", text(&o));
    let o = joy(&[
        "server",
        "rules",
        "--url",
        &conn,
        "--min-group",
        "6",
        "--min-group-text",
        "8",
        "--time-zone",
        "Europe/London",
        "--headcount",
        "14",
        "--team",
        "Ward 7",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("k = 6 (free text: 8)"), "{t}");
    assert!(t.contains("Europe/London"), "{t}");
    assert!(t.contains("14"), "{t}");
    // Below the floor: refused, and nothing changed.
    let o = joy(&["server", "rules", "--url", &conn, "--min-group", "2"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("too small"), "{}", text(&o));
    let o = joy(&["server", "rules", "--url", &conn]);
    assert!(text(&o).contains("k = 6 (free text: 8)"), "{}", text(&o));
    // The terminal role reads them but cannot change them.
    postgres::Client::connect(&conn, postgres::NoTls)
        .unwrap()
        .batch_execute(&format!(
            "CREATE ROLE {name}_kk LOGIN IN ROLE {name}_terminal"
        ))
        .unwrap();
    let terminal = server::as_user(&conn, &format!("{name}_kk"));
    let o = joy(&["server", "rules", "--url", &terminal, "--min-group", "9"]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("permission denied"), "{}", text(&o));
    // Said as what it is, not as a server that cannot be reached.
    assert!(text(&o).contains("need its admin role"), "{}", text(&o));
    assert!(!text(&o).contains("is running"), "{}", text(&o));
    let o = joy(&["server", "rules", "--url", &conn]);
    assert!(text(&o).contains("k = 6 (free text: 8)"), "{}", text(&o));
}

/// `joy server demo`: a new database gets a demo ward, released where its
/// periods have closed, so the huddle and the trust view can be tried at
/// once; a database that holds anything is refused (demo figures would mix
/// with real ones in the trust's totals).
#[test]
fn a_demo_ward_goes_into_an_empty_database_only() {
    let (conn, name) = server::fresh_named_database();
    joy_kiosk::store::pg::PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    let joy = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_joy"))
            .args(args)
            .env("XDG_CONFIG_HOME", "/nonexistent-joy-config")
            .env_remove("JOY_CONFIG")
            .env_remove("JOY_SERVER_URL")
            .output()
            .unwrap();
        (
            o.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ),
        )
    };
    let (ok, said) = joy(&["server", "demo", "--url", &conn]);
    assert!(ok, "{said}");
    assert!(said.contains("demo reflections over 56 days"), "{said}");
    assert!(said.contains("Released"), "{said}");
    let (ok, said) = joy(&["server", "trust", "--url", &conn]);
    assert!(ok && said.contains("Demo ward"), "{said}");
    let (ok, said) = joy(&["server", "demo", "--url", &conn]);
    assert!(!ok && said.contains("new, empty database"), "{said}");
    let mut c = postgres::Client::connect(&conn, postgres::NoTls).unwrap();
    let real: i64 = c
        .query_one("SELECT count(*) FROM entry WHERE NOT is_demo", &[])
        .unwrap()
        .get(0);
    assert_eq!(real, 0, "every row marked as demo data");
}
