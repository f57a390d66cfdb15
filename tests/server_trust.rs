//! Issue 17, §2: a trust's server with several wards, and the trust view
//! from released figures. North has teams A (9 reflections) and B (2);
//! South has C (9), D (3) and E (3). North's own ward view hides its total
//! (it minus A is B); the trust view hides North's row too, and the trust
//! total, which minus South minus A would be B again. Read as the huddle
//! role, by the library and by `joy server trust`.

mod server;

use chrono::{NaiveDate, TimeZone, Utc};
use joy_kiosk::anonymity::{Hidden, Thresholds};
use joy_kiosk::demo::Rng;
use joy_kiosk::period::{Period, PeriodKind};
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::reflection_gen;
use joy_kiosk::store::outbox::OutboxEntry;
use joy_kiosk::store::pg::PgStore;
use joy_kiosk::store::TeamStore;

/// `teams` (name, how many) reflections each on Tuesday 17 Nov 2026 (week
/// 47), sent to the server as one terminal's day.
fn submit_week47(admin: &mut PgStore, teams: &[(&str, usize)], seed: u64) {
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let mut rng = Rng::new(seed);
    let day = NaiveDate::from_ymd_opt(2026, 11, 17).unwrap();
    let mut entries = Vec::new();
    for (team, count) in teams {
        for _ in 0..*count {
            let a = reflection_gen::answers(q, rng.unit(), &mut rng, |_| String::new());
            let c = reflection_gen::checkin(q, &a, team, PeriodKind::Week, day);
            entries.push((
                entries.len() as i64 + 1,
                OutboxEntry::of(&c, c.completed_at),
            ));
        }
    }
    admin.submit_day(&entries).unwrap();
}

#[test]
fn the_trust_view_shows_wards_side_by_side_and_gives_no_team_away() {
    let (conn, name) = server::fresh_named_database();
    let mut admin = PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    postgres::Client::connect(&conn, postgres::NoTls)
        .unwrap()
        .batch_execute(&format!(
            "CREATE ROLE {name}_hh LOGIN IN ROLE {name}_huddle;
             CREATE ROLE {name}_tt LOGIN IN ROLE {name}_terminal;"
        ))
        .unwrap();
    admin.set_time_zone(chrono_tz::Europe::London).unwrap();
    admin
        .set_ward("North", &["A".to_string(), "B".to_string()])
        .unwrap();
    admin
        .set_ward("South", &["C".into(), "D".into(), "E".into()])
        .unwrap();

    let day = NaiveDate::from_ymd_opt(2026, 11, 17).unwrap();
    submit_week47(
        &mut admin,
        &[("A", 9), ("B", 2), ("C", 9), ("D", 3), ("E", 3)],
        31,
    );
    let closed = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
    let report = admin
        .release_closed(closed, &[], Thresholds::default())
        .unwrap();
    assert_eq!((report.released.len(), report.wards), (5, 2), "{report:?}");

    // Moving a team later changes no release: each keeps its teams.
    admin.set_ward("South", &["B".to_string()]).unwrap();

    let huddle = server::as_user(&conn, &format!("{name}_hh"));
    let mut h = PgStore::connect(huddle.as_str()).unwrap();
    let week = Period::containing(PeriodKind::Week, day);
    let (total, wards) = h.trust_period("team-reflection", week).unwrap();
    let total = total.expect("the trust total");
    assert_eq!(total.reflections, 26);
    let names: Vec<(String, Vec<String>)> = wards
        .iter()
        .map(|w| {
            (
                w.ward.clone(),
                w.teams.iter().map(|t| t.team.clone()).collect(),
            )
        })
        .collect();
    assert_eq!(
        names,
        vec![
            ("North".to_string(), vec!["A".to_string(), "B".to_string()]),
            (
                "South".to_string(),
                vec!["C".to_string(), "D".to_string(), "E".to_string()]
            ),
        ]
    );
    let v = joy_kiosk::trust::view(&total, &wards, Thresholds::default());
    let row = |w: &str| {
        v.view
            .teams
            .iter()
            .find(|r| r.team.as_deref() == Some(w))
            .unwrap()
            .clone()
    };
    assert_eq!(row("North").means[0], Err(Hidden::Complementary));
    assert!(row("South").means[0].is_ok());
    assert_eq!(v.view.total.means[0], Err(Hidden::Complementary));

    // The same through the command, as the huddle role.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["server", "trust", "--url", &huddle, "--period", "2026-W47"])
        .env("XDG_CONFIG_HOME", "/nonexistent-joy-config")
        .env_remove("JOY_CONFIG")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("| North | 11 |"), "{out}");
    assert!(out.contains("| South | 15 |"), "{out}");
    assert!(out.contains("**Trust total** | 26 |"), "{out}");
    assert!(out.contains("## South"), "{out}");
    // The same from the huddle command's ward view.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_joy"))
        .args([
            "huddle", "--server", &huddle, "--ward", "--period", "2026-W47",
        ])
        .env("XDG_CONFIG_HOME", "/nonexistent-joy-config")
        .env_remove("JOY_CONFIG")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), out);
    // Not CSV from a server: refused, not markdown under a CSV name.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["huddle", "--server", &huddle, "--ward", "--export", "csv"])
        .env("XDG_CONFIG_HOME", "/nonexistent-joy-config")
        .env_remove("JOY_CONFIG")
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("markdown"));

    // A terminal reads no release, of a ward or a team.
    let terminal = server::as_user(&conn, &format!("{name}_tt"));
    let mut t = postgres::Client::connect(&terminal, postgres::NoTls).unwrap();
    for sql in [
        "SELECT * FROM ward_release",
        "SELECT * FROM team_release",
        "INSERT INTO ward_team VALUES ('X', 'North')",
    ] {
        let e = server::refused(&mut t, sql);
        assert!(e.contains("permission denied"), "{sql}: {e}");
    }
    // The huddle role reads releases but cannot move a team.
    let mut hh = postgres::Client::connect(&huddle, postgres::NoTls).unwrap();
    let e = server::refused(&mut hh, "INSERT INTO ward_team VALUES ('X', 'North')");
    assert!(e.contains("permission denied"), "{e}");
}

