//! The SQLite store: migrations, refusal of newer or foreign files,
//! permissions, round-trips, all-or-nothing saves, indexes, erase, export.

use chrono::{Duration, TimeZone, Utc};
use joy_kiosk::questionnaire::answers::parse_pairs;
use joy_kiosk::questionnaire::{score, Catalog};
use joy_kiosk::store::schema::{APPLICATION_ID, MIGRATIONS};
use joy_kiosk::store::{export, NewCheckin, Store, StoreError};
use rusqlite::Connection;

fn who5_checkin(store: &mut Store, answers: &[&str], days_ago: i64) -> NewCheckin {
    let cat = Catalog::bundled();
    let q = cat.get("who5").unwrap();
    let a = parse_pairs(q, answers.iter().copied()).unwrap();
    let o = score(q, &a);
    let me = store.local_respondent().unwrap();
    let done = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap() - Duration::days(days_ago);
    NewCheckin::from_outcome(q, &a, &o, Some(me), done - Duration::minutes(2), done)
}

const RAW_13: [&str; 5] = ["cheerful=3", "calm=3", "active=3", "rested=2", "interest=2"];

#[test]
fn a_new_file_gets_the_latest_schema_private_mode_and_durable_pragmas() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/joy.db");
    let mut s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            std::fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o700
        );
    }
    let c = s.connection();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let sync: i64 = c.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
    let fk: i64 = c
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    let app: i32 = c
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        (mode.as_str(), sync, fk, app),
        ("wal", 2, 1, APPLICATION_ID)
    );
}

#[test]
fn migrates_from_every_earlier_version_keeping_data() {
    for from in 0..MIGRATIONS.len() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let c = Connection::open(&path).unwrap();
            for m in &MIGRATIONS[..from] {
                m.apply(&c).unwrap();
            }
            if from > 0 {
                c.pragma_update(None, "application_id", APPLICATION_ID)
                    .unwrap();
                c.execute(
                    "INSERT INTO respondent (kind, created_at) VALUES ('local', 0)",
                    [],
                )
                .unwrap();
            }
            c.pragma_update(None, "user_version", from as i64).unwrap();
        }
        let mut s = Store::open(&path).unwrap();
        assert_eq!(
            s.schema_version().unwrap(),
            MIGRATIONS.len() as i64,
            "from version {from}"
        );
        assert_eq!(s.count("respondent").unwrap(), i64::from(from > 0));
        let c = who5_checkin(&mut s, &RAW_13, 0);
        s.save_checkin(&c).unwrap();
    }
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_not_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    {
        Store::open(&path).unwrap();
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
    assert!(
        err.to_string().contains("newer version of joy-kiosk")
            && err.to_string().contains("has not been changed")
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_foreign_sqlite_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE patients (name TEXT);")
        .unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
}

#[test]
fn a_checkin_round_trips_with_answers_scores_and_file_hash() {
    let mut s = Store::open_in_memory().unwrap();
    let c = who5_checkin(&mut s, &RAW_13, 0);
    let id = s.save_checkin(&c).unwrap();
    let back = s.checkin(id).unwrap().unwrap();
    assert_eq!(back.questionnaire_id, "who5");
    assert_eq!(back.questionnaire_version, "1998");
    assert_eq!(back.file_hash, Catalog::bundled().get("who5").unwrap().hash);
    assert_eq!(
        (back.started_at, back.completed_at),
        (c.started_at, c.completed_at)
    );
    assert_eq!(back.answers, c.answers);
    assert_eq!(back.answers[0].label, "More than half of the time");
    assert_eq!(back.answers[0].value, serde_json::json!(3.0));
    assert_eq!(back.scores, c.scores);
    assert_eq!(back.scores[0].value, Some(52.0));
    assert_eq!(back.scores[0].band_tone.as_deref(), Some("good"));
}

#[test]
fn a_failed_save_leaves_nothing_behind() {
    let mut s = Store::open_in_memory().unwrap();
    let mut c = who5_checkin(&mut s, &RAW_13, 0);
    // The same question twice breaks the answer table's primary key half-way.
    let dup = c.answers[4].clone();
    c.answers.push(dup);
    assert!(s.save_checkin(&c).is_err());
    assert_eq!(s.count("checkin").unwrap(), 0);
    assert_eq!(s.count("answer").unwrap(), 0);
    assert_eq!(s.count("score").unwrap(), 0);
    // And a batch with one bad check-in saves none of them.
    let good = who5_checkin(&mut s, &RAW_13, 1);
    assert!(s.save_many(&[good, c]).is_err());
    assert_eq!(s.count("checkin").unwrap(), 0);
}

#[test]
fn history_is_newest_first_and_series_oldest_first() {
    let mut s = Store::open_in_memory().unwrap();
    for d in [10, 3, 7] {
        let c = who5_checkin(&mut s, &RAW_13, d);
        s.save_checkin(&c).unwrap();
    }
    let h = s.history(None, Some("who5")).unwrap();
    let days: Vec<i64> = h
        .iter()
        .map(|r| (Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap() - r.completed_at).num_days())
        .collect();
    assert_eq!(days, [3, 7, 10]);
    let me = s.local_respondent().unwrap();
    let series = s.series(me, "who5", "wellbeing", None).unwrap();
    assert_eq!(series.len(), 3);
    assert!(series.windows(2).all(|w| w[0].at < w[1].at));
    let since = Utc.with_ymd_and_hms(2026, 11, 12, 0, 0, 0).unwrap();
    assert_eq!(
        s.series(me, "who5", "wellbeing", Some(since))
            .unwrap()
            .len(),
        2
    );
    assert!(s.history(None, Some("joy-in-work")).unwrap().is_empty());
}

#[test]
fn the_trend_query_uses_the_person_index() {
    let mut s = Store::open_in_memory().unwrap();
    let c = s.connection();
    let plan: Vec<String> = c
        .prepare(&format!(
            "EXPLAIN QUERY PLAN {}",
            joy_kiosk::store::SERIES_SQL
        ))
        .unwrap()
        .query_map(rusqlite::params![1, "who5", "wellbeing", 0], |r| {
            r.get::<_, String>(3)
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let plan = plan.join("\n");
    // Schema 4: one range scan of an index holding exactly the columns read.
    assert!(
        plan.contains("SEARCH series USING COVERING INDEX series_by_person"),
        "{plan}"
    );
    assert!(!plan.contains("SCAN"), "{plan}");
    assert!(!plan.contains("TEMP B-TREE"), "{plan}");
}

#[test]
fn erase_removes_everything_personal_and_reports_counts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("joy.db");
    let mut s = Store::open(&path).unwrap();
    for d in 0..3 {
        let c = who5_checkin(&mut s, &RAW_13, d);
        s.save_checkin(&c).unwrap();
    }
    let r = s.erase_personal().unwrap();
    assert_eq!((r.checkins, r.answers, r.scores), (3, 15, 3));
    for t in ["checkin", "answer", "score"] {
        assert_eq!(s.count(t).unwrap(), 0, "{t}");
    }
    // The local respondent row (an id and a date) stays, so an open app
    // can keep saving after an erase.
    assert_eq!(s.count("respondent").unwrap(), 1);
    drop(s);
    // The deleted labels are not left readable in the file.
    let bytes = std::fs::read(&path).unwrap();
    let needle = b"More than half of the time";
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));
}

