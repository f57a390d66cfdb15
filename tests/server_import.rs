//! Issue 17, §7: a ward moves from its SQLite file to a server without
//! losing its history. `joy server import` takes the file's rules, staff
//! numbers, anonymous entries, releases and actions into a new ward
//! database, all or nothing; the huddle of every released week then reads
//! the same from the server as from the file. Personal check-ins and demo
//! entries stay behind; a server that already holds a ward is refused.

mod server;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use joy_kiosk::anonymity::Thresholds;
use joy_kiosk::demo::Rng;
use joy_kiosk::model::{ActionChange, ActionStatus, NewAction, TeamRules};
use joy_kiosk::period::{Period, PeriodKind};
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::reflection_gen;
use joy_kiosk::store::pg::PgStore;
use joy_kiosk::store::{Store, TeamStore};

fn joy(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_joy"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("XDG_CONFIG_HOME", "/nonexistent-joy-config")
        .env_remove("JOY_CONFIG")
        .output()
        .unwrap()
}

#[test]
fn a_wards_file_moves_to_a_server_whole_and_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ward7.db");
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let first = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let set_at = Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0).unwrap();
    {
        let mut s = Store::open(&db).unwrap();
        s.set_time_zone("Europe/London").unwrap();
        s.set_team_rules(
            &TeamRules {
                min_group: 4,
                min_group_text: 6,
            },
            set_at,
        )
        .unwrap();
        s.set_headcount("Ward 7", 14, set_at).unwrap();
        let mut rng = Rng::new(51);
        let mut rows = Vec::new();
        for week in 0..3 {
            for (team, n) in [("Ward 7", 7), ("Theatres", 5)] {
                for i in 0..n {
                    let a = reflection_gen::answers(q, rng.unit(), &mut rng, |_| {
                        format!("made up for the test {week}-{i}")
                    });
                    let on = first + Duration::days(week * 7 + i as i64 % 5);
                    rows.push(reflection_gen::checkin(q, &a, team, PeriodKind::Week, on));
                }
            }
        }
        // A personal check-in: it never moves.
        s.save_many(&rows).unwrap();
        let me = s.local_respondent().unwrap();
        let who5 = cat.get("who5").unwrap();
        let a = reflection_gen::answers(who5, 0.5, &mut rng, |_| String::new());
        let mut mine = reflection_gen::checkin(who5, &a, "Ward 7", PeriodKind::Week, first);
        mine.respondent = Some(me);
        mine.team = None;
        mine.period = None;
        s.save_checkin(&mine).unwrap();
        // Two weeks released here; the third is still open.
        let report = s
            .release_closed(
                Utc.with_ymd_and_hms(2026, 11, 18, 9, 0, 0).unwrap(),
                std::slice::from_ref(q),
                Thresholds::default(),
            )
            .unwrap();
        assert_eq!(report.released.len(), 4, "{report:?}");
        let id = s
            .add_action(
                &NewAction {
                    team: "Ward 7".into(),
                    action: "Fix the fridge alarm".into(),
                    owner: "ward manager".into(),
                    review_on: Some(first + Duration::days(21)),
                    pebble: "equipment".into(),
                    scope: None,
                },
                first + Duration::days(7),
            )
            .unwrap();
        s.update_action(
            id,
            &ActionChange {
                status: Some(ActionStatus::Testing),
                ..Default::default()
            },
            first + Duration::days(9),
        )
        .unwrap();
    }

    let (conn, name) = server::fresh_named_database();
    PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    let o = joy(&db, &["server", "import", "--url", &conn]);
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        said.contains("Imported 36 anonymous entries, 6 releases and 1 action"),
        "{said}"
    );

    // The same history from both: rules, staff, every released week's
    // huddle, the open week's count, the actions with their versions.
    let mut file = Store::open_read_only(&db).unwrap();
    let mut pg = PgStore::connect(conn.as_str()).unwrap();
    assert_eq!(pg.rules().unwrap(), file.rules().unwrap());
    let now = Utc.with_ymd_and_hms(2026, 11, 19, 9, 0, 0).unwrap();
    let teams = vec!["Ward 7".to_string(), "Theatres".to_string()];
    assert_eq!(
        pg.ward_settings(&teams, now).unwrap(),
        file.ward_settings(&teams, now).unwrap()
    );
    for week in 0..3 {
        let p = Period::containing(PeriodKind::Week, first + Duration::days(week * 7));
        for team in &teams {
            let from_file =
                joy_kiosk::team_view::huddle(&mut file, q, team, p, Thresholds::default()).unwrap();
            let from_server =
                joy_kiosk::team_view::huddle(&mut pg, q, team, p, Thresholds::default()).unwrap();
            assert_eq!(from_server, from_file, "{team} {p}");
        }
    }
    let strip = |v: Vec<joy_kiosk::model::TeamAction>| -> Vec<_> {
        v.into_iter()
            .map(|a| {
                (
                    a.team,
                    a.action,
                    a.owner,
                    a.review_on,
                    a.status,
                    a.pebble,
                    a.created_on,
                    a.updated_on,
                )
            })
            .collect()
    };
    assert_eq!(
        strip(pg.actions(None).unwrap()),
        strip(file.actions(None).unwrap())
    );
    let raw = |sql: &str| -> i64 {
        postgres::Client::connect(&conn, postgres::NoTls)
            .unwrap()
            .query_one(sql, &[])
            .unwrap()
            .get(0)
    };
    assert_eq!(raw("SELECT count(*) FROM entry WHERE is_demo"), 0);
    assert_eq!(raw("SELECT count(*) FROM team_action_version"), 2);

    // Once is all: a server that holds a ward refuses a second import.
    let o = joy(&db, &["server", "import", "--url", &conn]);
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("already holds a ward"), "{e}");
    assert_eq!(raw("SELECT count(*) FROM entry"), 36);
}