/// A huddle screen limited to one ward of a trust's server (a member of
/// `<prefix>_reader` listed for North) reads North and nothing else: not
/// a release, a total, a team name, a count of an open period or an action
/// of South, nor the trust total; and it cannot record an action for
/// South. Every road is tried.
#[test]
fn a_reader_of_one_ward_reads_nothing_of_another() {
    let (conn, name) = server::fresh_named_database();
    let mut admin = PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    postgres::Client::connect(&conn, postgres::NoTls)
        .unwrap()
        .batch_execute(&format!(
            "CREATE ROLE {name}_north LOGIN IN ROLE {name}_reader;"
        ))
        .unwrap();
    admin.set_time_zone(chrono_tz::Europe::London).unwrap();
    admin.set_ward("North", &["A".into(), "B".into()]).unwrap();
    admin.set_ward("South", &["C".into(), "D".into()]).unwrap();
    // The admin role's command, as the DBA would run it.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_joy"))
        .args([
            "server",
            "wards",
            "--url",
            &conn,
            "--ward",
            "North",
            "--reader",
            &format!("{name}_north"),
        ])
        .env("XDG_CONFIG_HOME", "/nonexistent-joy-config")
        .env_remove("JOY_CONFIG")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("{name}_north reads North")));

    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let mut rng = Rng::new(41);
    let day = NaiveDate::from_ymd_opt(2026, 11, 17).unwrap();
    submit_week47(&mut admin, &[("A", 6), ("B", 6), ("C", 6), ("D", 6)], 41);
    admin
        .release_closed(
            Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap(),
            &[],
            Thresholds::default(),
        )
        .unwrap();
    // An open week for C too, to count.
    let later = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let a = reflection_gen::answers(q, 0.5, &mut rng, |_| String::new());
    let c = reflection_gen::checkin(q, &a, "C", PeriodKind::Week, later);
    admin
        .submit_day(&[(999, OutboxEntry::of(&c, c.completed_at))])
        .unwrap();
    admin
        .add_action(
            &joy_kiosk::model::NewAction {
                team: "C".into(),
                action: "South's own action".into(),
                owner: String::new(),
                review_on: None,
                pebble: String::new(),
                scope: None,
            },
            day,
        )
        .unwrap();

    let north = server::as_user(&conn, &format!("{name}_north"));
    let mut raw = postgres::Client::connect(&north, postgres::NoTls).unwrap();
    let texts = |raw: &mut postgres::Client, sql: &str| -> Vec<String> {
        raw.query(sql, &[])
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .iter()
            .map(|r| r.get::<_, String>(0))
            .collect()
    };
    assert_eq!(
        texts(
            &mut raw,
            "SELECT DISTINCT team FROM team_release ORDER BY 1"
        ),
        vec!["A", "B"],
        "no trust total, no South team"
    );
    assert_eq!(
        texts(&mut raw, "SELECT ward FROM ward_release"),
        vec!["North"]
    );
    assert_eq!(
        texts(&mut raw, "SELECT team FROM ward_team ORDER BY 1"),
        vec!["A", "B"]
    );
    assert_eq!(texts(&mut raw, "SELECT joy_teams(NULL)"), vec!["A", "B"]);
    assert!(texts(&mut raw, "SELECT joy_team_questionnaires('C')").is_empty());
    assert!(texts(&mut raw, "SELECT a.team FROM team_action a").is_empty());
    let count: i64 = raw
        .query_one(
            "SELECT joy_period_count('C', 'team-reflection', '2026-W48')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(count, 0, "an open period of South is not counted for North");
    let e = server::refused(
        &mut raw,
        "INSERT INTO team_action (team, created_on) VALUES ('C', '2026-11-17')",
    );
    assert!(e.contains("row-level security"), "{e}");
    for sql in [
        "SELECT * FROM ward_reader",
        "SELECT * FROM entry",
        "DELETE FROM ward_reader",
        "SELECT joy_reads_ward('postgres', 'South')",
    ] {
        let e = server::refused(&mut raw, sql);
        assert!(e.contains("permission denied"), "{sql}: {e}");
    }

    // The huddle screen of South's team: not readable, said as such (not
    // "add it to the config").
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_joy"))
        .args([
            "huddle", "--server", &north, "--team", "C", "--export", "md",
        ])
        .env("XDG_CONFIG_HOME", "/nonexistent-joy-config")
        .env_remove("JOY_CONFIG")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("reads no team called \"C\"")
            && err.contains("A, B")
            && !err.contains("[kiosk]"),
        "{err}"
    );
    // Its own ward is all there: the trust command shows North only.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(["server", "trust", "--url", &north])
        .env("XDG_CONFIG_HOME", "/nonexistent-joy-config")
        .env_remove("JOY_CONFIG")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("| A | 6 |") && out.contains("| B | 6 |"),
        "{out}"
    );
    assert!(
        !out.contains("| C |") && !out.contains("Trust total"),
        "{out}"
    );
}