#[test]
fn csv_export_follows_rfc_4180_and_json_has_everything() {
    let mut s = Store::open_in_memory().unwrap();
    let mut c = who5_checkin(&mut s, &RAW_13, 0);
    c.answers[0].label = "Odd, \"quoted\" label".into();
    s.save_checkin(&c).unwrap();
    let records = s.history(None, None).unwrap();
    let csv = export::to_csv_long(&records).unwrap();
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines[0], export::CSV_HEADER.join(","));
    assert_eq!(
        lines.len(),
        1 + 5 + 1 + 1,
        "header, 5 answers, 1 score, final CRLF"
    );
    assert!(
        lines[1].contains(",answer,cheerful,3,\"Odd, \"\"quoted\"\" label\",,,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[6].contains(",score,wellbeing,52,WHO-5 wellbeing,13,Good wellbeing,good"),
        "{}",
        lines[6]
    );
    let json: serde_json::Value =
        serde_json::from_str(&export::to_json(&records, Utc::now())).unwrap();
    assert_eq!(json["checkins"][0]["answers"].as_array().unwrap().len(), 5);
    assert_eq!(
        json["checkins"][0]["scores"][0]["band_label"],
        "Good wellbeing"
    );
}

#[test]
fn latest_is_the_newest_checkin_of_that_questionnaire_only() {
    let mut s = Store::open_in_memory().unwrap();
    let me = s.local_respondent().unwrap();
    assert!(s.latest(me, "who5", false).unwrap().is_none());
    for d in [10, 3, 7] {
        let c = who5_checkin(&mut s, &RAW_13, d);
        s.save_checkin(&c).unwrap();
    }
    let newest = s.history(None, Some("who5")).unwrap().remove(0);
    assert_eq!(s.latest(me, "who5", false).unwrap(), Some(newest));
    assert!(s.latest(me, "joy-in-work", false).unwrap().is_none());
}