/// A file with demo data is not imported: a ward total or an action
/// cannot be told apart from the demo's. Nor is a file imported into a
/// database that already has a ward's rules, even with no entry yet.
#[test]
fn demo_data_or_a_database_with_rules_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    {
        let mut s = Store::open(&db).unwrap();
        let a = reflection_gen::answers(q, 0.5, &mut Rng::new(3), |_| String::new());
        let mut demo = reflection_gen::checkin(
            q,
            &a,
            "Demo team A",
            PeriodKind::Week,
            NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        );
        demo.is_demo = true;
        s.save_checkin(&demo).unwrap();
    }
    let (conn, name) = server::fresh_named_database();
    PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    let o = joy(&db, &["server", "import", "--url", &conn]);
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("1 demo entry") && e.contains("erase --demo"),
        "{e}"
    );

    // A demo ward (releases and actions too) is erased whole, and then
    // the file can go.
    let ward = dir.path().join("demo-ward.db");
    let o = joy(&ward, &["demo", "--teams", "--yes"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = joy(&ward, &["erase", "--demo", "--yes"]);
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success() && said.contains("Erased"), "{said}");
    let left: i64 = rusqlite::Connection::open(&ward)
        .unwrap()
        .query_row(
            "SELECT (SELECT count(*) FROM checkin) + (SELECT count(*) FROM team_release)
                  + (SELECT count(*) FROM team_action)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "nothing of the demo ward is left");
    let (conn2, name2) = server::fresh_named_database();
    PgStore::init(&conn2, &name2).unwrap_or_else(|e| panic!("{e}"));
    let o = joy(&ward, &["server", "import", "--url", &conn2]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let real = dir.path().join("real.db");
    {
        let mut s = Store::open(&real).unwrap();
        let a = reflection_gen::answers(q, 0.5, &mut Rng::new(4), |_| String::new());
        s.save_checkin(&reflection_gen::checkin(
            q,
            &a,
            "Ward 7",
            PeriodKind::Week,
            NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        ))
        .unwrap();
    }
    let mut pg = PgStore::connect(conn.as_str()).unwrap();
    pg.set_rules(
        &TeamRules {
            min_group: 3,
            min_group_text: 3,
        },
        Utc::now(),
    )
    .unwrap();
    let o = joy(&real, &["server", "import", "--url", &conn]);
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("already holds a ward"), "{e}");
    assert_eq!(
        pg.rules().unwrap().map(|r| r.min_group),
        Some(3),
        "unchanged"
    );
}

