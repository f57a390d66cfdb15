//! Issue 16, §1: attacks that combine two views of a team's reflections,
//! each written as the attacker would try it. Every one must fail to
//! isolate a reflection: figures are released once, when a period has
//! closed, and never change (see `src/release.rs`, `docs/day-end.md`).

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use joy_kiosk::anonymity::{Hidden, Thresholds};
use joy_kiosk::demo::Rng;
use joy_kiosk::huddle::{Content, Huddle};
use joy_kiosk::huddle_export;
use joy_kiosk::model::NewCheckin;
use joy_kiosk::period::{Period, PeriodKind};
use joy_kiosk::questionnaire::{load, Catalog, Questionnaire};
use joy_kiosk::reflection_gen;
use joy_kiosk::store::kiosk::DayJobs;
use joy_kiosk::store::Store;

fn team_q() -> Questionnaire {
    Catalog::bundled().get("team-reflection").unwrap().clone()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(d: NaiveDate, h: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_hms_opt(h, 0, 0).unwrap())
}

/// One reflection of `team` completed at noon UTC on `d`, "what matters"
/// written as `text`.
fn reflection(q: &Questionnaire, team: &str, d: NaiveDate, text: &str, seed: u64) -> NewCheckin {
    let mut rng = Rng::new(seed);
    let a = reflection_gen::answers(q, 0.5, &mut rng, |qid| {
        if qid == "what-matters" {
            text.to_string()
        } else {
            String::new()
        }
    });
    reflection_gen::checkin(q, &a, team, PeriodKind::Week, d)
}

fn store_in_london() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.set_time_zone("Europe/London").unwrap();
    s
}

fn view(s: &mut Store, q: &Questionnaire, p: Period, t: Thresholds) -> Huddle {
    joy_kiosk::team_view::huddle(s, q, "Ward 7", p, t).unwrap()
}

fn minutes(h: &Huddle) -> String {
    huddle_export::to_markdown("Ward 7", std::slice::from_ref(h), &[], day("2026-12-06"))
}

const W47: &str = "2026-W47";

