//! `joy huddle` and `joy actions`, run for real on a database of
//! reflections saved as the kiosk saves them.

use chrono::NaiveDate;
use joy_kiosk::anonymity::Thresholds;
use joy_kiosk::demo::Rng;
use joy_kiosk::period::PeriodKind;
use joy_kiosk::questionnaire::Catalog;
use joy_kiosk::reflection_gen;
use joy_kiosk::store::Store;
use std::path::Path;
use std::process::{Command, Output};

fn joy(args: &[&str], db: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(args)
        .env("JOY_DB", db)
        .env("JOY_QUESTIONNAIRES", db.with_extension("none"))
        .env("XDG_CONFIG_HOME", db.with_extension("no-config"))
        .env_remove("JOY_CONFIG")
        .env("NO_COLOR", "1")
        .output()
        .expect("run joy")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `n` reflections of Ward 7 in week 2026-W47, each with a distinct
/// "what matters" text; the first is a formula.
fn seed(db: &Path, team: &str, n: usize) {
    let cat = Catalog::bundled();
    let q = cat.get("team-reflection").unwrap();
    let mut store = Store::open(db).unwrap();
    let mut rng = Rng::new(5);
    let rows: Vec<_> = (0..n)
        .map(|i| {
            let a = reflection_gen::answers(q, 0.6, &mut rng, |qid| {
                if qid == "what-matters" {
                    if i == 0 {
                        "=HYPERLINK(\"x\")".to_string()
                    } else {
                        format!("matters number {i}")
                    }
                } else {
                    String::new()
                }
            });
            let d = NaiveDate::from_ymd_opt(2026, 11, 17).unwrap();
            reflection_gen::checkin(q, &a, team, PeriodKind::Week, d)
        })
        .collect();
    store.save_many(&rows).unwrap();
    // What the kiosk's daily chores do once the week has closed.
    store
        .release_closed(chrono::Utc::now(), &[], Thresholds::default())
        .unwrap();
}

#[test]
fn below_the_threshold_the_export_holds_only_the_count() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    seed(&db, "Ward 7", 3);
    let o = joy(&["huddle", "--period", "2026-W47", "--export", "md"], &db);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&o);
    // 2026-W47 has closed: no "yet" (issue 16).
    assert!(
        md.contains("Not enough reflections to keep them anonymous (3 of 5)"),
        "{md}"
    );
    assert!(
        md.contains("Team huddle: Ward 7, week 2026-W47 (16 Nov to 22 Nov 2026)"),
        "{md}"
    );
    assert!(
        !md.contains("matters number") && !md.contains("Average"),
        "{md}"
    );
    let o = joy(&["huddle", "--period", "2026-W47", "--export", "csv"], &db);
    let csv = stdout(&o);
    assert!(
        !csv.contains("matters number") && !csv.contains("distribution"),
        "{csv}"
    );
    assert!(csv.contains("(3 of 5)"), "{csv}");
}

#[test]
fn above_the_threshold_the_export_shows_aggregates_and_safe_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    seed(&db, "Ward 7", 6);
    let out = dir.path().join("minutes.csv");
    let o = joy(
        &[
            "huddle",
            "--team",
            "Ward 7",
            "--period",
            "2026-W47",
            "--export",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ],
        &db,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(
        csv.contains("Ward 7,2026-W47,team-reflection,reflections,,,,6,"),
        "{csv}"
    );
    assert!(csv.contains(",average,team-joy,Team joy rating,"), "{csv}");
    assert!(csv.contains("matters number 5"), "{csv}");
    // A text row names its question in the label column.
    assert!(
        csv.contains(",text,what-matters,What matters to you at work right now?,matters number"),
        "{csv}"
    );
    // A formula typed as a reflection stays text.
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // Never over an existing file without --force, never over the database.
    let o = joy(
        &[
            "huddle",
            "--period",
            "2026-W47",
            "--export",
            "md",
            "--out",
            out.to_str().unwrap(),
        ],
        &db,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    let o = joy(
        &[
            "huddle",
            "--period",
            "2026-W47",
            "--export",
            "md",
            "--out",
            db.to_str().unwrap(),
            "--force",
        ],
        &db,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is your database"), "{}", stderr(&o));
    let md = joy(&["huddle", "--period", "2026-W47", "--export", "md"], &db);
    let md = stdout(&md);
    assert!(
        md.contains("Reflections this period: 6") && md.contains("| 2026-W47 |"),
        "{md}"
    );
    assert!(md.contains("In a shuffled order"), "{md}");
    // The minutes read cleanly: a band's tone is a plain word, not an
    // escaped bracket.
    assert!(
        !md.contains("\\[good\\]") && !md.contains("\\[caution\\]"),
        "{md}"
    );
    // The band's own words carry its tone here ("Good team joy this
    // week"), so the tone word is not repeated.
    assert!(
        md.contains("team joy this week") && !md.contains("week, good)"),
        "{md}"
    );
}

#[test]
fn team_and_period_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    seed(&db, "Ward 7", 1);
    seed(&db, "Ward 8", 1);
    let o = joy(&["huddle", "--period", "2026-W47", "--export", "md"], &db);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("choose one with --team (Ward 7, Ward 8)"),
        "{}",
        stderr(&o)
    );
    let o = joy(
        &[
            "huddle", "--team", "Ward 7", "--period", "2026-11", "--export", "md",
        ],
        &db,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("grouped by week"), "{}", stderr(&o));
    let o = joy(&["huddle", "--team", "Ward 7", "--period", "2026-W60"], &db);
    assert!(stderr(&o).contains("is not a period"), "{}", stderr(&o));
}