/// A ward's file with `teams` (name, reflections a week) over three weeks
/// from 2 Nov 2026, the first two released there, the third open, and an
/// action; its rules k and text threshold `k`.
fn ward_file(db: &std::path::Path, teams: &[(&str, usize)], seed: u64, k: usize) {
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let first = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let mut s = Store::open(db).unwrap();
    s.set_time_zone("Europe/London").unwrap();
    s.set_team_rules(
        &TeamRules {
            min_group: k,
            min_group_text: k,
        },
        Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0).unwrap(),
    )
    .unwrap();
    let mut rng = Rng::new(seed);
    let mut rows = Vec::new();
    for week in 0..3 {
        for (team, n) in teams {
            for i in 0..*n {
                let a = reflection_gen::answers(q, rng.unit(), &mut rng, |_| String::new());
                let on = first + Duration::days(week * 7 + i as i64 % 5);
                rows.push(reflection_gen::checkin(q, &a, team, PeriodKind::Week, on));
            }
        }
    }
    s.save_many(&rows).unwrap();
    s.release_closed(
        Utc.with_ymd_and_hms(2026, 11, 18, 9, 0, 0).unwrap(),
        std::slice::from_ref(q),
        Thresholds::default(),
    )
    .unwrap();
    s.add_action(
        &NewAction {
            team: teams[0].0.into(),
            action: format!("{}'s own action", teams[0].0),
            owner: String::new(),
            review_on: None,
            pebble: String::new(),
            scope: None,
        },
        first + Duration::days(7),
    )
    .unwrap();
}