/// Run `joy` on `db` with no configuration and no questionnaire folder of
/// its own (in `dir`); it must succeed; its standard output.
fn joy_ok(dir: &std::path::Path, db: &std::path::Path, args: &[&str]) -> String {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_joy"))
        .args(args)
        .env("JOY_DB", db)
        .env("JOY_QUESTIONNAIRES", dir.join("none"))
        .env("XDG_CONFIG_HOME", dir.join("no-config"))
        .env_remove("JOY_CONFIG")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// Two views of the open week, one reflection apart: the difference is a
/// count, never an answer or a text.
#[test]
fn one_more_reflection_between_two_views_of_the_open_week_shows_only_a_count() {
    let q = team_q();
    let mut s = store_in_london();
    let w = Period::parse(W47).unwrap();
    let rows: Vec<NewCheckin> = (0..6)
        .map(|i| {
            reflection(
                &q,
                "Ward 7",
                day("2026-11-17"),
                &format!("secretword {i}"),
                i,
            )
        })
        .collect();
    s.save_many(&rows).unwrap();
    let before = view(&mut s, &q, w, Thresholds::default());
    s.save_many(&[reflection(
        &q,
        "Ward 7",
        day("2026-11-18"),
        "the victim's words",
        99,
    )])
    .unwrap();
    let after = view(&mut s, &q, w, Thresholds::default());
    for h in [&before, &after] {
        assert!(matches!(h.content, Content::Open { .. }), "{h:?}");
        let md = minutes(h);
        assert!(!md.contains("secretword") && !md.contains("victim"), "{md}");
        assert!(!md.contains("Average"), "{md}");
    }
    assert_eq!(
        (before.reflections, after.reflections),
        (6, 7),
        "counts only"
    );
}

/// After release, a reflection dated in the released week (a clock behind,
/// an entry long on its way) is filed into the open period: the released
/// view is the same, byte for byte, and nothing is released twice.
#[test]
fn a_released_period_never_changes_and_nothing_is_filed_into_it() {
    let q = team_q();
    let mut s = store_in_london();
    let w = Period::parse(W47).unwrap();
    let rows: Vec<NewCheckin> = (0..5)
        .map(|i| reflection(&q, "Ward 7", day("2026-11-17"), &format!("text {i}"), i))
        .collect();
    s.save_many(&rows).unwrap();
    // Not on its last day, nor on the day of grace.
    for d in ["2026-11-22", "2026-11-23"] {
        let r = s
            .release_closed(at(day(d), 23), &[], Thresholds::default())
            .unwrap();
        assert!(r.released.is_empty(), "{d}: {r:?}");
    }
    let r = s
        .release_closed(at(day("2026-11-24"), 9), &[], Thresholds::default())
        .unwrap();
    assert_eq!(r.released.len(), 1);
    let first = minutes(&view(&mut s, &q, w, Thresholds::default()));
    assert!(first.contains("Average"), "{first}");
    // One more, dated in the released week.
    s.save_many(&[reflection(
        &q,
        "Ward 7",
        day("2026-11-19"),
        "late words",
        77,
    )])
    .unwrap();
    let periods: Vec<String> = s
        .connection()
        .prepare("SELECT period FROM checkin WHERE team = 'Ward 7' ORDER BY period")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(periods.iter().filter(|p| *p == W47).count(), 5);
    assert_eq!(periods.last().map(String::as_str), Some("2026-W48"));
    // Released again (another writer, lower k): refused by design.
    let r = s
        .release_closed(at(day("2026-12-01"), 9), &[], Thresholds::new(3, 3))
        .unwrap();
    assert!(r.released.iter().all(|(_, _, p)| *p != w), "{r:?}");
    assert_eq!(minutes(&view(&mut s, &q, w, Thresholds::default())), first);
}

/// Retention deletes by date. Part-way through a week it would change the
/// week's figures by one day's reflections; it deletes whole periods only,
/// and the released figures outlive the rows (their texts do not).
#[test]
fn retention_never_deletes_part_of_a_period_and_released_figures_stay() {
    let q = team_q();
    let mut s = store_in_london();
    let w = Period::parse(W47).unwrap();
    let mut rows = Vec::new();
    for (i, d) in [
        "2026-11-16",
        "2026-11-17",
        "2026-11-20",
        "2026-11-22",
        "2026-11-22",
    ]
    .iter()
    .enumerate()
    {
        rows.push(reflection(
            &q,
            "Ward 7",
            day(d),
            &format!("words {i}"),
            i as u64,
        ));
    }
    s.save_many(&rows).unwrap();
    s.release_closed(at(day("2026-11-24"), 9), &[], Thresholds::new(5, 5))
        .unwrap();
    let released = minutes(&view(&mut s, &q, w, Thresholds::new(5, 5)));
    assert!(released.contains("words 3"), "{released}");
    // A cutoff on Thursday of that week: nothing of it goes.
    let purged = s.purge_before(at(day("2026-11-19"), 12)).unwrap();
    assert_eq!(purged, 0);
    assert_eq!(s.period_count("Ward 7", &q.id, w).unwrap(), 5);
    assert_eq!(
        minutes(&view(&mut s, &q, w, Thresholds::new(5, 5))),
        released
    );
    // A cutoff after its last day: all of it, and the texts with it.
    let purged = s.purge_before(at(day("2026-11-23"), 12)).unwrap();
    assert_eq!(purged, 5);
    let h = view(&mut s, &q, w, Thresholds::new(5, 5));
    let Content::Shown(p) = &h.content else {
        panic!("{h:?}")
    };
    assert!(p.scores[0].figures.is_ok(), "the figures stay");
    let m = p
        .texts
        .iter()
        .find(|t| t.question_id == "what-matters")
        .unwrap();
    assert_eq!(m.texts, Err(Hidden::Removed));
    assert!(!minutes(&h).contains("words "), "the texts went");
}

/// Retention as the kiosk runs it: the chores release a closed period
/// before they purge, so a period older than the retention is released,
/// then deleted whole.
#[test]
fn the_daily_chores_release_before_they_purge() {
    let q = team_q();
    let mut s = store_in_london();
    let w = Period::parse(W47).unwrap();
    let rows: Vec<NewCheckin> = (0..5)
        .map(|i| reflection(&q, "Ward 7", day("2026-11-17"), &format!("t{i}"), i))
        .collect();
    s.save_many(&rows).unwrap();
    let jobs = DayJobs {
        retention_days: 2,
        questionnaires: &[],
        thresholds: Thresholds::default(),
    };
    let r = s
        .kiosk_daily_in(at(day("2026-11-26"), 9), &jobs, &chrono_tz::Europe::London)
        .unwrap()
        .unwrap();
    assert_eq!((r.released, r.purged), (1, 5));
    let h = view(&mut s, &q, w, Thresholds::default());
    assert!(matches!(h.content, Content::Shown(_)), "{h:?}");
}

/// Backups taken each day of a week: each shows the open week as a count,
/// and the released week identically.
#[test]
fn daily_backups_of_one_week_differ_only_in_counts() {
    let q = team_q();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    let w = Period::parse(W47).unwrap();
    let mut copies = Vec::new();
    {
        let mut s = Store::open(&db).unwrap();
        s.set_time_zone("Europe/London").unwrap();
        for (i, d) in [
            "2026-11-16",
            "2026-11-17",
            "2026-11-18",
            "2026-11-19",
            "2026-11-20",
            "2026-11-21",
        ]
        .iter()
        .enumerate()
        {
            s.save_many(&[reflection(
                &q,
                "Ward 7",
                day(d),
                &format!("day {i}"),
                i as u64,
            )])
            .unwrap();
            let copy = dir.path().join(format!("copy-{i}.db"));
            s.backup_to(&copy).unwrap();
            copies.push(copy);
        }
    }
    for (i, c) in copies.iter().enumerate() {
        let mut s = Store::open(c).unwrap();
        let h = view(&mut s, &q, w, Thresholds::new(3, 3));
        assert_eq!(
            h.content,
            Content::Open {
                have: i + 1,
                release_day: day("2026-11-24")
            }
        );
        assert!(!minutes(&h).contains("day "), "backup {i}");
    }
}

/// A reader who lowers k in their own config sees no more than the ward's
/// k allowed when the period was released.
#[test]
fn a_reader_cannot_lower_k_below_the_release() {
    let q = team_q();
    let mut s = store_in_london();
    let w = Period::parse(W47).unwrap();
    let rows: Vec<NewCheckin> = (0..4)
        .map(|i| reflection(&q, "Ward 7", day("2026-11-17"), &format!("t{i}"), i))
        .collect();
    s.save_many(&rows).unwrap();
    s.release_closed(at(day("2026-11-24"), 9), &[], Thresholds::new(5, 5))
        .unwrap();
    let h = view(&mut s, &q, w, Thresholds::new(3, 3));
    assert_eq!(h.content, Content::NotEnough { have: 4, need: 5 });
}

/// The same id, the free-text question declared as a choice: given as the
/// reader's file, or installed on a terminal that then saves one more
/// reflection, it never turns the texts into tally labels.
#[test]
fn a_swapped_questionnaire_file_cannot_turn_texts_into_tallies() {
    let q = team_q();
    let swapped_src = q.source.replace(
        "id = \"what-matters\"\ntype = \"text\"\nrequired = false\nmax_length = 300",
        "id = \"what-matters\"\ntype = \"choice\"\nrequired = false\noptions = [{ value = \"a\", label = \"A\" }]",
    );
    let swapped = load::load_str("swapped.toml", &swapped_src);
    let mut s = store_in_london();
    let w = Period::parse(W47).unwrap();
    let rows: Vec<NewCheckin> = (0..5)
        .map(|i| reflection(&q, "Ward 7", day("2026-11-17"), &format!("secret {i}"), i))
        .collect();
    s.save_many(&rows).unwrap();
    let fallback: Vec<Questionnaire> = match &swapped {
        Ok(sw) => {
            assert_ne!(sw.hash, q.hash);
            // A sixth saved on the swapped file.
            let mut extra = rows[0].clone();
            extra.file_hash = sw.hash.clone();
            extra.definition = sw.source.clone();
            s.save_many(&[extra]).unwrap();
            vec![sw.clone()]
        }
        Err(e) => panic!("the swapped file should load: {e:?}"),
    };
    s.release_closed(at(day("2026-11-24"), 9), &fallback, Thresholds::new(5, 10))
        .unwrap();
    let h = view(&mut s, &q, w, Thresholds::new(5, 10));
    let Content::Shown(p) = &h.content else {
        panic!("{h:?}")
    };
    assert!(p.tallies.iter().all(|t| t.question_id != "what-matters"));
    let md = minutes(&h);
    assert!(!md.contains("secret"), "{md}");
}

/// Entries saved before the store kept definitions (as after migration 9)
/// have none kept. A file with the same id but another hash is not what
/// they were answered on: their answers are not read with it (their count
/// and stored scores still count), so the swap shows no text as a tally.
/// The file they were answered on (same hash) is kept at the first
/// release, so a later swap cannot change how they are read either.
#[test]
fn entries_saved_before_definitions_were_kept_are_not_read_with_a_swapped_file() {
    let q = team_q();
    let swapped_src = q.source.replace(
        "id = \"what-matters\"\ntype = \"text\"\nrequired = false\nmax_length = 300",
        "id = \"what-matters\"\ntype = \"choice\"\nrequired = false\noptions = [{ value = \"a\", label = \"A\" }]",
    );
    let swapped = load::load_str("swapped.toml", &swapped_src).expect("the swapped file loads");
    assert_ne!(swapped.hash, q.hash);
    let mut s = store_in_london();
    let w = Period::parse(W47).unwrap();
    // Five legacy entries: no definition kept with them.
    let rows: Vec<NewCheckin> = (0..5)
        .map(|i| {
            let mut r = reflection(&q, "Ward 7", day("2026-11-17"), &format!("secret {i}"), i);
            r.definition = "".into();
            r
        })
        .collect();
    s.save_many(&rows).unwrap();
    s.release_closed(
        at(day("2026-11-24"), 9),
        std::slice::from_ref(&swapped),
        Thresholds::new(5, 5),
    )
    .unwrap();
    let h = view(&mut s, &q, w, Thresholds::new(5, 5));
    let Content::Shown(p) = &h.content else {
        panic!("the count and scores are still released: {h:?}")
    };
    assert_eq!(h.reflections, 5);
    assert!(
        p.tallies
            .iter()
            .all(|t| t.question_id != "what-matters" || t.answered == 0),
        "{p:?}"
    );
    assert!(!format!("{p:?}").contains("secret"), "{p:?}");
    // Their stored scores still count.
    assert_eq!(p.scores[0].answered, 5);
    assert!(!minutes(&h).contains("secret"), "{}", minutes(&h));

    // The same, with the file they were answered on at hand at the first
    // release: it is kept, and the texts are read as texts.
    let mut s = store_in_london();
    s.save_many(&rows).unwrap();
    s.release_closed(
        at(day("2026-11-24"), 9),
        std::slice::from_ref(&q),
        Thresholds::new(5, 5),
    )
    .unwrap();
    let kept: i64 = s
        .connection()
        .query_row(
            "SELECT count(*) FROM questionnaire_def WHERE hash = ?1",
            [&q.hash],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 1, "the file answered on is kept at the first release");
    let h = view(&mut s, &q, w, Thresholds::new(5, 5));
    assert!(minutes(&h).contains("secret"), "{}", minutes(&h));
}

/// A terminal in another time zone saves on the ward's Monday morning: the
/// store, not the terminal, files it, by the ward's date.
#[test]
fn a_terminal_in_another_time_zone_files_by_the_wards_date() {
    let q = team_q();
    let mut s = store_in_london();
    // Monday 23 November 00:30 in London is still Sunday in New York: the
    // terminal there would call it week 47.
    let mut c = reflection(&q, "Ward 7", day("2026-11-22"), "x", 1);
    let when = Utc.with_ymd_and_hms(2026, 11, 23, 0, 30, 0).unwrap();
    c.completed_at = when;
    c.started_at = when - Duration::minutes(2);
    c.period = Some(W47.into());
    s.save_many(&[c]).unwrap();
    let p: String = s
        .connection()
        .query_row("SELECT period FROM checkin", [], |r| r.get(0))
        .unwrap();
    assert_eq!(p, "2026-W48");
}

/// Weeks and months overlap: a change of kind applies from the next period
/// on, earlier periods stay as they were, and no reflection is in two.
#[test]
fn a_change_of_period_kind_waits_for_the_next_period() {
    let q = team_q();
    let mut s = store_in_london();
    let now = at(day("2026-12-09"), 9);
    assert_eq!(
        s.set_period_kind(PeriodKind::Week, day("2026-12-09"), now)
            .unwrap(),
        Some(day("2026-12-09")),
        "the first kind recorded is the one used all along"
    );
    // Changed on Wednesday of 2026-W50: months from the first month that
    // starts after that week ends.
    let from = s
        .set_period_kind(PeriodKind::Month, day("2026-12-09"), now)
        .unwrap();
    assert_eq!(from, Some(day("2027-01-01")));
    for (d, want) in [
        ("2026-12-09", "2026-W50"),
        ("2026-12-20", "2026-W51"),
        ("2026-12-31", "2026-W53"),
        ("2027-01-01", "2027-01"),
        ("2027-01-04", "2027-01"),
    ] {
        let mut c = reflection(&q, "Ward 7", day(d), "x", 1);
        c.period = Some("2020-W01".into());
        s.save_many(&[c]).unwrap();
        let p: String = s
            .connection()
            .query_row(
                "SELECT period FROM checkin WHERE completed_at = (SELECT max(completed_at) FROM checkin)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(p, want, "{d}");
    }
    // Setting the kind in force again changes nothing.
    assert_eq!(
        s.set_period_kind(PeriodKind::Month, day("2027-01-05"), now)
            .unwrap(),
        None
    );
}

/// After a change from weeks to months, the first month's trend still
/// shows the weeks released before it (each point labelled by its own
/// period): nothing released vanishes from the huddle.
#[test]
fn a_trend_across_a_change_of_kind_keeps_the_weeks_released_before() {
    let q = team_q();
    let mut s = store_in_london();
    let now = at(day("2026-12-01"), 9);
    s.set_period_kind(PeriodKind::Week, day("2026-12-01"), now)
        .unwrap();
    s.set_period_kind(PeriodKind::Month, day("2026-12-09"), now)
        .unwrap();
    let mut rows = Vec::new();
    for (i, d) in ["2026-12-02", "2026-12-09", "2026-12-16", "2027-01-06"]
        .iter()
        .enumerate()
    {
        for j in 0..5 {
            let mut c = reflection(&q, "Ward 7", day(d), "x", (i * 10 + j) as u64);
            c.period = Some("2020-W01".into());
            rows.push(c);
        }
    }
    s.save_many(&rows).unwrap();
    s.release_closed(at(day("2027-02-03"), 9), &[], Thresholds::new(5, 5))
        .unwrap();
    let jan = Period::parse("2027-01").unwrap();
    let h = view(&mut s, &q, jan, Thresholds::new(5, 5));
    let Content::Shown(p) = &h.content else {
        panic!("{h:?}")
    };
    let trend = &p.scores[0].trend;
    let shown: Vec<String> = trend
        .iter()
        .filter(|x| x.mean.is_ok())
        .map(|x| x.period.to_string())
        .collect();
    assert_eq!(
        shown,
        ["2026-W49", "2026-W50", "2026-W51", "2027-01"],
        "{trend:?}"
    );
    // The weeks after the last one released and before the first month
    // are gaps of their own kind, in order (the last week, cut short by
    // the first month, included).
    let periods: Vec<String> = trend.iter().map(|x| x.period.to_string()).collect();
    assert_eq!(
        periods,
        [
            "2026-W47", "2026-W48", "2026-W49", "2026-W50", "2026-W51", "2026-W52", "2026-W53",
            "2027-01"
        ]
    );
    // And the summary's "change since the last release" compares with
    // the last week.
    let (_, earlier) = h.earlier.clone().unwrap();
    assert_eq!(
        earlier.last().map(|x| x.period.to_string()),
        Some("2026-W53".to_string())
    );
}

/// A reading command never writes: `joy huddle` on a file with a closed,
/// unreleased week leaves the file as it was and says the week is waiting.
#[test]
fn a_reading_command_never_releases() {
    let q = team_q();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    {
        let mut s = Store::open(&db).unwrap();
        let rows: Vec<NewCheckin> = (0..6)
            .map(|i| reflection(&q, "Ward 7", day("2026-11-17"), &format!("t{i}"), i))
            .collect();
        s.save_many(&rows).unwrap();
    }
    let bytes = std::fs::read(&db).unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_joy"))
            .args(args)
            .env("JOY_DB", &db)
            .env("JOY_QUESTIONNAIRES", dir.path().join("none"))
            .env("XDG_CONFIG_HOME", dir.path().join("no-config"))
            .env_remove("JOY_CONFIG")
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let o = run(&["huddle", "--period", W47, "--export", "md"]);
    let md = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(md.contains("not released yet"), "{md}");
    assert!(!md.contains("Average"), "{md}");
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "the file is untouched");
    // The admin's command releases it.
    let o = run(&["huddle", "release"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("Released Ward 7 · team-reflection · 2026-W47"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let o = run(&["huddle", "--export", "md"]);
    let md = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        md.contains("2026-W47") && md.contains("Average"),
        "opens on the last released:\n{md}"
    );
}

/// Padding cannot be prevented where answers are anonymous: a person adds
/// reflections of known content to a group under k until it reaches k. It
/// is made visible: the response rate against the team's headcount, and a
/// period with more reflections than staff is marked on screen and in
/// every export.
#[test]
fn padding_shows_as_more_reflections_than_staff() {
    let q = team_q();
    let mut s = store_in_london();
    let w = Period::parse(W47).unwrap();
    s.set_headcount("Ward 7", 4, at(day("2026-11-01"), 9))
        .unwrap();
    // Three real reflections, and two more from one person.
    let rows: Vec<NewCheckin> = (0..5)
        .map(|i| reflection(&q, "Ward 7", day("2026-11-17"), &format!("t{i}"), i))
        .collect();
    s.save_many(&rows).unwrap();
    s.release_closed(at(day("2026-11-24"), 9), &[], Thresholds::default())
        .unwrap();
    let h = view(&mut s, &q, w, Thresholds::default());
    assert!(h.more_than_staff());
    let md = minutes(&h);
    assert!(md.contains("5 of 4 staff (125%)"), "{md}");
    assert!(md.contains(joy_kiosk::text::MORE_THAN_STAFF), "{md}");
    let csv =
        huddle_export::to_csv("Ward 7", std::slice::from_ref(&h), &[], day("2026-12-06")).unwrap();
    assert!(
        csv.contains("staff") && csv.contains("More reflections than staff"),
        "{csv}"
    );
    // The headcount is the one in force at release: a later change does
    // not alter a released period.
    s.set_headcount("Ward 7", 14, at(day("2026-12-01"), 9))
        .unwrap();
    assert!(view(&mut s, &q, w, Thresholds::default()).more_than_staff());
    // The one-page summary marks it too.
    let page = huddle_export::one_page("Ward 7", &[("Ward 7".into(), vec![h])], day("2026-12-06"));
    assert!(page.contains("More reflections than staff"), "{page}");
}

/// The ward view: a team under k cannot be recovered as the ward total
/// minus the other teams. Those other teams' figures are public in their
/// own huddles, so hiding them in the ward view protects nothing: the
/// total itself must go. `joy huddle --ward`, run for real.
#[test]
fn the_ward_view_hides_the_total_when_it_would_give_a_small_team_away() {
    let q = team_q();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    {
        let mut s = Store::open(&db).unwrap();
        let mut rows = Vec::new();
        for (team, n, joy) in [("Ward 7", 9, 0.9), ("Theatres", 6, 0.5), ("Nights", 2, 0.1)] {
            let mut rng = Rng::new(n as u64);
            for _ in 0..n {
                let a = reflection_gen::answers(&q, joy, &mut rng, |_| String::new());
                rows.push(reflection_gen::checkin(
                    &q,
                    &a,
                    team,
                    PeriodKind::Week,
                    day("2026-11-18"),
                ));
            }
        }
        s.save_many(&rows).unwrap();
        let r = s
            .release_closed(at(day("2026-11-24"), 9), &[], Thresholds::default())
            .unwrap();
        assert_eq!((r.released.len(), r.ward_totals), (3, 1), "{r:?}");
    }
    let run = |args: &[&str]| joy_ok(dir.path(), &db, args);
    let md = run(&["huddle", "--ward", "--export", "md"]);
    let line = |name: &str| {
        md.lines()
            .find(|l| l.starts_with(&format!("| {name} ")) || l.starts_with(&format!("| **{name}")))
            .unwrap_or_else(|| panic!("no row {name}:\n{md}"))
            .to_string()
    };
    assert!(line("Nights").contains("Hidden: 2 of 5 needed"), "{md}");
    // Theatres' average is public in its own huddle...
    let theatres = run(&["huddle", "--team", "Theatres", "--export", "md"]);
    assert!(theatres.contains("Average"), "{theatres}");
    assert!(
        !line("Theatres").contains("Hidden"),
        "so the ward view shows it too:\n{md}"
    );
    // ...so the total minus Ward 7 and Theatres would be Nights' two.
    let total = line("Ward total");
    assert!(total.contains("| 17 |"), "the count stays: {md}");
    assert!(
        total.contains("cannot be worked out from the total"),
        "the total's figures go:\n{md}"
    );
}

/// A reader (or the ward) raising k after a release hides more teams in
/// the ward view; the total must not then appear where the view at the
/// release's k hid it: the two views side by side would give the small
/// team away (the total minus the teams the first view showed).
#[test]
fn raising_k_after_a_release_never_shows_a_total_the_release_hid() {
    use joy_kiosk::ward;
    let q = team_q();
    let mut s = store_in_london();
    let mut rows = Vec::new();
    for (team, n) in [("Demo team A", 6), ("Demo team B", 5), ("Demo team C", 3)] {
        let mut rng = Rng::new(n as u64 + 40);
        for _ in 0..n {
            let a = reflection_gen::answers(&q, 0.5, &mut rng, |_| String::new());
            rows.push(reflection_gen::checkin(
                &q,
                &a,
                team,
                PeriodKind::Week,
                day("2026-11-18"),
            ));
        }
    }
    s.save_many(&rows).unwrap();
    s.release_closed(at(day("2026-11-24"), 9), &[], Thresholds::new(5, 5))
        .unwrap();
    let w = Period::parse(W47).unwrap();
    let (total, teams) = s.ward_releases(&q.id, w).unwrap();
    let total = total.expect("the ward total is released");
    let at5 = ward::view(&total, &teams, Thresholds::new(5, 5));
    assert!(
        at5.total.means[0].is_err(),
        "hidden at the release's k: {at5:?}"
    );
    for k in 6..=9 {
        let later = ward::view(&total, &teams, Thresholds::new(k, k));
        assert!(
            later.total.means[0].is_err(),
            "at k = {k} the total shows beside the view at k = 5: {later:?}"
        );
    }
}

/// The ward's k raised after a period was released changes nothing of
/// that period ("reconfigured later"): its minutes read the same before
/// and after, and the next release uses the new k.
#[test]
fn raising_the_wards_k_later_leaves_a_released_period_as_released() {
    let q = team_q();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("joy.db");
    {
        let mut s = Store::open(&db).unwrap();
        s.set_time_zone("Europe/London").unwrap();
        let rows: Vec<NewCheckin> = (0..5)
            .map(|i| reflection(&q, "Ward 7", day("2026-11-17"), "x", i))
            .collect();
        s.save_many(&rows).unwrap();
        s.release_closed(at(day("2026-11-24"), 9), &[], Thresholds::new(5, 5))
            .unwrap();
    }
    let run = |args: &[&str]| joy_ok(dir.path(), &db, args);
    let before = run(&[
        "huddle", "--team", "Ward 7", "--period", W47, "--export", "md",
    ]);
    assert!(before.contains("Average"), "{before}");
    run(&["huddle", "rules", "--min-group", "6"]);
    let after = run(&[
        "huddle", "--team", "Ward 7", "--period", W47, "--export", "md",
    ]);
    assert_eq!(before, after, "the released week reads the same");
    // A reader's own configuration may still raise k for its own view.
    let cfg = dir.path().join("joy.toml");
    std::fs::write(&cfg, "[huddle]\nmin_group = 6\n").unwrap();
    let own = run(&[
        "--config",
        cfg.to_str().unwrap(),
        "huddle",
        "--team",
        "Ward 7",
        "--period",
        W47,
        "--export",
        "md",
    ]);
    assert!(!own.contains("Average"), "{own}");
}

/// For many sizes of two to four teams: whenever the ward view shows the
/// total's figure for a score, the teams whose own huddle hides that score
/// hold none or at least k reflections between them, so no combination of
/// the ward view and the teams' own views isolates fewer than k.
#[test]
fn no_ward_total_isolates_hidden_teams_across_views() {
    let q = team_q();
    let t = Thresholds::default();
    let sizes: Vec<Vec<usize>> = vec![
        vec![9, 6, 2],
        vec![6, 5, 3],
        vec![7, 7, 7],
        vec![5, 5, 5, 1],
        vec![12, 4, 4],
        vec![3, 3, 3],
        vec![20, 1],
        vec![5, 2, 2, 2],
    ];
    let w = Period::parse(W47).unwrap();
    for (case, teams) in sizes.iter().enumerate() {
        let mut s = store_in_london();
        let mut rows = Vec::new();
        for (i, n) in teams.iter().enumerate() {
            let mut rng = Rng::new((case * 10 + i) as u64);
            for _ in 0..*n {
                let a =
                    reflection_gen::answers(&q, 0.2 + 0.2 * i as f64, &mut rng, |_| String::new());
                rows.push(reflection_gen::checkin(
                    &q,
                    &a,
                    &format!("T{i}"),
                    PeriodKind::Week,
                    day("2026-11-18"),
                ));
            }
        }
        s.save_many(&rows).unwrap();
        s.release_closed(at(day("2026-11-24"), 9), &[], t).unwrap();
        let (Some(total), team_releases) = s.ward_releases(&q.id, w).unwrap() else {
            panic!("case {teams:?}: no ward total released");
        };
        let v = joy_kiosk::ward::view(&total, &team_releases, t);
        for (si, (id, _)) in v.scores.iter().enumerate() {
            if v.total.means[si].is_err() {
                continue;
            }
            let mut hidden = 0usize;
            for r in &team_releases {
                let h = joy_kiosk::team_view::huddle(&mut s, &q, &r.team, w, t).unwrap();
                let public = match &h.content {
                    Content::Shown(p) => p.scores.iter().any(|x| &x.id == id && x.figures.is_ok()),
                    _ => false,
                };
                if !public {
                    hidden += r.reflections;
                }
            }
            assert!(
                hidden == 0 || hidden >= t.k(),
                "case {teams:?}: the total's {id} minus the public teams leaves {hidden}"
            );
        }
    }
}