#[test]
fn latest_never_crosses_between_real_and_demo_checkins() {
    let mut s = Store::open_in_memory().unwrap();
    let me = s.local_respondent().unwrap();
    let real = who5_checkin(&mut s, &RAW_13, 10);
    s.save_checkin(&real).unwrap();
    // A newer demo check-in does not become the "last time" of a real one.
    let mut demo = who5_checkin(
        &mut s,
        &["cheerful=0", "calm=0", "active=0", "rested=0", "interest=0"],
        1,
    );
    demo.is_demo = true;
    s.save_checkin(&demo).unwrap();
    let last_real = s.latest(me, "who5", false).unwrap().unwrap();
    assert!(!last_real.is_demo);
    assert_eq!(last_real.completed_at, real.completed_at);
    let last_demo = s.latest(me, "who5", true).unwrap().unwrap();
    assert!(last_demo.is_demo);
    assert_eq!(last_demo.completed_at, demo.completed_at);
}

#[test]
fn series_and_recent_say_which_points_are_demo() {
    let mut s = Store::open_in_memory().unwrap();
    let me = s.local_respondent().unwrap();
    let mut demo = who5_checkin(&mut s, &RAW_13, 5);
    demo.is_demo = true;
    let real = who5_checkin(&mut s, &RAW_13, 1);
    s.save_many(&[demo, real]).unwrap();
    let series = s.series(me, "who5", "wellbeing", None).unwrap();
    assert_eq!(
        series.iter().map(|p| p.is_demo).collect::<Vec<_>>(),
        vec![true, false]
    );
    let recent = s.recent(me, "who5", "wellbeing", 5).unwrap();
    assert_eq!(
        recent.iter().map(|p| p.is_demo).collect::<Vec<_>>(),
        vec![true, false]
    );
    let n = s.demo_counts().unwrap();
    assert_eq!((n.real, n.demo), (1, 1));
}

#[test]
fn erase_demo_removes_only_demo_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("joy.db");
    let mut s = Store::open(&path).unwrap();
    let me = s.local_respondent().unwrap();
    let real = who5_checkin(&mut s, &RAW_13, 3);
    s.save_checkin(&real).unwrap();
    let cat = Catalog::bundled();
    let demo = joy_kiosk::demo::generate(&cat, me, 28, Utc::now(), 1);
    let (answers, scores) = (
        demo.iter().map(|c| c.answers.len()).sum::<usize>(),
        demo.iter().map(|c| c.scores.len()).sum::<usize>(),
    );
    s.save_many(&demo).unwrap();
    let r = s.erase_demo().unwrap();
    assert_eq!(
        (r.checkins, r.answers, r.scores),
        (demo.len(), answers, scores)
    );
    let left = s.history(None, None).unwrap();
    assert_eq!(left.len(), 1);
    assert!(!left[0].is_demo);
    assert_eq!(left[0].completed_at, real.completed_at);
    assert_eq!(s.count("answer").unwrap(), 5);
    assert_eq!(s.count("score").unwrap(), 1);
    assert_eq!(s.demo_counts().unwrap().demo, 0);
    // Nothing demo left: a second erase removes nothing.
    assert_eq!(s.erase_demo().unwrap().checkins, 0);
}