/// A trust's server takes ward after ward from their files (`--ward`): the
/// second joins the first with its history, releases and actions; the
/// trust total released before it joined is hidden beside the wards (it is
/// not their sum), and the open week is released over both. What would not
/// hold is refused whole: the same ward again, a team's name already on the
/// server, a file whose ward kept a higher k, and no --ward at all.
#[test]
fn wards_join_a_trusts_server_one_file_after_another() {
    let dir = tempfile::tempdir().unwrap();
    let (north, south) = (dir.path().join("north.db"), dir.path().join("south.db"));
    ward_file(&north, &[("North days", 7), ("North nights", 3)], 61, 5);
    ward_file(&south, &[("South days", 8), ("South nights", 6)], 62, 5);
    let (conn, name) = server::fresh_named_database();
    PgStore::init(&conn, &name).unwrap_or_else(|e| panic!("{e}"));
    let run = |db: &std::path::Path, args: &[&str]| {
        let o = joy(db, &[&["server", "import", "--url", &conn], args].concat());
        (
            o.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ),
        )
    };
    let (ok, said) = run(&north, &["--ward", "North"]);
    assert!(ok, "{said}");
    assert!(
        said.contains("North days, North nights now in North"),
        "{said}"
    );
    let (ok, said) = run(&south, &[]);
    assert!(!ok && said.contains("--ward"), "{said}");
    let (ok, said) = run(&south, &["--ward", "South"]);
    assert!(ok, "{said}");
    assert!(said.contains("Imported 42 anonymous entries"), "{said}");

    let mut pg = PgStore::connect(conn.as_str()).unwrap();
    assert_eq!(
        pg.wards().unwrap(),
        vec![
            (
                "North".to_string(),
                vec!["North days".to_string(), "North nights".to_string()]
            ),
            (
                "South".to_string(),
                vec!["South days".to_string(), "South nights".to_string()]
            ),
        ]
    );
    assert_eq!(pg.actions(None).unwrap().len(), 2);
    // Week 45, released in each file: both wards, each as its file
    // released it; the trust total (North's file's) is not their sum.
    let w45 = Period::parse("2026-W45").unwrap();
    let (total, wards) = pg.trust_period("team-reflection", w45).unwrap();
    let total = total.expect("the first file's total");
    assert_eq!(total.reflections, 10);
    let sizes: Vec<(String, usize)> = wards
        .iter()
        .map(|w| (w.ward.clone(), w.total.reflections))
        .collect();
    assert_eq!(
        sizes,
        vec![("North".to_string(), 10), ("South".to_string(), 14)]
    );
    let v = joy_kiosk::trust::view(&total, &wards, Thresholds::default());
    assert!(
        v.view.total.means.iter().all(Result::is_err),
        "{:?}",
        v.view.total
    );
    // The open week 47 is released over both wards by the server.
    let report = pg
        .release_closed(
            Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap(),
            &[],
            Thresholds::default(),
        )
        .unwrap();
    assert_eq!(report.wards, 2, "{report:?}");
    let w47 = Period::parse("2026-W47").unwrap();
    let (total, wards) = pg.trust_period("team-reflection", w47).unwrap();
    assert_eq!(total.expect("the trust total").reflections, 24);
    assert_eq!(wards.len(), 2);

    // Refused whole, each with why.
    let entries = |pg: &mut PgStore| pg.status().unwrap().entries;
    let before = entries(&mut pg);
    let (ok, said) = run(&south, &["--ward", "South"]);
    assert!(!ok && said.contains("is on the server already"), "{said}");
    let (ok, said) = run(&south, &["--ward", "South again"]);
    assert!(!ok && said.contains("imported before"), "{said}");
    let east = dir.path().join("east.db");
    ward_file(&east, &[("East", 6), ("North nights", 5)], 63, 5);
    let (ok, said) = run(&east, &["--ward", "East"]);
    assert!(
        !ok && said.contains("(North nights)") && said.contains("--rename-team"),
        "{said}"
    );
    let (ok, said) = run(
        &east,
        &["--ward", "East", "--rename-team", "Nights=East nights"],
    );
    assert!(!ok && said.contains("no team called \"Nights\""), "{said}");
    let (ok, said) = run(&east, &["--ward", "East", "--rename-team", "=East nights"]);
    assert!(
        !ok && said.contains("old name (before '=') is empty"),
        "{said}"
    );
    let (ok, said) = run(
        &east,
        &["--ward", "East", "--rename-team", "North nights=A=B"],
    );
    assert!(!ok && said.contains("with one '='"), "{said}");
    let west = dir.path().join("west.db");
    ward_file(&west, &[("West", 6)], 64, 7);
    let (ok, said) = run(&west, &["--ward", "West"]);
    assert!(!ok && said.contains("from 7"), "{said}");
    assert_eq!(
        entries(&mut pg),
        before,
        "nothing of a refused file is kept"
    );
    assert_eq!(pg.wards().unwrap().len(), 2);

    // Renamed as it joins: its history under the new name, released
    // figures and all; North's team of that name is untouched.
    let (ok, said) = run(
        &east,
        &[
            "--ward",
            "East",
            "--rename-team",
            "North nights=East nights",
        ],
    );
    assert!(ok, "{said}");
    assert!(said.contains("East, East nights now in East"), "{said}");
    assert!(
        said.contains("give its teams their new names in its config ([kiosk] teams: East nights)"),
        "{said}"
    );
    let w45 = Period::parse("2026-W45").unwrap();
    match pg
        .team_period("East nights", "team-reflection", w45)
        .unwrap()
    {
        joy_kiosk::release::PeriodView::Released { release, .. } => {
            assert_eq!(
                (release.team.as_str(), release.reflections),
                ("East nights", 5)
            );
        }
        other => panic!("{other:?}"),
    }
    match pg
        .team_period("North nights", "team-reflection", w45)
        .unwrap()
    {
        joy_kiosk::release::PeriodView::Released { release, .. } => {
            assert_eq!(release.reflections, 3, "North's own");
        }
        other => panic!("{other:?}"),
    }
}