/// `joy server wards` says what it cannot do: a reader for a ward that
/// does not exist, a role that does not exist, a role that reads every
/// ward already; a team moved from another ward is said; a reader can be
/// removed.
#[test]
fn wards_refuse_what_would_not_hold_and_say_what_moved() {
    let (conn, name) = server::fresh_named_database();
    PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    postgres::Client::connect(&conn, postgres::NoTls)
        .unwrap()
        .batch_execute(&format!(
            "CREATE ROLE {name}_n LOGIN IN ROLE {name}_reader;
             CREATE ROLE {name}_all LOGIN IN ROLE {name}_huddle;"
        ))
        .unwrap();
    let joy = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_joy"))
            .args(["server", "wards", "--url", &conn])
            .args(args)
            .env("XDG_CONFIG_HOME", "/nonexistent-joy-config")
            .env_remove("JOY_CONFIG")
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
    let reader = format!("{name}_n");
    let (ok, said) = joy(&["--ward", "North", "--reader", &reader]);
    assert!(!ok && said.contains("no ward called \"North\""), "{said}");
    let (ok, said) = joy(&["--ward", "North", "--team", "A", "--team", "B"]);
    assert!(ok, "{said}");
    let (ok, said) = joy(&["--ward", "Nroth", "--reader", &reader]);
    assert!(!ok && said.contains("Wards: North"), "{said}");
    let (ok, said) = joy(&["--ward", "North", "--reader", "nobody_here"]);
    assert!(
        !ok && said.contains("no role called \"nobody_here\""),
        "{said}"
    );
    let (ok, said) = joy(&["--ward", "North", "--reader", &format!("{name}_all")]);
    assert!(!ok && said.contains("reads every ward already"), "{said}");
    let (ok, said) = joy(&["--ward", "North", "--reader", &reader]);
    assert!(
        ok && said.contains(&format!("{reader} reads North")),
        "{said}"
    );
    let (ok, said) = joy(&["--ward", "South", "--team", "B"]);
    assert!(ok && said.contains("B moved from North to South"), "{said}");
    let (ok, said) = joy(&["--ward", "North", "--remove-reader", &reader]);
    assert!(
        ok && said.contains(&format!("{reader} reads North no more")),
        "{said}"
    );
    assert!(!said.contains(&format!("{reader} reads North\n")), "{said}");
}