/// A schema-3 file with a person's check-ins and an anonymous team
/// reflection is upgraded to schema 4: the series table is filled from the
/// existing scores (personal ones only), and trends, history pages and
/// deletes work on it.
#[test]
fn schema_4_backfills_the_series_of_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.db");
    {
        let c = Connection::open(&path).unwrap();
        for m in &MIGRATIONS[..3] {
            m.apply(&c).unwrap();
        }
        c.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        c.pragma_update(None, "user_version", 3).unwrap();
        c.execute(
            "INSERT INTO respondent (id, kind, created_at) VALUES (1, 'local', 0)",
            [],
        )
        .unwrap();
        for i in 0..5i64 {
            c.execute(
                "INSERT INTO checkin (id, respondent_id, questionnaire_id, questionnaire_version, file_hash, started_at, completed_at, is_demo)
                 VALUES (?1, 1, 'who5', '1998', 'h', ?2, ?2, ?3)",
                rusqlite::params![10 + i, 1_000 * i, i == 4],
            )
            .unwrap();
            c.execute(
                "INSERT INTO score (checkin_id, score_id, position, label, raw, value) VALUES (?1, 'wellbeing', 0, 'Wellbeing', ?2, ?3)",
                rusqlite::params![10 + i, i, 4.0 * i as f64],
            )
            .unwrap();
        }
        // A score without a value and an anonymous reflection: not in any trend.
        c.execute(
            "INSERT INTO score (checkin_id, score_id, position, label) VALUES (10, 'other', 1, 'Other')",
            [],
        )
        .unwrap();
        c.execute(
            "INSERT INTO checkin (id, team, period, questionnaire_id, questionnaire_version, file_hash, started_at, completed_at)
             VALUES (99, 'Ward 7', '2026-W47', 'team-reflection', '1', 'h', 0, 0)",
            [],
        )
        .unwrap();
        c.execute(
            "INSERT INTO score (checkin_id, score_id, position, label, value) VALUES (99, 'joy', 0, 'Joy', 7)",
            [],
        )
        .unwrap();
    }
    let mut s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
    let series_rows: i64 = s
        .connection()
        .query_row("SELECT count(*) FROM series", [], |r| r.get(0))
        .unwrap();
    assert_eq!(series_rows, 5, "personal scores with a value only");
    let points = s.series(1, "who5", "wellbeing", None).unwrap();
    assert_eq!(
        points.iter().map(|p| p.value).collect::<Vec<_>>(),
        vec![0.0, 4.0, 8.0, 12.0, 16.0]
    );
    assert!(points[4].is_demo && !points[3].is_demo);
    let since = Utc.timestamp_millis_opt(2_000).unwrap();
    assert_eq!(
        s.series(1, "who5", "wellbeing", Some(since)).unwrap().len(),
        3
    );
    let recent = s.recent(1, "who5", "wellbeing", 2).unwrap();
    assert_eq!(
        recent.iter().map(|p| p.value).collect::<Vec<_>>(),
        vec![12.0, 16.0]
    );
    // New saves and deletes keep the series in step, in the same transaction.
    // Re-keyed by migration 5: the check-in that was id 12.
    let twelve: i64 = s
        .connection()
        .query_row(
            "SELECT id FROM checkin WHERE completed_at = 2000",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_ne!(twelve, 12);
    assert!(s.delete_checkin(1, twelve).unwrap());
    assert_eq!(s.series(1, "who5", "wellbeing", None).unwrap().len(), 4);
    let c = who5_checkin(&mut s, &RAW_13, 0);
    s.save_checkin(&c).unwrap();
    let points = s.series(1, "who5", "wellbeing", None).unwrap();
    assert_eq!(points.len(), 5);
    assert_eq!(points[4].value, 52.0);
    assert_eq!(s.history_count(1, None).unwrap(), 5);
    assert_eq!(
        s.integrity("integrity_check", 10).unwrap(),
        Vec::<String>::new()
    );
}