#[test]
fn actions_add_update_and_list_overdue_first_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    let o = joy(
        &[
            "actions",
            "add",
            "--team",
            "Ward 7",
            "Later thing",
            "--review",
            "2999-01-01",
        ],
        &db,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Recorded action #1 for Ward 7."));
    let o = joy(
        &[
            "actions",
            "add",
            "--team",
            "Ward 7",
            "Fix the fridge alarm",
            "--owner",
            "ward manager",
            "--review",
            "2020-01-01",
        ],
        &db,
    );
    // A review date in the past is refused when adding, with what to do.
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("has passed: give today"),
        "{}",
        stderr(&o)
    );
    let o = joy(
        &[
            "actions",
            "add",
            "--team",
            "Ward 7",
            "Fix the fridge alarm",
            "--owner",
            "ward manager",
            "--review",
            "2999-06-01",
            "--pebble",
            "Equipment",
            "--scope",
            "system",
        ],
        &db,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // Its review date then passes (set here as it would be in time).
    let o = joy(&["actions", "update", "2", "--review", "2020-01-01"], &db);
    assert!(o.status.success(), "{}", stderr(&o));
    let list = stdout(&joy(&["actions", "list"], &db));
    assert!(
        list.contains("pebble: Equipment | needs the wider system"),
        "{list}"
    );
    let lines: Vec<&str> = list.lines().collect();
    assert!(
        lines[0].contains("#2") && lines[0].contains("OVERDUE (review was due 2020-01-01)"),
        "{list}"
    );
    assert!(
        lines[1].contains("#1") && !lines[1].contains("OVERDUE"),
        "{list}"
    );
    let o = joy(
        &[
            "actions",
            "update",
            "2",
            "--status",
            "done",
            "--learned",
            "Alarm moved to the desk",
        ],
        &db,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let list = stdout(&joy(&["actions"], &db));
    assert!(list.lines().next().unwrap().contains("#1"), "{list}");
    assert!(
        list.contains("done") && list.contains("learned: Alarm moved to the desk"),
        "{list}"
    );
    let o = joy(&["actions", "update", "9", "--status", "done"], &db);
    assert!(stderr(&o).contains("no action #9"), "{}", stderr(&o));
    let o = joy(&["actions", "update", "1", "--status", "finished"], &db);
    assert!(
        stderr(&o).contains("open, testing, done or dropped"),
        "{}",
        stderr(&o)
    );
    let o = joy(&["actions", "add", "--team", "Ward 7", "  "], &db);
    assert_eq!(o.status.code(), Some(2));
    // Actions export with the huddle: this week's minutes show them as
    // they are...
    let this_week =
        joy_kiosk::period::Period::containing(PeriodKind::Week, chrono::Local::now().date_naive())
            .to_string();
    let md = stdout(&joy(
        &[
            "huddle", "--team", "Ward 7", "--period", &this_week, "--export", "md",
        ],
        &db,
    ));
    assert!(
        md.contains("Fix the fridge alarm") && md.contains("## Actions"),
        "{md}"
    );
    // ...and the minutes of a week long past show them as they stood at
    // its end: not recorded yet.
    let md = stdout(&joy(
        &[
            "huddle", "--team", "Ward 7", "--period", "2026-W01", "--export", "md",
        ],
        &db,
    ));
    assert!(!md.contains("Fix the fridge alarm"), "{md}");
}

#[test]
fn team_names_match_ignoring_case_and_unknown_teams_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let o = joy(
        &["actions", "add", "--team", "Nights", "Fix the drug fridge"],
        &db,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // The same team, typed another way, is found.
    let o = joy(&["actions", "add", "--team", " nights ", "Rota swaps"], &db);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("for Nights"));
    // A misspelt team is refused, naming the known ones.
    let o = joy(&["actions", "add", "--team", "Nites", "Typo"], &db);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no team called \"Nites\""),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("Known teams: Nights"), "{}", stderr(&o));
    let o = joy(&["huddle", "--team", "NIGHTS", "--export", "md"], &db);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Nights"));
}