/// The huddle screen of a team on a trust's server sets the team beside
/// its own ward, named, never beside the trust total and every other
/// ward's teams (which it would call "the ward"). A reader of South sees
/// South beside C, and cannot open North's team at all.
#[test]
fn the_huddle_screen_sets_a_team_beside_its_own_ward() {
    use joy_kiosk::app::runner::{dispatch, run_effects};
    use joy_kiosk::app::Action;
    let (conn, name) = server::fresh_named_database();
    let mut admin = PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    postgres::Client::connect(&conn, postgres::NoTls)
        .unwrap()
        .batch_execute(&format!(
            "CREATE ROLE {name}_all LOGIN IN ROLE {name}_huddle;
             CREATE ROLE {name}_south LOGIN IN ROLE {name}_reader;"
        ))
        .unwrap();
    admin.set_time_zone(chrono_tz::Europe::London).unwrap();
    admin.set_ward("North", &["A".into(), "B".into()]).unwrap();
    admin.set_ward("South", &["C".into(), "D".into()]).unwrap();
    admin
        .add_ward_reader("South", &format!("{name}_south"))
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 11, 17).unwrap();
    submit_week47(&mut admin, &[("A", 9), ("B", 7), ("C", 9), ("D", 8)], 43);
    admin
        .release_closed(
            Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap(),
            &[],
            Thresholds::default(),
        )
        .unwrap();

    let settings = joy_kiosk::config::Settings::resolve(
        Some("unused.db".into()),
        Some("/nonexistent-joy-q".into()),
    )
    .unwrap();
    let week = Period::containing(PeriodKind::Week, day);
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let screen = |login: &str, team: &str| {
        let mut pg = PgStore::connect(server::as_user(&conn, login).as_str()).unwrap();
        let mut state = joy_kiosk::huddle_commands::huddle_state(&settings, team, week, today, now);
        let effects = joy_kiosk::app::huddle::load(&mut state);
        run_effects(&mut state, &mut pg, effects, now);
        (state, pg)
    };
    let ward_of = |state: &joy_kiosk::app::State| {
        let w = state.huddle.as_ref().unwrap().ward.as_ref().map(|w| {
            (
                w.name.clone(),
                w.total.reflections,
                w.teams
                    .iter()
                    .map(|r| r.team.clone().unwrap_or_default())
                    .collect::<Vec<_>>(),
            )
        });
        w
    };
    let (mut state, mut pg) = screen(&format!("{name}_all"), "A");
    assert_eq!(
        ward_of(&state),
        Some((Some("North".to_string()), 16, vec!["A".into(), "B".into()]))
    );
    // On screen: the ward panel is named, at 80x24.
    let panels = joy_kiosk::app::huddle::panels(state.huddle.as_ref().unwrap());
    let at = panels
        .iter()
        .position(|p| *p == joy_kiosk::app::huddle::Panel::Ward)
        .expect("a ward panel");
    for _ in 0..at {
        dispatch(&mut state, &mut pg, Action::Right, now);
    }
    let backend = ratatui::backend::TestBackend::new(80, 24);
    let mut term = ratatui::Terminal::new(backend).unwrap();
    term.draw(|f| joy_kiosk::ui::draw(f, &state)).unwrap();
    let shown: String = term
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(shown.contains("North"), "{shown}");
    assert!(!shown.contains("| C") && !shown.contains(" C "), "{shown}");

    let (state, _) = screen(&format!("{name}_south"), "C");
    assert_eq!(
        ward_of(&state),
        Some((Some("South".to_string()), 17, vec!["C".into(), "D".into()]))
    );
    // North's team is nothing to South's reader: no figures, no ward.
    let (state, _) = screen(&format!("{name}_south"), "A");
    assert_eq!(ward_of(&state), None);
    assert!(state
        .huddle
        .as_ref()
        .unwrap()
        .huddles
        .iter()
        .all(|h| !matches!(h.content, joy_kiosk::huddle::Content::Shown(_))));
}