/// Keyset pages walk the whole history exactly once in either direction,
/// also when several check-ins share a completion time.
#[test]
fn history_pages_by_completed_at_and_id() {
    use joy_kiosk::store::{HistoryQuery, PageFrom};
    let mut s = Store::open_in_memory().unwrap();
    let me = s.local_respondent().unwrap();
    let q = Catalog::bundled();
    let who5 = q.get("who5").unwrap();
    let a = parse_pairs(who5, RAW_13).unwrap();
    let o = score(who5, &a);
    let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
    // 23 check-ins, three at each of the same few moments.
    let list: Vec<NewCheckin> = (0..23)
        .map(|i| {
            let t = t0 + Duration::hours(i / 3);
            NewCheckin::from_outcome(who5, &a, &o, Some(me), t, t)
        })
        .collect();
    s.save_many(&list).unwrap();
    let all: Vec<i64> = s
        .history(Some(me), None)
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(s.history_count(me, None).unwrap(), 23);
    assert_eq!(s.history_count(me, Some("who5")).unwrap(), 23);
    assert_eq!(s.history_count(me, Some("joy-in-work")).unwrap(), 0);
    for filter in [None, Some("who5".to_string())] {
        let query = |from, limit| HistoryQuery {
            key: None,
            respondent: me,
            questionnaire: filter.clone(),
            search: None,
            from,
            limit,
        };
        // Forwards, 5 at a time.
        let mut seen = Vec::new();
        let mut page = s.history_page(&query(PageFrom::Newest, 5)).unwrap();
        while !page.is_empty() {
            seen.extend(page.iter().map(|r| r.id));
            let last = page.last().unwrap().cursor();
            page = s.history_page(&query(PageFrom::Before(last), 5)).unwrap();
        }
        assert_eq!(seen, all, "{filter:?}");
        // Backwards from the end, 4 at a time; pages still come newest first.
        let mut seen = Vec::new();
        let mut page = s.history_page(&query(PageFrom::Oldest, 4)).unwrap();
        while !page.is_empty() {
            seen.splice(0..0, page.iter().map(|r| r.id));
            let first = page.first().unwrap().cursor();
            page = s.history_page(&query(PageFrom::After(first), 4)).unwrap();
        }
        assert_eq!(seen, all, "{filter:?}");
        let at = s.history_page(&query(PageFrom::Newest, 8)).unwrap()[7].cursor();
        let here = s.history_page(&query(PageFrom::AtOrBefore(at), 2)).unwrap();
        assert_eq!(here.iter().map(|r| r.id).collect::<Vec<_>>(), all[7..9]);
    }
    // The row carries what the list shows: the first score and its band.
    let row = &s
        .history_page(&HistoryQuery {
            key: None,
            respondent: me,
            questionnaire: None,
            search: None,
            from: PageFrom::Newest,
            limit: 1,
        })
        .unwrap()[0];
    assert_eq!(row.value, o.scores[0].value);
    assert_eq!(
        row.band_label,
        o.scores[0].band.as_ref().map(|b| b.label.clone())
    );
    assert_eq!(row.questionnaire_id, "who5");
    // Nobody else's check-ins.
    assert_eq!(s.history_count(me + 1, None).unwrap(), 0);
}

/// Paging reads an index range, never the whole table, with or without a filter.
#[test]
fn history_pages_use_the_person_indexes() {
    let mut s = Store::open_in_memory().unwrap();
    let c = s.connection();
    for (sql, expect) in [
        (
            "EXPLAIN QUERY PLAN SELECT c.id FROM checkin c LEFT JOIN score s ON s.checkin_id = c.id AND s.position = 0
             WHERE c.respondent_id = 1 AND ?2 IS NULL AND (c.completed_at, c.id) < (5, 5)
             ORDER BY c.completed_at DESC, c.id DESC LIMIT 20",
            "checkin_by_person_time",
        ),
        (
            "EXPLAIN QUERY PLAN SELECT c.id FROM checkin c LEFT JOIN score s ON s.checkin_id = c.id AND s.position = 0
             WHERE c.respondent_id = 1 AND c.questionnaire_id = ?2 AND (c.completed_at, c.id) < (5, 5)
             ORDER BY c.completed_at DESC, c.id DESC LIMIT 20",
            "checkin_by_person",
        ),
    ] {
        let plan: Vec<String> = c
            .prepare(sql)
            .unwrap()
            .query_map(rusqlite::params![1, "who5"], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let plan = plan.join("\n");
        assert!(plan.contains("SEARCH c USING"), "{plan}");
        assert!(plan.contains(expect), "{plan}");
        assert!(!plan.contains("SCAN c"), "{plan}");
    }
}

/// The interactive app checkpoints after frames, not inside saves: with
/// checkpoints deferred, no commit copies the log into the file, and
/// `checkpoint_idle` does once about 1,000 rows have changed.
#[test]
fn deferred_checkpoints_wait_for_enough_writes_then_copy_the_whole_log() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("joy.db")).unwrap();
    s.defer_checkpoints().unwrap();
    let auto: i64 = s
        .connection()
        .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
        .unwrap();
    assert_eq!(auto, 0);
    let one = who5_checkin(&mut s, &RAW_13, 0);
    s.save_checkin(&one).unwrap();
    assert!(!s.checkpoint_idle(), "one save is not worth a checkpoint");
    // A WHO-5 save changes 8 rows (check-in, 5 answers, score, series).
    let many: Vec<NewCheckin> = (0..130).map(|_| one.clone()).collect();
    s.save_many(&many).unwrap();
    assert!(s.checkpoint_idle());
    let (busy, log, done): (i64, i64, i64) = s
        .connection()
        .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((busy, log), (0, done), "everything was already copied");
    assert!(!s.checkpoint_idle(), "nothing new since");
    // A store that was not asked to defer never checkpoints by itself here.
    let mut other = Store::open(&dir.path().join("other.db")).unwrap();
    let theirs = who5_checkin(&mut other, &RAW_13, 0);
    other.save_many(&vec![theirs; 130]).unwrap();
    assert!(!other.checkpoint_idle());
}