/// A reader never migrates a file it does not own: `joy actions add` on a
/// kiosk's file of an older schema says what to do and leaves the schema as
/// it was (migrating it would pause the older kiosk still running on it,
/// which then finds a file "from a newer version").
#[test]
fn actions_on_an_older_file_say_what_to_do_and_do_not_migrate_it() {
    use joy_kiosk::store::schema::{APPLICATION_ID, MIGRATIONS};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        for m in &MIGRATIONS[..MIGRATIONS.len() - 1] {
            m.apply(&c).unwrap();
        }
        c.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        c.pragma_update(None, "user_version", MIGRATIONS.len() as i64 - 1)
            .unwrap();
    }
    let o = joy(
        &["actions", "add", "--team", "Ward 7", "Fix the fridge"],
        &db,
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("older version"), "{}", stderr(&o));
    let v: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, MIGRATIONS.len() as i64 - 1, "the file was migrated");
}

/// The reader sets k: a `--config` with `min_group = 3` must not show a
/// week that the ward's k = 5 hides. The ward's rules are kept in the store
/// (recorded by its kiosk); a reader's config may raise them for its own
/// view, never lower them.
#[test]
fn a_reader_cannot_lower_the_wards_k() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    seed(&db, "Ward 7", 4);
    {
        let mut store = Store::open(&db).unwrap();
        let rules = joy_kiosk::model::TeamRules {
            min_group: 5,
            min_group_text: 5,
        };
        store.set_team_rules(&rules, chrono::Utc::now()).unwrap();
    }
    let low = dir.path().join("low.toml");
    std::fs::write(&low, "[huddle]\nmin_group = 3\nmin_group_text = 3\n").unwrap();
    let o = joy(
        &[
            "--config",
            low.to_str().unwrap(),
            "huddle",
            "--period",
            "2026-W47",
            "--export",
            "md",
        ],
        &db,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(md.contains("(4 of 5)"), "the ward's k holds:\n{md}");
    assert!(!md.contains("matters number"), "{md}");
    // A reader may raise it for their own view.
    let high = dir.path().join("high.toml");
    std::fs::write(&high, "[huddle]\nmin_group = 7\n").unwrap();
    let o = joy(
        &[
            "--config",
            high.to_str().unwrap(),
            "huddle",
            "--period",
            "2026-W47",
            "--export",
            "md",
        ],
        &db,
    );
    assert!(stdout(&o).contains("(4 of 7)"), "{}", stdout(&o));
}

/// `joy demo --teams` makes a demo ward to try the huddle with: synthetic
/// reflections of three "Demo team" teams, every row marked as demo data,
/// the closed weeks released.
#[test]
fn a_demo_ward_is_made_released_and_marked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ward.db");
    let o = joy(&["demo", "--teams", "--days", "42", "--yes"], &db);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("released"), "{}", stdout(&o));
    let c = rusqlite::Connection::open(&db).unwrap();
    let (all, demo, named): (i64, i64, i64) = c
        .query_row(
            "SELECT count(*), sum(is_demo), sum(team LIKE 'Demo team %') FROM checkin",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert!(all > 20, "{all}");
    assert_eq!((demo, named), (all, all), "every row marked as demo");
    // A second demo ward would pile into the open week: refused, saying how.
    let o = joy(&["demo", "--teams", "--days", "42", "--yes"], &db);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("erase --demo"), "{}", stderr(&o));
    let again: i64 = c
        .query_row("SELECT count(*) FROM checkin", [], |r| r.get(0))
        .unwrap();
    assert_eq!(again, all, "nothing added");
    let o = joy(&["huddle", "--ward", "--export", "md"], &db);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Ward total"), "{}", stdout(&o));
    // The open week and a week to come say what they are.
    let today = chrono::Local::now().date_naive();
    let open = joy_kiosk::period::Period::containing(PeriodKind::Week, today);
    let o = joy(&["huddle", "--ward", "--period", &open.to_string()], &db);
    assert!(stderr(&o).contains("is still open"), "{}", stderr(&o));
    let future = open.next().next().to_string();
    for args in [
        vec!["huddle", "--ward", "--period", &future],
        vec!["huddle", "--team", "Demo team A", "--period", &future],
    ] {
        let o = joy(&args, &db);
        assert!(stderr(&o).contains("has not started yet"), "{}", stderr(&o));
    }
    // An action agreed at today's huddle is in the minutes of the last
    // released week.
    let o = joy(
        &[
            "actions",
            "add",
            "--team",
            "Demo team A",
            "Agreed at the huddle",
        ],
        &db,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&joy(
        &["huddle", "--team", "Demo team A", "--export", "md"],
        &db,
    ));
    assert!(md.contains("Agreed at the huddle"), "{md}");
}

/// `joy huddle rules` alone only reads: on a path with no database it says
/// so and makes none.
#[test]
fn reading_the_rules_never_makes_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let o = joy(&["huddle", "rules"], &db);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no joy-kiosk database"),
        "{}",
        stderr(&o)
    );
    assert!(!db.exists());
}
